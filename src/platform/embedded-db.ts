// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) inside this process, served on a
// loopback port by pglite-socket behind a password made for each start, so that node-postgres, and with
// it every line of Rapport's SQL, talks to it as to a real server. db.ts opens it when no DATABASE_URL
// is given.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { requirePassword } from './embedded-password.js';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(n: number): void;
  reject(e: unknown): void;
  onData(d: Uint8Array): void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(id: number): void;
  clearTransactionIfNeeded(id: number): Promise<void>;
}

// Extended-protocol messages that must reach the backend as one run, up to the client's Sync.
const EXTENDED = new Set([0x50 /* Parse */, 0x42 /* Bind */, 0x44 /* Describe */, 0x45 /* Execute */, 0x43 /* Close */, 0x48 /* Flush */]);
const SYNC = 0x53;
const QUERY = 0x51;
const PARSE = 0x50;

/**
 * pglite-socket 0.2.17 queues each wire message on its own and, outside a transaction, lets messages
 * of different connections interleave. node-postgres sends every parameterised query as
 * Parse/Bind/Describe/Execute/Sync, so two connections' statements could mix ("unnamed prepared
 * statement does not exist", or one connection binding the other's statement). This keeps one
 * connection in front from its first extended message to its Sync, as a real backend per connection
 * would, and still in front for the whole of an open transaction as pglite-socket already does.
 */
function keepExtendedQueriesTogether(
  q: QueryQueue,
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(m: Uint8Array, o: { onRawData: (d: Uint8Array) => void }): Promise<unknown>;
  },
  idle: { ms: number; end(handlerId: number, held: IdleHold): void },
): () => void {
  let sticky: number | null = null;
  // The last statements of the transaction (or unfinished extended query) in front, kept as received and
  // read only for the log of one ended as idle: the queue's every message pays for a reference, no more.
  let front: { handlerId: number; statements: Uint8Array[]; lastAt: number } | null = null;
  q.processQueue = async function processQueue() {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = sticky ?? (db.isInTransaction() ? q.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (owner != null) {
          const i = q.queue.findIndex((m) => m.handlerId === owner);
          if (i === -1) break; // wait for the owner's next message; enqueue restarts processing
          item = q.queue.splice(i, 1)[0];
        } else {
          item = q.queue.shift();
        }
        if (!item) break;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item!.message, {
              onRawData: (d) => {
                bytes += d.length;
                item!.onData(d);
              },
            }),
          );
        } catch (err) {
          item.reject(err);
          continue;
        }
        const type = item.message[0];
        if (type === SYNC || type === QUERY) sticky = null;
        else if (EXTENDED.has(type)) sticky = item.handlerId;
        q.lastHandlerId = item.handlerId;
        if (sticky !== null || db.isInTransaction()) {
          if (front?.handlerId !== item.handlerId) front = { handlerId: item.handlerId, statements: [], lastAt: 0 };
          if (type === QUERY || type === PARSE) {
            front.statements.push(item.message);
            if (front.statements.length > 8) front.statements.shift();
          }
          front.lastAt = performance.now();
        } else front = null;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };
  // PostgreSQL ends a session idle in a transaction only when told to (idle_in_transaction_session_timeout);
  // here one backend serves every connection, so a connection that opens a transaction and then never
  // speaks again (a client that lost track of it, a deadlock of the application with itself) would hold
  // every other connection for ever. Once others wait behind it for longer than idle.ms, it is ended:
  // rolled back and its connection closed, as the timeout would, and the log names its statements.
  const watchdog = setInterval(
    () => {
      const owner = sticky ?? (db.isInTransaction() ? q.lastHandlerId : null);
      if (owner === null || q.processing || !q.queue.length || q.queue.some((m) => m.handlerId === owner)) return;
      const since = front?.handlerId === owner ? front.lastAt : 0;
      if (!since || performance.now() - since < idle.ms) return;
      idle.end(owner, { idleMs: Math.round(performance.now() - since), waiting: q.queue.length, statements: (front?.statements ?? []).map(statementOf) });
      front = null;
    },
    Math.max(50, Math.min(5_000, idle.ms / 4)),
  );
  watchdog.unref();
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (id: number) => {
    if (sticky === id) sticky = null;
    clear(id);
    // A departed connection may have been the one everybody was waiting behind.
    setImmediate(() => void q.processQueue());
  };
  return () => clearInterval(watchdog);
}

