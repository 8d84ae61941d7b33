// A new tenant's rows must be found by their keys whatever the statistics say: a tenant whose rows
// arrived after the last ANALYZE looks, to the planner, like a tenant with a row or two, and it then
// finds any other index led by tenant_id as cheap as the key. With such an index, every look-up read all
// of the tenant's rows (2,000 pages per outreach message event at 2,000 messages). PostgreSQL checks
// each foreign key by looking up the parent row, (tenant_id, id) = ($1, $2), for every row stored; the
// ledger looks up each write's idempotency key. Which index the planner takes on a tie depends on the
// indexes' sizes: the probes below show it on foreign-key checks, where this data brought it out (each
// failed before migration 0053); the schema check holds every table listed to the rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, pagesTouched, type TestApp, type TestTenant } from './helpers.js';

/**
 * Tables looked up by a key on a hot path, besides those foreign keys point at (which PostgreSQL looks
 * up for every child row stored).
 */
const KEYED = [
  'loyalty_transactions', // each earn and spend: its idempotency key
  'loyalty_redemptions', // a till: its voucher code
  'survey_invitations', // each response: its invitation
  'survey_schedules', // each trigger: its source key
  'survey_responses', // each later answer: its response
  'case_notices', // each notice: its dedupe key
  'outreach_enrollments', // each journey step: its enrolment
  'portal_sessions', // each portal request: its session
  'portal_sign_ins', // each code: its sign-in
];

/**
 * Indexes led by tenant_id on those tables, other than their keys, with the reason they may be. A
 * partial index is not listed: a key's look-up names no column of its predicate, so cannot use it.
 */
const TENANT_LED = {
  // The article list pages by (updated_at, id) within a tenant. A tenant's articles are hundreds, and
  // only feedback and saved versions are checked against them.
  knowledge_articles_updated_idx: 'the article list pages by it',
  // NPS, CSAT and CES by touchpoint and week range over a tenant's responses by kind and time.
  survey_responses_measure_idx: "a tenant's measures range over it",
};

const SIZE = 2000;

describe.each(databases)("look-ups of a new tenant's rows on $name", ({ url }) => {
  let r: TestApp;
  let fresh: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url);
    const old = await createTestTenant(r);
    fresh = await createTestTenant(r);
    const q = (sql: string, params: unknown[] = []) => r.db.pool.query(sql, params);
    const grow = async (tenantId: string, p: string) => {
      await q(`INSERT INTO customers (tenant_id, id, created_at, updated_at) SELECT $1, $2 || g, now(), now() FROM generate_series(1, ${SIZE}) g`, [
        tenantId,
        `cus_${p}`,
      ]);
      await q(`INSERT INTO inbox_conversations (tenant_id, id, customer_id, reply_token) VALUES ($1, $2, $3, $2)`, [tenantId, `cnv_${p}`, `cus_${p}1`]);
      await q(
        `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, external_id)
           SELECT $1, $2 || g, $3, $4, 'in', 'sms', 'chn_x', 'customer', 'hi', 'SM' || $2 || g FROM generate_series(1, ${SIZE}) g`,
        [tenantId, `msg_${p}`, `cnv_${p}`, `cus_${p}1`],
      );
      await q(
        `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, status, created_at)
           SELECT $1, $2 || g, 'complaint', 'feedback', $2 || g, $3 || (g % 100 + 1), (ARRAY['new', 'contacted', 'resolved'])[g % 3 + 1], now() FROM generate_series(1, ${SIZE}) g`,
        [tenantId, `cas_${p}`, `cus_${p}`],
      );
      await q(
        `INSERT INTO outreach_messages (tenant_id, id, customer_id, template_id, purpose, status, reason, scheduled_at)
           SELECT $1, $2 || g, $3 || (g % 100 + 1), 'tpl_x', 'marketing', 'sent', 'campaign', now() FROM generate_series(1, ${SIZE}) g`,
        [tenantId, `omsg_${p}`, `cus_${p}`],
      );
      await q(
        `INSERT INTO knowledge_scripts (tenant_id, id, case_type, title, language, nodes, root_node) VALUES ($1, $2, 'refund', 'Refund', 'en', '{}', 'n1')`,
        [tenantId, `scr_${p}`],
      );
      await q(
        `INSERT INTO knowledge_script_runs (tenant_id, id, script_id, conversation_id, agent_type, agent_id)
           SELECT $1, $2 || g, $3, $4, 'user', 'usr_x' FROM generate_series(1, ${SIZE}) g`,
        [tenantId, `run_${p}`, `scr_${p}`, `cnv_${p}`],
      );
      await q(
        `INSERT INTO knowledge_articles (tenant_id, id, group_id, language, slug, title, body, search_vector)
           SELECT $1, $2 || g, $2 || g, 'en', $2 || g, 'Title', 'Body', ''::tsvector FROM generate_series(1, ${SIZE / 4}) g`,
        [tenantId, `art_${p}`],
      );
      await q(
        `INSERT INTO users (tenant_id, id, email, name, role, password_hash)
           SELECT $1, $2 || g, $2 || g || '@example.com', 'Agent', 'agent', 'x' FROM generate_series(1, ${SIZE / 4}) g`,
        [tenantId, `usr_${p}`],
      );
    };
    // Statistics taken while only the old tenant had rows; then the new tenant grows past them.
    await grow(old.tenantId, 'old');
    await q(
      'ANALYZE customers, inbox_conversations, inbox_messages, cases, outreach_messages, knowledge_scripts, knowledge_script_runs, knowledge_articles, users',
    );
    await grow(fresh.tenantId, 'new');
  });
  afterAll(async () => r?.close());

  it('leads no index by tenant_id on a table foreign keys point at or looked up by a key, but their keys and the listed ones', async () => {
    const { rows } = await r.db.pool.query(
      `SELECT i.relname AS index
         FROM pg_class c
         JOIN pg_index x ON x.indrelid = c.oid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
        WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition
          AND (c.relname = ANY($1::text[]) OR EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.oid))
          AND a.attname = 'tenant_id' AND x.indpred IS NULL AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid AND k.contype = 'f' AND k.conindid = x.indexrelid)
          AND NOT (x.indisunique AND c.relname = ANY($1::text[]))
        ORDER BY 1`,
      [KEYED],
    );
    expect(rows.map((x) => x.index)).toEqual(Object.keys(TENANT_LED).sort());
  });

  // The shape of PostgreSQL's own check (ri_triggers.c), for the parents whose tenants run to thousands
  // of rows: a case for its activities, a message for its attachments, an outreach message for its
  // delivery events, a script run for its steps, a user for their sessions.
  it.each([
    ['cases', 'cas_new1500'],
    ['inbox_messages', 'msg_new1500'],
    ['outreach_messages', 'omsg_new1500'],
    ['knowledge_script_runs', 'run_new1500'],
    ['users', 'usr_new300'],
  ])("checks that a new tenant's %s row exists by a primary-key probe", async (table, id) => {
    const sql = `SELECT 1 FROM ONLY ${table} x WHERE tenant_id OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) $2 FOR KEY SHARE OF x`;
    const { rows } = await r.db.pool.query(sql, [fresh.tenantId, id]);
    expect(rows).toHaveLength(1);
    expect(await pagesTouched(r.db.pool, sql, [fresh.tenantId, id])).toBeLessThan(10);
  });
});
