// Customer value and loyalty behaviour, read from the roll-ups: customers, actives, annual purchase,
// repeat rate, RFM and CLV distributions, core customers' share of revenue; the cohort retention
// table; churn risk with its model; satisfied customers who left; promoters who referred. Every
// customer filter reads the roll-up grouping that holds it (customerCube), or the customers of the
// one store asked for when no grouping holds the combination.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { checkApplies, rangeOf, dimFilters, customerCube, notApplied, param, DIMS, type MeasureQuery, type Range } from './filters.js';
import type { Measured, RefreshState } from './measured.js';
import { frame, ratio, round2 } from './measured.js';
import { explainRows } from './read-customer-churn-risk.js';
import type { RiskReason } from './explain-churn-risk.js';
import { LAPSE_DAYS } from './train-churn-model.js';
import { GROUP_BUCKETS, customerMonthsSql, customerCohortsSql, rollup } from './rollup-tables.js';
import { analyticsCohorts, analyticsCustomerGroups, analyticsCustomers } from './schema.js';

const Group = rowOf(analyticsCustomerGroups, ['kind', 'bucket', 'n']);
const Activity = computedRow<{ customers: number; active: number; repeat: number; orders: number; revenue: number; core_revenue: number }>([
  'customers',
  'active',
  'repeat',
  'orders',
  'revenue',
  'core_revenue',
]);
const Unconverted = computedRow<{ currency: string; purchases: number; amount: number }>(['currency', 'purchases', 'amount']);
const Cohort = rowOf(analyticsCohorts, ['age']).and<{ cohort: string; customers: number; lapsed: number }>(['cohort', 'customers', 'lapsed']);
const AtRisk = rowOf(analyticsCustomers, ['customer_id', 'last_purchase_at', 'orders', 'last_nps', 'complaints', 'churn_features']).and<{ risk: number }>([
  'risk',
]);
const Count = computedRow<{ n: number }>(['n']);
const SatisfiedLeft = rowOf(analyticsCustomers, ['customer_id', 'last_nps', 'last_csat', 'last_purchase_at', 'orders']).and<{ revenue: number }>(['revenue']);
const Promoters = computedRow<{ promoters: number; referred: number }>(['promoters', 'referred']);

/** The customer groups (kind, bucket, n) the filters select, as a relation. */
function groupsSource(q: MeasureQuery, params: unknown[]): string {
  const cube = customerCube(q);
  if (cube !== null) return `(SELECT kind, bucket, n FROM ${rollup('analytics_customer_groups', cube)} WHERE tenant_id = $1 ${dimFilters(q, DIMS, params)})`;
  return `(SELECT g.kind, g.bucket, 1 AS n FROM analytics_customers f CROSS JOIN LATERAL ${GROUP_BUCKETS}
            WHERE f.tenant_id = $1 AND g.bucket IS NOT NULL ${dimFilters(q, DIMS, params, 'f.')})`;
}

async function groups(db: Queryable, tenantId: string, q: MeasureQuery, kinds: string[]) {
  const params: unknown[] = [tenantId];
  const src = groupsSource(q, params);
  return queryRows(
    db,
    Group,
    `SELECT kind, bucket, sum(n)::int AS n FROM ${src} x WHERE kind = ANY(${param(params, kinds)}) GROUP BY kind, bucket ORDER BY kind, bucket`,
    params,
  );
}

/** Customers' purchase months (month, next_month, is_repeat, customers, orders, revenue, core_revenue) under the filters. */
function monthsSource(q: MeasureQuery, params: unknown[]): string {
  const cube = customerCube(q);
  if (cube !== null) return `(SELECT * FROM ${rollup('analytics_customer_months', cube)} WHERE tenant_id = $1 ${dimFilters(q, DIMS, params)})`;
  return `(SELECT month, next_month, is_repeat, 1 AS customers, orders, revenue, CASE WHEN is_core THEN revenue ELSE 0 END AS core_revenue
             FROM (${customerMonthsSql(`f.tenant_id = $1 ${dimFilters(q, DIMS, params, 'f.')}`)}) m)`;
}

function cohortsSource(q: MeasureQuery, params: unknown[]): string {
  const cube = customerCube(q);
  if (cube !== null) return `(SELECT * FROM ${rollup('analytics_cohorts', cube)} WHERE tenant_id = $1 ${dimFilters(q, DIMS, params)})`;
  return `(SELECT cohort, age, 1 AS customers, (age = 0 AND has_left)::int AS lapsed FROM (${customerCohortsSql(`f.tenant_id = $1 ${dimFilters(q, DIMS, params, 'f.')}`)}) c)`;
}

/** `AND <col> within the range` when the request gave one (snapshot measures apply a range only when asked). */
function rangeGiven(q: MeasureQuery, col: string, range: Range, params: unknown[]) {
  return q.from !== undefined || q.to !== undefined
    ? ` AND ${col} >= ${param(params, range.from)}::date AND ${col} < ${param(params, range.to)}::date + 1`
    : '';
}

