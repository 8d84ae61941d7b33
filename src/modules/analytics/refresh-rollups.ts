// The roll-up refresh: one transaction per tenant that rebuilds every analytics table from the other
// modules' tables with set-based SQL. It reads those tables directly, and only here: a refresh over
// twenty million events must be a few scans and hash joins inside PostgreSQL, which no door returning
// rows to Node could match. The refresh is the only code that knows their columns; the dashboards read
// analytics' own tables. Readers see the previous roll-ups until the transaction commits.
import type pg from 'pg';
import { FEATURES, fitLogistic, predict, auc, type ChurnModel, type Example } from './churn-model.js';

/** A customer whose last purchase is older than this has left (lapsed). */
export const LAPSE_DAYS = 90;
const SAMPLE = 20_000;
/** Lower edges of the CLV bands. */
export const CLV_BANDS = [0, 100, 250, 500, 1000, 2500, 5000, 10000];
const DAY_MS = 86_400_000;

export interface Snapshot {
  backlog: { channel: string; open: number }[];
  members: number;
  tiers: { tier: string; members: number }[];
  liability: null | { points_outstanding: number; outstanding_liability: number; breakage_recognised: number; cost_per_member: number; value_per_point: number };
}

export interface ModelReport {
  status: 'trained' | 'insufficient_history';
  reason?: string;
  features: readonly string[];
  intercept?: number;
  coefficients?: ChurnModel['coefficients'];
  trained_on?: number;
  trained_positives?: number;
  training_cutoff?: string;
  holdout_cutoff?: string;
  holdout_size?: number;
  auc?: number | null;
  label: string;
}

export interface RefreshInput {
  tenantId: string;
  asOf: Date;
  timezone: string;
  liability: Snapshot['liability'];
}

/**
 * Features of the customers in hash bucket 0 of $3 who had bought by cutoff $2, and whether they bought again in the LAPSE_DAYS
 * after it: months since the last purchase, log(1 + orders), the last NPS answer before the cutoff as
 * detractor (0-6) or promoter (9-10), and cases opened about them (capped at 5).
 */
const featureSql = `
  WITH p AS (
    SELECT customer_id,
           extract(epoch FROM $2::timestamptz - max(occurred_at) FILTER (WHERE occurred_at <= $2::timestamptz)) / 2629746.0 AS months,
           ln(1 + count(*) FILTER (WHERE occurred_at <= $2::timestamptz)) AS log_orders,
           NOT coalesce(bool_or(occurred_at > $2::timestamptz AND occurred_at <= $2::timestamptz + interval '${LAPSE_DAYS} days'), false) AS churned
      FROM ap_purchases WHERE abs(hashtext(customer_id)) % $3 = 0 GROUP BY customer_id HAVING min(occurred_at) <= $2::timestamptz),
  n AS (
    SELECT customer_id, (array_agg(score ORDER BY submitted_at DESC))[1] AS nps
      FROM survey_responses
     WHERE tenant_id = $1 AND kind = 'nps' AND status = 'complete' AND score IS NOT NULL AND customer_id IS NOT NULL AND submitted_at <= $2::timestamptz
       AND abs(hashtext(customer_id)) % $3 = 0
     GROUP BY customer_id),
  c AS (
    SELECT customer_id, count(*) AS n FROM cases
     WHERE tenant_id = $1 AND customer_id IS NOT NULL AND created_at <= $2::timestamptz AND abs(hashtext(customer_id)) % $3 = 0 GROUP BY customer_id)
  SELECT p.customer_id, p.months::float8 AS months, p.log_orders::float8 AS log_orders,
         (coalesce(n.nps, 7) <= 6)::int AS detractor, (coalesce(n.nps, 0) >= 9)::int AS promoter,
         least(coalesce(c.n, 0), 5)::int AS complaints, p.churned
    FROM p LEFT JOIN n ON n.customer_id = p.customer_id LEFT JOIN c ON c.customer_id = p.customer_id`;

async function sampleAt(tx: pg.PoolClient, tenantId: string, cutoff: Date, buckets: number): Promise<Example[]> {
  const { rows } = await tx.query(`SELECT * FROM (${featureSql}) f ORDER BY md5(customer_id) LIMIT ${SAMPLE}`, [tenantId, cutoff, buckets]);
  return rows.map((r) => ({ x: [r.months, r.log_orders, r.detractor, r.promoter, r.complaints], y: r.churned ? 1 : 0 }));
}

