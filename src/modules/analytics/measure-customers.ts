// Customer value and loyalty behaviour, read from the roll-ups: customers, actives, annual purchase,
// repeat rate, RFM and CLV distributions, core customers' share of revenue; the cohort retention
// table; churn risk with its model; satisfied customers who left; promoters who referred.
import type { Queryable } from '../../platform/db.js';
import { checkApplies, rangeOf, dimFilters, type MeasureQuery } from './filters.js';
import type { Measured, RefreshState } from './measured.js';
import { frame, ratio, round2 } from './measured.js';
import { LAPSE_DAYS } from './refresh-rollups.js';

const CUSTOMER_DIMS = ['segment', 'tier', 'store'] as const;

async function groups(db: Queryable, tenantId: string, q: MeasureQuery, kinds: string[]) {
  const params: unknown[] = [tenantId, kinds];
  const { rows } = await db.query(
    `SELECT kind, bucket, sum(n)::int AS n FROM analytics_customer_groups WHERE tenant_id = $1 AND kind = ANY($2) ${dimFilters(q, [...CUSTOMER_DIMS], params)}
      GROUP BY kind, bucket ORDER BY kind, bucket`, params);
  return rows as { kind: string; bucket: string; n: number }[];
}

export async function measureCustomerValue(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('customer value', ['range', ...CUSTOMER_DIMS], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId, range.fromMonth, range.toMonth];
  // A customer's months chain by next_month: exactly one of their months in [a, b] has its next after b.
  const { rows: [s] } = await db.query(
    `SELECT coalesce(sum(customers) FILTER (WHERE next_month > $3), 0)::int AS customers,
            coalesce(sum(customers) FILTER (WHERE month >= $2 AND next_month > $3), 0)::int AS active,
            coalesce(sum(customers) FILTER (WHERE month >= $2 AND next_month > $3 AND is_repeat), 0)::int AS repeat,
            coalesce(sum(orders) FILTER (WHERE month >= $2), 0)::int AS orders,
            coalesce(sum(revenue) FILTER (WHERE month >= $2), 0)::float8 AS revenue,
            coalesce(sum(core_revenue) FILTER (WHERE month >= $2), 0)::float8 AS core_revenue
       FROM analytics_customer_months WHERE tenant_id = $1 AND month <= $3 ${dimFilters(q, [...CUSTOMER_DIMS], params)}`, params);
  const g = await groups(db, tenantId, q, ['segment', 'recency', 'frequency', 'monetary', 'clv']);
  const summary = {
    customers: s.customers, active_customers: s.active, orders: s.orders, revenue: round2(s.revenue),
    average_annual_purchase: s.active ? round2((s.revenue / s.active) * (12 / range.months)) : null,
    repeat_customers: s.repeat, repeat_purchase_rate: ratio(s.repeat, s.active),
    core_revenue: round2(s.core_revenue), core_revenue_share: ratio(s.core_revenue, s.revenue),
  };
  const of = (kind: string) => g.filter((r) => r.kind === kind);
  const rfm = [1, 2, 3, 4, 5].map((score) => ({
    score, recency: of('recency').find((r) => r.bucket === String(score))?.n ?? 0,
    frequency: of('frequency').find((r) => r.bucket === String(score))?.n ?? 0, monetary: of('monetary').find((r) => r.bucket === String(score))?.n ?? 0,
  }));
  const clv = of('clv').map((r) => ({ clv_from: Number(r.bucket), customers: r.n })).sort((a, b) => a.clv_from - b.clv_from);
  const segments = of('segment').map((r) => ({ segment: r.bucket, customers: r.n }));
  return {
    body: { ...frame(state, q, range), ...summary, rfm, clv, segments },
    tables: { summary: [summary], rfm, clv, segments },
  };
}

