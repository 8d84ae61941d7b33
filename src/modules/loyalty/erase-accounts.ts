// A customer's erasure and data export as the loyalty module answers them (customers.onErase and
// customers.addExportSection). The ledger is a financial record and holds no personal data beyond the
// customer id: erasure drops the free-form details and the referral links between people, and keeps the amounts.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { StoredRedemption, toRedemption } from './redeem-reward.js';
import { loyaltyAccounts, loyaltyTransactions } from './schema.js';

const ExportedAccount = rowOf(loyaltyAccounts, ['customer_id', 'available', 'pending', 'debt', 'tier', 'tier_since']);
const ExportedTransaction = rowOf(loyaltyTransactions, ['id', 'customer_id', 'kind', 'reason', 'points', 'reference', 'occurred_at', 'created_at']);

export async function eraseAccounts(tx: pg.PoolClient, tenantId: string, ids: string[]) {
  await tx.query('UPDATE loyalty_accounts SET is_closed = true WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  await tx.query(`UPDATE loyalty_transactions SET details = '{}', reference = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`, [tenantId, ids]);
  await tx.query('DELETE FROM loyalty_referrals WHERE tenant_id = $1 AND (referrer_id = ANY($2::text[]) OR friend_id = ANY($2::text[]))', [tenantId, ids]);
  await tx.query('DELETE FROM loyalty_offers WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  // An erased customer's refunds can no longer apply: nothing to keep them for.
  await tx.query('DELETE FROM loyalty_unapplied_refunds WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
}

/** The customers' accounts, transactions and redemptions, for their data export. */
export async function exportAccounts(pool: pg.Pool, tenantId: string, ids: string[]) {
  const accounts = await queryRows(
    pool,
    ExportedAccount,
    'SELECT customer_id, available, pending, debt, tier, tier_since FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = ANY($2::text[])',
    [tenantId, ids],
  );
  const transactions = await queryRows(
    pool,
    ExportedTransaction,
    'SELECT id, customer_id, kind, reason, points, reference, occurred_at, created_at FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at, id',
    [tenantId, ids],
  );
  const redemptions = await queryRows(
    pool,
    StoredRedemption,
    'SELECT * FROM loyalty_redemptions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at',
    [tenantId, ids],
  );
  return { accounts, transactions, redemptions: redemptions.map(toRedemption) };
}
