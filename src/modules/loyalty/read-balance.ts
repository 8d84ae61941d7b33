// Balances and statements. Balances come from the account row the ledger keeps in step with its
// postings; "expiring soon" is read from the lots. A statement lists a period's transactions with the
// opening and closing balances summed from the postings themselves. Transactions written in one database
// transaction share their time: the postings' identity column keeps them in the order they were made.
import type { Queryable } from '../../platform/db.js';
import type { Program } from './program.js';

export async function readBalance(db: Queryable, tenantId: string, customerId: string, program: Program, now: Date) {
  const horizon = new Date(now.getTime() + program.expiry.warning_days * 86_400_000);
  const { rows: [a] } = await db.query('SELECT available, pending, debt, tier, tier_since FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2', [tenantId, customerId]);
  const { rows: [soon] } = await db.query(
    `SELECT coalesce(sum(remaining), 0)::int AS points, min(expires_at) AS first
       FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2 AND remaining > 0 AND is_released AND expires_at > $3 AND expires_at <= $4`,
    [tenantId, customerId, now, horizon],
  );
  const tier = program.tiers.find((t) => t.id === a?.tier);
  return {
    customer_id: customerId,
    available: a?.available ?? 0,
    pending: a?.pending ?? 0,
    debt: a?.debt ?? 0,
    expiring_soon: { points: soon.points as number, within_days: program.expiry.warning_days, first_expires_at: soon.first ? new Date(soon.first).toISOString() : null },
    tier: a?.tier ?? null,
    tier_since: a?.tier_since ? new Date(a.tier_since).toISOString() : null,
    priority_routing: tier?.priority_routing ?? false,
  };
}

const CUSTOMER_SIDE = `account IN ('available', 'pending', 'debt')`;

export async function readStatement(db: Queryable, tenantId: string, customerId: string, from: Date, to: Date) {
  const { rows: [opening] } = await db.query(
    `SELECT coalesce(sum(amount) FILTER (WHERE account = 'available'), 0)::int AS available,
            coalesce(sum(amount) FILTER (WHERE account = 'pending'), 0)::int AS pending,
            coalesce(-sum(amount) FILTER (WHERE account = 'debt'), 0)::int AS debt
       FROM loyalty_entries WHERE tenant_id = $1 AND customer_id = $2 AND ${CUSTOMER_SIDE} AND created_at < $3`,
    [tenantId, customerId, from],
  );
  const { rows } = await db.query(
    `SELECT t.id, t.kind, t.reason, t.reference, t.created_at, t.occurred_at,
            coalesce(sum(e.amount) FILTER (WHERE e.account = 'available'), 0)::int AS available,
            coalesce(sum(e.amount) FILTER (WHERE e.account = 'pending'), 0)::int AS pending,
            coalesce(-sum(e.amount) FILTER (WHERE e.account = 'debt'), 0)::int AS debt
       FROM loyalty_transactions t
       JOIN loyalty_entries e ON e.tenant_id = t.tenant_id AND e.transaction_id = t.id AND e.customer_id = $2 AND e.${CUSTOMER_SIDE}
      WHERE t.tenant_id = $1 AND t.id IN (
        SELECT transaction_id FROM loyalty_entries WHERE tenant_id = $1 AND customer_id = $2 AND created_at >= $3 AND created_at < $4)
      GROUP BY t.tenant_id, t.id ORDER BY t.created_at, min(e.id) LIMIT 5000`,
    [tenantId, customerId, from, to],
  );
  const closing = { ...opening };
  const lines = rows.map((r) => {
    closing.available += r.available;
    closing.pending += r.pending;
    closing.debt += r.debt;
    return {
      transaction_id: r.id as string, kind: r.kind as string, reason: r.reason as string, reference: (r.reference as string | null) ?? null,
      at: new Date(r.created_at).toISOString(), change: { available: r.available as number, pending: r.pending as number, debt: r.debt as number },
    };
  });
  return { customer_id: customerId, from: from.toISOString(), to: to.toISOString(), opening, closing, transactions: lines };
}