export async function measureCustomerValue(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('customer value', [], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId];
  const src = monthsSource(q, params);
  const a = param(params, range.fromMonth),
    b = param(params, range.toMonth);
  // A customer's months chain by next_month: exactly one of their months in [a, b] has its next after b.
  const [s] = await queryRows(
    db,
    Activity,
    `SELECT coalesce(sum(customers) FILTER (WHERE next_month > ${b}), 0)::int AS customers,
            coalesce(sum(customers) FILTER (WHERE month >= ${a} AND next_month > ${b}), 0)::int AS active,
            coalesce(sum(customers) FILTER (WHERE month >= ${a} AND next_month > ${b} AND is_repeat), 0)::int AS repeat,
            coalesce(sum(orders) FILTER (WHERE month >= ${a}), 0)::int AS orders,
            coalesce(sum(revenue) FILTER (WHERE month >= ${a}), 0)::float8 AS revenue,
            coalesce(sum(core_revenue) FILTER (WHERE month >= ${a}), 0)::float8 AS core_revenue
       FROM ${src} m WHERE month <= ${b}`,
    params,
  );
  const g = await groups(db, tenantId, q, ['segment', 'recency', 'frequency', 'monetary', 'clv']);
  // Purchases in a currency without a rate to the base one count as orders; their money is in no sum,
  // and is listed here by currency, in that currency (the customers the filters select, months in range).
  const uparams: unknown[] = [tenantId];
  const unconverted = await queryRows(
    db,
    Unconverted,
    `SELECT u.currency, sum(u.purchases)::int AS purchases, sum(u.amount)::float8 AS amount
       FROM analytics_customers f CROSS JOIN LATERAL jsonb_to_recordset(f.unconverted) u(currency text, month date, purchases int, amount numeric)
      WHERE f.tenant_id = $1 AND f.unconverted IS NOT NULL AND u.month >= ${param(uparams, range.fromMonth)}::date AND u.month <= ${param(uparams, range.toMonth)}::date
            ${dimFilters(q, DIMS, uparams, 'f.')}
      GROUP BY u.currency ORDER BY u.currency`,
    uparams,
  );
  const currenciesNotConverted = unconverted.map((r) => ({ currency: r.currency, purchases: r.purchases, amount: round2(r.amount) }));
  const summary = {
    customers: s.customers,
    active_customers: s.active,
    orders: s.orders,
    revenue: round2(s.revenue),
    average_annual_purchase: s.active && range.months > 0 ? round2((s.revenue / s.active) * (12 / range.months)) : null,
    repeat_customers: s.repeat,
    repeat_purchase_rate: ratio(s.repeat, s.active),
    core_revenue: round2(s.core_revenue),
    core_revenue_share: ratio(s.core_revenue, s.revenue),
  };
  const of = (kind: string) => g.filter((r) => r.kind === kind);
  const rfm = [1, 2, 3, 4, 5].map((score) => ({
    score,
    recency: of('recency').find((r) => r.bucket === String(score))?.n ?? 0,
    frequency: of('frequency').find((r) => r.bucket === String(score))?.n ?? 0,
    monetary: of('monetary').find((r) => r.bucket === String(score))?.n ?? 0,
  }));
  const clv = of('clv')
    .map((r) => ({ clv_from: Number(r.bucket), customers: r.n }))
    .sort((x, y) => x.clv_from - y.clv_from);
  const segments = of('segment').map((r) => ({ segment: r.bucket, customers: r.n }));
  return {
    body: {
      ...frame(state, q, range),
      currency: (state.snapshot?.base_currency as string | undefined) ?? null,
      ...summary,
      currencies_not_converted: currenciesNotConverted,
      rfm,
      clv,
      segments,
    },
    tables: { summary: [summary], rfm, clv, segments, currencies_not_converted: currenciesNotConverted },
  };
}

export async function measureRetention(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('retention', [], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId];
  const src = cohortsSource(q, params);
  const rows = await queryRows(
    db,
    Cohort,
    `SELECT to_char(cohort, 'YYYY-MM') AS cohort, age, sum(customers)::int AS customers, sum(lapsed)::int AS lapsed
       FROM ${src} c WHERE cohort >= ${param(params, range.fromMonth)} AND cohort <= ${param(params, range.toMonth)}
      GROUP BY cohort, age ORDER BY cohort, age`,
    params,
  );
  const cohorts = new Map<string, { size: number; lapsed: number; ages: Map<number, number> }>();
  for (const r of rows) {
    const c = cohorts.get(r.cohort) ?? { size: 0, lapsed: 0, ages: new Map() };
    if (r.age === 0) {
      c.size = r.customers;
      c.lapsed = r.lapsed;
    }
    c.ages.set(r.age, r.customers);
    cohorts.set(r.cohort, c);
  }
  const table = [...cohorts].map(([cohort, c]) => {
    const last = Math.max(0, ...c.ages.keys());
    const retention = Array.from({ length: last + 1 }, (_, age) => ratio(c.ages.get(age) ?? 0, c.size) ?? 0);
    return { cohort, customers: c.size, lapsed: c.lapsed, churn_rate: ratio(c.lapsed, c.size), retention };
  });
  const flat = table.flatMap((c) =>
    c.retention.map((r, age) => ({ cohort: c.cohort, age, customers: cohorts.get(c.cohort)!.ages.get(age) ?? 0, retention: r })),
  );
  return {
    body: { ...frame(state, q, range), cohorts: table },
    tables: { cohorts: table.map(({ retention: _, ...c }) => c), retention: flat },
  };
}