/**
 * Trained on where customers stood LAPSE_DAYS x 2 before the refresh and who of them left in the
 * following LAPSE_DAYS; its AUC measured on a later, held-out period (LAPSE_DAYS before the refresh,
 * labels from the last LAPSE_DAYS), so the figure is what the model does on customers it never saw.
 */
async function trainChurnModel(tx: pg.PoolClient, tenantId: string, asOf: Date): Promise<{ report: ModelReport; model: ChurnModel | null }> {
  const label = `no purchase within ${LAPSE_DAYS} days after the cutoff`;
  const trainCutoff = new Date(asOf.getTime() - 2 * LAPSE_DAYS * DAY_MS);
  const holdoutCutoff = new Date(asOf.getTime() - LAPSE_DAYS * DAY_MS);
  // A big tenant's sample is drawn from a fixed hash bucket of its customers (about ten samples' worth),
  // so the features are aggregated for those customers only.
  const { rows: [{ n }] } = await tx.query('SELECT count(*)::int AS n FROM ap_purchases');
  const buckets = Math.max(1, Math.floor(n / (SAMPLE * 10)));
  const train = await sampleAt(tx, tenantId, trainCutoff, buckets);
  const positives = train.filter((e) => e.y === 1).length;
  if (positives < 5 || train.length - positives < 5) {
    return { model: null, report: { status: 'insufficient_history', reason: `needs at least 5 customers who left and 5 who stayed after ${trainCutoff.toISOString().slice(0, 10)}; found ${positives} and ${train.length - positives}`, features: FEATURES, label } };
  }
  const model = fitLogistic(train)!;
  const holdout = await sampleAt(tx, tenantId, holdoutCutoff, buckets);
  const score = holdout.length ? auc(holdout.map((e) => predict(model, e.x)), holdout.map((e) => e.y)) : null;
  return {
    model,
    report: {
      status: 'trained', features: FEATURES, label, intercept: model.intercept, coefficients: model.coefficients, trained_on: model.trained_on,
      trained_positives: model.positives, training_cutoff: trainCutoff.toISOString(), holdout_cutoff: holdoutCutoff.toISOString(), holdout_size: holdout.length, auc: score,
    },
  };
}

const ROLLUPS = ['analytics_customers', 'analytics_customer_groups', 'analytics_customer_months', 'analytics_cohorts', 'analytics_experience', 'analytics_drivers', 'analytics_conversations',
  'analytics_messages', 'analytics_cases', 'analytics_points', 'analytics_member_months', 'analytics_tier_moves', 'analytics_mentions'];

const segmentSql = `CASE
    WHEN p.orders IS NULL THEN 'prospect'
    WHEN c.recency_score IS NULL OR c.frequency_score IS NULL THEN 'unscored'
    WHEN c.recency_score >= 4 AND c.frequency_score >= 4 THEN 'champions'
    WHEN c.recency_score >= 3 AND c.frequency_score >= 3 THEN 'loyal'
    WHEN c.recency_score >= 4 THEN 'new'
    WHEN c.recency_score <= 2 AND c.frequency_score >= 3 THEN 'at_risk'
    WHEN c.recency_score <= 2 THEN 'lost'
    ELSE 'potential' END`;

