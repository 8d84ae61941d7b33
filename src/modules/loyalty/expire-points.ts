// Expiry and its warning, run by pg-boss jobs. Expiry settles every account with something due (the
// same settlement every write does for its own account first); the warning publishes points.expiring
// once per lot, warning_days before the lot expires, for outreach.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { BusMessage } from '../../platform/bus.js';
import { lockAccount } from './ledger.js';
import { settleDue } from './ledger-lots.js';
import type { Program } from './program.js';
import { loyaltyAccounts, loyaltyLots } from './schema.js';

const DueAccount = rowOf(loyaltyAccounts, ['tenant_id', 'customer_id']);
const WarnedLot = rowOf(loyaltyLots, ['id', 'customer_id', 'remaining', 'expires_at']);

export async function settleAccount(pool: pg.Pool, tenantId: string, customerId: string, now: Date) {
  return withTransaction(pool, async (tx) => {
    const { account } = await lockAccount(tx, tenantId, customerId, undefined, { create: true });
    return settleDue(tx, tenantId, account, now);
  });
}

/** Settles accounts with due lots, a batch at a time; returns how many accounts it settled. */
export async function runExpiry(
  pool: pg.Pool,
  now: Date,
  opts: { tenantId?: string; batch?: number } = {},
): Promise<{ accounts: number; expired: number; released: number }> {
  const out = { accounts: 0, expired: 0, released: 0 };
  for (;;) {
    const rows = await queryRows(
      pool,
      DueAccount,
      `SELECT tenant_id, customer_id FROM loyalty_accounts WHERE next_due_at <= $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY next_due_at LIMIT $3`,
      [now, opts.tenantId ?? null, opts.batch ?? 500],
    );
    if (!rows.length) return out;
    for (const r of rows) {
      const s = await settleAccount(pool, r.tenant_id, r.customer_id, now);
      out.accounts++;
      out.expired += s.expired;
      out.released += s.released;
    }
    if (rows.length < (opts.batch ?? 500)) return out;
  }
}

export type TimelineAppender = (
  tx: pg.PoolClient,
  tenantId: string,
  entries: { id: string; customerId: string; type: string; source: string; properties: Record<string, unknown> }[],
) => Promise<unknown>;

/** Marks lots expiring within the warning window as warned and returns one message per customer. */
export async function warnExpiring(pool: pg.Pool, tenantId: string, program: Program, append: TimelineAppender, now: Date): Promise<BusMessage[]> {
  const horizon = new Date(now.getTime() + program.expiry.warning_days * 86_400_000);
  return withTransaction(pool, async (tx) => {
    const rows = await queryRows(
      tx,
      WarnedLot,
      `WITH due AS (
         SELECT id FROM loyalty_lots
          WHERE tenant_id = $1 AND remaining > 0 AND warned_at IS NULL AND expires_at IS NOT NULL AND expires_at > $2 AND expires_at <= $3
          FOR UPDATE SKIP LOCKED
       )
       UPDATE loyalty_lots l SET warned_at = $2 FROM due WHERE l.tenant_id = $1 AND l.id = due.id
       RETURNING l.id, l.customer_id, l.remaining, l.expires_at`,
      [tenantId, now, horizon],
    );
    const byCustomer = new Map<string, { points: number; expiresAt: Date; lots: string[] }>();
    for (const r of rows) {
      // Only lots with an expiry are warned (the WHERE above).
      const expiresAt = r.expires_at!;
      const c = byCustomer.get(r.customer_id) ?? { points: 0, expiresAt, lots: [] };
      c.points += r.remaining;
      if (expiresAt < c.expiresAt) c.expiresAt = expiresAt;
      c.lots.push(r.id);
      byCustomer.set(r.customer_id, c);
    }
    const entries = [...byCustomer].map(([customerId, c]) => ({
      id: `loyalty:expiring:${c.lots.sort()[0]}`,
      customerId,
      type: 'points.expiring',
      source: 'loyalty',
      properties: { points: c.points, expires_at: c.expiresAt.toISOString() },
    }));
    if (entries.length) await append(tx, tenantId, entries);
    return [...byCustomer].map(([customerId, c]) => ({
      type: 'points.expiring',
      tenantId,
      payload: { customerId, points: c.points, expiresAt: c.expiresAt.toISOString() },
    }));
  });
}
