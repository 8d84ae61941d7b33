// A keyed ledger write: one transaction per request key, the first answer for a retry of it, 422 for the
// key used again with another request. Idempotency rides on the ledger's own row: each transaction
// stores its key (unique per tenant), the hash of the request and the answer given (ledger.ts).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { BusMessage } from '../../platform/bus.js';
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { idempotencyKeyReused, insufficientPoints } from './errors.js';
import type { WriteOutcome } from './ledger.js';
import { loyaltyTransactions } from './schema.js';

const Prior = rowOf(loyaltyTransactions, ['request_hash', 'result']);

/** The account row does not exist yet: the caller checks the customer and creates it. */
export class AccountMissing extends Error {
  constructor(readonly customerId: string) {
    super('loyalty account missing');
  }
}

/** The customer was merged: the write belongs to the survivor's account. */
export class AccountMoved extends Error {
  constructor(readonly survivorId: string) {
    super('loyalty account moved');
  }
}

/** A replayed key: the first answer, as stored. */
export class Replay extends Error {
  constructor(
    readonly hash: string,
    readonly result: unknown,
  ) {
    super('replay');
  }
}

/** A stable digest of what a write asked for, to tell a retry from a different request under one key. */
export function hashRequest(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object' && !(v instanceof Date))
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/**
 * Runs a keyed ledger write: one pipelined transaction (BEGIN goes with the lock, the write with COMMIT:
 * two round trips for an earn or a spend, not four and five; platform/pipelined-transaction.ts),
 * the first answer for a replayed key, 422 for the key reused with a different request, 422 for a balance
 * the database refused to take below zero.
 */
export async function runKeyedWrite<T>(
  pool: pg.Pool,
  tenantId: string,
  key: string,
  hash: string,
  fn: (tx: pg.PoolClient) => Promise<WriteOutcome<T>>,
): Promise<{ result: T; replayed: boolean; publish: BusMessage[] }> {
  try {
    const out = await withTransaction(pool, async (tx) => fn(tx), { pipelined: true });
    return { result: out.result, replayed: false, publish: out.publish ?? [] };
  } catch (err) {
    let prior: { hash: string; result: unknown } | undefined;
    if (err instanceof Replay) prior = { hash: err.hash, result: err.result };
    else if (err instanceof AccountMissing || err instanceof AccountMoved) throw err;
    else {
      const row = await queryRow(pool, Prior, 'SELECT request_hash, result FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = $2', [
        tenantId,
        key,
      ]);
      if (row) prior = { hash: row.request_hash, result: row.result };
    }
    if (!prior) {
      if ((err as { code?: string }).code === '23514' && /available_nonnegative|remaining_in_range/.test(String((err as { constraint?: string }).constraint)))
        throw insufficientPoints();
      throw err;
    }
    if (prior.hash !== hash) throw idempotencyKeyReused(undefined, [{ field: 'idempotency_key', message: 'already used with a different request' }]);
    return { result: prior.result as T, replayed: true, publish: [] };
  }
}
