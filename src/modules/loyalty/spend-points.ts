// Spending points: soonest-expiring available lots first. Two concurrent spends of the same points
// queue on the account lock; the second sees the first's balance and is refused.
import type pg from 'pg';
import type { WriteOutcome } from './ledger.js';
import { beginCustomerWrite, spend, spendWrite, type SpendWriteInput } from './ledger-lots.js';
import type { LoyaltyContext } from './loyalty-context.js';

export interface SpendInput {
  customerId: string;
  points: number;
  key: string;
  hash: string;
  reason?: string;
  reference?: string | null;
}

/** What a spend asked for through the API books. */
export const manualSpend = (s: SpendInput): SpendWriteInput => ({
  points: s.points,
  key: s.key,
  hash: s.hash,
  reason: s.reason ?? 'manual',
  reference: s.reference,
});

/** Points spent through the API (POST /v1/loyalty/spend): written in the tenant's next batch. */
export function spendByRequest(lc: LoyaltyContext, tenantId: string, input: Omit<SpendInput, 'hash'>) {
  return lc.batchedFor(
    tenantId,
    input.customerId,
    input.key,
    { op: 'spend', ...input },
    (hash) => {
      const s = manualSpend({ ...input, hash });
      return (account, now) => spendWrite(account, s, now);
    },
    (tx, hash, customerId) => spendPoints(tx, tenantId, { ...input, customerId, hash }, lc.clock.now()),
  );
}

export async function spendPoints(tx: pg.PoolClient, tenantId: string, s: SpendInput, now: Date): Promise<WriteOutcome> {
  const account = await beginCustomerWrite(tx, tenantId, s.customerId, s.key, now);
  const result = await spend(tx, tenantId, account, manualSpend(s), now);
  return { result };
}
