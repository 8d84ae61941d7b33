// A merge of two customers moves the merged profile's points, lots, debt, redemptions and referrals to
// the survivor, with a transfer transaction so each customer's balance still equals the sum of its
// postings. Runs in the customers module's merging transaction (customers.onMerge).
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { lockAccount } from './ledger.js';
import type { LoyaltyContext } from './loyalty-context.js';

export async function mergeAccounts(lc: LoyaltyContext, tx: pg.PoolClient, tenantId: string, survivorId: string, mergedId: string) {
  const { rows: exists } = await tx.query('SELECT 1 FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  if (!exists.length) return;
  const [first, second] = [survivorId, mergedId].sort();
  const a1 = (await lockAccount(tx, tenantId, first, undefined, { create: true })).account;
  const a2 = (await lockAccount(tx, tenantId, second, undefined, { create: true })).account;
  const survivor = first === survivorId ? a1 : a2;
  const merged = first === mergedId ? a1 : a2;
  const txId = newId('ltx');
  const at = lc.clock.now();
  const moves: [string, string, number][] = [];
  if (merged.available) moves.push([mergedId, 'available', -merged.available], [survivorId, 'available', merged.available]);
  if (merged.pending) moves.push([mergedId, 'pending', -merged.pending], [survivorId, 'pending', merged.pending]);
  if (merged.debt) moves.push([mergedId, 'debt', merged.debt], [survivorId, 'debt', -merged.debt]);
  const result = {
    transaction_id: txId,
    kind: 'transfer',
    from: mergedId,
    to: survivorId,
    available: merged.available,
    pending: merged.pending,
    debt: merged.debt,
  };
  await tx.query(
    `INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, reference, result, occurred_at, created_at)
     VALUES ($1, $2, $3, 'transfer', 'merge', $4, '-', $5, $6, $7, $8, $8)`,
    [tenantId, txId, survivorId, `merge:${mergedId}`, merged.available + merged.pending - merged.debt, mergedId, JSON.stringify(result), at],
  );
  if (moves.length) {
    await tx.query(
      `INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, amount, created_at) SELECT $1, $2, x.c, x.a, x.n, $6 FROM unnest($3::text[], $4::text[], $5::int[]) AS x(c, a, n)`,
      [tenantId, txId, moves.map((m) => m[0]), moves.map((m) => m[1]), moves.map((m) => m[2]), at],
    );
  }
  // The survivor keeps the higher tier of the two (by threshold), so nobody loses status by merging.
  const { program } = await lc.programOf(tenantId);
  const rank = (t: string | null) => program.tiers.findIndex((x) => x.id === t);
  const tier = rank(merged.tier) > rank(survivor.tier) ? merged.tier : survivor.tier;
  await tx.query(
    `UPDATE loyalty_accounts SET available = available + $3, pending = pending + $4, debt = debt + $5, tier = $6,
            next_due_at = least(next_due_at, $7::timestamptz), updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`,
    [tenantId, survivorId, merged.available, merged.pending, merged.debt, tier, merged.nextDueAt],
  );
  await tx.query(
    `UPDATE loyalty_accounts SET available = 0, pending = 0, debt = 0, next_due_at = NULL, merged_into = $3, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`,
    [tenantId, mergedId, survivorId],
  );
  // Profiles merged into this one earlier now lead here too.
  await tx.query('UPDATE loyalty_accounts SET merged_into = $2 WHERE tenant_id = $1 AND merged_into = $3', [tenantId, survivorId, mergedId]);
  await tx.query('UPDATE loyalty_lots SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  await tx.query('UPDATE loyalty_redemptions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  await tx.query('UPDATE loyalty_referrals SET referrer_id = $2 WHERE tenant_id = $1 AND referrer_id = $3', [tenantId, survivorId, mergedId]);
  // A survivor already referred keeps that referral; the merged profile's own is dropped.
  await tx.query(
    'UPDATE loyalty_referrals SET friend_id = $2 WHERE tenant_id = $1 AND friend_id = $3 AND NOT EXISTS (SELECT 1 FROM loyalty_referrals WHERE tenant_id = $1 AND friend_id = $2)',
    [tenantId, survivorId, mergedId],
  );
}
