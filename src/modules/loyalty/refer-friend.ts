// Referrals: a customer names a friend who has not bought yet; the friend's first purchase earns the
// referrer the programme's referral reward, once.
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { awardEngagement } from './earn-points.js';
import { invalidReferral, referralExists } from './errors.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { loyaltyReferrals } from './schema.js';

export async function referFriend(lc: LoyaltyContext, tenantId: string, referrer: string, friend: string) {
  const referrerId = await lc.resolveCustomer(tenantId, referrer, 'referrer_id');
  const friendId = await lc.resolveCustomer(tenantId, friend, 'friend_id');
  if (referrerId === friendId) throw invalidReferral(undefined, [{ field: 'friend_id', message: 'is the referrer' }]);
  // Only a friend who has not bought yet can be referred: otherwise any customer could be claimed.
  const {
    rows: [bought],
  } = await lc.pool.query(`SELECT 1 FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND reason = 'purchase' LIMIT 1`, [tenantId, friendId]);
  if (bought) throw invalidReferral('This friend is already a buying customer', [{ field: 'friend_id', message: 'already made a purchase' }]);
  const id = newId('rfl');
  const r = await lc.pool.query(
    `INSERT INTO loyalty_referrals (tenant_id, id, referrer_id, friend_id) VALUES ($1,$2,$3,$4) ON CONFLICT (tenant_id, friend_id) DO NOTHING`,
    [tenantId, id, referrerId, friendId],
  );
  if (r.rowCount !== 1) throw referralExists(undefined, [{ field: 'friend_id', message: 'already referred' }]);
  return { id, referrer_id: referrerId, friend_id: friendId, status: 'pending' };
}

/** The referrer of a friend whose first purchase just landed earns the referral reward, once. */
export async function rewardReferral(lc: LoyaltyContext, tenantId: string, friendId: string) {
  const { program } = await lc.programOf(tenantId);
  if (!program.engagement.referral) return;
  const ref = await queryRow(
    lc.pool,
    rowOf(loyaltyReferrals, ['id', 'referrer_id']),
    `SELECT id, referrer_id FROM loyalty_referrals WHERE tenant_id = $1 AND friend_id = $2 AND status = 'pending'`,
    [tenantId, friendId],
  );
  if (!ref) return;
  const key = `referral:${ref.id}`;
  const earnCtx = await lc.withProgram(tenantId);
  await lc.keyedFor(tenantId, ref.referrer_id, key, { referral: ref.id }, async (tx, hash, customerId) => {
    const out = await awardEngagement(tx, earnCtx, tenantId, { customerId, kind: 'referral', sourceId: ref.id, key, hash });
    await tx.query(`UPDATE loyalty_referrals SET status = 'rewarded', rewarded_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, ref.id, earnCtx.now]);
    return out;
  });
}
