// The roll-up refresh: one transaction per tenant that rebuilds every analytics table from the other
// modules' data with set-based SQL. It reads the views those modules publish (customers_v, timeline_v,
// purchases_v, survey_responses_v, cases_v, ..., declared in each owner's schema.ts), never their tables:
// a refresh over twenty million events must be a few scans and hash joins inside PostgreSQL, which no
// door returning rows to Node could match, and a plain view is inlined into the query, so the owner's
// indexes serve it. The dashboards read analytics' own tables. Readers see the previous roll-ups until
// the transaction commits.
//
// The steps, each in its own file: the churn model trained on the purchases (train-churn-model.ts);
// the customer rows and their contributions (write-customer-rollups.ts); the time-keyed roll-ups
// (write-period-rollups.ts); the tables and shared SQL they write (rollup-tables.ts).
import type pg from 'pg';
import { computedRow, queryRows } from '../../platform/query-rows.js';
import { FEATURES } from './churn-model.js';
import { LAPSE_DAYS, trainChurnModel, writeChurnFeatures, isScoringModel, type ModelReport } from './train-churn-model.js';
import { ROLLUPS, rollup, type Q, type QRows } from './rollup-tables.js';
import { applyCustomerContributions, writeCustomers, purchaseColumns, currencyParams, type CurrencyRates } from './write-customer-rollups.js';
import { writePeriodRollups } from './write-period-rollups.js';

export { LAPSE_DAYS, type ModelReport, type CurrencyRates };

export interface Snapshot {
  backlog: { channel: string; open: number }[];
  members: number;
  tiers: { tier: string; members: number }[];
  liability: null | {
    points_outstanding: number;
    outstanding_liability: number;
    breakage_recognised: number;
    cost_per_member: number;
    value_per_point: number;
    // Absent from snapshots taken before the loyalty module estimated breakage.
    breakage_rate?: number;
    breakage_basis?: 'history' | 'assumption';
    breakage_sample?: { cohorts: number; points: number };
    expiring_soon?: { within_days: number; points: number; face_value: number }[];
    base_currency?: string;
    sales_by_currency?: {
      currency: string | null;
      purchases: number;
      sales: number;
      sales_in_base: number;
      refused_purchases: number;
      refused_sales: number;
    }[];
  };
  /** The currency revenue is in (loyalty's base currency); absent from snapshots taken before purchases were converted. */
  base_currency?: string;
}

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

// An incremental refresh finds what changed by these columns: purchases_v.received_at,
// survey_responses_v.updated_at, cases_v.updated_at, case_activities_v.at, loyalty_accounts_v.updated_at,
// referrals_v.created_at, ledger_entries_v.created_at, customers_v.value_computed_at,
// conversations_v.updated_at, messages_v.created_at, mentions_v.received_at. A refresh
// reads every one of them after the moment its watermark stands for, so one watermark serves them all.

// Read from conversations_v and loyalty_accounts_v, whose declarations are not exported through their
// owners' doors: the columns are the SQL's own aliases.
const Backlog = computedRow<{ channel: string; segment: string; tier: string; store: string; open: number }>(['channel', 'segment', 'tier', 'store', 'open']);
const TierMembers = computedRow<{ tier: string; members: number }>(['tier', 'members']);
const Began = computedRow<{ began: Date }>(['began']);

