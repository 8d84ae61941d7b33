// A typed read (platform/query-rows.ts) is checked by the compiler against the module's schema.ts, so
// schema.ts must say what the migrations made: here every table of the modules whose reads are typed,
// and every view a module publishes for others to read, is held to the migrated database. (The
// customers module's own check is src/modules/customers/row-types.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableName, getViewName, is, type Table, type View } from 'drizzle-orm';
import { PgTable, PgView } from 'drizzle-orm/pg-core';
import { databases, startTestApp, type TestApp } from './helpers.js';
import { tableDrift } from './fixtures/table-drift.js';

const modulesDir = path.resolve(import.meta.dirname, '../src/modules');
/** The modules whose hand-written reads go through typed row shapes: all of them. */
const TYPED = fs.readdirSync(modulesDir).filter((m) => fs.existsSync(path.join(modulesDir, m, 'schema.ts')));

async function schemaOf(module: string) {
  return Object.values(await import(path.join(modulesDir, module, 'schema.ts'))) as unknown[];
}

describe.each(databases)('schema.ts against the migrated database on $name', ({ url }) => {
  let r: TestApp;
  beforeAll(async () => {
    r = await startTestApp(url, { jobs: false });
  });
  afterAll(async () => r?.close());

  it.each(TYPED)('declares every table of %s as the migrations made it', async (module) => {
    const tables = (await schemaOf(module)).filter((x) => is(x, PgTable)) as Table[];
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(await tableDrift(r.db.pool, t), getTableName(t)).toEqual([]);
  });

  it("declares every view a module publishes in that module's schema.ts, as the migrations made it", async () => {
    const declared: View[] = [];
    for (const m of fs.readdirSync(modulesDir).filter((m) => fs.existsSync(path.join(modulesDir, m, 'schema.ts'))))
      declared.push(...((await schemaOf(m)).filter((x) => is(x, PgView)) as View[]));
    for (const v of declared) expect(await tableDrift(r.db.pool, v), getViewName(v)).toEqual([]);
    const { rows } = await r.db.pool.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.views WHERE table_schema = current_schema() ORDER BY 1',
    );
    expect(rows.map((v) => v.name)).toEqual(declared.map((v) => getViewName(v)).sort());
  });
});