export async function measureChurnRisk(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('churn risk', ['limit'], q);
  const skipped = notApplied(q, { range: "churn risk is each customer's as of the last refresh" });
  const dist = (await groups(db, tenantId, q, ['churn_risk'])).map((r) => ({ risk_from: Number(r.bucket), customers: r.n }));
  const params: unknown[] = [tenantId, q.limit ?? 50];
  const rows = await queryRows(
    db,
    AtRisk,
    `SELECT f.customer_id, f.churn_risk::float8 AS risk, f.last_purchase_at, f.orders, f.last_nps, f.complaints, f.churn_features
       FROM analytics_customers f WHERE f.tenant_id = $1 AND NOT f.has_left AND f.churn_risk IS NOT NULL ${dimFilters(q, DIMS, params, 'f.')}
      ORDER BY f.churn_risk DESC, f.customer_id LIMIT $2`,
    params,
  );
  const why = explainRows(
    state.model,
    rows.map((r) => r.churn_features),
  );
  const customers = rows.map(({ risk, churn_features: _, ...r }, i) => ({
    ...r,
    churn_risk: Math.round(risk * 10000) / 10000,
    last_purchase_at: r.last_purchase_at?.toISOString() ?? null,
    top_features: why[i],
  }));
  const model = state.model ?? { status: 'not_refreshed' };
  const coefficients = (model as { coefficients?: Record<string, unknown>[] }).coefficients ?? [];
  return {
    body: { ...frame(state, q, undefined, skipped), model, distribution: dist, customers },
    tables: {
      customers: customers.map(({ top_features: top, ...c }) => ({
        ...c,
        why_at_risk: top.map((f: RiskReason) => `${f.feature} ${f.direction} ${f.contribution}`).join('; '),
      })),
      distribution: dist,
      coefficients,
    },
  };
}

export async function measureSatisfiedButLeft(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('satisfied but left', ['limit'], q);
  const isRanged = q.from !== undefined || q.to !== undefined;
  const range = isRanged ? rangeOf(q, state.asOf) : undefined;
  const params: unknown[] = [tenantId];
  const where = `tenant_id = $1 AND is_satisfied AND has_left ${dimFilters(q, DIMS, params)}${range ? rangeGiven(q, 'last_purchase_at', range, params) : ''}`;
  // With a range: those whose last purchase fell in it (they left then), counted on the partial index.
  const count = range
    ? (await queryRow(db, Count, `SELECT count(*)::int AS n FROM analytics_customers WHERE ${where}`, params))!.n
    : (await groups(db, tenantId, q, ['satisfied_left'])).reduce((s, r) => s + r.n, 0);
  const rows = await queryRows(
    db,
    SatisfiedLeft,
    `SELECT customer_id, last_nps, last_csat, last_purchase_at, orders, revenue::float8 AS revenue
       FROM analytics_customers WHERE ${where} ORDER BY last_purchase_at DESC, customer_id LIMIT $${params.length + 1}`,
    [...params, q.limit ?? 50],
  );
  const customers = rows.map((r) => ({ ...r, last_purchase_at: r.last_purchase_at?.toISOString() ?? null }));
  return {
    body: {
      ...frame(state, q, range),
      definition: `last NPS 9-10 (or, without NPS, last CSAT 4-5) and no purchase for ${LAPSE_DAYS} days${range ? '; last purchase within the range' : ''}`,
      count,
      customers,
    },
    tables: { customers, summary: [{ count }] },
  };
}

export async function measurePromoterReferrals(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('promoter referrals', [], q);
  const isRanged = q.from !== undefined || q.to !== undefined;
  const range = isRanged ? rangeOf(q, state.asOf) : undefined;
  let referred: number, promoters: number;
  if (range) {
    // Promoters by their last NPS answer within the range (partial index on promoters' answer time).
    const params: unknown[] = [tenantId];
    const [r] = await queryRows(
      db,
      Promoters,
      `SELECT count(*)::int AS promoters, count(*) FILTER (WHERE has_referred)::int AS referred FROM analytics_customers
        WHERE tenant_id = $1 AND last_nps >= 9 ${dimFilters(q, DIMS, params)}${rangeGiven(q, 'last_nps_at', range, params)}`,
      params,
    );
    ({ referred, promoters } = r);
  } else {
    const g = await groups(db, tenantId, q, ['promoter']);
    referred = g.find((r) => r.bucket === 'referred')?.n ?? 0;
    promoters = referred + (g.find((r) => r.bucket === 'not_referred')?.n ?? 0);
  }
  const summary = { promoters, promoters_who_referred: referred, share: ratio(referred, promoters) };
  return { body: { ...frame(state, q, range), ...summary }, tables: { summary: [summary] } };
}
