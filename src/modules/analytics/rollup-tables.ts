// The roll-up tables' shared SQL: which tables a refresh rewrites, the two groupings a roll-up is kept
// in (one table each), and the customer rows' buckets, months and cohorts that both the refresh and the
// measures that read analytics_customers directly use.
import type pg from 'pg';
import type { RowShape } from '../../platform/query-rows.js';

/** A query on the refresh's transaction, timed by statement (refresh-rollups.ts). */
export type Q = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
/** A read on the refresh's transaction whose rows are used, timed like Q and typed by its shape (queryRows). */
export type QRows = <Row>(shape: RowShape<Row>, text: string, params?: unknown[]) => Promise<Row[]>;

/** Lower edges of the CLV bands. */
export const CLV_BANDS = [0, 100, 250, 500, 1000, 2500, 5000, 10000];

/** The table of each two-table roll-up's dims 1 grouping (schema.ts). */
export const SECOND_GROUPING: Record<string, string> = {
  analytics_customer_groups: 'analytics_customer_groups_by_answer',
  analytics_customer_months: 'analytics_customer_months_by_answer',
  analytics_cohorts: 'analytics_cohorts_by_answer',
  analytics_experience: 'analytics_experience_by_store',
  analytics_drivers: 'analytics_drivers_by_store',
  analytics_messages: 'analytics_messages_by_customer',
  analytics_points: 'analytics_points_by_customer',
  analytics_member_months: 'analytics_member_months_by_customer',
};
/** The table holding a roll-up's grouping `dims`. */
export const rollup = (table: string, dims: 0 | 1) => (dims ? SECOND_GROUPING[table] : table);

/**
 * One GROUPING SETS select (its `dims` column says which grouping a row is in) written to a roll-up's
 * two tables in one statement, so the source rows are read once.
 */
export function intoBoth(table: string, cols: string, select: string, conflict = '') {
  return `WITH grouped (${cols}) AS MATERIALIZED (${select}),
    first_grouping AS (INSERT INTO ${table} AS t (${cols}) SELECT ${cols} FROM grouped WHERE dims = 0 ${conflict})
    INSERT INTO ${SECOND_GROUPING[table]} AS t (${cols}) SELECT ${cols} FROM grouped WHERE dims = 1 ${conflict}`;
}

export const ROLLUPS = [
  'analytics_customers',
  'analytics_customer_groups',
  'analytics_customer_months',
  'analytics_cohorts',
  'analytics_experience',
  'analytics_drivers',
  'analytics_conversations',
  'analytics_messages',
  'analytics_cases',
  'analytics_points',
  'analytics_member_months',
  'analytics_tier_moves',
  'analytics_mentions',
  ...Object.values(SECOND_GROUPING),
];

/**
 * After a full rebuild committed: the rewritten tables' dead rows are cleared and their pages marked
 * all-visible, so the dashboards' index scans read only live rows (and index-only scans work) at once
 * instead of after autovacuum (measured on 1,000,000 customers: a range of promoters read in 381 ms
 * right after a rebuild, in 198 ms on the vacuumed table). VACUUM runs outside a transaction.
 */
export async function vacuumRollups(db: pg.Pool) {
  await db.query(`VACUUM ${ROLLUPS.join(', ')}`);
}

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
export const customerSets = (keys: string) => `GROUPING SETS ((${keys}, store, segment, tier), (${keys}, channel, touchpoint, segment, tier))`;
