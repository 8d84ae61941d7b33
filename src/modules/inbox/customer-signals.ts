// The customer's loyalty tier, kept in inbox_customer_signals from loyalty's events: routing reads it
// in the statement that places a new conversation. Open cases and last feedback are read from their
// modules when an agent opens a conversation (agent-context.ts), so nothing here follows them.
import type { InboxDeps } from './effects.js';

export function recordCustomerSignals({ pool, bus }: Pick<InboxDeps, 'pool' | 'bus'>) {
  // Keyed on the customer: a replayed tier change writes the same tier again.
  bus.subscribe('loyalty.tier.changed', async (msg) => {
    const p = msg.payload as { customerId: string; to: string };
    if (!p.customerId) return;
    await pool.query(
      `INSERT INTO inbox_customer_signals (tenant_id, customer_id, tier) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET tier = excluded.tier, updated_at = now()`,
      [msg.tenantId, p.customerId, p.to],
    );
  });
}
