// Redeeming a reward the customer chose: checks validity, tier restriction, personal offer, the
// per-customer limit and stock, spends the points and issues a unique voucher code, all in one
// transaction. Cancelling returns the points (to the lots they came from) and the stock.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { computedRow, queryRows, queryRow, rowOf } from '../../platform/query-rows.js';
import { commitWrite, type LedgerResult, type Posting, type WriteOutcome } from './ledger.js';
import { beginCustomerWrite, settleDue, spend } from './ledger-lots.js';
import { expiryFor, type Program } from './program.js';
import {
  offerNotFound,
  outOfStock,
  redemptionLimitReached,
  redemptionNotFound,
  redemptionNotCancellable,
  rewardNotFound,
  rewardUnavailable,
  voucherExpired,
  voucherNotFound,
  voucherNotUsable,
} from './errors.js';
import { loyaltyLots, loyaltyOffers, loyaltyRedemptions, loyaltyRewards } from './schema.js';

// Crockford base32 without I, L, O, U: codes read aloud at a till are not misheard.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVoucherCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (let i = 0; i < 12; i++) s += CODE_ALPHABET[bytes[i] & 31];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export interface Redemption {
  id: string;
  customer_id: string;
  reward_id: string;
  offer_id: string | null;
  points: number;
  voucher_code: string;
  status: string;
  expires_at: string;
  created_at: string;
  used_at: string | null;
  cancelled_at: string | null;
}

/** A redemption's row as stored (`SELECT *`). */
export const StoredRedemption = rowOf(loyaltyRedemptions, '*');
const Reward = rowOf(loyaltyRewards, '*');
const Offer = rowOf(loyaltyOffers, '*');
const RestoredLot = rowOf(loyaltyLots, ['id', 'expires_at']).and<{ take: number }>(['take']);

export function toRedemption(r: typeof StoredRedemption.row): Redemption {
  const iso = (v: Date | null) => (v ? v.toISOString() : null);
  return {
    id: r.id,
    customer_id: r.customer_id,
    reward_id: r.reward_id,
    offer_id: r.offer_id ?? null,
    points: r.points,
    voucher_code: r.voucher_code,
    status: r.status,
    expires_at: r.expires_at.toISOString(),
    created_at: r.created_at.toISOString(),
    used_at: iso(r.used_at),
    cancelled_at: iso(r.cancelled_at),
  };
}

const inWindow = (now: Date, from: Date | null, until: Date | null) => (!from || from <= now) && (!until || until > now);

