// The customer roll-ups: analytics_customers, one row per customer with everything their figures need
// (purchases by month, last answers, cases, referral, membership, value scores, churn risk), and their
// contributions to the groups, months, cohorts and member-months roll-ups, added or taken out.
import { FEATURES } from './churn-model.js';
import { LAPSE_DAYS, type ScoringModel } from './train-churn-model.js';
import { intoBoth, customerSets, customerMonthsSql, customerCohortsSql, GROUP_BUCKETS, type Q } from './rollup-tables.js';

/** Loyalty's base currency and the rates other currencies convert at (the base itself at 1). */
export interface CurrencyRates {
  baseCurrency: string;
  rates: Record<string, number>;
}

const segmentSql = `CASE
    WHEN p.orders IS NULL THEN 'prospect'
    WHEN c.recency_score IS NULL OR c.frequency_score IS NULL THEN 'unscored'
    WHEN c.recency_score >= 4 AND c.frequency_score >= 4 THEN 'champions'
    WHEN c.recency_score >= 3 AND c.frequency_score >= 3 THEN 'loyal'
    WHEN c.recency_score >= 4 THEN 'new'
    WHEN c.recency_score <= 2 AND c.frequency_score >= 3 THEN 'at_risk'
    WHEN c.recency_score <= 2 THEN 'lost'
    ELSE 'potential' END`;

/**
 * Adds (sign 1) or takes out (sign -1) the contributions of the customers selected by `where` to the
 * groups, months and cohorts roll-ups. A full refresh adds everyone's to empty tables; an incremental one
 * takes the changed customers' old rows out, rewrites those rows, and adds them back.
 */
export async function applyCustomerContributions(q: Q, where: string, sign: 1 | -1) {
  const upsert = (key: string, cols: string[]) => `ON CONFLICT (${key}) DO UPDATE SET ${cols.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`;
  await q(
    intoBoth(
      'analytics_customer_groups',
      'tenant_id, dims, kind, bucket, store, segment, tier, channel, touchpoint, n',
      `
    SELECT $1, GROUPING(f.store)::smallint, g.kind, g.bucket, coalesce(f.store, ''), f.segment, f.tier, coalesce(f.channel, ''), coalesce(f.touchpoint, ''), ${sign} * count(*)
      FROM analytics_customers f CROSS JOIN LATERAL ${GROUP_BUCKETS}
     WHERE f.tenant_id = $1 AND g.bucket IS NOT NULL AND ${where}
     GROUP BY GROUPING SETS ((g.kind, g.bucket, f.store, f.segment, f.tier), (g.kind, g.bucket, f.channel, f.touchpoint, f.segment, f.tier))`,
      upsert('tenant_id, dims, kind, bucket, store, segment, tier, channel, touchpoint', ['n']),
    ),
  );
  await q(
    intoBoth(
      'analytics_customer_months',
      'tenant_id, dims, month, next_month, is_repeat, store, segment, tier, channel, touchpoint, customers, orders, revenue, core_revenue',
      `
    SELECT $1, GROUPING(store)::smallint, month, next_month, is_repeat, coalesce(store, ''), segment, tier, coalesce(channel, ''), coalesce(touchpoint, ''),
           ${sign} * count(*), ${sign} * sum(orders), ${sign} * sum(revenue), ${sign} * coalesce(sum(revenue) FILTER (WHERE is_core), 0)
      FROM (${customerMonthsSql(`f.tenant_id = $1 AND ${where}`)}) m
     GROUP BY ${customerSets('month, next_month, is_repeat')}`,
      upsert('tenant_id, dims, month, next_month, is_repeat, store, segment, tier, channel, touchpoint', ['customers', 'orders', 'revenue', 'core_revenue']),
    ),
  );
  await q(
    intoBoth(
      'analytics_cohorts',
      'tenant_id, dims, cohort, age, store, segment, tier, channel, touchpoint, customers, lapsed',
      `
    SELECT $1, GROUPING(store)::smallint, cohort, age, coalesce(store, ''), segment, tier, coalesce(channel, ''), coalesce(touchpoint, ''),
           ${sign} * count(*), ${sign} * count(*) FILTER (WHERE age = 0 AND has_left)
      FROM (${customerCohortsSql(`f.tenant_id = $1 AND ${where}`)}) c
     GROUP BY ${customerSets('cohort, age')}`,
      upsert('tenant_id, dims, cohort, age, store, segment, tier, channel, touchpoint', ['customers', 'lapsed']),
    ),
  );
  // Members' ledger months, chained by next month like customer months: dims 0 by tier; dims 1 also by
  // the member's segment, store, channel and touchpoint.
  await q(
    intoBoth(
      'analytics_member_months',
      'tenant_id, dims, month, next_month, tier, segment, store, channel, touchpoint, members',
      `
    SELECT $1, 1 - GROUPING(segment), month, next_month, tier, coalesce(segment, ''), coalesce(store, ''), coalesce(channel, ''), coalesce(touchpoint, ''), ${sign} * count(*)
      FROM (SELECT f.tier, f.segment, f.store, f.channel, f.touchpoint, u.month,
                   coalesce(lead(u.month) OVER (PARTITION BY f.customer_id ORDER BY u.month), 'infinity'::date) AS next_month
              FROM analytics_customers f CROSS JOIN LATERAL unnest(f.ledger_months) u(month) WHERE f.tenant_id = $1 AND ${where}) x
     GROUP BY GROUPING SETS ((month, next_month, tier), (month, next_month, tier, segment, store, channel, touchpoint))`,
      upsert('tenant_id, dims, month, next_month, tier, segment, store, channel, touchpoint', ['members']),
    ),
  );
}

