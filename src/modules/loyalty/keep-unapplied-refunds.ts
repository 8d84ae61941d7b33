// Refund events that arrived before their purchase. Systems send a refund and its purchase through
// different pipes, and a late purchase batch can land hours after the refund: the refund is kept here,
// listed for people, and applied by the reconciliation pass as soon as the purchase's points exist.
// Applying stays idempotent on the refund event's key, so a refund applied by another path is only
// dropped from the list.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { loyaltyUnappliedRefunds } from './schema.js';

export interface UnappliedRefund {
  event_id: string;
  customer_id: string;
  order_id: string;
  amount: number | null;
  reason: string;
  received_at: string;
  attempts: number;
  last_attempt_at: string;
}

// The amount is read as float8: the refund event's figure, not a numeric's text.
const RefundToRetry = rowOf(loyaltyUnappliedRefunds, ['event_id', 'customer_id', 'order_id', 'received_at']).and<{ amount: number | null }>(['amount']);
const KeptRefund = rowOf(loyaltyUnappliedRefunds, ['event_id', 'customer_id', 'order_id', 'reason', 'received_at', 'attempts', 'last_attempt_at']).and<{
  amount: number | null;
}>(['amount']);

export async function recordUnappliedRefund(
  pool: pg.Pool,
  tenantId: string,
  r: { eventId: string; customerId: string; orderId: string; amount: number | null; reason: string; receivedAt: Date },
  now: Date,
) {
  await pool.query(
    `INSERT INTO loyalty_unapplied_refunds (tenant_id, event_id, customer_id, order_id, amount, reason, received_at, last_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, event_id) DO UPDATE SET attempts = loyalty_unapplied_refunds.attempts + 1, reason = excluded.reason, last_attempt_at = excluded.last_attempt_at`,
    [tenantId, r.eventId, r.customerId, r.orderId, r.amount, r.reason, r.receivedAt, now],
  );
}

export async function forgetUnappliedRefund(pool: pg.Pool, tenantId: string, eventId: string) {
  await pool.query('DELETE FROM loyalty_unapplied_refunds WHERE tenant_id = $1 AND event_id = $2', [tenantId, eventId]);
}

/**
 * The kept refunds whose purchase has earned since their last attempt, as refund events to apply; kept refunds that some
 * other path applied meanwhile are dropped here.
 */
export async function listRefundsToRetry(pool: pg.Pool, tenantId: string, now: Date) {
  await pool.query(
    `DELETE FROM loyalty_unapplied_refunds u WHERE u.tenant_id = $1
        AND EXISTS (SELECT 1 FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.idempotency_key = 'event:' || u.event_id)`,
    [tenantId],
  );
  const rows = await queryRows(
    pool,
    RefundToRetry,
    `SELECT u.event_id, u.customer_id, u.order_id, u.amount::float8 AS amount, u.received_at FROM loyalty_unapplied_refunds u
      WHERE u.tenant_id = $1
        AND EXISTS (SELECT 1 FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.reference = u.order_id AND t.kind = 'earn' AND t.reason = 'purchase'
                       -- Once per purchase that earned since the last attempt: a refund that still fails waits for another.
                       AND t.created_at >= u.last_attempt_at)
      ORDER BY u.received_at, u.event_id LIMIT 500`,
    [tenantId],
  );
  return rows.map((r) => ({
    id: r.event_id,
    type: 'refund',
    customerId: r.customer_id,
    occurredAt: now,
    receivedAt: r.received_at,
    properties: { order_id: r.order_id, ...(r.amount === null ? {} : { amount: r.amount }) },
  }));
}

export async function listUnappliedRefunds(pool: pg.Pool, tenantId: string, opts: { customerId?: string; limit?: number } = {}): Promise<UnappliedRefund[]> {
  const rows = await queryRows(
    pool,
    KeptRefund,
    `SELECT event_id, customer_id, order_id, amount::float8 AS amount, reason, received_at, attempts, last_attempt_at FROM loyalty_unapplied_refunds
      WHERE tenant_id = $1 AND ($2::text IS NULL OR customer_id = $2) ORDER BY received_at, event_id LIMIT $3`,
    [tenantId, opts.customerId ?? null, opts.limit ?? 200],
  );
  return rows.map((r) => ({
    event_id: r.event_id,
    customer_id: r.customer_id,
    order_id: r.order_id,
    amount: r.amount,
    reason: r.reason,
    received_at: r.received_at.toISOString(),
    attempts: r.attempts,
    last_attempt_at: r.last_attempt_at.toISOString(),
  }));
}