export async function redeemReward(
  tx: pg.PoolClient,
  tenantId: string,
  r: { customerId: string; rewardId: string; offerId?: string; key: string; hash: string },
  now: Date,
): Promise<WriteOutcome<LedgerResult & { redemption: Redemption }>> {
  const account = await beginCustomerWrite(tx, tenantId, r.customerId, r.key, now);
  const reward = await queryRow(tx, Reward, 'SELECT * FROM loyalty_rewards WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, r.rewardId]);
  if (!reward) throw rewardNotFound(undefined, [{ field: 'reward_id', message: 'no such reward' }]);
  if (!reward.is_active || !inWindow(now, reward.valid_from, reward.valid_until))
    throw rewardUnavailable('This reward is not offered now', [{ field: 'reward_id', message: 'not active or outside its validity' }]);
  let cost = reward.cost_points;
  let tiers = reward.tiers;
  if (r.offerId) {
    const offer = await queryRow(tx, Offer, 'SELECT * FROM loyalty_offers WHERE tenant_id = $1 AND id = $2 AND reward_id = $3', [
      tenantId,
      r.offerId,
      r.rewardId,
    ]);
    if (!offer || (offer.customer_id && offer.customer_id !== r.customerId))
      throw offerNotFound(undefined, [{ field: 'offer_id', message: 'no such offer for this customer and reward' }]);
    if (!inWindow(now, offer.valid_from, offer.valid_until))
      throw rewardUnavailable('This offer is not valid now', [{ field: 'offer_id', message: 'outside its validity' }]);
    if (offer.tiers.length && !offer.tiers.includes(account.tier ?? ''))
      throw rewardUnavailable('This offer is for other tiers', [{ field: 'offer_id', message: `not offered to tier ${account.tier ?? 'none'}` }]);
    cost = offer.cost_points ?? cost;
    // A personal offer opens the reward to its audience whatever the reward's own tier restriction.
    tiers = [];
  }
  if (tiers.length && !tiers.includes(account.tier ?? ''))
    throw rewardUnavailable(`This reward is for tiers ${tiers.join(', ')}`, [
      { field: 'reward_id', message: `not available to tier ${account.tier ?? 'none'}` },
    ]);
  if (reward.per_customer_limit != null) {
    const [c] = await queryRows(
      tx,
      computedRow<{ n: number }>(['n']),
      `SELECT count(*)::int AS n FROM loyalty_redemptions WHERE tenant_id = $1 AND customer_id = $2 AND reward_id = $3 AND status <> 'cancelled'`,
      [tenantId, r.customerId, r.rewardId],
    );
    if (c.n >= reward.per_customer_limit)
      throw redemptionLimitReached(`At most ${reward.per_customer_limit} per customer`, [{ field: 'reward_id', message: 'per-customer limit reached' }]);
  }
  if (reward.stock != null) {
    if (reward.stock <= 0) throw outOfStock(undefined, [{ field: 'reward_id', message: 'out of stock' }]);
    await tx.query('UPDATE loyalty_rewards SET stock = stock - 1 WHERE tenant_id = $1 AND id = $2', [tenantId, r.rewardId]);
  }
  const id = newId('red');
  const expiresAt = new Date(now.getTime() + reward.voucher_valid_days * 86_400_000);
  const spent = await spend(
    tx,
    tenantId,
    account,
    { points: cost, key: r.key, hash: r.hash, reason: 'redemption', reference: r.rewardId, details: { redemption_id: id }, extra: { redemption_id: id } },
    now,
  );
  const [row] = await queryRows(
    tx,
    StoredRedemption,
    `INSERT INTO loyalty_redemptions (tenant_id, id, customer_id, reward_id, offer_id, points, voucher_code, status, expires_at, transaction_id, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,'issued',$8,$9,$10) RETURNING *`,
    [tenantId, id, r.customerId, r.rewardId, r.offerId ?? null, cost, newVoucherCode(), expiresAt, spent.transaction_id, now],
  );
  const redemption = toRedemption(row);
  // The stored answer of the spend carries the redemption too, so a replay answers the same.
  await tx.query('UPDATE loyalty_transactions SET result = result || $3::jsonb WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    spent.transaction_id,
    JSON.stringify({ redemption }),
  ]);
  return { result: { ...spent, redemption } };
}