export async function measureRetention(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('retention', ['range', ...CUSTOMER_DIMS], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId, range.fromMonth, range.toMonth];
  const { rows } = await db.query(
    `SELECT to_char(cohort, 'YYYY-MM') AS cohort, age, sum(customers)::int AS customers, sum(lapsed)::int AS lapsed
       FROM analytics_cohorts WHERE tenant_id = $1 AND cohort >= $2 AND cohort <= $3 ${dimFilters(q, [...CUSTOMER_DIMS], params)}
      GROUP BY cohort, age ORDER BY cohort, age`, params);
  const cohorts = new Map<string, { size: number; lapsed: number; ages: Map<number, number> }>();
  for (const r of rows) {
    const c = cohorts.get(r.cohort) ?? { size: 0, lapsed: 0, ages: new Map() };
    if (r.age === 0) { c.size = r.customers; c.lapsed = r.lapsed; }
    c.ages.set(r.age, r.customers);
    cohorts.set(r.cohort, c);
  }
  const table = [...cohorts].map(([cohort, c]) => {
    const last = Math.max(0, ...c.ages.keys());
    const retention = Array.from({ length: last + 1 }, (_, age) => ratio(c.ages.get(age) ?? 0, c.size) ?? 0);
    return { cohort, customers: c.size, lapsed: c.lapsed, churn_rate: ratio(c.lapsed, c.size), retention };
  });
  const flat = table.flatMap((c) => c.retention.map((r, age) => ({ cohort: c.cohort, age, customers: cohorts.get(c.cohort)!.ages.get(age) ?? 0, retention: r })));
  return {
    body: { ...frame(state, q, range), cohorts: table },
    tables: { cohorts: table.map(({ retention: _, ...c }) => c), retention: flat },
  };
}

export async function measureChurnRisk(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('churn risk', [...CUSTOMER_DIMS, 'limit'], q);
  const dist = (await groups(db, tenantId, q, ['churn_risk'])).map((r) => ({ risk_from: Number(r.bucket), customers: r.n }));
  const params: unknown[] = [tenantId, q.limit ?? 50];
  const { rows } = await db.query(
    `SELECT f.customer_id, f.churn_risk::float8 AS risk, f.last_purchase_at, f.orders, f.last_nps, f.complaints
       FROM analytics_customers f WHERE f.tenant_id = $1 AND NOT f.has_left AND f.churn_risk IS NOT NULL ${dimFilters(q, [...CUSTOMER_DIMS], params, 'f.')}
      ORDER BY f.churn_risk DESC, f.customer_id LIMIT $2`, params);
  const customers = rows.map(({ risk, ...r }) => ({ ...r, churn_risk: Math.round(risk * 10000) / 10000, last_purchase_at: r.last_purchase_at?.toISOString() ?? null }));
  const model = state.model ?? { status: 'not_refreshed' };
  const coefficients = ((model as { coefficients?: Record<string, unknown>[] }).coefficients ?? []);
  return {
    body: { ...frame(state, q), model, distribution: dist, customers },
    tables: { customers, distribution: dist, coefficients },
  };
}

export async function measureSatisfiedButLeft(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('satisfied but left', [...CUSTOMER_DIMS, 'limit'], q);
  const count = (await groups(db, tenantId, q, ['satisfied_left'])).reduce((s, r) => s + r.n, 0);
  const params: unknown[] = [tenantId, q.limit ?? 50];
  const { rows } = await db.query(
    `SELECT customer_id, last_nps, last_csat, last_purchase_at, orders, revenue::float8 AS revenue
       FROM analytics_customers WHERE tenant_id = $1 AND is_satisfied AND has_left ${dimFilters(q, [...CUSTOMER_DIMS], params)}
      ORDER BY last_purchase_at DESC, customer_id LIMIT $2`, params);
  const customers = rows.map((r) => ({ ...r, last_purchase_at: r.last_purchase_at?.toISOString() ?? null }));
  return {
    body: { ...frame(state, q), definition: `last NPS 9-10 (or, without NPS, last CSAT 4-5) and no purchase for ${LAPSE_DAYS} days`, count, customers },
    tables: { customers, summary: [{ count }] },
  };
}

export async function measurePromoterReferrals(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('promoter referrals', [...CUSTOMER_DIMS], q);
  const g = await groups(db, tenantId, q, ['promoter']);
  const referred = g.find((r) => r.bucket === 'referred')?.n ?? 0;
  const promoters = referred + (g.find((r) => r.bucket === 'not_referred')?.n ?? 0);
  const summary = { promoters, promoters_who_referred: referred, share: ratio(referred, promoters) };
  return { body: { ...frame(state, q), ...summary }, tables: { summary: [summary] } };
}