/**
 * A purchase event's columns in the ap_purchases work table (customer_id, occurred_at, amount, store,
 * month, currency, paid), from the event `e`. Revenue is summed in one currency, the loyalty programme's
 * base ($4), at the tenant's rates ($3, by currency): amount is the converted money, NULL for a currency
 * without a rate, whose purchase still counts as an order and whose money (paid, in its own currency) is
 * reported apart, never added. A purchase naming no currency is in the base one.
 */
export const purchaseColumns = (e: string) => {
  const currency = `coalesce(${e}.properties->>'currency', $4::text)`;
  return `${e}.customer_id, ${e}.occurred_at, round((${e}.properties->>'amount')::numeric * ($3::jsonb->>${currency})::numeric, 2) AS amount,
          coalesce(${e}.properties->>'store_id', '') AS store, date_trunc('month', ${e}.occurred_at AT TIME ZONE 'UTC')::date AS month,
          ${currency} AS currency, (${e}.properties->>'amount')::numeric AS paid`;
};
export const currencyParams = (c: CurrencyRates) => [JSON.stringify({ ...c.rates, [c.baseCurrency]: 1 }), c.baseCurrency];

/** The calibrated churn risk of the features cf.x, from the model in parameters $4 (intercept), $5 (coefficients), $6 and $7 (Platt's a and b). */
const riskSql = `1 / (1 + exp(-greatest(-50, least(50, $6::float8 * ($4::float8 + ${FEATURES.map((_, j) => `cf.x[${j + 1}] * ($5::float8[])[${j + 1}]`).join(' + ')}) + $7::float8))))`;

/**
 * Writes analytics_customers rows for the customers in ap_ids from ap_purchases and the views feedback, loop and loyalty publish,
 * each purchaser scored by `model` on their features in ap_churn_features (writeChurnFeatures).
 */
