// The inbox's hot statements must plan as index probes whatever the statistics say: a new tenant whose
// rows arrived after the last ANALYZE looks, to the planner, like a tenant with a row or two, and a
// plan that reads "all of the tenant's rows" then reads tens of thousands of them per batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, pagesTouched, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { activeCustomersSql } from '../customers/index.js';
import { STORED_DELIVERIES } from './receive-message.js';

const SIZE = 1000;

describe.each(databases)('inbox plans without statistics on $name', ({ url }) => {
  let r: TestApp;
  let fresh: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url);
    const old = await createTestTenant(r);
    fresh = await createTestTenant(r);
    const q = (sql: string, params: unknown[] = []) => r.db.pool.query(sql, params);
    // Statistics taken while only the old tenant had rows; then the new tenant grows past them.
    const grow = async (tenantId: string, prefix: string) => {
      await q(`INSERT INTO customers (tenant_id, id, created_at, updated_at) SELECT $1, $2 || g, now(), now() FROM generate_series(1, ${SIZE}) g`, [
        tenantId,
        `cus_${prefix}`,
      ]);
      await q(`INSERT INTO customer_preferences (tenant_id, customer_id) SELECT $1, $2 || g FROM generate_series(1, ${SIZE}) g`, [tenantId, `cus_${prefix}`]);
      await q(`INSERT INTO inbox_conversations (tenant_id, id, customer_id, reply_token) VALUES ($1, $2, $3, $4)`, [
        tenantId,
        `cnv_${prefix}`,
        `cus_${prefix}1`,
        `tok_${prefix}`,
      ]);
      await q(
        `INSERT INTO inbox_conversations (tenant_id, id, customer_id, reply_token, created_at)
           SELECT $1, $2 || g, $3 || g, $2 || g, now() FROM generate_series(2, ${SIZE}) g`,
        [tenantId, `cnv_${prefix}`, `cus_${prefix}`],
      );
      await q(
        `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, external_id)
               SELECT $1, $2 || g, $3, $4, 'in', 'sms', 'chn_bench', 'customer', 'hi', 'SM' || $2 || g FROM generate_series(1, ${SIZE * 5}) g`,
        [tenantId, `msg_${prefix}`, `cnv_${prefix}`, `cus_${prefix}1`],
      );
    };
    await grow(old.tenantId, 'old');
    await q('ANALYZE customers, customer_preferences, inbox_conversations, inbox_messages');
    await grow(fresh.tenantId, 'new');
  });
  afterAll(async () => r?.close());

  it("checks a batch's customers by a primary-key probe each, not by reading all of the new tenant's customers", async () => {
    const sql = activeCustomersSql('SELECT unnest($2::text[])');
    const asked = ['cus_new10', 'cus_new900', 'cus_new77', 'cus_nobody'];
    const { rows } = await r.db.pool.query(sql, [fresh.tenantId, asked]);
    expect(rows.map((x) => x.id).sort()).toEqual(['cus_new10', 'cus_new77', 'cus_new900']);
    // A probe is a few pages per id; the tenant's customers alone fill dozens of pages.
    expect(await pagesTouched(r.db.pool, sql, [fresh.tenantId, asked])).toBeLessThan(40);
  });

  it("checks that a new tenant's message or assignment has its conversation by a primary-key probe, not by reading the tenant's conversations", async () => {
    // The shape of PostgreSQL's own foreign-key check, run for every message and assignment a batch
    // stores. With another index led by tenant_id alone (customer_idx once was), the planner, which
    // believes a new tenant has a row or two, found it as cheap as the primary key and took it: every
    // check then read all of the tenant's conversations (5 ms a row at 5,000 conversations).
    const sql = 'SELECT 1 FROM ONLY inbox_conversations x WHERE tenant_id OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) $2 FOR KEY SHARE OF x';
    const { rows } = await r.db.pool.query(sql, [fresh.tenantId, 'cnv_new500']);
    expect(rows).toHaveLength(1);
    expect(await pagesTouched(r.db.pool, sql, [fresh.tenantId, 'cnv_new500'])).toBeLessThan(10);
  });

  it("finds a batch's stored deliveries by a probe each, not by reading all of the new tenant's messages", async () => {
    const channels = ['chn_bench', 'chn_bench', 'chn_other'];
    const externals = ['SMmsg_new4999', 'SMnot-stored', 'SMmsg_new5'];
    const { rows } = await r.db.pool.query(STORED_DELIVERIES, [fresh.tenantId, channels, externals]);
    expect(rows.map((x) => x.id)).toEqual(['msg_new4999']);
    expect(await pagesTouched(r.db.pool, STORED_DELIVERIES, [fresh.tenantId, channels, externals])).toBeLessThan(40);
  });
});
