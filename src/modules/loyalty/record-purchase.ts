// A purchase reported through the API (POST /v1/loyalty/purchases) or ingested as an event: its points
// by the programme's rules, then the referral reward if it is the friend's first.
import { earnForPurchase, currencyRefusal, type PurchaseEarn } from './earn-points.js';
import type { PurchaseInput } from './evaluate-purchase.js';
import { currencyNotConfigured } from './errors.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { rewardReferral } from './refer-friend.js';

export async function recordPurchase(lc: LoyaltyContext, tenantId: string, input: Omit<PurchaseEarn, 'hash'>) {
  const earnCtx = await lc.withProgram(tenantId);
  // A caller is there to fix it: refused outright (an ingested event instead records the refusal).
  const refusal = currencyRefusal(earnCtx.settings, input.currency);
  if (refusal)
    throw currencyNotConfigured(`No points for a purchase in ${input.currency}: ${refusal}`, [
      { field: 'currency', message: `no rate to ${earnCtx.settings.base_currency} in the loyalty settings` },
    ]);
  let customerId = input.customerId;
  const r = await lc.keyedFor(
    tenantId,
    input.customerId,
    input.key,
    { op: 'purchase', ...input, occurredAt: input.occurredAt.toISOString() },
    (tx, hash, id) => {
      customerId = id;
      return earnForPurchase(tx, earnCtx, tenantId, { ...input, customerId: id, hash });
    },
  );
  await rewardReferral(lc, tenantId, customerId);
  return r;
}

/** An ingested purchase event: keyed on the event id, so the bus and the reconciliation pass may both apply it. */
export async function earnForPurchaseEvent(
  lc: LoyaltyContext,
  tenantId: string,
  e: { id: string; customerId: string; occurredAt: Date; properties: Record<string, unknown> },
) {
  const p = e.properties as { order_id: string; amount: number; currency: string; store_id?: string; items?: PurchaseInput['items'] };
  const input: Omit<PurchaseEarn, 'hash'> = {
    customerId: e.customerId,
    orderId: p.order_id,
    amount: p.amount,
    currency: p.currency,
    storeId: p.store_id,
    items: p.items,
    occurredAt: e.occurredAt,
    key: `event:${e.id}`,
  };
  const earnCtx = await lc.withProgram(tenantId);
  const r = await lc.keyedFor(tenantId, e.customerId, input.key, { event: e.id }, (tx, hash, customerId) =>
    earnForPurchase(tx, earnCtx, tenantId, { ...input, customerId, hash }),
  );
  await rewardReferral(lc, tenantId, e.customerId);
  return r;
}
