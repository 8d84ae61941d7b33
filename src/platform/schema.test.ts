// A typed read (query-rows.ts) is checked by the compiler against schema.ts, so the platform's schema.ts
// must say what the migrations made; test/schema-matches-database.test.ts holds the modules' to it, this
// the platform's own tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableName, is, type Table } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { databases, startTestApp, type TestApp } from '../../test/helpers.js';
import { tableDrift } from '../../test/fixtures/table-drift.js';
import * as schema from './schema.js';

const tables = Object.values(schema).filter((x) => is(x, PgTable)) as Table[];

describe.each(databases)('platform schema.ts against the migrated database on $name', ({ url }) => {
  let r: TestApp;
  beforeAll(async () => {
    r = await startTestApp(url, { jobs: false });
  });
  afterAll(async () => r?.close());

  it.each(tables.map((t) => [getTableName(t), t] as const))('declares %s as the migrations made it', async (_name, t) => {
    expect(await tableDrift(r.db.pool, t)).toEqual([]);
  });
});
