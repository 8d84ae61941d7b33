// One customer's churn risk as of the last refresh, with the model that scored it and the features
// that move it most ("why at risk" on the customer's profile).
import type { Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { RefreshState } from './measured.js';
import { explainChurnRisk } from './explain-churn-risk.js';
import { isScoringModel, type ModelReport } from './train-churn-model.js';
import { analyticsCustomers } from './schema.js';

// The risk is read as float8: a real's shortest text form would round it differently from the measures.
const Risk = rowOf(analyticsCustomers, ['customer_id', 'churn_features', 'has_left', 'last_purchase_at']).and<{ risk: number | null }>(['risk']);

/** The model's identity and quality, as every churn answer states it. */
export function modelSummary(model: RefreshState['model']) {
  const m = (model ?? { status: 'not_refreshed' }) as Partial<ModelReport> & { status: string };
  return { status: m.status, version: m.version ?? null, trained_at: m.trained_at ?? null, n: m.n ?? null, auc: m.auc ?? null, brier: m.brier ?? null };
}

/** The top features of each scored customer's risk, or [] when the stored model cannot explain them. */
export function explainRows(model: RefreshState['model'], features: (number[] | null)[]) {
  const m = model as ModelReport | null;
  return features.map((x) => (x && isScoringModel(m) && m.coefficients.length === x.length ? explainChurnRisk(m, x) : []));
}

export async function readCustomerChurnRisk(db: Queryable, tenantId: string, customerId: string, state: RefreshState) {
  const r = await queryRow(
    db,
    Risk,
    `SELECT customer_id, churn_risk::float8 AS risk, churn_features, has_left, last_purchase_at FROM analytics_customers WHERE tenant_id = $1 AND customer_id = $2`,
    [tenantId, customerId],
  );
  if (!r) throw notFound('No churn risk for this customer as of the last refresh (no purchase, answer or membership on record then)');
  return {
    customer_id: r.customer_id,
    churn_risk: r.risk === null ? null : Math.round(r.risk * 10000) / 10000,
    has_left: r.has_left,
    last_purchase_at: r.last_purchase_at?.toISOString() ?? null,
    as_of: state.asOf.toISOString(),
    refreshed_at: state.refreshedAt?.toISOString() ?? null,
    model: modelSummary(state.model),
    top_features: r.risk === null ? [] : explainRows(state.model, [r.churn_features])[0],
  };
}
