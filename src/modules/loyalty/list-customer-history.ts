// A member's own view of their points: every ledger transaction as what happened to their points
// (earned, pending, released, spent, expired, refunded, returned) with its reason, and the vouchers their
// redemptions issued. A voucher past its date reads as expired whatever its stored status says, since no
// job rewrites it when the day passes.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf, type RowOf } from '../../platform/query-rows.js';
import { loyaltyRedemptions, type loyaltyRewards, loyaltyTransactions } from './schema.js';

export type PointsMovement = 'earned' | 'pending' | 'released' | 'spent' | 'expired' | 'refunded' | 'returned' | 'adjusted';

export interface PointsHistoryLine {
  transaction_id: string;
  at: string;
  movement: PointsMovement;
  /** purchase, engagement:survey, redemption, surprise, referral, manual... as the ledger wrote it. */
  reason: string;
  reference: string | null;
  /** Change of available points; pending is shown separately until it is released. */
  points: number;
  pending: number;
}

export function movementOf(kind: string, change: { available: number; pending: number; debt: number }): PointsMovement {
  switch (kind) {
    case 'earn':
      return change.available > 0 || change.pending <= 0 ? 'earned' : 'pending';
    case 'release':
      return 'released';
    case 'spend':
      return 'spent';
    case 'expire':
      return 'expired';
    case 'refund':
      return 'refunded';
    case 'cancel_redemption':
      return 'returned';
    default:
      return 'adjusted';
  }
}

const HistoryLine = rowOf(loyaltyTransactions, ['id', 'kind', 'reason', 'reference', 'created_at']).and<{ available: number; pending: number; debt: number }>([
  'available',
  'pending',
  'debt',
]);

export async function listPointsHistory(db: Queryable, tenantId: string, customerId: string, limit: number): Promise<PointsHistoryLine[]> {
  const rows = await queryRows(
    db,
    HistoryLine,
    `SELECT t.id, t.kind, t.reason, t.reference, t.created_at,
            coalesce(sum(e.amount) FILTER (WHERE e.account = 'available'), 0)::int AS available,
            coalesce(sum(e.amount) FILTER (WHERE e.account = 'pending'), 0)::int AS pending,
            coalesce(-sum(e.amount) FILTER (WHERE e.account = 'debt'), 0)::int AS debt
       FROM loyalty_transactions t
       JOIN loyalty_entries e ON e.tenant_id = t.tenant_id AND e.transaction_id = t.id AND e.customer_id = t.customer_id AND e.account IN ('available', 'pending', 'debt')
      WHERE t.tenant_id = $1 AND t.customer_id = $2
      GROUP BY t.tenant_id, t.id ORDER BY t.created_at DESC, t.id DESC LIMIT $3`,
    [tenantId, customerId, limit],
  );
  return rows.map((r) => ({
    transaction_id: r.id,
    at: r.created_at.toISOString(),
    movement: movementOf(r.kind, r),
    reason: r.reason,
    reference: r.reference ?? null,
    points: r.available - r.debt,
    pending: r.pending,
  }));
}

export interface CustomerVoucher {
  redemption_id: string;
  reward_id: string;
  reward_name: string;
  code: string;
  points: number;
  status: 'issued' | 'used' | 'cancelled' | 'expired';
  issued_at: string;
  expires_at: string;
  used_at: string | null;
}

const Voucher = rowOf(loyaltyRedemptions, ['id', 'reward_id', 'voucher_code', 'points', 'status', 'created_at', 'expires_at', 'used_at']).and<
  RowOf<typeof loyaltyRewards, 'name'>
>(['name']);

export async function listCustomerVouchers(db: Queryable, tenantId: string, customerId: string, now: Date): Promise<CustomerVoucher[]> {
  const rows = await queryRows(
    db,
    Voucher,
    `SELECT d.id, d.reward_id, w.name, d.voucher_code, d.points, d.status, d.created_at, d.expires_at, d.used_at
       FROM loyalty_redemptions d JOIN loyalty_rewards w ON w.tenant_id = d.tenant_id AND w.id = d.reward_id
      WHERE d.tenant_id = $1 AND d.customer_id = $2 ORDER BY d.created_at DESC, d.id DESC LIMIT 200`,
    [tenantId, customerId],
  );
  return rows.map((r) => ({
    redemption_id: r.id,
    reward_id: r.reward_id,
    reward_name: r.name,
    code: r.voucher_code,
    points: r.points,
    status: r.status === 'issued' && r.expires_at <= now ? 'expired' : (r.status as CustomerVoucher['status']),
    issued_at: r.created_at.toISOString(),
    expires_at: r.expires_at.toISOString(),
    used_at: r.used_at ? r.used_at.toISOString() : null,
  }));
}
