import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { databases } from '../../test/helpers.js';
import { readAll } from './db.js';

describe.each(databases)('reads side by side on $name', ({ url }) => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: url, max: 3 });
  });
  afterAll(async () => {
    await pool.end();
  });

  /** Wraps query to record how many queries were in flight at once. */
  function watch<T extends pg.Pool | pg.PoolClient>(db: T) {
    const seen = { inFlight: 0, most: 0 };
    const query = db.query.bind(db) as (...a: unknown[]) => Promise<unknown>;
    (db as { query: unknown }).query = async (...a: unknown[]) => {
      seen.most = Math.max(seen.most, ++seen.inFlight);
      try {
        return await query(...a);
      } finally {
        seen.inFlight--;
      }
    };
    return seen;
  }

  it("never queues a second query on a transaction's client, and answers in order", async () => {
    const client = await pool.connect();
    try {
      const seen = watch(client);
      await client.query('BEGIN');
      const [a, b, c] = await readAll(client, [
        () => client.query('SELECT 1 AS n'),
        () => client.query('SELECT 2 AS n'),
        () => client.query('SELECT 3 AS n'),
      ] as const);
      await client.query('COMMIT');
      expect([a.rows[0].n, b.rows[0].n, c.rows[0].n]).toEqual([1, 2, 3]);
      expect(seen.most).toBe(1);
    } finally {
      client.release();
    }
  });

  it('runs reads on a pool side by side', async () => {
    const seen = watch(pool);
    const [a, b] = await readAll(pool, [() => pool.query('SELECT 1 AS n'), () => pool.query('SELECT 2 AS n')] as const);
    expect([a.rows[0].n, b.rows[0].n]).toEqual([1, 2]);
    expect(seen.most).toBe(2);
  });
});
