// The one statement counter of the benches: from the first call on, every query any node-postgres client
// of this process sends is counted, as statements and as round trips. A pipelined transaction's query
// carries BEGIN or COMMIT with it (platform/pipelined-transaction.ts): one round trip, several statements.
import fs from 'node:fs';
import pg from 'pg';

export interface QueryCounts {
  statements: number;
  roundTrips: number;
}

let counts: QueryCounts | undefined;

/** Starts counting (once per process) and returns the live counts. `logFile` appends each statement's text to it. */
export function countQueries(opts: { logFile?: string } = {}): QueryCounts {
  if (counts) return counts;
  const c: QueryCounts = { statements: 0, roundTrips: 0 };
  counts = c;
  const log = opts.logFile ? fs.openSync(opts.logFile, 'a') : null;
  const query = pg.Client.prototype.query;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string; statements?: number };
    c.roundTrips++;
    c.statements += (typeof q === 'object' && q?.statements) || 1;
    if (log !== null) fs.writeSync(log, `${(typeof q === 'string' ? q : (q?.text ?? '')).replace(/\s+/g, ' ').slice(0, 300)}\n`);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  };
  return c;
}
