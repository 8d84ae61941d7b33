// The roll-up refresh: one transaction per tenant that rebuilds every analytics table from the other
// modules' tables with set-based SQL. It reads those tables directly, and only here: a refresh over
// twenty million events must be a few scans and hash joins inside PostgreSQL, which no door returning
// rows to Node could match. The refresh is the only code that knows their columns; the dashboards read
// analytics' own tables. Readers see the previous roll-ups until the transaction commits.
import type pg from 'pg';
import { FEATURES } from './churn-model.js';
import { LAPSE_DAYS, trainChurnModel, writeChurnFeatures, isScoringModel, type ModelReport, type ScoringModel } from './train-churn-model.js';

export { LAPSE_DAYS, type ModelReport };
/** Lower edges of the CLV bands. */
export const CLV_BANDS = [0, 100, 250, 500, 1000, 2500, 5000, 10000];

export interface Snapshot {
  backlog: { channel: string; open: number }[];
  members: number;
  tiers: { tier: string; members: number }[];
  liability: null | {
    points_outstanding: number; outstanding_liability: number; breakage_recognised: number; cost_per_member: number; value_per_point: number;
    // Absent from snapshots taken before the loyalty module estimated breakage.
    breakage_rate?: number; breakage_basis?: 'history' | 'assumption'; breakage_sample?: { cohorts: number; points: number };
    expiring_soon?: { within_days: number; points: number; face_value: number }[];
    base_currency?: string;
    sales_by_currency?: { currency: string | null; purchases: number; sales: number; sales_in_base: number; refused_purchases: number; refused_sales: number }[];
  };
  /** The currency revenue is in (loyalty's base currency); absent from snapshots taken before purchases were converted. */
  base_currency?: string;
}

/** Loyalty's base currency and the rates other currencies convert at (the base itself at 1). */
export interface CurrencyRates { baseCurrency: string; rates: Record<string, number> }

export interface RefreshInput {
  tenantId: string;
  asOf: Date;
  timezone: string;
  liability: Snapshot['liability'];
  currency: CurrencyRates;
  /** Present for an incremental refresh: what the last refresh included and the model it keeps. */
  since?: { watermark: Date; asOf: Date; model: ModelReport | null };
}

/**
 * Rows a transaction still open when a refresh starts may commit later with a change time before the
 * refresh's: an incremental refresh looks back this far behind the last one. Everything it does is
 * idempotent (a customer or a day rebuilt again gives the same rows), so the overlap costs only time.
 */
export const WATERMARK_LAG_MS = 10 * 60_000;

// An incremental refresh finds what changed by these columns: customer_events.received_at,
// survey_responses.updated_at, cases.updated_at, case_activities.at, loyalty_accounts.updated_at,
// loyalty_referrals.created_at, loyalty_entries.created_at, customers.value_computed_at,
// inbox_conversations.updated_at, inbox_messages.created_at, listening_mentions.received_at. A refresh
// reads every one of them after the moment its watermark stands for, so one watermark serves them all.

/** The table of each two-table roll-up's dims 1 grouping (schema.ts). */
export const SECOND_GROUPING: Record<string, string> = {
  analytics_customer_groups: 'analytics_customer_groups_by_answer', analytics_customer_months: 'analytics_customer_months_by_answer',
  analytics_cohorts: 'analytics_cohorts_by_answer', analytics_experience: 'analytics_experience_by_store', analytics_drivers: 'analytics_drivers_by_store',
  analytics_messages: 'analytics_messages_by_customer', analytics_points: 'analytics_points_by_customer', analytics_member_months: 'analytics_member_months_by_customer',
};
/** The table holding a roll-up's grouping `dims`. */
export const rollup = (table: string, dims: 0 | 1) => (dims ? SECOND_GROUPING[table] : table);

/**
 * One GROUPING SETS select (its `dims` column says which grouping a row is in) written to a roll-up's
 * two tables in one statement, so the source rows are read once.
 */
function intoBoth(table: string, cols: string, select: string, conflict = '') {
  return `WITH grouped (${cols}) AS MATERIALIZED (${select}),
    first_grouping AS (INSERT INTO ${table} AS t (${cols}) SELECT ${cols} FROM grouped WHERE dims = 0 ${conflict})
    INSERT INTO ${SECOND_GROUPING[table]} AS t (${cols}) SELECT ${cols} FROM grouped WHERE dims = 1 ${conflict}`;
}

const ROLLUPS = ['analytics_customers', 'analytics_customer_groups', 'analytics_customer_months', 'analytics_cohorts', 'analytics_experience', 'analytics_drivers', 'analytics_conversations',
  'analytics_messages', 'analytics_cases', 'analytics_points', 'analytics_member_months', 'analytics_tier_moves', 'analytics_mentions', ...Object.values(SECOND_GROUPING)];

/**
 * After a full rebuild committed: the rewritten tables' dead rows are cleared and their pages marked
 * all-visible, so the dashboards' index scans read only live rows (and index-only scans work) at once
 * instead of after autovacuum (measured on 1,000,000 customers: a range of promoters read in 381 ms
 * right after a rebuild, in 198 ms on the vacuumed table). VACUUM runs outside a transaction.
 */
