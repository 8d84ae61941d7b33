// Tells every node on the database what one node's tenant caches forgot (tenant-cache.ts), so a change
// made through node A (a channel's settings, a programme, a rule) is seen by node B at once instead of
// when B's entry expires. The notice travels as a PostgreSQL NOTIFY after the change was written; each
// node LISTENs on one connection. A lost connection may have missed notices, so every cache here is
// emptied when it is back. Where notifications do not travel between connections (the embedded PGlite
// serves all of them from one backend) nothing is started: one process owns that database anyway, and
// another process sharing it (`rapport import`) falls back on the caches' short lifetimes.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { addForgetAnnouncer, forgetEverything, forgetHeard } from './tenant-cache.js';

const CHANNEL = 'rapport_tenant_cache';
// A key longer than a NOTIFY payload allows is never announced cut short: every cache drops everything (null).
const MAX_KEY = 7000;

export interface CacheNotices {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createCacheNotices(opts: { url: string; pool: pg.Pool; log: Logger; isEmbedded: boolean }): CacheNotices {
  // A node hears its own notices too; they carry its id and are skipped (it dropped the key already).
  const node = randomBytes(6).toString('hex');
  let listener: pg.Client | undefined;
  let removeAnnouncer: (() => void) | undefined;
  let isStopped = false;

  function announce(key: string) {
    // JSON, because a key may hold characters a NOTIFY payload cannot (keys joined with NUL).
    const payload = JSON.stringify([node, key.length > MAX_KEY ? null : key]);
    opts.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((err: Error) => opts.log.warn({ err: err.message }, 'cache notice not sent'));
  }

  function hear(payload: string) {
    let notice: unknown;
    try {
      notice = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(notice) || notice[0] === node) return;
    if (typeof notice[1] === 'string') forgetHeard(notice[1]);
    else forgetEverything();
  }

  async function connect() {
    const client = new pg.Client({ connectionString: opts.url });
    client.on('error', (err) => opts.log.warn({ err: err.message }, 'cache notice listener error'));
    client.on('end', () => {
      if (!isStopped) setTimeout(() => void reconnect(), 1000);
    });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) hear(n.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
    forgetEverything();
  }

  async function reconnect() {
    if (isStopped) return;
    try {
      await connect();
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'cache notice listener reconnect failed; retrying');
      setTimeout(() => void reconnect(), 1000);
    }
  }

  return {
    async start() {
      if (opts.isEmbedded) return;
      await connect();
      removeAnnouncer = addForgetAnnouncer(announce);
    },
    async stop() {
      isStopped = true;
      removeAnnouncer?.();
      await listener?.end().catch(() => undefined);
    },
  };
}
