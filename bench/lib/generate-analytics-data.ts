// The analytics bench's data: customers, events, survey responses, ledger entries, conversations, cases and
// mentions in one tenant, generated with set-based SQL at the scale asked (--scale or BENCH_SCALE), and
// whether a tenant already holds the data of this scale (a re-run reuses it).
import type pg from 'pg';
import { withoutIndexes } from './without-indexes.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
export const SCALE = Number(arg('scale') ?? process.env.BENCH_SCALE ?? 1);
const n = (x: number) => Math.max(1, Math.round(x * SCALE));
export const COUNTS = {
  customers: n(1_000_000),
  events: n(20_000_000),
  responses: n(1_000_000),
  entries: 2 * n(1_000_000),
  conversations: n(100_000),
  cases: n(50_000),
  mentions: n(100_000),
  // Bumped when the generator changes what it writes, so a re-run does not reuse older data.
  generator: 2,
};
export const PURCHASES = Math.round(COUNTS.events / 4);
const TIER_EVENTS = Math.round(COUNTS.events / 400);
const MEMBERS = Math.round(COUNTS.customers / 3);
export const STORES = 20;
export const SLUG = `bench-analytics-${String(SCALE).replace('.', '-')}`;

export const log = (...a: unknown[]) => console.log(...a);
/** Seconds since `t0`, to a tenth. */
export const seconds = (t0: number) => Math.round((performance.now() - t0) / 100) / 10;

const TABLES = [
  'customer_events',
  'customer_spend',
  'customers',
  'survey_responses',
  'surveys',
  'loyalty_entries',
  'loyalty_lots',
  'loyalty_transactions',
  'loyalty_accounts',
  'inbox_messages',
  'inbox_conversations',
  'case_activities',
  'cases',
  'listening_mentions',
];

/**
 * Who leaves, so the churn model's AUC and Brier score measure something. Leaving depends on behaviour
 * AND experience, as the model can see them at T-90 days (T = now, the refresh's instant): of the
 * customers active then (a purchase in the 90 days before), each makes no purchase in the last 90 days
 * with probability sigmoid(z), where
 *   z = -1.6 + 0.9 [fewer than 3 orders in the year before T-90] + 0.6 [last purchase over 45 days before T-90]   (behaviour)
 *            + 1.4 [latest NPS before T-90 is 0-6] - 0.6 [it is 9-10] + 0.7 [latest CSAT before T-90 is 1-2]
 *            + 1.0 [a case opened about them in the 180 days before T-90]                                       (experience)
 * drawn from md5 of the customer id, so a scale generates the same fates every time. Leavers lose their
 * purchases after T-90; stayers without one get one purchase in the last 90 days. Nothing before T-90
 * changes, so the features the model is trained on are the generator's own, and the label is the draw.
 */
const CHURN_FATES_SQL = `
  WITH cut AS (SELECT now() - interval '90 days' AS t),
  act AS (
    SELECT e.customer_id, count(*) FILTER (WHERE e.occurred_at > cut.t - interval '365 days') AS orders_year, max(e.occurred_at) AS last_at
      FROM customer_events e, cut WHERE e.tenant_id = $1 AND e.type = 'purchase' AND e.occurred_at <= cut.t
     GROUP BY e.customer_id, cut.t HAVING max(e.occurred_at) > cut.t - interval '90 days'),
  answers AS (
    SELECT DISTINCT ON (r.customer_id, r.kind) r.customer_id, r.kind, r.score FROM survey_responses r, cut
     WHERE r.tenant_id = $1 AND r.kind IN ('nps', 'csat') AND r.submitted_at <= cut.t ORDER BY r.customer_id, r.kind, r.submitted_at DESC),
  complained AS (
    SELECT DISTINCT c.customer_id FROM cases c, cut WHERE c.tenant_id = $1 AND c.created_at <= cut.t AND c.created_at > cut.t - interval '180 days'),
  fate AS MATERIALIZED (
    SELECT a.customer_id, ('x' || substr(md5(a.customer_id || ':fate'), 1, 8))::bit(32)::bigint / 4294967296.0 < 1 / (1 + exp(-(-1.6
             + 0.9 * (a.orders_year < 3)::int + 0.6 * (a.last_at < cut.t - interval '45 days')::int
             + 1.4 * coalesce(n.score <= 6, false)::int - 0.6 * coalesce(n.score >= 9, false)::int + 0.7 * coalesce(s.score <= 2, false)::int
             + 1.0 * (k.customer_id IS NOT NULL)::int))) AS leaves
      FROM act a CROSS JOIN cut
      LEFT JOIN answers n ON n.customer_id = a.customer_id AND n.kind = 'nps' LEFT JOIN answers s ON s.customer_id = a.customer_id AND s.kind = 'csat'
      LEFT JOIN complained k ON k.customer_id = a.customer_id),
  gone AS (
    DELETE FROM customer_events e USING fate f, cut
     WHERE e.tenant_id = $1 AND e.type = 'purchase' AND e.customer_id = f.customer_id AND f.leaves AND e.occurred_at > cut.t RETURNING 1)
  INSERT INTO customer_events (tenant_id, id, type, occurred_at, received_at, customer_id, source, properties)
  SELECT $1, 'evt_s' || f.customer_id, 'purchase', x.ts, x.ts, f.customer_id, 'api',
         jsonb_build_object('order_id', 'os' || f.customer_id, 'amount', 60, 'currency', 'CNY', 'store_id', 's' || (length(f.customer_id) % ${STORES}))
    FROM fate f CROSS JOIN LATERAL (SELECT now() - (1 + random() * 88 + 0 * length(f.customer_id)) * interval '1 day' AS ts) x
   WHERE NOT f.leaves AND NOT EXISTS (SELECT 1 FROM customer_events e, cut WHERE e.tenant_id = $1 AND e.type = 'purchase' AND e.customer_id = f.customer_id AND e.occurred_at > cut.t)`;

