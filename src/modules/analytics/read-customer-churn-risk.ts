// One customer's churn risk as of the last refresh, with the model that scored it and the features
// that move it most ("why at risk" on the customer's profile).
import type { Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { RefreshState } from './measured.js';
import { explainChurnRisk } from './explain-churn-risk.js';
import { isScoringModel, type ModelReport } from './train-churn-model.js';

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
  const {
    rows: [r],
  } = await db.query(
    `SELECT customer_id, churn_risk::float8 AS risk, churn_features, has_left, last_purchase_at FROM analytics_customers WHERE tenant_id = $1 AND customer_id = $2`,
    [tenantId, customerId],
  );
  if (!r) throw notFound('No churn risk for this customer as of the last refresh (no purchase, answer or membership on record then)');
  return {
    customer_id: r.customer_id as string,
    churn_risk: r.risk === null ? null : Math.round(r.risk * 10000) / 10000,
    has_left: r.has_left as boolean,
    last_purchase_at: (r.last_purchase_at as Date | null)?.toISOString() ?? null,
    as_of: state.asOf.toISOString(),
    refreshed_at: state.refreshedAt?.toISOString() ?? null,
    model: modelSummary(state.model),
    top_features: r.risk === null ? [] : explainRows(state.model, [r.churn_features])[0],
  };
}