export async function writeCustomers(q: Q, tenantId: string, asOf: Date, model: ScoringModel | null, scoped: boolean) {
  const m = model
    ? [model.intercept, model.coefficients.map((c) => c.coefficient), model.calibration.a, model.calibration.b]
    : [0, FEATURES.map(() => 0), 1, 0];
  const only = (col: string) => (scoped ? `AND ${col} IN (SELECT customer_id FROM ap_ids)` : '');
  await q(
    `INSERT INTO analytics_customers (tenant_id, customer_id, cohort, first_purchase_at, last_purchase_at, orders, revenue, store, segment, tier, channel, touchpoint,
             is_member, is_core, clv, recency_score, frequency_score, monetary_score, last_nps, last_csat, last_nps_at, complaints, has_referred, is_satisfied, has_left, churn_risk, churn_features,
             months, month_orders, month_revenue, ledger_months, unconverted)
    WITH pm AS (
      SELECT customer_id, month, count(*)::int AS orders, coalesce(sum(amount), 0) AS revenue, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
             (array_agg(store ORDER BY occurred_at, store))[1] AS store
        FROM ap_purchases GROUP BY customer_id, month),
    p AS (
      -- The month arrays are aligned (one aggregation pass fills them in the same row order) but not
      -- sorted: every reader orders by month itself, and PostgreSQL 15 sorts each ordered aggregate apart.
      SELECT customer_id, min(first_at) AS first_at, max(last_at) AS last_at, sum(orders)::int AS orders, sum(revenue) AS revenue, (array_agg(store ORDER BY first_at, store))[1] AS store,
             array_agg(month) AS months, array_agg(orders) AS month_orders, array_agg(revenue) AS month_revenue
        FROM pm GROUP BY customer_id),
    -- Purchases in a currency without a rate, by currency and month: out of revenue, counted apart.
    uc AS (
      SELECT customer_id, jsonb_agg(jsonb_build_object('currency', currency, 'month', month, 'purchases', n, 'amount', paid) ORDER BY currency, month) AS unconverted
        FROM (SELECT customer_id, currency, month, count(*)::int AS n, sum(paid) AS paid FROM ap_purchases WHERE amount IS NULL GROUP BY 1, 2, 3) x
       GROUP BY customer_id),
    fb AS (
      SELECT customer_id, (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'nps'))[1] AS nps,
             (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'csat'))[1] AS csat,
             max(submitted_at) FILTER (WHERE kind = 'nps') AS nps_at,
             (array_agg(coalesce(channel, '') ORDER BY submitted_at DESC))[1] AS channel, (array_agg(coalesce(touchpoint, '') ORDER BY submitted_at DESC))[1] AS touchpoint
        FROM survey_responses_v
       WHERE tenant_id = $1 AND status = 'complete' AND score IS NOT NULL AND customer_id IS NOT NULL AND kind IN ('nps', 'csat') AND submitted_at <= $2 ${only('customer_id')}
       GROUP BY customer_id),
    cs AS (SELECT customer_id, count(*)::int AS n FROM cases_v WHERE tenant_id = $1 AND customer_id IS NOT NULL AND created_at <= $2 ${only('customer_id')} GROUP BY customer_id),
    rf AS (SELECT DISTINCT referrer_id AS customer_id FROM referrals_v WHERE tenant_id = $1 ${only('referrer_id')}),
    acc AS (SELECT customer_id, tier, NOT is_closed AS is_member FROM loyalty_accounts_v WHERE tenant_id = $1 AND merged_into IS NULL ${only('customer_id')}),
    lm AS (SELECT customer_id, array_agg(month) AS months
             FROM (SELECT DISTINCT customer_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month
                     FROM ledger_transactions_v WHERE tenant_id = $1 AND occurred_at <= $2 ${only('customer_id')}) x GROUP BY customer_id),
    ids AS (SELECT customer_id FROM p UNION SELECT customer_id FROM fb UNION SELECT customer_id FROM acc WHERE is_member UNION SELECT customer_id FROM lm)
    SELECT $1, ids.customer_id, date_trunc('month', p.first_at AT TIME ZONE 'UTC')::date, p.first_at, p.last_at, coalesce(p.orders, 0), coalesce(p.revenue, 0),
           coalesce(p.store, ''), ${segmentSql}, coalesce(acc.tier, ''), coalesce(fb.channel, ''), coalesce(fb.touchpoint, ''), coalesce(acc.is_member, false),
           coalesce(c.is_core, false), c.clv, c.recency_score, c.frequency_score, c.monetary_score,
           fb.nps, fb.csat, fb.nps_at, coalesce(cs.n, 0), rf.customer_id IS NOT NULL,
           coalesce(fb.nps >= 9 OR (fb.nps IS NULL AND fb.csat >= 4), false),
           coalesce(p.last_at < $2::timestamptz - interval '${LAPSE_DAYS} days', false),
           CASE WHEN $3::boolean AND cf.x IS NOT NULL THEN ${riskSql} END, cf.x::real[],
           coalesce(p.months, '{}'), coalesce(p.month_orders, '{}'), coalesce(p.month_revenue, '{}'), coalesce(lm.months, '{}'), uc.unconverted
      FROM ids
      LEFT JOIN p ON p.customer_id = ids.customer_id
      LEFT JOIN uc ON uc.customer_id = ids.customer_id
      LEFT JOIN fb ON fb.customer_id = ids.customer_id
      LEFT JOIN cs ON cs.customer_id = ids.customer_id
      LEFT JOIN rf ON rf.customer_id = ids.customer_id
      LEFT JOIN acc ON acc.customer_id = ids.customer_id
      LEFT JOIN lm ON lm.customer_id = ids.customer_id
      LEFT JOIN ap_churn_features cf ON cf.customer_id = ids.customer_id
      LEFT JOIN customers_v c ON c.tenant_id = $1 AND c.id COLLATE "C" = ids.customer_id`,
    [tenantId, asOf, !!model, ...m],
  );
}
