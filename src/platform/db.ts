// The one way to PostgreSQL: node-postgres. Without DATABASE_URL an embedded PGlite is served on a
// loopback port by pglite-socket (embedded-db.ts), so the embedded and the real database share one code path.
import fs from 'node:fs';
import path from 'node:path';
import { beginPipelined } from './pipelined-transaction.js';
import { sharedEmbeddedUrl, startEmbeddedPostgres, type EmbeddedServer } from './embedded-db.js';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from 'pino';

// COUNT(*) and other int8 results fit comfortably in a double for every figure Rapport reports.
pg.types.setTypeParser(20, (v) => Number(v));

export type Queryable = pg.Pool | pg.PoolClient;

/**
 * Runs independent reads side by side on a pool, and one after another on a client: a client runs one
 * query at a time, and node-postgres deprecates queueing a second on it ("client.query() when the client
 * is already executing a query"); inside a transaction the reads must stay on its client.
 */
export async function readAll<T extends readonly unknown[]>(db: Queryable, reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (db instanceof pg.Pool) return Promise.all(reads.map((read) => read())) as unknown as Promise<T>;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as unknown as T;
}

/** Pools on a server that takes several statements before one Sync (not pglite-socket's one message at a time). */
const pipelining = new WeakSet<pg.Pool>();

export interface Database {
  pool: pg.Pool;
  /**
   * Where reads that may lag a moment go: analytics dashboards and exports, list and search screens. A
   * streaming replica when DATABASE_READ_URL names one, else the primary (the same pool). Writes, and reads
   * that must see what was just written (a resource fetched after its creation), stay on `pool`.
   */
  read: pg.Pool;
  orm: NodePgDatabase;
  url: string;
  isEmbedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(opts: { url?: string; readUrl?: string; dataDir: string; log?: Logger; max?: number }): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url = opts.url ?? sharedEmbeddedUrl(opts.dataDir);
  if (!url) {
    embedded = await startEmbeddedPostgres(opts.dataDir, opts.log);
    url = embedded.url;
    const marker = path.join(opts.dataDir, 'embedded.json');
    // The URL holds the password: readable by this user only.
    fs.writeFileSync(marker, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
    fs.chmodSync(marker, 0o600);
    const stop = embedded.stop;
    embedded.stop = async () => {
      fs.rmSync(marker, { force: true });
      await stop();
    };
  }
  // PGlite runs one statement at a time whatever the number of connections: a smaller pool costs it
  // nothing and leaves room under its connection limit for the other processes sharing it.
  const isShared = !!embedded || !opts.url || (await isPGlite(url));
  // Plans PostgreSQL keeps per connection are its own default; the writers that a new tenant's empty
  // tables would mislead ask for fresh plans per transaction (withTransaction's customPlans).
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? (isShared ? 8 : 16) });
  if (isShared) pool.on('connect', unnamedStatementsOnly);
  else pipelining.add(pool);
  // An idle client that loses its server (restart, network) emits 'error'; the pool replaces it.
  pool.on('error', (err) => opts.log?.warn({ err: err.message }, 'idle database client error'));
  // A replica serves only what a primary started with DATABASE_URL has: the embedded database has none.
  const read = opts.readUrl && opts.url ? new pg.Pool({ connectionString: opts.readUrl, max: opts.max ?? 16 }) : pool;
  if (read !== pool) read.on('error', (err) => opts.log?.warn({ err: err.message }, 'idle read replica client error'));
  return {
    pool,
    read,
    orm: drizzle(pool),
    url,
    isEmbedded: !!embedded || !opts.url,
    async close() {
      if (read !== pool) await read.end();
      await pool.end();
      await embedded?.stop();
    },
  };
}

/**
 * A statement PostgreSQL parses once per connection, then binds: for the hot writes run thousands of
 * times a second (in a transaction with customPlans it is still planned at each execution, as a plan
 * kept from a new tenant's empty tables goes bad as they grow). The name must stand for this one text.
 * On the embedded database the name is dropped (see unnamedStatementsOnly).
 */
export function prepared(name: string, text: string): (values: unknown[]) => pg.QueryConfig {
  return (values) => ({ name, text, values });
}

/**
 * pglite-socket serves every connection from one backend, so a statement one connection prepared by
 * name exists for all of them and a second connection preparing it fails ("already exists"): on the
 * embedded database each client sends its named statements unnamed.
 */
function unnamedStatementsOnly(client: pg.PoolClient) {
  const proto = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) =>
    proto.query.call(
      client,
      config && typeof config === 'object' && 'name' in config && typeof (config as { submit?: unknown }).submit !== 'function'
        ? { ...config, name: undefined }
        : config,
      ...rest,
    );
}

/** Whether a URL given to us leads to an embedded PGlite (another process's, or a test's). */
async function isPGlite(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return /PGlite/.test((await client.query('SELECT version() AS v')).rows[0].v);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

export interface TransactionOptions {
  /**
   * Plan every statement of the transaction, foreign-key checks included, for its own values and the
   * tables' sizes now, never with a plan the connection kept. For the writers whose tables a new tenant
   * grows from empty within seconds (the inbox): a plan PostgreSQL kept from the empty tables (a
   * sequential scan for the check that each message's conversation exists) stays until the next ANALYZE,
   * and meanwhile costs more with every row (the inbox bench's p99 on a fresh database: 8.7 s). Elsewhere
   * the kept plans save the planning (a fifth of the feedback bench's submissions).
   */
  customPlans?: boolean;
  /**
   * Send BEGIN with the first statement and the statements queryAtCommit holds with COMMIT (see
   * pipelined-transaction.ts): for the short, hot writes. A real PostgreSQL only; elsewhere it is ignored.
   */
  pipelined?: boolean;
}

const ATTEMPTS = 5;

/** Runs fn in one transaction, retrying on serialization failures and deadlocks. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const start = opts.customPlans ? ['BEGIN', 'SET LOCAL plan_cache_mode = force_custom_plan'] : ['BEGIN'];
  const isPipelined = !!opts.pipelined && pipelining.has(pool);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    const tx = isPipelined ? beginPipelined(client, start) : plainTransaction(client, start);
    try {
      await tx.begin();
      const result = await fn(client);
      await tx.commit();
      return result;
    } catch (err) {
      await tx.rollback().catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < ATTEMPTS) continue;
      throw err;
    } finally {
      tx.end();
      client.release();
    }
  }
}

/** BEGIN, then the statements one round trip each, then COMMIT. */
function plainTransaction(client: pg.PoolClient, start: string[]) {
  return {
    // One round trip: the settings travel with BEGIN (a simple query may hold several statements).
    begin: async () => void (await client.query(start.join('; '))),
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
    end() {},
  };
}