export async function refreshRollups(tx: pg.PoolClient, input: RefreshInput): Promise<{ model: ModelReport; snapshot: Snapshot; timings: Record<string, number> }> {
  const { tenantId, asOf } = input;
  const timings: Record<string, number> = {};
  const q = async (text: string, params: unknown[] = [tenantId]) => {
    const t0 = performance.now();
    const r = await tx.query(text, params);
    const name = /(?:INSERT INTO|CREATE TEMP TABLE|UPDATE|DELETE FROM|SELECT|ANALYZE)\s+(\w+)?/.exec(text)?.[0] ?? 'query';
    timings[name] = Math.round((timings[name] ?? 0) + performance.now() - t0);
    return r;
  };
  await q(`SELECT pg_advisory_xact_lock(hashtext('analytics-refresh:' || $1))`);

  // One scan of the timeline for the two event types the roll-ups need, written to two work tables.
  await q(`CREATE TEMP TABLE ap_purchases (customer_id text COLLATE "C", occurred_at timestamptz, amount numeric, store text, month date) ON COMMIT DROP`, []);
  await q(`CREATE TEMP TABLE ap_tier_changes (occurred_at timestamptz, from_tier text, to_tier text) ON COMMIT DROP`, []);
  await q(`WITH scan AS MATERIALIZED (
      SELECT type, customer_id, occurred_at, properties FROM customer_events
       WHERE tenant_id = $1 AND type IN ('purchase', 'loyalty.tier.changed') AND customer_id IS NOT NULL AND occurred_at <= $2),
    tiers AS (INSERT INTO ap_tier_changes SELECT occurred_at, coalesce(properties->>'from', ''), coalesce(properties->>'to', '') FROM scan WHERE type = 'loyalty.tier.changed')
    INSERT INTO ap_purchases
    SELECT customer_id, occurred_at, (properties->>'amount')::numeric, coalesce(properties->>'store_id', ''), date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date
      FROM scan WHERE type = 'purchase'`, [tenantId, asOf]);
  await q(`ANALYZE ap_purchases`, []);

  const t0 = performance.now();
  const { report, model } = await trainChurnModel(tx, tenantId, asOf);
  timings['churn model'] = Math.round(performance.now() - t0);
  const m = model ? [model.intercept, ...model.coefficients.map((c) => c.coefficient)] : [0, 0, 0, 0, 0, 0];

  for (const t of ROLLUPS) await q(`DELETE FROM ${t} WHERE tenant_id = $1`);

  await q(`INSERT INTO analytics_customers (tenant_id, customer_id, cohort, first_purchase_at, last_purchase_at, orders, revenue, store, segment, tier, is_core, clv,
             recency_score, frequency_score, monetary_score, last_nps, last_csat, complaints, has_referred, is_satisfied, has_left, churn_risk)
    WITH p AS (
      SELECT customer_id, min(occurred_at) AS first_at, max(occurred_at) AS last_at, count(*)::int AS orders, sum(amount) AS revenue,
             (array_agg(store ORDER BY occurred_at, store))[1] AS store
        FROM ap_purchases GROUP BY customer_id),
    fb AS (
      SELECT customer_id, (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'nps'))[1] AS nps,
             (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'csat'))[1] AS csat
        FROM survey_responses
       WHERE tenant_id = $1 AND status = 'complete' AND score IS NOT NULL AND customer_id IS NOT NULL AND kind IN ('nps', 'csat') AND submitted_at <= $2
       GROUP BY customer_id),
    cs AS (SELECT customer_id, count(*)::int AS n FROM cases WHERE tenant_id = $1 AND customer_id IS NOT NULL AND created_at <= $2 GROUP BY customer_id),
    rf AS (SELECT DISTINCT referrer_id AS customer_id FROM loyalty_referrals WHERE tenant_id = $1),
    acc AS (SELECT customer_id, tier FROM loyalty_accounts WHERE tenant_id = $1 AND merged_into IS NULL AND tier IS NOT NULL),
    ids AS (SELECT customer_id FROM p UNION SELECT customer_id FROM fb)
    SELECT $1, ids.customer_id, date_trunc('month', p.first_at AT TIME ZONE 'UTC')::date, p.first_at, p.last_at, coalesce(p.orders, 0), coalesce(p.revenue, 0),
           coalesce(p.store, ''), ${segmentSql}, coalesce(acc.tier, ''), coalesce(c.is_core, false), c.clv, c.recency_score, c.frequency_score, c.monetary_score,
           fb.nps, fb.csat, coalesce(cs.n, 0), rf.customer_id IS NOT NULL,
           coalesce(fb.nps >= 9 OR (fb.nps IS NULL AND fb.csat >= 4), false),
           coalesce(p.last_at < $2::timestamptz - interval '${LAPSE_DAYS} days', false),
           -- The model's features as of the refresh, as featureSql computes them at a cutoff.
           CASE WHEN $3::boolean AND p.customer_id IS NOT NULL THEN
             1 / (1 + exp(-greatest(-50, least(50, $4::float8 + $5::float8 * extract(epoch FROM $2::timestamptz - p.last_at) / 2629746.0 + $6::float8 * ln(1 + p.orders)
               + $7::float8 * (coalesce(fb.nps, 7) <= 6)::int + $8::float8 * (coalesce(fb.nps, 0) >= 9)::int + $9::float8 * least(coalesce(cs.n, 0), 5))))) END
      FROM ids
      LEFT JOIN p ON p.customer_id = ids.customer_id
      LEFT JOIN fb ON fb.customer_id = ids.customer_id
      LEFT JOIN cs ON cs.customer_id = ids.customer_id
      LEFT JOIN rf ON rf.customer_id = ids.customer_id
      LEFT JOIN acc ON acc.customer_id = ids.customer_id
      LEFT JOIN customers c ON c.tenant_id = $1 AND c.id COLLATE "C" = ids.customer_id`, [tenantId, asOf, !!model, ...m]);

  // Statistics of the rows this transaction wrote, so the joins below are planned on them.
  await q(`ANALYZE analytics_customers`, []);
  await q(`INSERT INTO analytics_customer_groups (tenant_id, kind, bucket, store, segment, tier, n)
    SELECT $1, g.kind, g.bucket, f.store, f.segment, f.tier, count(*)
      FROM analytics_customers f CROSS JOIN LATERAL (VALUES ('segment', f.segment),
        ('recency', f.recency_score::text), ('frequency', f.frequency_score::text), ('monetary', f.monetary_score::text),
        ('clv', (ARRAY[${CLV_BANDS.join(', ')}])[width_bucket(f.clv, ARRAY[${CLV_BANDS.join(', ')}]::numeric[])]::text),
        ('churn_risk', CASE WHEN f.churn_risk IS NULL THEN NULL ELSE to_char(least(floor(f.churn_risk * 10), 9) / 10, 'FM0.0') END),
        ('satisfied_left', CASE WHEN f.is_satisfied AND f.has_left THEN 'yes' END),
        ('promoter', CASE WHEN f.last_nps >= 9 THEN CASE WHEN f.has_referred THEN 'referred' ELSE 'not_referred' END END)
      ) g(kind, bucket)
     WHERE f.tenant_id = $1 AND g.bucket IS NOT NULL
     GROUP BY g.kind, g.bucket, f.store, f.segment, f.tier`);

  await q(`CREATE TEMP TABLE ap_months ON COMMIT DROP AS
    WITH m AS (SELECT customer_id, month, count(*)::int AS orders, sum(amount) AS revenue FROM ap_purchases GROUP BY customer_id, month)
    SELECT customer_id, month, orders, revenue,
           coalesce(lead(month) OVER w, 'infinity'::date) AS next_month,
           sum(orders) OVER (w ROWS UNBOUNDED PRECEDING) >= 2 AS is_repeat
      FROM m WINDOW w AS (PARTITION BY customer_id ORDER BY month)`, []);

  await q(`ANALYZE ap_months`, []);
  await q(`INSERT INTO analytics_customer_months (tenant_id, month, next_month, is_repeat, store, segment, tier, customers, orders, revenue, core_revenue)
    SELECT $1, m.month, m.next_month, m.is_repeat, f.store, f.segment, f.tier, count(*), sum(m.orders), sum(m.revenue), coalesce(sum(m.revenue) FILTER (WHERE f.is_core), 0)
      FROM ap_months m JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = m.customer_id
     GROUP BY m.month, m.next_month, m.is_repeat, f.store, f.segment, f.tier`);

  await q(`INSERT INTO analytics_cohorts (tenant_id, cohort, age, store, segment, tier, customers)
    SELECT $1, f.cohort, ((extract(year FROM m.month) - extract(year FROM f.cohort)) * 12 + extract(month FROM m.month) - extract(month FROM f.cohort))::int,
           f.store, f.segment, f.tier, count(*)
      FROM ap_months m JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = m.customer_id
     GROUP BY 2, 3, 4, 5, 6`);
  await q(`UPDATE analytics_cohorts c SET lapsed = x.n
      FROM (SELECT cohort, store, segment, tier, count(*)::int AS n FROM analytics_customers WHERE tenant_id = $1 AND has_left GROUP BY 1, 2, 3, 4) x
     WHERE c.tenant_id = $1 AND c.age = 0 AND c.cohort = x.cohort AND c.store = x.store AND c.segment = x.segment AND c.tier = x.tier`);

  const responses = `SELECT r.kind, r.score, r.submitted_at, coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,
           coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, r.topics
      FROM survey_responses r LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = r.customer_id
     WHERE r.tenant_id = $1 AND r.status = 'complete' AND r.score IS NOT NULL AND r.kind IN ('nps', 'csat', 'ces') AND r.submitted_at <= $2`;
  await q(`INSERT INTO analytics_experience (tenant_id, grain, period, kind, touchpoint, channel, segment, tier, n, promoters, detractors, satisfied, sum, sum_squares)
    SELECT $1, g.grain, date_trunc(g.grain, r.submitted_at AT TIME ZONE 'UTC')::date, r.kind, r.touchpoint, r.channel, r.segment, r.tier, count(*),
           count(*) FILTER (WHERE r.kind = 'nps' AND r.score >= 9), count(*) FILTER (WHERE r.kind = 'nps' AND r.score <= 6),
           count(*) FILTER (WHERE r.kind = 'csat' AND r.score >= 4), sum(r.score), sum(r.score * r.score)
      FROM (${responses}) r CROSS JOIN (VALUES ('week'), ('month')) g(grain)
     GROUP BY g.grain, 3, r.kind, r.touchpoint, r.channel, r.segment, r.tier`, [tenantId, asOf]);
  await q(`INSERT INTO analytics_drivers (tenant_id, month, touchpoint, topics, channel, segment, tier, n, sum, sum_squares, promoters, detractors)
    SELECT $1, date_trunc('month', r.submitted_at AT TIME ZONE 'UTC')::date, r.touchpoint,
           array_to_string(ARRAY(SELECT DISTINCT t FROM unnest(r.topics) t WHERE t <> '' ORDER BY 1), '|'), r.channel, r.segment, r.tier,
           count(*), sum(r.score), sum(r.score * r.score), count(*) FILTER (WHERE r.score >= 9), count(*) FILTER (WHERE r.score <= 6)
      FROM (${responses}) r WHERE r.kind = 'nps'
     GROUP BY 2, 3, 4, 5, 6, 7`, [tenantId, asOf]);

  // First responses count on the day the conversation opened, resolutions on the day they happened. A
  // target counts once it is decided: met, or its due time has passed by the refresh.
  await q(`INSERT INTO analytics_conversations (tenant_id, day, channel, opened, first_responses, first_response_seconds, first_response_targets, first_response_met,
             resolved, resolution_seconds, resolution_targets, resolution_met)
    SELECT $1, day, channel, sum(opened), sum(fr), sum(frs), sum(frt), sum(frm), sum(res), sum(ress), sum(rest), sum(resm)
      FROM (
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(last_channel_kind, '') AS channel, 1 AS opened,
               (first_responded_at IS NOT NULL)::int AS fr, coalesce(extract(epoch FROM first_responded_at - created_at), 0) AS frs,
               (first_response_due_at IS NOT NULL AND (first_responded_at IS NOT NULL OR first_response_due_at <= $2))::int AS frt,
               coalesce(first_responded_at <= first_response_due_at, false)::int AS frm,
               0 AS res, 0 AS ress, 0 AS rest, 0 AS resm
          FROM inbox_conversations WHERE tenant_id = $1 AND merged_into IS NULL AND created_at <= $2
        UNION ALL
        SELECT (resolved_at AT TIME ZONE 'UTC')::date, coalesce(last_channel_kind, ''), 0, 0, 0, 0, 0,
               1, extract(epoch FROM resolved_at - created_at), (resolution_due_at IS NOT NULL)::int, coalesce(resolved_at <= resolution_due_at, false)::int
          FROM inbox_conversations WHERE tenant_id = $1 AND merged_into IS NULL AND resolved_at IS NOT NULL AND resolved_at <= $2
      ) x GROUP BY day, channel`, [tenantId, asOf]);
  await q(`INSERT INTO analytics_messages (tenant_id, day, hour, channel, direction, n)
    SELECT $1, (created_at AT TIME ZONE $3)::date, extract(hour FROM created_at AT TIME ZONE $3)::int, coalesce(channel_kind, ''), direction, count(*)
      FROM inbox_messages WHERE tenant_id = $1 AND direction IN ('in', 'out') AND created_at <= $2
     GROUP BY 2, 3, 4, 5`, [tenantId, asOf, input.timezone]);

  await q(`INSERT INTO analytics_cases (tenant_id, day, touchpoint, opened, closed, told, agent_actions)
    SELECT $1, (c.created_at AT TIME ZONE 'UTC')::date, coalesce(c.touchpoint, ''), count(*),
           count(*) FILTER (WHERE c.status IN ('resolved', 'wont_fix')), count(*) FILTER (WHERE c.customer_told_at IS NOT NULL), coalesce(sum(a.n), 0)
      FROM cases c
      LEFT JOIN (SELECT case_id, count(*)::int AS n FROM case_activities WHERE tenant_id = $1 AND actor NOT LIKE 'system:%' GROUP BY case_id) a ON a.case_id = c.id
     WHERE c.tenant_id = $1 AND c.created_at <= $2
     GROUP BY 2, 3`, [tenantId, asOf]);

  // The programme's side of the double entry: issued postings are negative, the others positive.
  await q(`INSERT INTO analytics_points (tenant_id, month, account, tier, points)
    SELECT $1, date_trunc('month', e.created_at AT TIME ZONE 'UTC')::date, e.account, coalesce(a.tier, ''),
           sum(CASE WHEN e.account = 'issued' THEN -e.amount ELSE e.amount END)
      FROM loyalty_entries e LEFT JOIN loyalty_accounts a ON a.tenant_id = $1 AND a.customer_id = e.customer_id
     WHERE e.tenant_id = $1 AND e.account IN ('issued', 'redeemed', 'expired', 'reversed') AND e.created_at <= $2
     GROUP BY 2, 3, 4`, [tenantId, asOf]);
  await q(`INSERT INTO analytics_member_months (tenant_id, month, next_month, tier, members)
    WITH m AS (SELECT DISTINCT customer_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month
                 FROM loyalty_transactions WHERE tenant_id = $1 AND occurred_at <= $2),
         s AS (SELECT customer_id, month, coalesce(lead(month) OVER (PARTITION BY customer_id ORDER BY month), 'infinity'::date) AS next_month FROM m)
    SELECT $1, s.month, s.next_month, coalesce(a.tier, ''), count(*)
      FROM s LEFT JOIN loyalty_accounts a ON a.tenant_id = $1 AND a.customer_id = s.customer_id
     GROUP BY 2, 3, 4`, [tenantId, asOf]);
  await q(`INSERT INTO analytics_tier_moves (tenant_id, month, from_tier, to_tier, n)
    SELECT $1, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, from_tier, to_tier, count(*) FROM ap_tier_changes GROUP BY 2, 3, 4`);

  await q(`INSERT INTO analytics_mentions (tenant_id, day, channel, angle, sentiment, n, reach)
    SELECT $1, day, channel, angle, sentiment, count(*), sum(reach) FROM (
      SELECT (published_at AT TIME ZONE 'UTC')::date AS day, channel, '*' AS angle, sentiment, coalesce(reach, 0) AS reach
        FROM listening_mentions WHERE tenant_id = $1 AND published_at <= $2
      UNION ALL
      SELECT (m.published_at AT TIME ZONE 'UTC')::date, m.channel, a.angle, m.sentiment, coalesce(m.reach, 0)
        FROM listening_mentions m CROSS JOIN LATERAL (SELECT DISTINCT x AS angle FROM jsonb_array_elements_text(m.angles) x) a
       WHERE m.tenant_id = $1 AND m.published_at <= $2
    ) x GROUP BY day, channel, angle, sentiment`, [tenantId, asOf]);

  // The roll-ups were rewritten wholesale: fresh statistics keep the dashboards' plans right.
  for (const t of ROLLUPS.filter((x) => x !== 'analytics_customers')) await q(`ANALYZE ${t}`, []);

  const backlog = await q(`SELECT coalesce(last_channel_kind, '') AS channel, count(*)::int AS open FROM inbox_conversations
     WHERE tenant_id = $1 AND status <> 'resolved' AND merged_into IS NULL GROUP BY 1 ORDER BY 1`);
  const tiers = await q(`SELECT coalesce(tier, '') AS tier, count(*)::int AS members FROM loyalty_accounts
     WHERE tenant_id = $1 AND merged_into IS NULL AND NOT is_closed GROUP BY 1 ORDER BY 1`);
  const snapshot: Snapshot = {
    backlog: backlog.rows, members: tiers.rows.reduce((s, r) => s + r.members, 0), tiers: tiers.rows, liability: input.liability,
  };
  return { model: report, snapshot, timings };
}