export async function generate(pool: pg.Pool, t: string) {
  const q = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    const r = await pool.query(sql, [t, ...params]);
    log(`  ${label}: ${r.rowCount ?? ''} rows in ${seconds(t0)} s`);
  };
  for (const table of TABLES) await pool.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [t]);
  const N = COUNTS.customers;
  // Customer c's purchases fall in a window of its own: it starts up to two years ago and lasts up to
  // 400 days, so cohorts, retention and lapses look like a shop's.
  const start = (c: string) => `(now() - ((${c} * 7919) % 730) * interval '1 day')`;
  const span = (c: string) => `((${c} * 104729) % 400 + 1)`;
  await q(
    'customers',
    `INSERT INTO customers (tenant_id, id, created_at, first_seen_at) SELECT $1, 'cus_b' || c, ${start('c')}, ${start('c')} FROM generate_series(1, $2::bigint) c`,
    [N],
  );
  await pool.query('ANALYZE customers');
  await withoutIndexes(pool, 'customer_events', async () => {
    await q(
      'purchase events',
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, received_at, customer_id, source, properties)
      SELECT $1, 'evt_p' || k, 'purchase', ts, ts, 'cus_b' || c, 'api',
             jsonb_build_object('order_id', 'o' || k, 'amount', 20 + (k * 37) % 480, 'currency', 'CNY', 'store_id', 's' || (c % ${STORES}))
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT 1 + (k * 7331) % $3::int AS c) x,
             LATERAL (SELECT least(now(), ${start('x.c')} + random() * ${span('x.c')} * interval '1 day') AS ts) y`,
      [PURCHASES, N],
    );
    await q(
      'tier events',
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, 'evt_t' || k, 'loyalty.tier.changed', now() - random() * interval '730 days', 'cus_b' || (1 + (k * 13) % $3::int), 'loyalty',
             jsonb_build_object('from', CASE WHEN k % 3 = 0 THEN 'silver' END, 'to', CASE WHEN k % 3 = 0 THEN 'gold' ELSE 'silver' END)
        FROM generate_series(1, $2::bigint) k`,
      [TIER_EVENTS, MEMBERS],
    );
    await q(
      'activity events',
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, 'evt_v' || k, CASE WHEN k % 5 = 0 THEN 'app_open' ELSE 'page_view' END, now() - random() * interval '730 days', 'cus_b' || (1 + (k * 7919) % $3::int), 'api',
             jsonb_build_object('path', '/p/' || (k % 100))
        FROM generate_series(1, $2::bigint) k`,
      [COUNTS.events - PURCHASES - TIER_EVENTS, N],
    );
  });
  await pool.query(`INSERT INTO surveys (tenant_id, id, name, kind) VALUES ($1, 'srv_bench', 'Bench', 'nps')`, [t]);
  await withoutIndexes(pool, 'survey_responses', async () => {
    // Late delivery costs 4 points of NPS and price 2; staff adds 1: the drivers the regression must find.
    await q(
      'survey responses',
      `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, touchpoint, channel, topics, submitted_at, started_at)
      SELECT $1, 'rsp_' || k, 'srv_bench', 1, 'cus_b' || (1 + (k * 7919) % $3::int), kind,
             CASE kind WHEN 'nps' THEN greatest(0, least(10, floor(7 + random() * 4 - CASE k % 7 WHEN 0 THEN 4 WHEN 1 THEN 2 ELSE 0 END + CASE k % 7 WHEN 2 THEN 1 ELSE 0 END)))
                       WHEN 'csat' THEN 1 + floor(random() * 5) ELSE 1 + floor(random() * 7) END,
             'complete', (ARRAY['store', 'delivery', 'web', 'app', 'support', 'checkout'])[1 + k % 6], (ARRAY['email', 'sms', 'web', 'wechat'])[1 + k % 4],
             CASE k % 7 WHEN 0 THEN '{late}'::text[] WHEN 1 THEN '{price}' WHEN 2 THEN '{staff,quality}' WHEN 3 THEN '{quality}' ELSE '{}' END, ts, ts
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT CASE WHEN k % 20 < 12 THEN 'nps' WHEN k % 20 < 17 THEN 'csat' ELSE 'ces' END AS kind, now() - random() * interval '730 days' AS ts) x`,
      [COUNTS.responses, N],
    );
  });

  const TX = COUNTS.entries / 2;
  await q(
    'loyalty accounts',
    `INSERT INTO loyalty_accounts (tenant_id, customer_id, available, tier)
      SELECT $1, 'cus_b' || c, 0, CASE c % 10 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' WHEN 2 THEN 'silver' END FROM generate_series(1, $2::bigint) c`,
    [MEMBERS],
  );
  // Earn 100 (k % 4 < 2 and k % 10 <> 9), spend 50 (k % 4 = 3), expire 30 (k % 10 = 9), else earn: two postings each.
  const kind = `CASE WHEN k % 10 = 9 THEN 'expire' WHEN k % 4 = 3 THEN 'spend' ELSE 'earn' END`;
  await withoutIndexes(pool, 'loyalty_transactions', () =>
    q(
      'loyalty transactions',
      `INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, result, occurred_at, created_at)
      SELECT $1, 'ltx_' || k, 'cus_b' || (1 + (k * 31) % $3::int), kd, 'bench', 'bench:' || k, '-', CASE kd WHEN 'earn' THEN 100 WHEN 'spend' THEN -50 ELSE -30 END, '{}', ts, ts
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT ${kind} AS kd, now() - random() * interval '730 days' AS ts) x`,
      [TX, MEMBERS],
    ),
  );
  await withoutIndexes(pool, 'loyalty_entries', () =>
    q(
      'ledger entries',
      `INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, amount, created_at)
      SELECT $1, t.id, t.customer_id, e.account, e.amount, t.created_at
        FROM loyalty_transactions t CROSS JOIN LATERAL (VALUES
          (CASE t.kind WHEN 'earn' THEN 'issued' WHEN 'spend' THEN 'redeemed' ELSE 'expired' END, -t.points),
          ('available', t.points)) e(account, amount)
       WHERE t.tenant_id = $1`,
    ),
  );
  await pool.query('ANALYZE loyalty_accounts');
  await q(
    'loyalty lots',
    `INSERT INTO loyalty_lots (tenant_id, id, customer_id, transaction_id, amount, remaining, available_at, is_released, expires_at, created_at)
      SELECT $1, 'lot_' || id, customer_id, id, 100, 50, created_at, true, created_at + interval '365 days', created_at FROM loyalty_transactions WHERE tenant_id = $1 AND kind = 'earn'`,
  );

  // A LATERAL that names no column of k is evaluated once: the `0 * k` spreads the times over two years.
  await q(
    'conversations',
    `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, reply_token, last_channel_kind, created_at, first_responded_at, first_response_due_at, resolved_at, resolution_due_at)
      SELECT $1, 'cnv_' || k, 'cus_b' || (1 + (k * 13) % $3::int), CASE WHEN k % 20 = 0 THEN 'open' ELSE 'resolved' END, 'tok' || k,
             (ARRAY['email', 'webchat', 'sms', 'wechat'])[1 + k % 4], ts, ts + random() * interval '2 hours', ts + interval '1 hour',
             CASE WHEN k % 20 <> 0 THEN ts + random() * interval '48 hours' END, ts + interval '24 hours'
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT now() - interval '3 days' - random() * interval '730 days' + 0 * k * interval '1 second' AS ts) x`,
    [COUNTS.conversations, N],
  );
  await pool.query('ANALYZE inbox_conversations');
  await q(
    'messages',
    `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, author_type, text, created_at)
      SELECT $1, 'msg_' || c.id || '_' || m.i, c.id, c.customer_id, m.dir, c.last_channel_kind, CASE m.dir WHEN 'in' THEN 'customer' ELSE 'agent' END, 'hello',
             CASE m.i WHEN 1 THEN c.created_at WHEN 2 THEN c.first_responded_at ELSE c.created_at + interval '30 minutes' END
        FROM inbox_conversations c CROSS JOIN (VALUES (1, 'in'), (2, 'out'), (3, 'in')) m(i, dir) WHERE c.tenant_id = $1`,
  );
  await q(
    'cases',
    `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, status, touchpoint, created_at, customer_told_at)
      SELECT $1, 'case_' || k, 'detractor', 'response', 'rsp_' || k, 'cus_b' || (1 + (k * 7919) % $3::int), (ARRAY['resolved', 'contacted', 'new'])[1 + k % 3],
             (ARRAY['store', 'delivery', 'web', 'app', 'support', 'checkout'])[1 + k % 6], ts, CASE WHEN k % 3 = 0 THEN ts + interval '2 days' END
        FROM generate_series(1, $2::bigint) k, LATERAL (SELECT now() - random() * interval '730 days' + 0 * k * interval '1 second' AS ts) x`,
    [COUNTS.cases, N],
  );
  await pool.query('ANALYZE cases');
  await q(
    'case activities',
    `INSERT INTO case_activities (tenant_id, id, case_id, kind, actor, at)
      SELECT $1, 'act_' || c.id || '_' || i, c.id, 'contact', CASE WHEN i = 3 THEN 'system:loop' ELSE 'user:usr_bench' END, c.created_at + i * interval '1 hour'
        FROM cases c, generate_series(1, 3) i WHERE c.tenant_id = $1`,
  );
  await q(
    'mentions',
    `INSERT INTO listening_mentions (tenant_id, id, channel, text, published_at, language, sentiment, score, angles, reach, simhash_hi, simhash_lo, band0, band1, band2, band3)
      SELECT $1, 'men_' || k, (ARRAY['weibo', 'wechat', 'forum', 'review'])[1 + k % 4], 'mention ' || k, now() - random() * interval '730 days', 'zh',
             (ARRAY['negative', 'neutral', 'positive'])[1 + k % 3], 0, (ARRAY['["brand"]', '["product"]', '["competitor"]', '["brand","product"]', '[]'])[1 + k % 5]::jsonb,
             k % 1000, k, k, k % 65536, k % 65536, k % 65536, k % 65536
        FROM generate_series(1, $2::bigint) k`,
    [COUNTS.mentions],
  );
  await q('churn fates', CHURN_FATES_SQL);
  // What ingestion keeps on the profile, for the customers module's value job.
  await q(
    'customer aggregates',
    `UPDATE customers c SET order_count = x.n, last_purchase_at = x.last_at, last_seen_at = x.last_at
      FROM (SELECT customer_id, count(*)::int AS n, max(occurred_at) AS last_at FROM customer_events WHERE tenant_id = $1 AND type = 'purchase' GROUP BY customer_id) x
     WHERE c.tenant_id = $1 AND c.id = x.customer_id`,
  );
  await q(
    'customer spend',
    `INSERT INTO customer_spend (tenant_id, customer_id, currency, amount)
      SELECT $1, customer_id, 'CNY', sum((properties->>'amount')::numeric) FROM customer_events WHERE tenant_id = $1 AND type = 'purchase' GROUP BY customer_id`,
  );

  for (const table of TABLES) await pool.query(`ANALYZE ${table}`);
  await pool.query(`UPDATE tenants SET settings = settings || jsonb_build_object('bench_analytics', $2::jsonb) WHERE tenant_id = $1`, [
    t,
    JSON.stringify(COUNTS),
  ]);
}

export async function isGenerated(pool: pg.Pool, t: string): Promise<boolean> {
  const {
    rows: [s],
  } = await pool.query(`SELECT settings->'bench_analytics' AS counts FROM tenants WHERE tenant_id = $1`, [t]);
  // jsonb orders keys its own way: compare count by count.
  if (!s?.counts || Object.entries(COUNTS).some(([k, v]) => s.counts[k] !== v)) return false;
  const {
    rows: [c],
  } = await pool.query(
    `SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1)::int AS customers, (SELECT count(*) FROM customer_events WHERE tenant_id = $1)::int AS events,
      (SELECT count(*) FROM survey_responses WHERE tenant_id = $1)::int AS responses, (SELECT count(*) FROM loyalty_entries WHERE tenant_id = $1)::int AS entries`,
    [t],
  );
  return c.customers === COUNTS.customers && c.events === COUNTS.events && c.responses === COUNTS.responses && c.entries === COUNTS.entries;
}