async function writeSnapshot(rows: QRows, liability: Snapshot['liability'], currency: CurrencyRates): Promise<Snapshot> {
  // Open conversations by channel and by the customer's dims, so the backlog follows every filter.
  const backlog = await rows(
    Backlog,
    `SELECT coalesce(c.last_channel_kind, '') AS channel, coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store,
            count(*)::int AS open
       FROM conversations_v c LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.customer_id
      WHERE c.tenant_id = $1 AND c.status <> 'resolved' AND c.merged_into IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  const tiers = await rows(
    TierMembers,
    `SELECT coalesce(tier, '') AS tier, count(*)::int AS members FROM loyalty_accounts_v
     WHERE tenant_id = $1 AND merged_into IS NULL AND NOT is_closed GROUP BY 1 ORDER BY 1`,
  );
  return { backlog, members: tiers.reduce((s, r) => s + r.members, 0), tiers, liability, base_currency: currency.baseCurrency };
}

/** Rebuilds the tenant's roll-ups in `tx`, which holds the tenant's refresh lock (lockTenantRefresh). */
export async function refreshRollups(
  tx: pg.PoolClient,
  input: RefreshInput,
): Promise<{
  model: ModelReport;
  snapshot: Snapshot;
  timings: Record<string, number>;
  watermark: Date;
  mode: 'full' | 'incremental';
  changed: Record<string, number>;
}> {
  const { tenantId, asOf } = input;
  const timings: Record<string, number> = {};
  const timed = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await run();
    const name = (/INSERT INTO\s+\w+/.exec(text) ?? /(?:CREATE TEMP TABLE|UPDATE|DELETE FROM|SELECT|ANALYZE)\s+(\w+)?/.exec(text))?.[0] ?? 'query';
    timings[name] = Math.round((timings[name] ?? 0) + performance.now() - t0);
    return r;
  };
  const q: Q = (text, params = [tenantId]) => timed(text, () => tx.query(text, params));
  const rows: QRows = (shape, text, params = [tenantId]) => timed(text, () => queryRows(tx, shape, text, params));
  // The next refresh reads what changed after this one began (less the lag for transactions in flight).
  // The database's clock, not the product's: rows are stamped with it (created_at DEFAULT now()), and
  // the watermark is compared with those stamps only.
  const [{ began }] = await rows(Began, `SELECT now() AS began`, []);
  const watermark = new Date(began.getTime() - WATERMARK_LAG_MS);
  if (input.since) return refreshIncremental(tx, q, rows, input, input.since, timings, watermark);

  // One scan of the timeline for the two event types the roll-ups need, written to two work tables.
  await q(
    `CREATE TEMP TABLE ap_purchases (customer_id text COLLATE "C", occurred_at timestamptz, amount numeric, store text, month date, currency text, paid numeric) ON COMMIT DROP`,
    [],
  );
  await q(
    `CREATE TEMP TABLE ap_tier_changes (event_id text COLLATE "C", customer_id text COLLATE "C", occurred_at timestamptz, from_tier text, to_tier text) ON COMMIT DROP`,
    [],
  );
  // The statement's row count is the purchases written (the tier changes are its CTE's).
  const { rowCount: purchases } = await q(
    `WITH scan AS MATERIALIZED (
      SELECT id, type, customer_id, occurred_at, properties FROM timeline_v
       WHERE tenant_id = $1 AND type IN ('purchase', 'loyalty.tier.changed') AND customer_id IS NOT NULL AND occurred_at <= $2),
    tiers AS (INSERT INTO ap_tier_changes SELECT id, customer_id, occurred_at, coalesce(properties->>'from', ''), coalesce(properties->>'to', '') FROM scan WHERE type = 'loyalty.tier.changed')
    INSERT INTO ap_purchases
    SELECT ${purchaseColumns('scan')} FROM scan WHERE type = 'purchase'`,
    [tenantId, asOf, ...currencyParams(input.currency)],
  );
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
  const snapshot = await writeSnapshot(rows, input.liability, input.currency);
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
async function refreshIncremental(
  tx: pg.PoolClient,
  q: Q,
  rows: QRows,
  input: RefreshInput,
  since: NonNullable<RefreshInput['since']>,
  timings: Record<string, number>,
  watermark: Date,
) {
  const { tenantId, asOf } = input;
  const w = since.watermark;
  const lapse = `interval '${LAPSE_DAYS} days'`;
  await q(`CREATE TEMP TABLE ap_ids (customer_id text COLLATE "C" PRIMARY KEY) ON COMMIT DROP`, []);
  // The table starts empty and ON CONFLICT skips duplicates, so the rows inserted are the customers changed.
  const { rowCount: customers } = await q(
    `INSERT INTO ap_ids
    SELECT customer_id FROM purchases_v WHERE tenant_id = $1 AND type = 'purchase' AND received_at > $2 AND customer_id IS NOT NULL
    UNION SELECT customer_id FROM survey_responses_v WHERE tenant_id = $1 AND updated_at > $2 AND customer_id IS NOT NULL
    UNION SELECT customer_id FROM cases_v WHERE tenant_id = $1 AND updated_at > $2 AND customer_id IS NOT NULL
    UNION SELECT referrer_id FROM referrals_v WHERE tenant_id = $1 AND created_at > $2
    UNION SELECT customer_id FROM loyalty_accounts_v WHERE tenant_id = $1 AND updated_at > $2
    UNION SELECT f.customer_id FROM customers_v c JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.id COLLATE "C"
           WHERE c.tenant_id = $1 AND c.value_computed_at > $2
             AND (c.recency_score, c.frequency_score, c.monetary_score, c.clv, c.is_core) IS DISTINCT FROM (f.recency_score, f.frequency_score, f.monetary_score, f.clv, f.is_core)
    UNION SELECT customer_id FROM analytics_customers WHERE tenant_id = $1 AND last_purchase_at > $3::timestamptz - ${lapse} AND last_purchase_at <= $4::timestamptz - ${lapse}
    ON CONFLICT DO NOTHING`,
    [tenantId, w, since.asOf, asOf],
  );
  await q(`ANALYZE ap_ids`, []);

  // The changed customers' purchases, read through the timeline index (tenant, customer, time).
  await q(
    `CREATE TEMP TABLE ap_purchases ON COMMIT DROP AS
    SELECT ${purchaseColumns('e')}
      FROM ap_ids i JOIN purchases_v e ON e.tenant_id = $1 AND e.customer_id = i.customer_id AND e.type = 'purchase' AND e.occurred_at <= $2`,
    [tenantId, asOf, ...currencyParams(input.currency)],
  );
  const scope = `f.customer_id IN (SELECT customer_id FROM ap_ids)`;
  await applyCustomerContributions(q, scope, -1);
  await q(`DELETE FROM analytics_customers f WHERE f.tenant_id = $1 AND ${scope}`);
  await writeChurnFeatures(tx, tenantId, asOf, (col) => `${col} IN (SELECT customer_id FROM ap_ids)`);
  await writeCustomers(q, tenantId, asOf, isScoringModel(since.model) ? since.model : null, true);
  await applyCustomerContributions(q, scope, 1);
  for (const [t, n] of [
    ['analytics_customer_groups', 'n'],
    ['analytics_customer_months', 'customers'],
    ['analytics_cohorts', 'customers'],
    ['analytics_member_months', 'members'],
  ]) {
    for (const d of [0, 1] as const) await q(`DELETE FROM ${rollup(t, d)} WHERE tenant_id = $1 AND ${n} = 0`);
  }

  // The periods whose source rows changed, each select distinct (DISTINCT or UNION), so the rows
  // CREATE TABLE AS reports writing are the periods.
  const periods = async (table: string, sql: string, params: unknown[]) =>
    (await q(`CREATE TEMP TABLE ${table} ON COMMIT DROP AS ${sql}`, params)).rowCount ?? 0;
  const changed: Record<string, number> = { customers: customers ?? 0 };
  changed.response_periods = await periods(
    'ap_response_periods',
    `SELECT DISTINCT g.grain, date_trunc(g.grain, submitted_at AT TIME ZONE 'UTC')::date AS period
      FROM survey_responses_v CROSS JOIN (VALUES ('week'), ('month')) g(grain) WHERE tenant_id = $1 AND updated_at > $2 AND submitted_at IS NOT NULL`,
    [tenantId, w],
  );
  // A first-response target also becomes decided when its due time passes, with no write to the row.
  changed.conversation_days = await periods(
    'ap_conversation_days',
    `SELECT (created_at AT TIME ZONE 'UTC')::date AS period FROM conversations_v WHERE tenant_id = $1 AND updated_at > $2
      UNION SELECT (resolved_at AT TIME ZONE 'UTC')::date FROM conversations_v WHERE tenant_id = $1 AND updated_at > $2 AND resolved_at IS NOT NULL
      UNION SELECT (created_at AT TIME ZONE 'UTC')::date FROM conversations_v
             WHERE tenant_id = $1 AND first_responded_at IS NULL AND first_response_due_at > $3 AND first_response_due_at <= $4`,
    [tenantId, w, since.asOf, asOf],
  );
  changed.message_days = await periods(
    'ap_message_days',
    `SELECT DISTINCT (created_at AT TIME ZONE $3)::date AS period FROM messages_v WHERE tenant_id = $1 AND created_at > $2`,
    [tenantId, w, input.timezone],
  );
  changed.case_days = await periods(
    'ap_case_days',
    `SELECT (created_at AT TIME ZONE 'UTC')::date AS period FROM cases_v WHERE tenant_id = $1 AND updated_at > $2
      UNION SELECT (c.created_at AT TIME ZONE 'UTC')::date FROM case_activities_v a JOIN cases_v c ON c.tenant_id = $1 AND c.id = a.case_id WHERE a.tenant_id = $1 AND a.at > $2`,
    [tenantId, w],
  );
  changed.point_months = await periods(
    'ap_point_months',
    `SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS period FROM ledger_entries_v WHERE tenant_id = $1 AND created_at > $2`,
    [tenantId, w],
  );
  changed.mention_days = await periods(
    'ap_mention_days',
    `SELECT DISTINCT (published_at AT TIME ZONE 'UTC')::date AS period FROM mentions_v WHERE tenant_id = $1 AND received_at > $2`,
    [tenantId, w],
  );
  await writePeriodRollups(q, tenantId, asOf, input.timezone, true);
  // Tier changes of the accounts that changed, found through the timeline index; each event once.
  await q(
    `INSERT INTO analytics_tier_moves (tenant_id, event_id, customer_id, month, from_tier, to_tier)
    SELECT $1, e.id, e.customer_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC')::date, coalesce(e.properties->>'from', ''), coalesce(e.properties->>'to', '')
      FROM loyalty_accounts_v a JOIN timeline_v e ON e.tenant_id = $1 AND e.customer_id = a.customer_id AND e.type = 'loyalty.tier.changed' AND e.occurred_at <= $3
     WHERE a.tenant_id = $1 AND a.updated_at > $2 AND e.received_at > $2
    ON CONFLICT DO NOTHING`,
    [tenantId, w, asOf],
  );
  const snapshot = await writeSnapshot(rows, input.liability, input.currency);
  return {
    model: since.model ?? { status: 'insufficient_history' as const, version: 0, features: FEATURES, label: '' },
    snapshot,
    timings,
    watermark,
    mode: 'incremental' as const,
    changed,
  };
}