export interface IdleHold {
  idleMs: number;
  /** Messages of other connections waiting behind it. */
  waiting: number;
  /** The last statements it ran (at most eight, 200 characters each). */
  statements: string[];
}

/** The text of a Query or Parse message, cut to 200 characters. */
function statementOf(m: Uint8Array): string {
  const b = Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  // Parse: the statement's name, then its text; Query: the text.
  const from = m[0] === PARSE ? b.indexOf(0, 5) + 1 : 5;
  const end = b.indexOf(0, from);
  return b
    .toString('utf8', from, Math.min(end === -1 ? b.length : end, from + 800))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/**
 * The data directory and the database files are this user's alone (0700): other local users must
 * read neither the data nor the connection URL with its password.
 */
function makePrivateDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Creates a new PGlite data directory in a short-lived child process. PGlite's initdb runs as a second
 * WebAssembly instance whose memory a process never gives back: done in the server's own process, it
 * left a fresh start's peak resident memory near 900 MB, against about 365 MB when the directory exists.
 */
async function initEmbeddedDataDir(dir: string) {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `const { PGlite } = require(${JSON.stringify(pglite)}); PGlite.create(process.argv[1]).then((db) => db.close()).catch((err) => { console.error(err.message); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script, dir], { timeout: 900_000 });
}

/** The embedded database's buffer cache (see startEmbeddedPostgres). */
const EMBEDDED_SHARED_BUFFERS = '32MB';

/**
 * Starts PGlite on 127.0.0.1 with a free port, behind a password generated for this start (the URL
 * carries it). Only one process may own a data directory.
 */
/** How long a transaction may sit idle while other connections wait behind it (see keepExtendedQueriesTogether). */
export const EMBEDDED_IDLE_IN_TRANSACTION_MS = 60_000;

export async function startEmbeddedPostgres(
  dataDir: string,
  log?: Pick<Logger, 'error' | 'info'>,
  opts: { idleInTransactionMs?: number } = {},
): Promise<EmbeddedServer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Contrib extensions a migration may CREATE: PGlite can only create those loaded here.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const dir = path.join(dataDir, 'pglite');
  makePrivateDir(dataDir);
  makePrivateDir(dir);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await initEmbeddedDataDir(dir);
  // PGlite's buffer cache lives in the process's WebAssembly memory, which never shrinks: PostgreSQL's
  // default 128 MB filled while 200,000 events were ingested and held it (peak RSS 610 MB). The files
  // are the operating system's to cache as well, so a smaller pool costs little.
  const db = await PGlite.create(dir, {
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
  // pglite-socket runs one statement at a time and keeps an open transaction's connection in front
  // of the queue, so several pool connections see the same isolation as a real server would give.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
  const inner = server as unknown as { queryQueue: QueryQueue; handlers: Set<{ handlerId: number; detach(close: boolean): Promise<unknown> }> };
  const stopWatchdog = keepExtendedQueriesTogether(inner.queryQueue, db, {
    ms: opts.idleInTransactionMs ?? EMBEDDED_IDLE_IN_TRANSACTION_MS,
    end(handlerId, held) {
      (log ?? { error: (o: object, m: string) => console.error(m, JSON.stringify(o)) }).error(
        { connection: handlerId, idle_ms: held.idleMs, waiting: held.waiting, statements: held.statements },
        'embedded database: a connection idle in a transaction held every other one; its transaction is rolled back and the connection closed',
      );
      const handler = [...inner.handlers].find((h) => h.handlerId === handlerId);
      // Detaching clears its queue and rolls its transaction back (pglite-socket), then the queue moves on.
      void (handler ? handler.detach(true) : inner.queryQueue.clearTransactionIfNeeded(handlerId)).catch(() => undefined);
    },
  });
  const password = randomBytes(24).toString('base64url');
  requirePassword(server, password);
  await server.start();
  const url = `postgres://postgres:${password}@${server.getServerConn()}/postgres?sslmode=disable`;
  log?.info({ dir }, 'embedded PostgreSQL (PGlite) started');
  return {
    url,
    async stop() {
      stopWatchdog();
      await server.stop();
      await db.close();
    },
  };
}

// Only one process may own a PGlite data directory. The owner writes where it listens, so a second
// process on the same directory (`rapport import` beside a running `npm start`) connects to it
// instead of opening the files a second time.
export function sharedEmbeddedUrl(dataDir: string): string | undefined {
  try {
    const { pid, url } = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded.json'), 'utf8'));
    process.kill(pid, 0);
    return url;
  } catch {
    return undefined;
  }
}
