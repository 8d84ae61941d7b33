// The tier review: every account with a tier is looked at again (tiers.ts reviewAccount), each in its
// own transaction with its account locked: downgrades after grace, upgrades a write missed.
import { withTransaction } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { BusMessage } from '../../platform/bus.js';
import { lockAccount } from './ledger.js';
import { reviewAccount } from './tiers.js';
import { qualifyingGoodwill } from './settings.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { loyaltyAccounts } from './schema.js';

export async function reviewTiers(lc: LoyaltyContext, tenantId: string, now = lc.clock.now()) {
  const { pool, bus } = lc;
  const { program, settings } = await lc.programOf(tenantId);
  const goodwill = qualifyingGoodwill(settings);
  const rows = await queryRows(
    pool,
    rowOf(loyaltyAccounts, ['customer_id']),
    'SELECT customer_id FROM loyalty_accounts WHERE tenant_id = $1 AND tier IS NOT NULL',
    [tenantId],
  );
  let changed = 0;
  for (const r of rows) {
    const msgs: BusMessage[] = [];
    await withTransaction(pool, async (tx) => {
      const { account } = await lockAccount(tx, tenantId, r.customer_id);
      const m = await reviewAccount(tx, lc.tierDeps, tenantId, account, program, now, goodwill);
      if (m) msgs.push(m);
    });
    if (msgs.length) changed++;
    bus.publish(msgs);
  }
  return { reviewed: rows.length, changed };
}
