// Short write transactions in fewer round trips, on a real PostgreSQL. A points write is BEGIN, a lock,
// one write and COMMIT: four round trips for two statements that do the work, and on a small machine
// each round trip costs more CPU (a socket write and a wake-up on both sides) than the statement it
// carries. The extended query protocol lets a client send several statements before one Sync, and the
// server answers them in order, skipping the rest after an error until that Sync. So:
//
// - BEGIN (and any SET LOCAL) travels with the transaction's first statement;
// - a statement whose rows nobody reads (queryAtCommit) waits and travels with COMMIT, or with nothing
//   in front of the next statement if the transaction goes on; its error, if any, is the commit's.
//
// The points write then takes two round trips, a spend too (it takes its lots in its write statement). The code inside the transaction is
// unchanged: it calls tx.query as ever. Only on a real PostgreSQL (db.ts withTransaction decides): the
// embedded database keeps a connection's extended-protocol messages together until their Sync
// (embedded-db.ts), so it could probably take them too, but it is not tested there, and a round trip to
// PGlite inside the same process costs little next to its single-threaded statements.
import pg from 'pg';

/** The parts of node-postgres's Query this file builds on (its protocol steps, not in its types). */
interface QueryInternals {
  portal: string;
  prepare(connection: Connection): void;
  _getRows(connection: Connection, rows: number | undefined): void;
}
interface Connection {
  parse(c: { text: string; name: string }): void;
  bind(c: { portal: string; statement: string }): void;
  execute(c: { portal: string; rows?: number }): void;
  sync(): void;
}

const BaseQuery = pg.Query as unknown as new (config: object) => QueryInternals;

/** One statement sent with others that take no parameters and return no rows, before and after it, then one Sync. */
class FramedQuery extends BaseQuery {
  /** How many statements this one round trip carries (the benches count statements and round trips apart). */
  readonly statements: number;

  constructor(
    config: pg.QueryConfig,
    private readonly before: string[],
    private readonly after: string[],
    callback: (err: Error | null, result: pg.QueryResult | pg.QueryResult[]) => void,
  ) {
    super({ ...config, queryMode: 'extended', callback });
    this.statements = before.length + 1 + after.length;
  }

  prepare(connection: Connection) {
    for (const text of this.before) sendPlain(connection, text);
    super.prepare(connection);
  }

  // Called by prepare once the statement is bound: its execution, what follows it, and the one Sync.
  _getRows(connection: Connection, rows: number | undefined) {
    connection.execute({ portal: this.portal, rows });
    for (const text of this.after) sendPlain(connection, text);
    connection.sync();
  }
}

function sendPlain(connection: Connection, text: string) {
  connection.parse({ text, name: '' });
  connection.bind({ portal: '', statement: '' });
  connection.execute({ portal: '' });
}

interface Pipeline {
  /** What has not been sent of the transaction's start (BEGIN and its settings); empty once sent. */
  start: string[];
  /** The statement queryAtCommit holds back. */
  held: pg.QueryConfig | null;
  /** The client's own query, which the transaction's stands in front of. */
  send: (config: unknown) => unknown;
}

const pipelines = new WeakMap<pg.PoolClient, Pipeline>();

/** Sends one statement with the statements given around it; its result is its own, not theirs. */
function frame(p: Pipeline, config: pg.QueryConfig, after: string[]): Promise<pg.QueryResult> {
  const before = p.start;
  p.start = [];
  return new Promise((resolve, reject) => {
    p.send(
      new FramedQuery(config, before, after, (err, result) => {
        if (err) reject(err);
        else resolve(Array.isArray(result) ? result[before.length] : result);
      }),
    );
  });
}

async function flushHeld(p: Pipeline) {
  const held = p.held;
  if (!held) return;
  p.held = null;
  await frame(p, held, []);
}

function toConfig(text: unknown, values: unknown): pg.QueryConfig {
  if (typeof text === 'string') return { text, values: values as unknown[] | undefined };
  return text as pg.QueryConfig;
}

/** A transaction whose start rides on its first statement and whose held statement rides on COMMIT. */
export function beginPipelined(client: pg.PoolClient, start: string[]) {
  const own = Object.getOwnPropertyDescriptor(client, 'query');
  const send = client.query.bind(client) as (config: unknown) => unknown;
  const p: Pipeline = { start: [...start], held: null, send };
  pipelines.set(client, p);
  // Promise-style queries only, as Rapport's code makes them (a callback or a cursor has no place here).
  (client as unknown as { query: unknown }).query = async (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof callback === 'function' || typeof values === 'function' || (text && typeof (text as { submit?: unknown }).submit === 'function'))
      throw new Error('a pipelined transaction takes promise-style queries only');
    await flushHeld(p);
    const config = toConfig(text, values);
    // A text without parameters may hold several statements, which one extended-protocol message cannot.
    if (!config.name && !config.values?.length) {
      if (p.start.length) await send(p.start.splice(0).join('; '));
      return send(config);
    }
    return frame(p, config, []);
  };
  return {
    /** Nothing yet: BEGIN travels with the first statement. */
    async begin() {},
    /** Sends the held statement and COMMIT together (or COMMIT alone; nothing when nothing was sent). */
    async commit() {
      const held = p.held;
      p.held = null;
      if (held) await frame(p, held, ['COMMIT']);
      else if (!p.start.length) await send('COMMIT');
    },
    /** Rolls back what was started; a transaction that never reached the server has nothing to undo. */
    async rollback() {
      p.held = null;
      if (!p.start.length) await send('ROLLBACK');
    },
    /** Gives the client its own query back before it returns to the pool. */
    end() {
      pipelines.delete(client);
      if (own) Object.defineProperty(client, 'query', own);
      else delete (client as unknown as { query?: unknown }).query;
    },
  };
}

/**
 * Runs a statement whose rows are not needed: in a pipelined transaction it is held and sent with COMMIT
 * (or in front of the transaction's next statement), and its error is then the commit's; elsewhere it
 * runs now. Nothing in the transaction may depend on catching its error.
 */
export async function queryAtCommit(tx: pg.PoolClient, config: pg.QueryConfig): Promise<void> {
  const p = pipelines.get(tx);
  if (!p) {
    await tx.query(config);
    return;
  }
  await flushHeld(p);
  p.held = config;
}
