// The Citus plan covers every table of the migrated database, distributes every tenant table by
// tenant_id in an order Citus accepts, and every key of a tenant table includes tenant_id (Citus
// enforces no other on a distributed table). A schema with the mistakes a migration could make shows
// that the plan reports them instead of printing SQL that would fail on the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { databases, startTestApp } from './helpers.js';
import type { Rapport } from '../src/app.js';
import { planCitus, REFERENCE_TABLES } from '../src/platform/citus-plan.js';

describe.each(databases)('Citus plan on $name', ({ url }) => {
  let r: Rapport;
  beforeAll(async () => {
    r = await startTestApp(url, { jobs: false });
  });
  afterAll(async () => {
    await r?.close();
  });

  it('plans every table once, tenant tables distributed and co-located, each after what its foreign keys point at', async () => {
    const plan = await planCitus(r.db.pool);
    expect(plan.problems).toEqual([]);
    // Tables, not their partitions: distributing a partitioned table distributes its partitions, and
    // Citus distributes the ones made later (platform/partitions.ts) as they are attached.
    const { rows } = await r.db.pool.query(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`);
    expect(plan.tables.map((t) => t.name).sort()).toEqual(rows.map((t) => t.name).sort());
    // Views are not planned: a view over distributed tables is expanded into a distributed query where
    // it is read (and Citus 11 and later create it on the workers as well); the check below holds the
    // views to what makes that a single-shard query, a tenant_id column taken from tenant tables only.
    const { rows: tenantTables } = await r.db.pool.query(`SELECT DISTINCT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`);
    const distributed = plan.tables.filter((t) => t.kind === 'distributed').map((t) => t.name);
    expect(distributed.sort()).toEqual(
      tenantTables
        .map((t) => t.name)
        .filter((n) => !(n in REFERENCE_TABLES))
        .sort(),
    );
    expect(distributed).toContain('customer_events');
    expect(plan.partitioned).toEqual(['customer_events', 'listening_mentions']);
    expect(plan.sql).toContain('-- Partitioned by month, their partitions distributed with them: customer_events, listening_mentions.');
    const { rows: views } = await r.db.pool.query(`SELECT v.table_name AS name,
        EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = v.table_name AND c.column_name = 'tenant_id') AS has_tenant,
        array(SELECT DISTINCT u.table_name::text FROM information_schema.view_table_usage u WHERE u.view_schema = 'public' AND u.view_name = v.table_name ORDER BY 1) AS reads
        FROM information_schema.views v WHERE v.table_schema = 'public' ORDER BY 1`);
    expect(views.map((v) => v.name)).toEqual([
      'case_activities_v',
      'cases_v',
      'conversations_v',
      'customers_v',
      'ledger_entries_v',
      'ledger_transactions_v',
      'loyalty_accounts_v',
      'mentions_v',
      'messages_v',
      'purchases_v',
      'referrals_v',
      'survey_responses_v',
      'timeline_v',
    ]);
    for (const v of views) {
      expect(v.has_tenant, v.name).toBe(true);
      for (const t of v.reads) expect(distributed, `${v.name} reads ${t}`).toContain(t);
    }

    // The SQL: one statement per table, in the plan's order; the first distributed table anchors the rest.
    const statements = plan.sql.split('\n').filter((l) => l.startsWith('SELECT create_'));
    expect(statements).toHaveLength(plan.tables.length);
    const position = new Map(plan.tables.map((t, i) => [t.name, i]));
    for (const t of plan.tables) for (const ref of t.references) expect(position.get(ref)!, `${t.name} after ${ref}`).toBeLessThan(position.get(t.name)!);
    expect(statements[position.get('tenants')!]).toBe(`SELECT create_reference_table('tenants'); -- ${REFERENCE_TABLES.tenants}`);
    expect(statements).toContain(`SELECT create_distributed_table('customers', 'tenant_id');`);
    expect(statements).toContain(`SELECT create_distributed_table('customer_events', 'tenant_id', colocate_with => 'customers');`);
    expect(statements.filter((s) => s.includes("colocate_with => 'customers'"))).toHaveLength(distributed.length - 1);
    // pg-boss's queues and the migrations journal stay on the coordinator.
    expect(plan.sql).not.toMatch(/create_\w+\('(pgboss|drizzle)/);
    // The loyalty ledger's append-only trigger needs Citus's consent to run on shards.
    expect(plan.triggers).toContainEqual({ table: 'loyalty_entries', name: 'loyalty_entries_no_update' });
    expect(plan.sql).toContain('SET citus.enable_unsafe_triggers = on;');
  });

  it('prints the plan with `rapport db citus-plan`', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/rapport.js', 'db', 'citus-plan'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
    });
    // Other test files running at the same time make and drop their own job schemas (pgboss_<hex>) in
    // this database, and the plan names the schemas it found outside the planned one; those names are
    // left out of the comparison, everything else must match line for line.
    const withoutTestQueues = (sql: string) => sql.replace(/, pgboss_[0-9a-f]{12}\.\*/g, '');
    expect(withoutTestQueues(stdout)).toBe(withoutTestQueues((await planCitus(r.db.pool)).sql));
    expect(stdout).toContain('Found: drizzle.*');
  });

  it('finds tenant_id in every primary, unique and foreign key of every tenant table', async () => {
    // Straight from the catalogue, independent of the planner: keys without tenant_id, and foreign keys
    // between tenant tables that do not pair tenant_id with tenant_id.
    const { rows: keys } = await r.db.pool.query(
      `SELECT c.relname AS table, i.indexrelid::regclass::text AS key
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND i.indisunique AND c.relname <> ALL ($1)
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnum = ANY (i.indkey::int2[]))`,
      [Object.keys(REFERENCE_TABLES)],
    );
    expect(keys).toEqual([]);
    const { rows: fks } = await r.db.pool.query(
      `SELECT con.conrelid::regclass::text AS table, con.conname AS key
         FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
        WHERE n.nspname = 'public' AND con.contype = 'f'
          AND NOT EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) AS k(col, ref)
                            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
                            JOIN pg_attribute b ON b.attrelid = con.confrelid AND b.attnum = k.ref
                           WHERE a.attname = 'tenant_id' AND b.attname = 'tenant_id')`,
    );
    expect(fks).toEqual([]);
    const { rows: withoutKey } = await r.db.pool.query(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = c.oid AND con.contype = 'p')`,
    );
    expect(withoutKey).toEqual([]);
  });

  it('reports keys Citus could not enforce and foreign keys it would refuse', async () => {
    const schema = `citus_probe_${randomBytes(4).toString('hex')}`;
    const pool = r.db.pool;
    await pool.query(`CREATE SCHEMA ${schema}`);
    try {
      await pool.query(`
        CREATE TABLE ${schema}.customers (tenant_id text NOT NULL, id text NOT NULL, email text, PRIMARY KEY (tenant_id, id), UNIQUE (email));
        CREATE TABLE ${schema}.orders (tenant_id text NOT NULL, id text PRIMARY KEY, customer_id text, FOREIGN KEY (tenant_id, customer_id) REFERENCES ${schema}.customers (tenant_id, id));
        CREATE TABLE ${schema}.notes (tenant_id text NOT NULL, id text NOT NULL, order_id text, PRIMARY KEY (tenant_id, id), FOREIGN KEY (order_id) REFERENCES ${schema}.orders (id));
        CREATE TABLE ${schema}.countries (code text PRIMARY KEY, first_customer text, FOREIGN KEY (code, first_customer) REFERENCES ${schema}.customers (tenant_id, id));`);
      const plan = await planCitus(pool, schema);
      expect(plan.problems.sort()).toEqual([
        `countries: foreign key countries_code_first_customer_fkey points from a reference table at the distributed customers`,
        `customers: unique key ${schema}.customers_email_key does not include tenant_id`,
        `notes: foreign key notes_order_id_fkey to orders does not pair tenant_id with tenant_id`,
        `orders: primary key ${schema}.orders_pkey does not include tenant_id`,
      ]);
      expect(plan.sql).toContain('-- NOT READY');
      // countries is a reference table, yet placed after the distributed table it wrongly points at.
      expect(plan.tables.map((t) => [t.name, t.kind])).toEqual([
        ['customers', 'distributed'],
        ['countries', 'reference'],
        ['orders', 'distributed'],
        ['notes', 'distributed'],
      ]);
    } finally {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });
});
