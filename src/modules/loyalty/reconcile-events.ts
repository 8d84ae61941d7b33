// The reconciliation pass: every ingested event loyalty applies, read again from the events module by
// the time it was received, so that an event the bus never delivered (a crash, a node stopping) still
// earns. A cursor per tenant remembers how far the pass got.
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { applyEventLogged, APPLIED_EVENT_TYPES } from './apply-event.js';
import { listRefundsToRetry } from './keep-unapplied-refunds.js';
import { loyaltyEventCursors, loyaltyTransactions } from './schema.js';

/** Each pass reads again this far behind its cursor: events received while the last pass ran commit late. */
const RECONCILE_OVERLAP_MS = 10 * 60_000;

/**
 * Refunds kept because their purchase had not arrived: retried once the purchase's points exist,
 * however long after the refund that was (the pass below only looks a few minutes back).
 */
async function applyUnappliedRefunds(lc: LoyaltyContext, tenantId: string) {
  let applied = 0;
  for (const e of await listRefundsToRetry(lc.pool, tenantId, lc.clock.now())) {
    await applyEventLogged(lc, tenantId, e);
    applied++;
  }
  return applied;
}

export async function reconcileEvents(lc: LoyaltyContext, tenantId: string, now = lc.clock.now()) {
  const { pool, events } = lc;
  const { isConfigured } = await lc.programOf(tenantId);
  if (!isConfigured) return 0;
  const c = await queryRow(pool, rowOf(loyaltyEventCursors, ['received_at']), 'SELECT received_at FROM loyalty_event_cursors WHERE tenant_id = $1', [tenantId]);
  let since = c ? new Date(c.received_at.getTime() - RECONCILE_OVERLAP_MS) : new Date(now.getTime() - 24 * 3600_000);
  let applied = 0;
  for (;;) {
    const batch = await events.listReceivedSince(tenantId, APPLIED_EVENT_TYPES, since, 500);
    if (!batch.length) break;
    const done = await queryRows(
      pool,
      rowOf(loyaltyTransactions, ['idempotency_key']),
      'SELECT idempotency_key FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[])',
      [tenantId, batch.map((e) => `event:${e.id}`)],
    );
    const isDone = new Set(done.map((d) => d.idempotency_key));
    for (const e of batch) {
      if (isDone.has(`event:${e.id}`)) continue;
      await applyEventLogged(lc, tenantId, e);
      applied++;
    }
    const last = batch[batch.length - 1].receivedAt;
    await pool.query(
      `INSERT INTO loyalty_event_cursors (tenant_id, received_at) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET received_at = greatest(loyalty_event_cursors.received_at, excluded.received_at), updated_at = now()`,
      [tenantId, last],
    );
    if (batch.length < 500) break;
    since = last;
  }
  return applied + (await applyUnappliedRefunds(lc, tenantId));
}
