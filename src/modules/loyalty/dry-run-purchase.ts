// What a purchase would earn under the tenant's programme, written nowhere: for a named customer with
// their tier and what they earned today (daily caps), or for a tier given outright.
import { computedRow, queryRows } from '../../platform/query-rows.js';
import { readAccount } from './ledger.js';
import { evaluatePurchase, type PurchaseInput } from './evaluate-purchase.js';
import type { LoyaltyContext } from './loyalty-context.js';

export async function dryRunPurchase(lc: LoyaltyContext, tenantId: string, input: { customerId?: string; tier?: string | null; purchase: PurchaseInput }) {
  const { program } = await lc.programOf(tenantId);
  let tier = input.tier ?? null;
  let pointsToday = 0;
  if (input.customerId) {
    const id = await lc.resolveCustomer(tenantId, input.customerId);
    tier = input.tier !== undefined ? input.tier : ((await readAccount(lc.pool, tenantId, id))?.tier ?? null);
    const [r] = await queryRows(
      lc.pool,
      computedRow<{ n: number }>(['n']),
      `SELECT coalesce(sum(points), 0)::int AS n FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'earn' AND reason = 'purchase' AND created_at >= date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [tenantId, id, lc.clock.now()],
    );
    pointsToday = r.n;
  }
  return { tier, ...evaluatePurchase(program, input.purchase, { tier, pointsToday }) };
}
