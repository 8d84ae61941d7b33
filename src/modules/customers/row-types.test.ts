// The customers module reads its rows through typed shapes (platform/query-rows.ts) built from
// schema.ts. Here schema.ts is held to the migrated database, and a read whose SQL returns other
// columns than its shape declares fails: together, SQL cannot drift from schema.ts silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableName, getViewName, is, type Table, type View } from 'drizzle-orm';
import { PgTable, PgView } from 'drizzle-orm/pg-core';
import { databases, startTestApp, type TestApp } from '../../../test/helpers.js';
import { tableDrift } from '../../../test/fixtures/table-drift.js';
import { queryRows, rowOf, computedRow } from '../../platform/query-rows.js';
import * as schema from './schema.js';
import { customers } from './schema.js';

const TABLES = Object.values(schema).filter((x) => is(x, PgTable)) as Table[];
const VIEWS = Object.values(schema).filter((x) => is(x, PgView)) as View[];

describe('row shapes', () => {
  it('refuse a column schema.ts does not declare', () => {
    // @ts-expect-error: the compiler refuses it too
    expect(() => rowOf(customers, ['id', 'nickname'])).toThrow('customers has no column nickname in schema.ts');
  });
});

describe.each(databases)('customers row types on $name', ({ url }) => {
  let r: TestApp;
  beforeAll(async () => {
    r = await startTestApp(url);
  });
  afterAll(async () => r?.close());

  it('schema.ts declares every customers table as the migrations made it', async () => {
    expect(TABLES.map((t) => getTableName(t)).sort()).toEqual([
      'consent_records',
      'customer_attribute_definitions',
      'customer_identities',
      'customer_merges',
      'customer_preferences',
      'customer_spend',
      'customers',
    ]);
    for (const t of TABLES) expect(await tableDrift(r.db.pool, t)).toEqual([]);
  });

  it('schema.ts declares the views customers publishes as migration 0043 made them', async () => {
    expect(VIEWS.map((v) => getViewName(v))).toEqual(['customers_v']);
    for (const v of VIEWS) expect(await tableDrift(r.db.pool, v)).toEqual([]);
  });

  it('finds drift: a column the database has and schema.ts does not, and a type that differs', async () => {
    await r.db.pool.query('CREATE TEMP TABLE drifted (tenant_id text NOT NULL, id bigint NOT NULL, given_name text, nickname text)');
    const { pgTable, text } = await import('drizzle-orm/pg-core');
    const declared = pgTable('drifted', { tenantId: text('tenant_id').notNull(), id: text('id').notNull(), givenName: text('given_name').notNull() });
    // Temporary tables live in their own schema: read them through it.
    const drift = await tableDrift(
      { query: (q: string, v: unknown[]) => r.db.pool.query(q.replace('current_schema()', 'pg_my_temp_schema()::regnamespace::text'), v) } as never,
      declared,
    );
    expect(drift).toEqual([
      'drifted.id: schema.ts says text, the database bigint',
      'drifted.given_name: schema.ts says NOT NULL, the database nullable',
      'drifted.nickname: in the database, not in schema.ts',
    ]);
  });

  it('a read whose SQL returns other columns than its shape fails, naming them', async () => {
    const shape = rowOf(customers, ['id', 'status']);
    await expect(queryRows(r.db.pool, shape, `SELECT 'cus_1' AS id, 'active' AS state`)).rejects.toThrow('missing status; not declared state;');
    await expect(queryRows(r.db.pool, shape.and<{ n: number }>(['n']), `SELECT 'cus_1' AS id, 'active' AS status`)).rejects.toThrow('missing n;');
    expect(await queryRows(r.db.pool, shape, `SELECT 'cus_1' AS id, 'active' AS status`)).toEqual([{ id: 'cus_1', status: 'active' }]);
    expect(await queryRows(r.db.pool, computedRow<{ n: number }>(['n']), 'SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });
});
