// A refund reverses the points its purchase earned, in proportion to the money refunded (cumulatively
// over partial refunds). Points come back from the purchase's own lots first (pending or available),
// then from other available points, soonest-expiring first; what is left, because it was already
// spent, becomes a debt that the next earnings repay. The available balance never goes below zero.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { commitWrite, type Posting, type WriteOutcome } from './ledger.js';
import { beginCustomerWrite, consumeLots } from './ledger-lots.js';
import { purchaseNotFound } from './errors.js';
import { loyaltyLots, loyaltyTransactions } from './schema.js';

// Money as float8 for the proportions below; base is the money in the base currency (the money itself before conversion existed).
const PurchaseMove = rowOf(loyaltyTransactions, ['id', 'kind', 'points']).and<{ money: number | null; base: number | null }>(['money', 'base']);

export interface RefundInput {
  customerId: string;
  orderId: string;
  /** Money refunded; without it, the whole purchase. */
  amount?: number;
  key: string;
  hash: string;
}

export async function refundPurchase(tx: pg.PoolClient, tenantId: string, r: RefundInput, now: Date): Promise<WriteOutcome> {
  const account = await beginCustomerWrite(tx, tenantId, r.customerId, r.key, now);
  const rows = await queryRows(
    tx,
    PurchaseMove,
    `SELECT id, kind, points, money::float8 AS money, coalesce(base_money, money)::float8 AS base FROM loyalty_transactions
      WHERE tenant_id = $1 AND reference = $2 AND customer_id = $3 AND ((kind = 'earn' AND reason = 'purchase') OR kind = 'refund')`,
    [tenantId, r.orderId, r.customerId],
  );
  const earns = rows.filter((x) => x.kind === 'earn');
  if (!earns.length)
    throw purchaseNotFound(`No points were earned for order ${r.orderId}`, [{ field: 'order_id', message: 'no purchase with points for this customer' }]);
  const earned = earns.reduce((s, x) => s + x.points, 0);
  const paid = earns.reduce((s, x) => s + (x.money ?? 0), 0);
  const paidInBase = earns.reduce((s, x) => s + (x.base ?? 0), 0);
  const refunds = rows.filter((x) => x.kind === 'refund');
  const reversedSoFar = -refunds.reduce((s, x) => s + x.points, 0);
  const refundedSoFar = -refunds.reduce((s, x) => s + (x.money ?? 0), 0);
  const refundMoney = Math.min(r.amount ?? paid - refundedSoFar, Math.max(0, paid - refundedSoFar));
  const share = paid > 0 ? Math.min(1, (refundedSoFar + refundMoney) / paid) : 1;
  const toReverse = Math.max(0, Math.min(earned - reversedSoFar, Math.round(earned * share) - reversedSoFar));

  const lots = await queryRows(tx, rowOf(loyaltyLots, ['id']), 'SELECT id FROM loyalty_lots WHERE tenant_id = $1 AND transaction_id = ANY($2::text[])', [
    tenantId,
    earns.map((x) => x.id),
  ]);
  const own = await consumeLots(tx, tenantId, r.customerId, toReverse, { lotIds: lots.map((l) => l.id), includePending: true });
  const fromOwn = own.reduce((s, t) => s + t.take, 0);
  const availableLeft = account.available - own.filter((t) => t.released).reduce((s, t) => s + t.take, 0);
  const others = await consumeLots(tx, tenantId, r.customerId, Math.min(toReverse - fromOwn, availableLeft));
  const fromOthers = others.reduce((s, t) => s + t.take, 0);
  const debt = toReverse - fromOwn - fromOthers;
  const postings: Posting[] = [...own, ...others].map((t) => ({ account: t.released ? 'available' : 'pending', amount: -t.take, lotId: t.id }));
  if (debt) postings.push({ account: 'debt', amount: -debt });
  if (toReverse) postings.push({ account: 'reversed', amount: toReverse });
  const result = await commitWrite(tx, tenantId, account, {
    // The refund is in the purchase's currency and converts at the purchase's own rate.
    kind: 'refund',
    reason: 'purchase_refund',
    key: r.key,
    hash: r.hash,
    reference: r.orderId,
    money: -refundMoney,
    postings,
    baseMoney: paid > 0 ? -Math.round((refundMoney * paidInBase * 100) / paid) / 100 : 0,
    details: { reversed: toReverse, debt },
    extra: { order_id: r.orderId, reversed: toReverse, debt_added: debt },
    at: now,
  });
  return { result };
}
