// Balances and statements. Balances come from the account row the ledger keeps in step with its
// postings, corrected by the lots that came due since it was settled; "expiring soon" and the next
// expiry are read from the lots. A statement lists a period's transactions with the
// opening and closing balances summed from the postings themselves. Transactions written in one database
// transaction share their time: the postings' identity column keeps them in the order they were made.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { Program } from './program.js';
import { loyaltyAccounts, loyaltyTransactions } from './schema.js';

const Standing = rowOf(loyaltyAccounts, ['available', 'pending', 'debt', 'tier', 'tier_since', 'tier_grace_until', 'next_due_at']);
const LotFigures = computedRow<{
  soon_points: number;
  soon_first: Date | null;
  next_at: Date | null;
  expired_unsettled: number;
  released_unsettled: number;
  released_unexpired: number;
}>(['soon_points', 'soon_first', 'next_at', 'expired_unsettled', 'released_unsettled', 'released_unexpired']);
/** A customer's change of available, pending and debt points (debt counted up). */
type Change = { available: number; pending: number; debt: number };
const CHANGE: (keyof Change)[] = ['available', 'pending', 'debt'];
const StatementLine = rowOf(loyaltyTransactions, ['id', 'kind', 'reason', 'reference', 'created_at', 'occurred_at']).and<Change>(CHANGE);

export async function readBalance(db: Queryable, tenantId: string, customerId: string, program: Program, now: Date) {
  const horizon = new Date(now.getTime() + program.expiry.warning_days * 86_400_000);
  const a = await queryRow(
    db,
    Standing,
    'SELECT available, pending, debt, tier, tier_since, tier_grace_until, next_due_at FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2',
    [tenantId, customerId],
  );
  // The account row is as of the last settlement (a write, or the expiry job every few minutes). Lots
  // that came due since are counted as the settlement will book them, releases first, then expiries:
  // a balance never offers points that have expired, even before the job has run.
  const isDue = !!a?.next_due_at && a.next_due_at <= now;
  const [lots] = await queryRows(
    db,
    LotFigures,
    `SELECT coalesce(sum(remaining) FILTER (WHERE expires_at > $3 AND expires_at <= $4 AND (is_released OR available_at <= $3)), 0)::int AS soon_points,
            min(expires_at) FILTER (WHERE expires_at > $3 AND expires_at <= $4 AND (is_released OR available_at <= $3)) AS soon_first,
            min(expires_at) FILTER (WHERE expires_at > $3) AS next_at,
            coalesce(sum(remaining) FILTER (WHERE $5 AND is_released AND expires_at <= $3), 0)::int AS expired_unsettled,
            coalesce(sum(remaining) FILTER (WHERE $5 AND NOT is_released AND available_at <= $3), 0)::int AS released_unsettled,
            coalesce(sum(remaining) FILTER (WHERE $5 AND NOT is_released AND available_at <= $3 AND (expires_at IS NULL OR expires_at > $3)), 0)::int AS released_unexpired
       FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2 AND remaining > 0`,
    [tenantId, customerId, now, horizon, isDue],
  );
  const nextAt = lots.next_at;
  const [next] = nextAt
    ? await queryRows(
        db,
        computedRow<{ points: number }>(['points']),
        'SELECT coalesce(sum(remaining), 0)::int AS points FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2 AND remaining > 0 AND expires_at = $3',
        [tenantId, customerId, nextAt],
      )
    : [{ points: 0 }];
  const tier = program.tiers.find((t) => t.id === a?.tier);
  return {
    customer_id: customerId,
    available: (a?.available ?? 0) - lots.expired_unsettled + lots.released_unexpired,
    pending: (a?.pending ?? 0) - lots.released_unsettled,
    debt: a?.debt ?? 0,
    expiring_soon: {
      points: lots.soon_points,
      within_days: program.expiry.warning_days,
      first_expires_at: lots.soon_first ? lots.soon_first.toISOString() : null,
    },
    /** The next expiry whatever its distance: how many points and when. */
    next_expiry: nextAt ? { points: next.points, expires_at: nextAt.toISOString() } : null,
    tier: a?.tier ?? null,
    tier_since: a?.tier_since ? a.tier_since.toISOString() : null,
    /** Set when a review found the customer below their tier: they keep it until then, unless they requalify. */
    tier_grace_until: a?.tier_grace_until ? a.tier_grace_until.toISOString() : null,
    priority_routing: tier?.priority_routing ?? false,
  };
}

const CUSTOMER_SIDE = `account IN ('available', 'pending', 'debt')`;

export async function readStatement(db: Queryable, tenantId: string, customerId: string, from: Date, to: Date) {
  const [opening] = await queryRows(
    db,
    computedRow<Change>(CHANGE),
    `SELECT coalesce(sum(amount) FILTER (WHERE account = 'available'), 0)::int AS available,
            coalesce(sum(amount) FILTER (WHERE account = 'pending'), 0)::int AS pending,
            coalesce(-sum(amount) FILTER (WHERE account = 'debt'), 0)::int AS debt
       FROM loyalty_entries WHERE tenant_id = $1 AND customer_id = $2 AND ${CUSTOMER_SIDE} AND created_at < $3`,
    [tenantId, customerId, from],
  );
  const rows = await queryRows(
    db,
    StatementLine,
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
      transaction_id: r.id,
      kind: r.kind,
      reason: r.reason,
      reference: r.reference ?? null,
      at: r.created_at.toISOString(),
      change: { available: r.available, pending: r.pending, debt: r.debt },
    };
  });
  return { customer_id: customerId, from: from.toISOString(), to: to.toISOString(), opening, closing, transactions: lines };
}
