// The ledger's lots: points earned become a lot (pending until it is released, expiring or not), spent
// points are taken from lots soonest-expiring first, and a write for a customer begins by settling the
// lots that came due (released or expired) on the account it locked. See ledger.ts for the double entry.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { loyaltyLots } from './schema.js';
import { customerNotFound, insufficientPoints } from './errors.js';
import { AccountMoved, Replay } from './keyed-write.js';
import { lockAccount, commitWrite, lotsToTake, stmt, type Account, type LedgerResult, type LedgerWrite, type NewLot, type Posting } from './ledger.js';

const LotLeft = rowOf(loyaltyLots, ['id', 'remaining']);
const Taken = rowOf(loyaltyLots, ['id', 'is_released']).and<{ take: number }>(['take']);

/** Locks the account and throws the prior answer for a replayed key; the caller's write follows. */
export async function beginCustomerWrite(tx: pg.PoolClient, tenantId: string, customerId: string, key: string, now: Date): Promise<Account> {
  const { account, prior, mergedInto, isClosed } = await lockAccount(tx, tenantId, customerId, key);
  if (prior) throw new Replay(prior.hash, prior.result);
  if (mergedInto) throw new AccountMoved(mergedInto);
  if (isClosed) throw customerNotFound(undefined, [{ field: 'customer_id', message: 'no such customer' }]);
  await settleDue(tx, tenantId, account, now);
  return account;
}

/** Whether the account has lots to release or expire at `now`: the account row says when the next is. */
export const isDue = (account: Pick<Account, 'nextDueAt'>, now: Date) => !!account.nextDueAt && account.nextDueAt <= now;

/**
 * Releases pending lots whose time has come and expires lots past their expiry, for one locked
 * account, as two system transactions. Cheap when nothing is due: the account row says when.
 */