export async function vacuumRollups(db: pg.Pool) {
  await db.query(`VACUUM ${ROLLUPS.join(', ')}`);
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

/** The buckets one customer row (alias f) falls in, for analytics_customer_groups. */
export const GROUP_BUCKETS = `(VALUES ('segment', f.segment),
        ('recency', f.recency_score::text), ('frequency', f.frequency_score::text), ('monetary', f.monetary_score::text),
        ('clv', (ARRAY[${CLV_BANDS.join(', ')}])[width_bucket(f.clv, ARRAY[${CLV_BANDS.join(', ')}]::numeric[])]::text),
        ('churn_risk', CASE WHEN f.churn_risk IS NULL THEN NULL ELSE to_char(least(floor(f.churn_risk * 10), 9) / 10, 'FM0.0') END),
        ('satisfied_left', CASE WHEN f.is_satisfied AND f.has_left THEN 'yes' END),
        ('promoter', CASE WHEN f.last_nps >= 9 THEN CASE WHEN f.has_referred THEN 'referred' ELSE 'not_referred' END END),
        ('member', CASE WHEN f.is_member THEN f.tier END)
      ) g(kind, bucket)`;

/**
 * One row per purchase month of the customers selected by `where` (on analytics_customers f), with the
 * customer's dims, the next purchase month and whether two orders were reached by then.
 */
export const customerMonthsSql = (where: string) => `
  SELECT f.customer_id, f.store, f.segment, f.tier, f.channel, f.touchpoint, f.is_core, u.month, u.orders, u.revenue,
         coalesce(lead(u.month) OVER w, 'infinity'::date) AS next_month, sum(u.orders) OVER (w ROWS UNBOUNDED PRECEDING) >= 2 AS is_repeat
    FROM analytics_customers f CROSS JOIN LATERAL unnest(f.months, f.month_orders, f.month_revenue) u(month, orders, revenue)
   WHERE ${where}
  WINDOW w AS (PARTITION BY f.customer_id ORDER BY u.month)`;

/** Age in months of each purchase month of the selected customers after their cohort (first month). */
export const customerCohortsSql = (where: string) => `
  SELECT f.store, f.segment, f.tier, f.channel, f.touchpoint, f.cohort, f.has_left,
         ((extract(year FROM u.month) - extract(year FROM f.cohort)) * 12 + extract(month FROM u.month) - extract(month FROM f.cohort))::int AS age
    FROM analytics_customers f CROSS JOIN LATERAL unnest(f.months) u(month)
   WHERE f.cohort IS NOT NULL AND ${where}`;

// The two groupings of the customer roll-ups: dims 0 by store, segment and tier; dims 1 by channel,
// touchpoint, segment and tier. GROUPING(store) is 1 exactly in the second.
const customerSets = (keys: string) => `GROUPING SETS ((${keys}, store, segment, tier), (${keys}, channel, touchpoint, segment, tier))`;

/**
 * Adds (sign 1) or takes out (sign -1) the contributions of the customers selected by `where` to the
 * groups, months and cohorts roll-ups. A full refresh adds everyone's to empty tables; an incremental one
 * takes the changed customers' old rows out, rewrites those rows, and adds them back.
 */
async function applyCustomerContributions(q: Q, where: string, sign: 1 | -1) {
  const upsert = (key: string, cols: string[]) => `ON CONFLICT (${key}) DO UPDATE SET ${cols.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`;
  await q(intoBoth('analytics_customer_groups', 'tenant_id, dims, kind, bucket, store, segment, tier, channel, touchpoint, n', `
    SELECT $1, GROUPING(f.store)::smallint, g.kind, g.bucket, coalesce(f.store, ''), f.segment, f.tier, coalesce(f.channel, ''), coalesce(f.touchpoint, ''), ${sign} * count(*)
      FROM analytics_customers f CROSS JOIN LATERAL ${GROUP_BUCKETS}
     WHERE f.tenant_id = $1 AND g.bucket IS NOT NULL AND ${where}
     GROUP BY GROUPING SETS ((g.kind, g.bucket, f.store, f.segment, f.tier), (g.kind, g.bucket, f.channel, f.touchpoint, f.segment, f.tier))`, upsert('tenant_id, dims, kind, bucket, store, segment, tier, channel, touchpoint', ['n'])));
  await q(intoBoth('analytics_customer_months', 'tenant_id, dims, month, next_month, is_repeat, store, segment, tier, channel, touchpoint, customers, orders, revenue, core_revenue', `
    SELECT $1, GROUPING(store)::smallint, month, next_month, is_repeat, coalesce(store, ''), segment, tier, coalesce(channel, ''), coalesce(touchpoint, ''),
           ${sign} * count(*), ${sign} * sum(orders), ${sign} * sum(revenue), ${sign} * coalesce(sum(revenue) FILTER (WHERE is_core), 0)
      FROM (${customerMonthsSql(`f.tenant_id = $1 AND ${where}`)}) m
     GROUP BY ${customerSets('month, next_month, is_repeat')}`, upsert('tenant_id, dims, month, next_month, is_repeat, store, segment, tier, channel, touchpoint', ['customers', 'orders', 'revenue', 'core_revenue'])));
  await q(intoBoth('analytics_cohorts', 'tenant_id, dims, cohort, age, store, segment, tier, channel, touchpoint, customers, lapsed', `
    SELECT $1, GROUPING(store)::smallint, cohort, age, coalesce(store, ''), segment, tier, coalesce(channel, ''), coalesce(touchpoint, ''),
           ${sign} * count(*), ${sign} * count(*) FILTER (WHERE age = 0 AND has_left)
      FROM (${customerCohortsSql(`f.tenant_id = $1 AND ${where}`)}) c
     GROUP BY ${customerSets('cohort, age')}`, upsert('tenant_id, dims, cohort, age, store, segment, tier, channel, touchpoint', ['customers', 'lapsed'])));
  // Members' ledger months, chained by next month like customer months: dims 0 by tier; dims 1 also by
  // the member's segment, store, channel and touchpoint.
  await q(intoBoth('analytics_member_months', 'tenant_id, dims, month, next_month, tier, segment, store, channel, touchpoint, members', `
    SELECT $1, 1 - GROUPING(segment), month, next_month, tier, coalesce(segment, ''), coalesce(store, ''), coalesce(channel, ''), coalesce(touchpoint, ''), ${sign} * count(*)
      FROM (SELECT f.tier, f.segment, f.store, f.channel, f.touchpoint, u.month,
                   coalesce(lead(u.month) OVER (PARTITION BY f.customer_id ORDER BY u.month), 'infinity'::date) AS next_month
              FROM analytics_customers f CROSS JOIN LATERAL unnest(f.ledger_months) u(month) WHERE f.tenant_id = $1 AND ${where}) x
     GROUP BY GROUPING SETS ((month, next_month, tier), (month, next_month, tier, segment, store, channel, touchpoint))`,
  upsert('tenant_id, dims, month, next_month, tier, segment, store, channel, touchpoint', ['members'])));
}

type Q = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;

/**
 * A purchase event's columns in the ap_purchases work table (customer_id, occurred_at, amount, store,
 * month, currency, paid), from the event `e`. Revenue is summed in one currency, the loyalty programme's
 * base ($4), at the tenant's rates ($3, by currency): amount is the converted money, NULL for a currency
 * without a rate, whose purchase still counts as an order and whose money (paid, in its own currency) is
 * reported apart, never added. A purchase naming no currency is in the base one.
 */
const purchaseColumns = (e: string) => {
  const currency = `coalesce(${e}.properties->>'currency', $4::text)`;
  return `${e}.customer_id, ${e}.occurred_at, round((${e}.properties->>'amount')::numeric * ($3::jsonb->>${currency})::numeric, 2) AS amount,
          coalesce(${e}.properties->>'store_id', '') AS store, date_trunc('month', ${e}.occurred_at AT TIME ZONE 'UTC')::date AS month,
          ${currency} AS currency, (${e}.properties->>'amount')::numeric AS paid`;
};
const currencyParams = (c: CurrencyRates) => [JSON.stringify({ ...c.rates, [c.baseCurrency]: 1 }), c.baseCurrency];

/** The calibrated churn risk of the features cf.x, from the model in parameters $4 (intercept), $5 (coefficients), $6 and $7 (Platt's a and b). */
const riskSql = `1 / (1 + exp(-greatest(-50, least(50, $6::float8 * ($4::float8 + ${FEATURES.map((_, j) => `cf.x[${j + 1}] * ($5::float8[])[${j + 1}]`).join(' + ')}) + $7::float8))))`;

/**
 * Writes analytics_customers rows for the customers in ap_ids from ap_purchases and the feedback, case, referral and loyalty tables,
 * each purchaser scored by `model` on their features in ap_churn_features (writeChurnFeatures).
 */
async function writeCustomers(q: Q, tenantId: string, asOf: Date, model: ScoringModel | null, scoped: boolean) {
  const m = model ? [model.intercept, model.coefficients.map((c) => c.coefficient), model.calibration.a, model.calibration.b] : [0, FEATURES.map(() => 0), 1, 0];
  const only = (col: string) => (scoped ? `AND ${col} IN (SELECT customer_id FROM ap_ids)` : '');
  await q(`INSERT INTO analytics_customers (tenant_id, customer_id, cohort, first_purchase_at, last_purchase_at, orders, revenue, store, segment, tier, channel, touchpoint,
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
        FROM survey_responses
       WHERE tenant_id = $1 AND status = 'complete' AND score IS NOT NULL AND customer_id IS NOT NULL AND kind IN ('nps', 'csat') AND submitted_at <= $2 ${only('customer_id')}
       GROUP BY customer_id),
    cs AS (SELECT customer_id, count(*)::int AS n FROM cases WHERE tenant_id = $1 AND customer_id IS NOT NULL AND created_at <= $2 ${only('customer_id')} GROUP BY customer_id),
    rf AS (SELECT DISTINCT referrer_id AS customer_id FROM loyalty_referrals WHERE tenant_id = $1 ${only('referrer_id')}),
    acc AS (SELECT customer_id, tier, NOT is_closed AS is_member FROM loyalty_accounts WHERE tenant_id = $1 AND merged_into IS NULL ${only('customer_id')}),
    lm AS (SELECT customer_id, array_agg(month) AS months
             FROM (SELECT DISTINCT customer_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month
                     FROM loyalty_transactions WHERE tenant_id = $1 AND occurred_at <= $2 ${only('customer_id')}) x GROUP BY customer_id),
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
      LEFT JOIN customers c ON c.tenant_id = $1 AND c.id COLLATE "C" = ids.customer_id`, [tenantId, asOf, !!model, ...m]);
}

/**
 * A response's topics as the driver regression reads them, sorted and joined by '|': a topic named
 * with a complaint or with praise carries its polarity ("delivery:negative", "staff:positive"), so that
 * delivery blamed and delivery praised are two drivers; one named without an opinion stays bare.
 */
export function topicPatternSql(r: string): string {
  return `array_to_string(ARRAY(SELECT DISTINCT t || CASE ${r}.topic_sentiments->>t WHEN 'negative' THEN ':negative' WHEN 'positive' THEN ':positive' ELSE '' END
            FROM unnest(${r}.topics) t WHERE t <> '' ORDER BY 1), '|')`;
}

/**
 * The time-keyed roll-ups, each rebuilt for the periods a `scope` names: in a full refresh every period
 * (scope empty), in an incremental one the days, weeks or months whose source rows changed (temp tables
 * ap_response_periods, ap_conversation_days, ap_message_days, ap_case_days, ap_point_months,
 * ap_mention_days). The customer's dims come from analytics_customers as rewritten just before.
 */
async function writePeriodRollups(q: Q, tenantId: string, asOf: Date, timezone: string, scoped: boolean) {
  const inScope = (expr: string, table: string) => (scoped ? `AND ${expr} IN (SELECT period FROM ${table})` : '');
  const responses = `SELECT r.kind, r.score, r.submitted_at, coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,
           coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store, r.topics, r.topic_sentiments
      FROM survey_responses r LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = r.customer_id
     WHERE r.tenant_id = $1 AND r.status = 'complete' AND r.score IS NOT NULL AND r.kind IN ('nps', 'csat', 'ces') AND r.submitted_at <= $2
       ${scoped ? `AND r.submitted_at >= (SELECT min(period) FROM ap_response_periods)` : ''}`;
  const periodOf = (grain: string) => `date_trunc(${grain}, r.submitted_at AT TIME ZONE 'UTC')::date`;
  if (scoped) {
    for (const d of [0, 1] as const) {
      await q(`DELETE FROM ${rollup('analytics_experience', d)} e USING ap_response_periods p WHERE e.tenant_id = $1 AND e.grain = p.grain AND e.period = p.period`);
      await q(`DELETE FROM ${rollup('analytics_drivers', d)} x USING ap_response_periods p WHERE x.tenant_id = $1 AND p.grain = 'month' AND x.month = p.period`);
    }
  }
  // Two groupings: dims 0 by touchpoint, channel, segment and tier; dims 1 by touchpoint, channel and
  // store (GROUPING(segment) is 1 exactly there).
  await q(intoBoth('analytics_experience', 'tenant_id, dims, grain, period, kind, touchpoint, channel, segment, tier, store, n, promoters, detractors, satisfied, sum, sum_squares', `
    SELECT $1, GROUPING(segment), grain, period, kind, touchpoint, channel, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''), count(*),
           count(*) FILTER (WHERE kind = 'nps' AND score >= 9), count(*) FILTER (WHERE kind = 'nps' AND score <= 6),
           count(*) FILTER (WHERE kind = 'csat' AND score >= 4), sum(score), sum(score * score)
      FROM (SELECT g.grain, ${periodOf('g.grain')} AS period, r.* FROM (${responses}) r CROSS JOIN (VALUES ('week'), ('month')) g(grain)
             ${scoped ? `WHERE (g.grain, ${periodOf('g.grain')}) IN (SELECT grain, period FROM ap_response_periods)` : ''}) x
     GROUP BY GROUPING SETS ((grain, period, kind, touchpoint, channel, segment, tier), (grain, period, kind, touchpoint, channel, store))`, ''), [tenantId, asOf]);
  await q(intoBoth('analytics_drivers', 'tenant_id, dims, month, touchpoint, topics, channel, segment, tier, store, n, sum, sum_squares, promoters, detractors', `
    SELECT $1, GROUPING(segment), month, touchpoint, topics, channel, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''),
           count(*), sum(score), sum(score * score), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score <= 6)
      FROM (SELECT ${periodOf(`'month'`)} AS month, ${topicPatternSql('r')} AS topics,
                   r.touchpoint, r.channel, r.segment, r.tier, r.store, r.score
              FROM (${responses}) r WHERE r.kind = 'nps' ${scoped ? `AND ${periodOf(`'month'`)} IN (SELECT period FROM ap_response_periods WHERE grain = 'month')` : ''}) x
     GROUP BY GROUPING SETS ((month, touchpoint, topics, channel, segment, tier), (month, touchpoint, topics, channel, store))`, ''), [tenantId, asOf]);

  // First responses count on the day the conversation opened, resolutions on the day they happened. A
  // target counts once it is decided: met, or its due time has passed by the refresh.
  if (scoped) await q(`DELETE FROM analytics_conversations WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_conversation_days)`);
  await q(`INSERT INTO analytics_conversations (tenant_id, day, channel, segment, tier, store, opened, first_responses, first_response_seconds, first_response_targets, first_response_met,
             resolved, resolution_seconds, resolution_targets, resolution_met)
    SELECT $1, x.day, x.channel, coalesce(f.segment, ''), coalesce(f.tier, ''), coalesce(f.store, ''), sum(opened), sum(fr), sum(frs), sum(frt), sum(frm), sum(res), sum(ress), sum(rest), sum(resm)
      FROM (
        SELECT customer_id, (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(last_channel_kind, '') AS channel, 1 AS opened,
               (first_responded_at IS NOT NULL)::int AS fr, coalesce(extract(epoch FROM first_responded_at - created_at), 0) AS frs,
               (first_response_due_at IS NOT NULL AND (first_responded_at IS NOT NULL OR first_response_due_at <= $2))::int AS frt,
               coalesce(first_responded_at <= first_response_due_at, false)::int AS frm,
               0 AS res, 0 AS ress, 0 AS rest, 0 AS resm
          FROM inbox_conversations WHERE tenant_id = $1 AND merged_into IS NULL AND created_at <= $2 ${inScope(`(created_at AT TIME ZONE 'UTC')::date`, 'ap_conversation_days')}
        UNION ALL
        SELECT customer_id, (resolved_at AT TIME ZONE 'UTC')::date, coalesce(last_channel_kind, ''), 0, 0, 0, 0, 0,
               1, extract(epoch FROM resolved_at - created_at), (resolution_due_at IS NOT NULL)::int, coalesce(resolved_at <= resolution_due_at, false)::int
          FROM inbox_conversations WHERE tenant_id = $1 AND merged_into IS NULL AND resolved_at IS NOT NULL AND resolved_at <= $2 ${inScope(`(resolved_at AT TIME ZONE 'UTC')::date`, 'ap_conversation_days')}
      ) x LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = x.customer_id
     GROUP BY 2, 3, 4, 5, 6`, [tenantId, asOf]);

  const localDay = `(m.created_at AT TIME ZONE $3)::date`;
  if (scoped) for (const d of [0, 1] as const) await q(`DELETE FROM ${rollup('analytics_messages', d)} WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_message_days)`);
  // GROUPING(x) is 1 where x is not grouped: the narrow grouping is dims 0, the wide one dims 1.
  await q(intoBoth('analytics_messages', 'tenant_id, dims, day, hour, channel, direction, segment, tier, store, n', `
    SELECT $1, 1 - GROUPING(segment), day, hour, channel, direction, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''), count(*)
      FROM (SELECT ${localDay} AS day, extract(hour FROM m.created_at AT TIME ZONE $3)::int AS hour, coalesce(m.channel_kind, '') AS channel, m.direction,
                   coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store
              FROM inbox_messages m LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = m.customer_id
             WHERE m.tenant_id = $1 AND m.direction IN ('in', 'out') AND m.created_at <= $2 ${inScope(localDay, 'ap_message_days')}) x
     GROUP BY GROUPING SETS ((day, hour, channel, direction), (day, hour, channel, direction, segment, tier, store))`, ''), [tenantId, asOf, timezone]);

  // The channel a complaint came through: its conversation's, or the channel of the answer it came from.
  if (scoped) await q(`DELETE FROM analytics_cases WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_case_days)`);
  await q(`INSERT INTO analytics_cases (tenant_id, day, touchpoint, channel, segment, tier, store, opened, closed, told, agent_actions)
    SELECT $1, (c.created_at AT TIME ZONE 'UTC')::date, coalesce(c.touchpoint, ''), coalesce(cv.last_channel_kind, r.channel, ''),
           coalesce(f.segment, ''), coalesce(f.tier, ''), coalesce(f.store, ''), count(*),
           count(*) FILTER (WHERE c.status IN ('resolved', 'wont_fix')), count(*) FILTER (WHERE c.customer_told_at IS NOT NULL), coalesce(sum(a.n), 0)
      FROM cases c
      LEFT JOIN (SELECT case_id, count(*)::int AS n FROM case_activities WHERE tenant_id = $1 AND actor NOT LIKE 'system:%' GROUP BY case_id) a ON a.case_id = c.id
      LEFT JOIN inbox_conversations cv ON c.source_type = 'conversation' AND cv.tenant_id = $1 AND cv.id = c.source_id
      LEFT JOIN survey_responses r ON c.source_type = 'response' AND r.tenant_id = $1 AND r.id = c.source_id
      LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.customer_id
     WHERE c.tenant_id = $1 AND c.created_at <= $2 ${inScope(`(c.created_at AT TIME ZONE 'UTC')::date`, 'ap_case_days')}
     GROUP BY 2, 3, 4, 5, 6, 7`, [tenantId, asOf]);

  // The programme's side of the double entry: issued postings are negative, the others positive.
  const entryMonth = `date_trunc('month', e.created_at AT TIME ZONE 'UTC')::date`;
  if (scoped) for (const d of [0, 1] as const) await q(`DELETE FROM ${rollup('analytics_points', d)} WHERE tenant_id = $1 AND month IN (SELECT period FROM ap_point_months)`);
  await q(intoBoth('analytics_points', 'tenant_id, dims, month, account, tier, segment, store, channel, touchpoint, points', `
    SELECT $1, 1 - GROUPING(segment), month, account, tier, coalesce(segment, ''), coalesce(store, ''), coalesce(channel, ''), coalesce(touchpoint, ''), sum(points)
      FROM (SELECT ${entryMonth} AS month, e.account, coalesce(a.tier, '') AS tier, coalesce(f.segment, '') AS segment, coalesce(f.store, '') AS store,
                   coalesce(f.channel, '') AS channel, coalesce(f.touchpoint, '') AS touchpoint, CASE WHEN e.account = 'issued' THEN -e.amount ELSE e.amount END AS points
              FROM loyalty_entries e LEFT JOIN loyalty_accounts a ON a.tenant_id = $1 AND a.customer_id = e.customer_id
              LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = e.customer_id
             WHERE e.tenant_id = $1 AND e.account IN ('issued', 'redeemed', 'expired', 'reversed') AND e.created_at <= $2 ${inScope(entryMonth, 'ap_point_months')}) x
     GROUP BY GROUPING SETS ((month, account, tier), (month, account, tier, segment, store, channel, touchpoint))`, ''), [tenantId, asOf]);

  const mentionDay = `(published_at AT TIME ZONE 'UTC')::date`;
  if (scoped) await q(`DELETE FROM analytics_mentions WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_mention_days)`);
  await q(`INSERT INTO analytics_mentions (tenant_id, day, channel, angle, sentiment, n, reach)
    SELECT $1, day, channel, angle, sentiment, count(*), sum(reach) FROM (
      SELECT ${mentionDay} AS day, channel, '*' AS angle, sentiment, coalesce(reach, 0) AS reach
        FROM listening_mentions WHERE tenant_id = $1 AND published_at <= $2 ${inScope(mentionDay, 'ap_mention_days')}
      UNION ALL
      SELECT ${mentionDay}, m.channel, a.angle, m.sentiment, coalesce(m.reach, 0)
        FROM listening_mentions m CROSS JOIN LATERAL (SELECT DISTINCT x AS angle FROM jsonb_array_elements_text(m.angles) x) a
       WHERE m.tenant_id = $1 AND m.published_at <= $2 ${inScope(mentionDay, 'ap_mention_days')}
    ) x GROUP BY day, channel, angle, sentiment`, [tenantId, asOf]);
}

async function writeSnapshot(q: Q, liability: Snapshot['liability'], currency: CurrencyRates): Promise<Snapshot> {
  // Open conversations by channel and by the customer's dims, so the backlog follows every filter.
  const backlog = await q(`SELECT coalesce(c.last_channel_kind, '') AS channel, coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store,
            count(*)::int AS open
       FROM inbox_conversations c LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.customer_id
      WHERE c.tenant_id = $1 AND c.status <> 'resolved' AND c.merged_into IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  const tiers = await q(`SELECT coalesce(tier, '') AS tier, count(*)::int AS members FROM loyalty_accounts
     WHERE tenant_id = $1 AND merged_into IS NULL AND NOT is_closed GROUP BY 1 ORDER BY 1`);
  return { backlog: backlog.rows, members: tiers.rows.reduce((s, r) => s + r.members, 0), tiers: tiers.rows, liability, base_currency: currency.baseCurrency };
}

/** Rebuilds the tenant's roll-ups in `tx`, which holds the tenant's refresh lock (lockTenantRefresh). */
export async function refreshRollups(tx: pg.PoolClient, input: RefreshInput): Promise<{ model: ModelReport; snapshot: Snapshot; timings: Record<string, number>; watermark: Date; mode: 'full' | 'incremental'; changed: Record<string, number> }> {
  const { tenantId, asOf } = input;
  const timings: Record<string, number> = {};
  const q: Q = async (text, params = [tenantId]) => {
    const t0 = performance.now();
    const r = await tx.query(text, params);
    const name = (/INSERT INTO\s+\w+/.exec(text) ?? /(?:CREATE TEMP TABLE|UPDATE|DELETE FROM|SELECT|ANALYZE)\s+(\w+)?/.exec(text))?.[0] ?? 'query';
    timings[name] = Math.round((timings[name] ?? 0) + performance.now() - t0);
    return r;
  };
  // The next refresh reads what changed after this one began (less the lag for transactions in flight).
  // The database's clock, not the product's: rows are stamped with it (created_at DEFAULT now()), and
  // the watermark is compared with those stamps only.
  const { rows: [{ began }] } = await q(`SELECT now() AS began`, []);
  const watermark = new Date((began as Date).getTime() - WATERMARK_LAG_MS);
  if (input.since) return refreshIncremental(tx, q, input, input.since, timings, watermark);

  // One scan of the timeline for the two event types the roll-ups need, written to two work tables.
  await q(`CREATE TEMP TABLE ap_purchases (customer_id text COLLATE "C", occurred_at timestamptz, amount numeric, store text, month date, currency text, paid numeric) ON COMMIT DROP`, []);
  await q(`CREATE TEMP TABLE ap_tier_changes (event_id text COLLATE "C", customer_id text COLLATE "C", occurred_at timestamptz, from_tier text, to_tier text) ON COMMIT DROP`, []);
  // The statement's row count is the purchases written (the tier changes are its CTE's).
  const { rowCount: purchases } = await q(`WITH scan AS MATERIALIZED (
      SELECT id, type, customer_id, occurred_at, properties FROM customer_events
       WHERE tenant_id = $1 AND type IN ('purchase', 'loyalty.tier.changed') AND customer_id IS NOT NULL AND occurred_at <= $2),
    tiers AS (INSERT INTO ap_tier_changes SELECT id, customer_id, occurred_at, coalesce(properties->>'from', ''), coalesce(properties->>'to', '') FROM scan WHERE type = 'loyalty.tier.changed')
    INSERT INTO ap_purchases
    SELECT ${purchaseColumns('scan')} FROM scan WHERE type = 'purchase'`, [tenantId, asOf, ...currencyParams(input.currency)]);
  await q(`ANALYZE ap_purchases`, []);

  const t0 = performance.now();
  const { report, model } = await trainChurnModel(tx, tenantId, asOf, purchases ?? 0);
  timings['churn model'] = Math.round(performance.now() - t0);

  for (const t of ROLLUPS) await q(`DELETE FROM ${t} WHERE tenant_id = $1`);
  const f0 = performance.now();
  await writeChurnFeatures(tx, tenantId, asOf, () => 'true');
  timings['churn features'] = Math.round(performance.now() - f0);
  await writeCustomers(q, tenantId, asOf, model, false);
  // Statistics of the rows this transaction wrote, so the joins below are planned on them.
  await q(`ANALYZE analytics_customers`, []);
  await applyCustomerContributions(q, 'true', 1);
  await writePeriodRollups(q, tenantId, asOf, input.timezone, false);
  await q(`INSERT INTO analytics_tier_moves (tenant_id, event_id, customer_id, month, from_tier, to_tier)
    SELECT $1, event_id, customer_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, from_tier, to_tier FROM ap_tier_changes`);

  // The roll-ups were rewritten wholesale: fresh statistics keep the dashboards' plans right.
  for (const t of ROLLUPS.filter((x) => x !== 'analytics_customers')) await q(`ANALYZE ${t}`, []);
  const snapshot = await writeSnapshot(q, input.liability, input.currency);
  return { model: report, snapshot, timings, watermark, mode: 'full', changed: {} };
}

/**
 * Refreshes only what changed since the last refresh: the customers whose row would read differently
 * (new purchases, answers, cases, referrals, loyalty account changes, a new value score, or crossing the
 * lapse line) are taken out of the customer roll-ups, rewritten and put back; the days, weeks and months
 * with changed answers, conversations, messages, cases, ledger entries or mentions are rebuilt. The churn
 * model of the last full refresh scores the rewritten customers; the others keep their score until the
 * next full refresh (daily), which also retrains the model and regroups old periods by current dims.
 */
async function refreshIncremental(tx: pg.PoolClient, q: Q, input: RefreshInput, since: NonNullable<RefreshInput['since']>, timings: Record<string, number>, watermark: Date) {
  const { tenantId, asOf } = input;
  const w = since.watermark;
  const lapse = `interval '${LAPSE_DAYS} days'`;
  await q(`CREATE TEMP TABLE ap_ids (customer_id text COLLATE "C" PRIMARY KEY) ON COMMIT DROP`, []);
  // The table starts empty and ON CONFLICT skips duplicates, so the rows inserted are the customers changed.
  const { rowCount: customers } = await q(`INSERT INTO ap_ids
    SELECT customer_id FROM customer_events WHERE tenant_id = $1 AND type = 'purchase' AND received_at > $2 AND customer_id IS NOT NULL
    UNION SELECT customer_id FROM survey_responses WHERE tenant_id = $1 AND updated_at > $2 AND customer_id IS NOT NULL
    UNION SELECT customer_id FROM cases WHERE tenant_id = $1 AND updated_at > $2 AND customer_id IS NOT NULL
    UNION SELECT referrer_id FROM loyalty_referrals WHERE tenant_id = $1 AND created_at > $2
    UNION SELECT customer_id FROM loyalty_accounts WHERE tenant_id = $1 AND updated_at > $2
    UNION SELECT f.customer_id FROM customers c JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.id COLLATE "C"
           WHERE c.tenant_id = $1 AND c.value_computed_at > $2
             AND (c.recency_score, c.frequency_score, c.monetary_score, c.clv, c.is_core) IS DISTINCT FROM (f.recency_score, f.frequency_score, f.monetary_score, f.clv, f.is_core)
    UNION SELECT customer_id FROM analytics_customers WHERE tenant_id = $1 AND last_purchase_at > $3::timestamptz - ${lapse} AND last_purchase_at <= $4::timestamptz - ${lapse}
    ON CONFLICT DO NOTHING`, [tenantId, w, since.asOf, asOf]);
  await q(`ANALYZE ap_ids`, []);

  // The changed customers' purchases, read through the timeline index (tenant, customer, time).
  await q(`CREATE TEMP TABLE ap_purchases ON COMMIT DROP AS
    SELECT ${purchaseColumns('e')}
      FROM ap_ids i JOIN customer_events e ON e.tenant_id = $1 AND e.customer_id = i.customer_id AND e.type = 'purchase' AND e.occurred_at <= $2`, [tenantId, asOf, ...currencyParams(input.currency)]);
  const scope = `f.customer_id IN (SELECT customer_id FROM ap_ids)`;
  await applyCustomerContributions(q, scope, -1);
  await q(`DELETE FROM analytics_customers f WHERE f.tenant_id = $1 AND ${scope}`);
  await writeChurnFeatures(tx, tenantId, asOf, (col) => `${col} IN (SELECT customer_id FROM ap_ids)`);
  await writeCustomers(q, tenantId, asOf, isScoringModel(since.model) ? since.model : null, true);
  await applyCustomerContributions(q, scope, 1);
  for (const [t, n] of [['analytics_customer_groups', 'n'], ['analytics_customer_months', 'customers'], ['analytics_cohorts', 'customers'], ['analytics_member_months', 'members']]) {
    for (const d of [0, 1] as const) await q(`DELETE FROM ${rollup(t, d)} WHERE tenant_id = $1 AND ${n} = 0`);
  }

  // The periods whose source rows changed, each select distinct (DISTINCT or UNION), so the rows
  // CREATE TABLE AS reports writing are the periods.
  const periods = async (table: string, sql: string, params: unknown[]) => (await q(`CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${sql}`, params)).rowCount ?? 0;
  const changed: Record<string, number> = { customers: customers ?? 0 };
  changed.response_periods = await periods('ap_response_periods', `SELECT DISTINCT g.grain, date_trunc(g.grain, submitted_at AT TIME ZONE 'UTC')::date AS period
      FROM survey_responses CROSS JOIN (VALUES ('week'), ('month')) g(grain) WHERE tenant_id = $1 AND updated_at > $2 AND submitted_at IS NOT NULL`, [tenantId, w]);
  // A first-response target also becomes decided when its due time passes, with no write to the row.
  changed.conversation_days = await periods('ap_conversation_days', `SELECT (created_at AT TIME ZONE 'UTC')::date AS period FROM inbox_conversations WHERE tenant_id = $1 AND updated_at > $2
      UNION SELECT (resolved_at AT TIME ZONE 'UTC')::date FROM inbox_conversations WHERE tenant_id = $1 AND updated_at > $2 AND resolved_at IS NOT NULL
      UNION SELECT (created_at AT TIME ZONE 'UTC')::date FROM inbox_conversations
             WHERE tenant_id = $1 AND first_responded_at IS NULL AND first_response_due_at > $3 AND first_response_due_at <= $4`, [tenantId, w, since.asOf, asOf]);
  changed.message_days = await periods('ap_message_days', `SELECT DISTINCT (created_at AT TIME ZONE $3)::date AS period FROM inbox_messages WHERE tenant_id = $1 AND created_at > $2`, [tenantId, w, input.timezone]);
  changed.case_days = await periods('ap_case_days', `SELECT (created_at AT TIME ZONE 'UTC')::date AS period FROM cases WHERE tenant_id = $1 AND updated_at > $2
      UNION SELECT (c.created_at AT TIME ZONE 'UTC')::date FROM case_activities a JOIN cases c ON c.tenant_id = $1 AND c.id = a.case_id WHERE a.tenant_id = $1 AND a.at > $2`, [tenantId, w]);
  changed.point_months = await periods('ap_point_months', `SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS period FROM loyalty_entries WHERE tenant_id = $1 AND created_at > $2`, [tenantId, w]);
  changed.mention_days = await periods('ap_mention_days', `SELECT DISTINCT (published_at AT TIME ZONE 'UTC')::date AS period FROM listening_mentions WHERE tenant_id = $1 AND received_at > $2`, [tenantId, w]);
  await writePeriodRollups(q, tenantId, asOf, input.timezone, true);
  // Tier changes of the accounts that changed, found through the timeline index; each event once.
  await q(`INSERT INTO analytics_tier_moves (tenant_id, event_id, customer_id, month, from_tier, to_tier)
    SELECT $1, e.id, e.customer_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC')::date, coalesce(e.properties->>'from', ''), coalesce(e.properties->>'to', '')
      FROM loyalty_accounts a JOIN customer_events e ON e.tenant_id = $1 AND e.customer_id = a.customer_id AND e.type = 'loyalty.tier.changed' AND e.occurred_at <= $3
     WHERE a.tenant_id = $1 AND a.updated_at > $2 AND e.received_at > $2
    ON CONFLICT DO NOTHING`, [tenantId, w, asOf]);
  const snapshot = await writeSnapshot(q, input.liability, input.currency);
  return { model: since.model ?? { status: 'insufficient_history' as const, version: 0, features: FEATURES, label: '' }, snapshot, timings, watermark, mode: 'incremental' as const, changed };
}
