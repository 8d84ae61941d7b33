// Verified API keys remembered for a short while, so a machine client sending many requests (an ingest
// job, a till earning points) costs no key lookup per request. Correctness rests on invalidation:
// revoking a key NOTIFYs every server process on the database, and each drops the key at once. While
// this process is not LISTENing (starting, connection lost and not yet back) nothing is cached, and
// every (re)connection starts from an empty cache, so a revocation is never missed. Where notifications
// do not travel between connections (the embedded PGlite serves all of them from one backend; a
// pooler in transaction mode) the cache stays off. Console sessions are not cached: a user's role or
// account can change in more ways than a key can.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Principal } from './auth.js';

const CHANNEL = 'rapport_api_keys';
/** A backstop for a key revoked behind the server's back (an operator's SQL). */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface KeyCache {
  get(tokenHash: string): Principal | undefined;
  /** Taken before a key is looked up: a revocation heard after it keeps that lookup out of the cache. */
  mark(): number;
  set(tokenHash: string, principal: Principal, mark: number): void;
  /** Drops a key here and tells every other process; call after the revocation committed. */
  revoked(db: pg.Pool, tenantId: string, keyId: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const keyName = (tenantId: string, keyId: string) => `${tenantId}.${keyId}`;

export function createKeyCache(opts: { url: string; pool: pg.Pool; log: Logger; isEmbedded: boolean }): KeyCache {
  const entries = new Map<string, { principal: Principal; until: number }>();
  let listener: pg.Client | undefined;
  let isListening = false;
  let isStopped = false;

  let revocations = 0;

  function drop(name: string) {
    revocations++;
    for (const [hash, e] of entries) if (keyName(e.principal.tenantId, e.principal.id) === name) entries.delete(hash);
  }

  async function connect() {
    const client = new pg.Client({ connectionString: opts.url });
    client.on('error', (err) => opts.log.warn({ err: err.message }, 'api key cache listener error'));
    client.on('end', () => {
      isListening = false;
      revocations++;
      entries.clear();
      if (!isStopped) reconnect();
    });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) drop(n.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
    entries.clear();
    isListening = await hearsOthers(client);
    if (!isListening) opts.log.warn('notifications between database connections do not arrive: API keys are looked up on every request');
  }

  /** Whether a NOTIFY sent on another connection reaches this listener (not through PGlite's shared backend). */
  async function hearsOthers(client: pg.Client): Promise<boolean> {
    const probe = `probe.${randomBytes(8).toString('hex')}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        client.off('notification', on);
        resolve(false);
      }, 2000);
      const on = (n: pg.Notification) => {
        if (n.payload !== probe) return;
        clearTimeout(timer);
        client.off('notification', on);
        resolve(true);
      };
      client.on('notification', on);
    });
    await opts.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, probe]);
    return heard;
  }

  function reconnect() {
    setTimeout(() => {
      if (isStopped) return;
      connect().catch((err) => {
        opts.log.warn({ err: (err as Error).message }, 'api key cache listener reconnect failed; retrying');
        reconnect();
      });
    }, 1000);
  }

  return {
    get(tokenHash) {
      const e = entries.get(tokenHash);
      if (!e) return undefined;
      if (!isListening || e.until < performance.now()) {
        entries.delete(tokenHash);
        return undefined;
      }
      return e.principal;
    },
    mark: () => revocations,
    set(tokenHash, principal, mark) {
      if (!isListening || mark !== revocations) return;
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      // A cache entry's life is real elapsed time (monotonic), not a product decision about "now".
      entries.set(tokenHash, { principal, until: performance.now() + TTL_MS });
    },
    async revoked(db, tenantId, keyId) {
      const name = keyName(tenantId, keyId);
      drop(name);
      await db.query('SELECT pg_notify($1, $2)', [CHANNEL, name]);
    },
    // PGlite serves every connection from one backend: notifications do not travel between them.
    start: () => (opts.isEmbedded ? Promise.resolve() : connect()),
    async stop() {
      isStopped = true;
      isListening = false;
      entries.clear();
      await listener?.end().catch(() => undefined);
    },
  };
}
