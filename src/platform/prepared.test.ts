import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import { databases } from '../../test/helpers.js';
import { openDatabase, prepared, withTransaction, type Database } from './db.js';

const ADD = prepared('test-prepared-add', 'SELECT $1::int + $2::int AS sum');

describe.each(databases)('prepared statements on $name', ({ name, url }) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url, dataDir: os.tmpdir(), max: 4 });
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs one named statement on several connections at once, binding new values each time', async () => {
    const clients = await Promise.all([db.pool.connect(), db.pool.connect(), db.pool.connect()]);
    try {
      for (let round = 0; round < 3; round++) {
        const sums = await Promise.all(clients.map(async (c, i) => (await c.query(ADD([i, round]))).rows[0].sum));
        expect(sums).toEqual([round, 1 + round, 2 + round]);
      }
      // On PostgreSQL each connection prepared it once; the embedded database is sent it unnamed.
      const { rows } = await clients[0].query("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'test-prepared-add'");
      expect(rows[0].n).toBe(name === 'postgres' ? 1 : 0);
    } finally {
      for (const c of clients) c.release();
    }
  });

  it('plans each execution afresh in a transaction that asks for it, and only there', async () => {
    // A kept plan made on an empty table (a foreign-key check's sequential scan) slowed every later
    // batch of a new tenant's inbox by 1.4 ms a row once the table had grown (db.ts, withTransaction).
    const mode = async (q: { query(sql: string): Promise<{ rows: { plan_cache_mode: string }[] }> }) =>
      (await q.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode;
    expect(await withTransaction(db.pool, (tx) => mode(tx), { customPlans: true })).toBe('force_custom_plan');
    expect(await withTransaction(db.pool, (tx) => mode(tx))).toBe('auto');
    // The setting ends with its transaction: the connection goes back to the pool as it was.
    const clients = await Promise.all([db.pool.connect(), db.pool.connect(), db.pool.connect(), db.pool.connect()]);
    try {
      for (const c of clients) expect(await mode(c)).toBe('auto');
    } finally {
      for (const c of clients) c.release();
    }
  });
});