export async function settleDue(
  tx: pg.PoolClient,
  tenantId: string,
  account: Account,
  now: Date,
): Promise<{ released: number; expired: number; expiredLots: { id: string; points: number }[] }> {
  const out = { released: 0, expired: 0, expiredLots: [] as { id: string; points: number }[] };
  if (!isDue(account, now)) return out;
  const released = await queryRows(
    tx,
    LotLeft,
    `UPDATE loyalty_lots SET is_released = true WHERE tenant_id = $1 AND customer_id = $2 AND NOT is_released AND available_at <= $3 RETURNING id, remaining`,
    [tenantId, account.customerId, now],
  );
  const expired = await queryRows(
    tx,
    LotLeft,
    `WITH due AS (
       SELECT id, remaining FROM loyalty_lots
        WHERE tenant_id = $1 AND customer_id = $2 AND is_released AND remaining > 0 AND expires_at <= $3
     )
     UPDATE loyalty_lots l SET remaining = 0 FROM due WHERE l.tenant_id = $1 AND l.id = due.id RETURNING l.id, due.remaining`,
    [tenantId, account.customerId, now],
  );
  const next = await queryRow(
    tx,
    computedRow<{ at: Date | null }>(['at']),
    `SELECT least(min(available_at) FILTER (WHERE NOT is_released), min(expires_at) FILTER (WHERE remaining > 0)) AS at
       FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2 AND remaining > 0`,
    [tenantId, account.customerId],
  );
  const nextDueAt = next?.at ?? null;
  const releasing = released.filter((r) => r.remaining > 0);
  if (releasing.length) {
    out.released = releasing.reduce((s, r) => s + r.remaining, 0);
    await commitWrite(tx, tenantId, account, {
      kind: 'release',
      reason: 'pending_period_over',
      key: `sys:${newId('rel')}`,
      hash: '-',
      at: now,
      postings: releasing.flatMap(
        (r) =>
          [
            { account: 'pending', amount: -r.remaining, lotId: r.id },
            { account: 'available', amount: r.remaining, lotId: r.id },
          ] as Posting[],
      ),
      nextDueAt,
    });
  }
  if (expired.length) {
    out.expired = expired.reduce((s, r) => s + r.remaining, 0);
    out.expiredLots = expired.map((r) => ({ id: r.id, points: r.remaining }));
    await commitWrite(tx, tenantId, account, {
      kind: 'expire',
      reason: 'expiry',
      key: `sys:${newId('exp')}`,
      hash: '-',
      at: now,
      postings: [...expired.map((r) => ({ account: 'available', amount: -r.remaining, lotId: r.id }) as Posting), { account: 'expired', amount: out.expired }],
      nextDueAt,
    });
  }
  if (!releasing.length && !expired.length) {
    await tx.query('UPDATE loyalty_accounts SET next_due_at = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, account.customerId, nextDueAt]);
    account.nextDueAt = nextDueAt;
  }
  return out;
}

/** What an earn books: the points, when they become available and expire, and the transaction's own fields. */
export type EarnWriteInput = Pick<
  LedgerWrite,
  'reason' | 'key' | 'hash' | 'money' | 'currency' | 'baseMoney' | 'reference' | 'details' | 'occurredAt' | 'extra'
> & {
  points: number;
  availableAt: Date;
  expiresAt: Date | null;
};

/** Earns points: repays any debt first, the rest becomes a lot (pending until availableAt). */
export async function earn(tx: pg.PoolClient, tenantId: string, account: Account, e: EarnWriteInput, now: Date): Promise<LedgerResult> {
  return commitWrite(tx, tenantId, account, earnWrite(account, e, now));
}

/** The ledger transaction an earn writes on this account. */
export function earnWrite(account: Account, e: EarnWriteInput, now: Date): LedgerWrite {
  const repay = Math.min(e.points, account.debt);
  const net = e.points - repay;
  const isReleased = e.availableAt <= now;
  const lot: NewLot | undefined = net > 0 ? { id: newId('lot'), amount: net, availableAt: e.availableAt, isReleased, expiresAt: e.expiresAt } : undefined;
  const postings: Posting[] = [{ account: 'issued', amount: -e.points }];
  if (repay) postings.push({ account: 'debt', amount: repay });
  if (lot) postings.push({ account: isReleased ? 'available' : 'pending', amount: net, lotId: lot.id });
  return {
    kind: 'earn',
    reason: e.reason,
    key: e.key,
    hash: e.hash,
    postings,
    lot,
    money: e.money,
    currency: e.currency,
    baseMoney: e.baseMoney,
    reference: e.reference,
    details: { ...e.details, debt_repaid: repay },
    occurredAt: e.occurredAt,
    at: now,
    extra: {
      ...e.extra,
      debt_repaid: repay,
      lot_id: lot?.id ?? null,
      available_at: e.availableAt.toISOString(),
      expires_at: e.expiresAt?.toISOString() ?? null,
    },
  };
}

/** Takes points from available lots in the one order lotsToTake (ledger.ts) gives. */
export async function consumeLots(
  tx: pg.PoolClient,
  tenantId: string,
  customerId: string,
  points: number,
  opts: { lotIds?: string[]; includePending?: boolean } = {},
): Promise<{ id: string; take: number; released: boolean }[]> {
  if (points <= 0) return [];
  const rows = await queryRows(
    tx,
    Taken,
    stmt(
      'loyalty_consume_lots',
      `WITH ${lotsToTake({ tenant: '$1', customer: '$2', points: '$3', where: '($4::boolean OR is_released) AND ($5::text[] IS NULL OR id = ANY($5::text[]))' })}
     UPDATE loyalty_lots l SET remaining = l.remaining - take.take FROM take
      WHERE l.tenant_id = $1 AND l.id = take.id
     RETURNING l.id, take.take, take.is_released`,
      [tenantId, customerId, points, opts.includePending ?? false, opts.lotIds ?? null],
    ),
  );
  return rows.map((r) => ({ id: r.id, take: r.take, released: r.is_released }));
}

/** What a spend books: the points, and the transaction's own fields. */
export type SpendWriteInput = Pick<LedgerWrite, 'reason' | 'key' | 'hash' | 'reference' | 'details' | 'extra'> & { points: number };

/** Spends available points; the account row says whether there are enough before any lot is touched. */
export async function spend(tx: pg.PoolClient, tenantId: string, account: Account, s: SpendWriteInput, now: Date): Promise<LedgerResult> {
  return commitWrite(tx, tenantId, account, spendWrite(account, s, now));
}

/** The ledger transaction a spend writes on this account; 422 when it holds too few points. */
export function spendWrite(account: Account, s: SpendWriteInput, now: Date): LedgerWrite {
  if (account.available < s.points)
    throw insufficientPoints(
      `${s.points} points asked, ${account.available} available`,
      [{ field: 'points', message: `exceeds the ${account.available} available points` }],
      { available: account.available },
    );
  return {
    kind: 'spend',
    reason: s.reason,
    key: s.key,
    hash: s.hash,
    reference: s.reference,
    details: s.details,
    extra: s.extra,
    at: now,
    // The lots are taken in the write's own statement (ledger.ts), one 'available' posting per lot.
    fromLots: s.points,
    postings: [{ account: 'redeemed', amount: s.points }],
  };
}