export async function cancelRedemption(
  tx: pg.PoolClient,
  tenantId: string,
  program: Program,
  redemptionId: string,
  hash: string,
  now: Date,
): Promise<WriteOutcome<LedgerResult & { redemption: Redemption }>> {
  const found = await queryRow(tx, rowOf(loyaltyRedemptions, ['customer_id']), 'SELECT customer_id FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    redemptionId,
  ]);
  if (!found) throw redemptionNotFound();
  const key = `cancel:${redemptionId}`;
  const account = await beginCustomerWrite(tx, tenantId, found.customer_id, key, now);
  const [red] = await queryRows(tx, StoredRedemption, 'SELECT * FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
    tenantId,
    redemptionId,
  ]);
  if (red.status !== 'issued') throw redemptionNotCancellable(`This redemption is ${red.status}`);
  // A cancelled redemption is undone, not paid back: the points return to the lots they were spent from,
  // with those lots' own expiry, so the finance view sees them as never redeemed rather than as newly
  // issued. Points whose lot expired meanwhile expire at once (the settlement below books it).
  const restored = await queryRows(
    tx,
    RestoredLot,
    `WITH taken AS (
       SELECT lot_id, (-sum(amount))::int AS take FROM loyalty_entries
        WHERE tenant_id = $1 AND transaction_id = $2 AND account = 'available' AND amount < 0 AND lot_id IS NOT NULL GROUP BY lot_id
     )
     UPDATE loyalty_lots l SET remaining = l.remaining + taken.take FROM taken
      WHERE l.tenant_id = $1 AND l.id = taken.lot_id RETURNING l.id, taken.take, l.expires_at`,
    [tenantId, red.transaction_id],
  );
  const points = red.points;
  const back = restored.reduce((n, x) => n + x.take, 0);
  // Only a spend the ledger cannot trace to lots (none is written so) leaves a rest: it gets a lot of its own.
  const lot = back < points ? { id: newId('lot'), amount: points - back, availableAt: now, isReleased: true, expiresAt: expiryFor(program, now) } : undefined;
  const postings: Posting[] = [
    { account: 'redeemed', amount: -points },
    ...restored.map((x) => ({ account: 'available', amount: x.take, lotId: x.id }) as Posting),
  ];
  if (lot) postings.push({ account: 'available', amount: lot.amount, lotId: lot.id });
  const dues = [account.nextDueAt, lot?.expiresAt, ...restored.map((x) => x.expires_at)].filter((d): d is Date => !!d);
  const result = await commitWrite(tx, tenantId, account, {
    kind: 'cancel_redemption',
    reason: 'redemption_cancelled',
    key,
    hash,
    reference: red.reward_id,
    lot,
    postings,
    details: { redemption_id: redemptionId, restored_lots: restored.map((x) => x.id) },
    at: now,
    nextDueAt: dues.length ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null,
  });
  const settled = await settleDue(tx, tenantId, account, now);
  if (settled.expired)
    Object.assign(result, { balance: { available: account.available, pending: account.pending, debt: account.debt }, expired_on_return: settled.expired });
  const [row] = await queryRows(
    tx,
    StoredRedemption,
    `UPDATE loyalty_redemptions SET status = 'cancelled', cancelled_at = $3, cancel_transaction_id = $4 WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, redemptionId, now, result.transaction_id],
  );
  await tx.query('UPDATE loyalty_rewards SET stock = stock + 1 WHERE tenant_id = $1 AND id = $2 AND stock IS NOT NULL', [tenantId, red.reward_id]);
  const redemption = toRedemption(row);
  const after = settled.expired ? { balance: result.balance, expired_on_return: settled.expired } : {};
  await tx.query('UPDATE loyalty_transactions SET result = result || $3::jsonb WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    result.transaction_id,
    JSON.stringify({ redemption, ...after }),
  ]);
  return { result: { ...result, redemption } };
}

/** Marks a voucher used at the till: unknown 404, expired 410, already used or cancelled 409. */
export async function useVoucher(db: pg.Pool, tenantId: string, code: string, now: Date): Promise<Redemption> {
  const used = await queryRow(
    db,
    StoredRedemption,
    `UPDATE loyalty_redemptions SET status = 'used', used_at = $3 WHERE tenant_id = $1 AND voucher_code = $2 AND status = 'issued' AND expires_at > $3 RETURNING *`,
    [tenantId, code.trim().toUpperCase(), now],
  );
  if (used) return toRedemption(used);
  const r = await queryRow(
    db,
    rowOf(loyaltyRedemptions, ['status', 'expires_at']),
    'SELECT status, expires_at FROM loyalty_redemptions WHERE tenant_id = $1 AND voucher_code = $2',
    [tenantId, code.trim().toUpperCase()],
  );
  if (!r) throw voucherNotFound(undefined, [{ field: 'code', message: 'no such voucher' }]);
  if (r.status === 'issued') throw voucherExpired(`This voucher expired at ${r.expires_at.toISOString()}`, [{ field: 'code', message: 'expired' }]);
  throw voucherNotUsable(`This voucher is ${r.status}`, [{ field: 'code', message: r.status }]);
}
