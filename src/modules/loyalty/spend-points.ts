// Spending points: soonest-expiring available lots first. Two concurrent spends of the same points
// queue on the account lock; the second sees the first's balance and is refused.
import type pg from 'pg';
import type { WriteOutcome } from './ledger.js';
import { beginCustomerWrite, spend } from './ledger-lots.js';

export interface SpendInput {
  customerId: string;
  points: number;
  key: string;
  hash: string;
  reason?: string;
  reference?: string | null;
}

export async function spendPoints(tx: pg.PoolClient, tenantId: string, s: SpendInput, now: Date): Promise<WriteOutcome> {
  const account = await beginCustomerWrite(tx, tenantId, s.customerId, s.key, now);
  const result = await spend(tx, tenantId, account, { points: s.points, key: s.key, hash: s.hash, reason: s.reason ?? 'manual', reference: s.reference }, now);
  return { result };
}
