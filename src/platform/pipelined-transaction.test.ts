// A pipelined transaction (pipelined-transaction.ts) must mean exactly what the plain one means: the same
// rows committed, nothing committed after an error wherever it comes from (the first statement, a
// held one, COMMIT itself), the held write seen by the statements after it, and a client that goes
// back to the pool as it came. On PostgreSQL it must also take fewer round trips, counted as the
// server's ReadyForQuery answers (one per Sync).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import type pg from 'pg';
import { databases } from '../../test/helpers.js';
import { newId } from './ids.js';
import { openDatabase, prepared, withTransaction, type Database } from './db.js';
import { queryAtCommit } from './pipelined-transaction.js';

const BUMP = prepared('test-pipelined-bump', 'UPDATE pipelined_test SET n = n + $2 WHERE id = $1 RETURNING n');
const ADD = prepared('test-pipelined-add', 'INSERT INTO pipelined_test (id, n) VALUES ($1, $2)');

describe.each(databases)('pipelined transactions on $name', ({ name, url }) => {
  let db: Database;
  let syncs = 0;
  const table = 'pipelined_test';
  beforeAll(async () => {
    db = await openDatabase({ url, dataDir: os.tmpdir(), max: 4 });
    // Every client the pool hands out counts the server's ReadyForQuery: one per round trip.
    db.pool.on('connect', (c: pg.PoolClient) => {
      (c as unknown as { connection: { on(e: string, f: () => void): void } }).connection.on('readyForQuery', () => syncs++);
    });
    await db.pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, n int NOT NULL CHECK (n >= 0))`);
  });
  afterAll(async () => {
    await db?.close();
  });

  const value = async (id: string) => (await db.pool.query(`SELECT n FROM ${table} WHERE id = $1`, [id])).rows[0]?.n;
  const rounds = async (fn: () => Promise<unknown>) => {
    const before = syncs;
    await fn();
    return syncs - before;
  };

  it('commits a lock, a read and a held write, answering the statements their own rows, in fewer round trips on PostgreSQL', async () => {
    const id = newId('p');
    await db.pool.query(`INSERT INTO ${table} (id, n) VALUES ($1, 10)`, [id]);
    let seen: unknown[] = [];
    const trips = await rounds(() =>
      withTransaction(
        db.pool,
        async (tx) => {
          const locked = await tx.query(BUMP([id, 1]));
          await queryAtCommit(tx, BUMP([id, 5]));
          seen = [locked.rows, locked.rowCount, locked.command];
        },
        { pipelined: true },
      ),
    );
    expect(seen).toEqual([[{ n: 11 }], 1, 'UPDATE']);
    expect(await value(id)).toBe(16);
    // Plain: BEGIN, two statements, COMMIT. Pipelined: BEGIN with the first, the held one with COMMIT.
    expect(trips).toBe(name === 'postgres' ? 2 : 4);
    // The same work unpipelined, for the comparison.
    expect(await rounds(() => withTransaction(db.pool, async (tx) => void (await tx.query(BUMP([id, 1]))).rows))).toBe(3);
  });

  it('sends a held write before the next statement, which sees it', async () => {
    const id = newId('p');
    const n = await withTransaction(
      db.pool,
      async (tx) => {
        await queryAtCommit(tx, ADD([id, 3]));
        await queryAtCommit(tx, BUMP([id, 4]));
        return (await tx.query(`SELECT n FROM ${table} WHERE id = $1`, [id])).rows[0].n;
      },
      { pipelined: true },
    );
    expect(n).toBe(7);
    expect(await value(id)).toBe(7);
  });

  it('commits nothing when a held write fails at COMMIT, and the error is the database’s', async () => {
    const id = newId('p');
    await db.pool.query(`INSERT INTO ${table} (id, n) VALUES ($1, 1)`, [id]);
    const other = newId('p');
    const err = await withTransaction(
      db.pool,
      async (tx) => {
        await tx.query(ADD([other, 1]));
        await queryAtCommit(tx, BUMP([id, -5])); // breaks the CHECK
      },
      { pipelined: true },
    ).catch((e) => e);
    expect(err.code).toBe('23514');
    expect(await value(id)).toBe(1);
    expect(await value(other)).toBeUndefined();
  });

  it('rolls back when the code inside throws, and when the first statement fails', async () => {
    const id = newId('p');
    await expect(
      withTransaction(
        db.pool,
        async (tx) => {
          await tx.query(ADD([id, 1]));
          throw new Error('changed my mind');
        },
        { pipelined: true },
      ),
    ).rejects.toThrow('changed my mind');
    expect(await value(id)).toBeUndefined();
    const dup = newId('p');
    await db.pool.query(`INSERT INTO ${table} (id, n) VALUES ($1, 1)`, [dup]);
    const err = await withTransaction(db.pool, async (tx) => void (await tx.query(ADD([dup, 2]))), { pipelined: true }).catch((e) => e);
    expect(err.code).toBe('23505');
    // Every client is back in the pool usable, outside any transaction, with its own query again.
    const clients = await Promise.all([db.pool.connect(), db.pool.connect(), db.pool.connect(), db.pool.connect()]);
    try {
      for (const c of clients) {
        expect(Object.hasOwn(c, 'query') && name === 'postgres').toBe(false);
        await c.query('SELECT 1');
        expect((await c.query('SELECT now() = statement_timestamp() AS outside')).rows[0].outside).toBe(true);
      }
    } finally {
      for (const c of clients) c.release();
    }
  });

  it('keeps customPlans and parameterless statements, several in one text included', async () => {
    const out = await withTransaction(
      db.pool,
      async (tx) => {
        await tx.query('SELECT 1; SELECT 2');
        return (await tx.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode;
      },
      { pipelined: true, customPlans: true },
    );
    expect(out).toBe('force_custom_plan');
  });
});
