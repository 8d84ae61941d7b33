// One ingested event applied to the ledger: a purchase earns, a refund takes its points back (or waits
// for its purchase), a location may draw a surprise, engagement earns its points. Idempotent on the
// event id, so the bus and the reconciliation pass may both apply the same event.
import { AppError } from '../../platform/errors.js';
import { awardEngagement, awardSurprise, givesSurprises } from './earn-points.js';
import { refundPurchase } from './refund-purchase.js';
import { recordUnappliedRefund, forgetUnappliedRefund } from './keep-unapplied-refunds.js';
import type { EngagementKind } from './program.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { earnForPurchaseEvent } from './record-purchase.js';

/** How far from now a location event may be and still earn a surprise. */
const SURPRISE_WINDOW_MS = 10 * 60_000;

export type IngestedEvent = { id: string; type: string; customerId: string; occurredAt: Date; properties: Record<string, unknown>; receivedAt?: Date };

/** The event types loyalty applies, as the bus and the reconciliation pass deliver them. */
export const APPLIED_EVENT_TYPES = ['purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed'];

/** Engagement points (a review, a check-in, an answered survey, a shared post) when the programme gives them. */
export async function engagementFromEvent(lc: LoyaltyContext, tenantId: string, kind: EngagementKind, customerId: string, sourceId: string) {
  const { program, isConfigured, settings } = await lc.programOf(tenantId);
  if (!isConfigured || !program.engagement[kind]) return undefined;
  const key = `engagement:${kind}:${sourceId}`;
  const earnCtx = { ...lc.tierDeps, program, settings, now: lc.clock.now() };
  return lc.keyedFor(tenantId, customerId, key, { kind, source: sourceId }, (tx, hash, id) =>
    awardEngagement(tx, earnCtx, tenantId, { customerId: id, kind, sourceId, key, hash }),
  );
}

/** Applies one ingested event; idempotent on the event id, so the bus and the reconciliation pass may both call it. */
export async function applyEvent(lc: LoyaltyContext, tenantId: string, e: IngestedEvent) {
  const { program, isConfigured, settings } = await lc.programOf(tenantId);
  if (!isConfigured) return;
  const { clock, pool } = lc;
  switch (e.type) {
    case 'purchase':
      await earnForPurchaseEvent(lc, tenantId, e);
      return;
    case 'refund': {
      const p = e.properties as { order_id: string; amount?: number };
      const key = `event:${e.id}`;
      try {
        await lc.keyedFor(tenantId, e.customerId, key, { event: e.id }, (tx, hash, customerId) =>
          refundPurchase(tx, tenantId, { customerId, orderId: p.order_id, amount: p.amount, key, hash }, clock.now()),
        );
      } catch (err) {
        // A refund ahead of its purchase is kept (and listed) until the purchase's points exist.
        if (!(err instanceof AppError && err.code === 'LOYALTY_PURCHASE_NOT_FOUND')) throw err;
        await recordUnappliedRefund(
          pool,
          tenantId,
          {
            eventId: e.id,
            customerId: e.customerId,
            orderId: p.order_id,
            amount: p.amount ?? null,
            reason: err.message,
            receivedAt: e.receivedAt ?? clock.now(),
          },
          clock.now(),
        );
        throw err;
      }
      await forgetUnappliedRefund(pool, tenantId, e.id);
      return;
    }
    case 'location': {
      if (!givesSurprises(program)) return;
      // A surprise rewards being at the store now: an old location (an import, a late batch, the
      // reconciliation pass over history) pays nothing, or switching the rule on spends the budget on the past.
      if (Math.abs(clock.now().getTime() - e.occurredAt.getTime()) > SURPRISE_WINDOW_MS) return;
      const p = e.properties as { lat: number; lng: number };
      const key = `event:${e.id}`;
      const earnCtx = { ...lc.tierDeps, program, settings, now: clock.now() };
      // No surprise is no write: nothing is stored, and a replay draws the same again.
      await lc.keyedFor(
        tenantId,
        e.customerId,
        key,
        { event: e.id },
        async (tx, hash, customerId) =>
          (await awardSurprise(tx, earnCtx, tenantId, { customerId, eventId: e.id, lat: p.lat, lng: p.lng, key, hash })) ?? { result: undefined },
      );
      return;
    }
    case 'review':
    case 'check_in':
    case 'profile_completed':
      await engagementFromEvent(lc, tenantId, e.type, e.customerId, e.id);
  }
}

/** applyEvent, with a failure logged instead of thrown (the next reconciliation pass retries it). */
export async function applyEventLogged(lc: LoyaltyContext, tenantId: string, e: IngestedEvent) {
  try {
    await applyEvent(lc, tenantId, e);
  } catch (err) {
    // A refund that arrives before its purchase is retried by the next reconciliation pass.
    const level = err instanceof AppError ? 'info' : 'error';
    lc.log[level]({ err: (err as Error).message, event: e.id, type: e.type }, 'loyalty could not apply an event yet');
  }
}
