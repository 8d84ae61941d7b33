// The rewards catalogue and personalised offers (a reward at its own price for one customer or for
// the customers of some tiers), and what one customer can choose from now.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z, Timestamp } from '../../platform/validation.js';
import { rewardNotFound } from './errors.js';
import { loyaltyOffers, loyaltyRewards } from './schema.js';

const Points = z.number().int('must be a whole number of points').positive('must be positive').max(100_000_000);
const TierIds = z.array(z.string().min(1).max(64)).max(50);

export const RewardInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(4000).nullable().optional(),
    cost_points: Points,
    stock: z.number().int().min(0).max(1e9).nullable().optional(),
    per_customer_limit: z.number().int().min(1).max(1e6).nullable().optional(),
    tiers: TierIds.optional(),
    valid_from: Timestamp.nullable().optional(),
    valid_until: Timestamp.nullable().optional(),
    voucher_valid_days: z.number().int().min(1).max(3650).optional(),
    is_active: z.boolean().optional(),
  })
  .strict();
export type RewardInput = z.infer<typeof RewardInput>;

export const OfferInput = z
  .object({
    reward_id: z.string().min(1).max(64),
    customer_id: z.string().min(1).max(64).nullable().optional(),
    tiers: TierIds.optional(),
    cost_points: Points.nullable().optional(),
    valid_from: Timestamp.nullable().optional(),
    valid_until: Timestamp.nullable().optional(),
  })
  .strict();
export type OfferInput = z.infer<typeof OfferInput>;

export interface Reward {
  id: string;
  name: string;
  description: string | null;
  cost_points: number;
  stock: number | null;
  per_customer_limit: number | null;
  tiers: string[];
  valid_from: string | null;
  valid_until: string | null;
  voucher_valid_days: number;
  is_active: boolean;
  created_at: string;
}

const StoredReward = rowOf(loyaltyRewards, '*');
// A customer's choice: the reward, and the offer that prices it for them (none for the catalogue's own).
const RewardOnOffer = StoredReward.and<{ offer_id: string | null; offer_cost: number | null }>(['offer_id', 'offer_cost']);

const iso = (v: Date | null) => (v ? v.toISOString() : null);

function toReward(r: typeof StoredReward.row): Reward {
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? null,
    cost_points: r.cost_points,
    stock: r.stock ?? null,
    per_customer_limit: r.per_customer_limit ?? null,
    tiers: r.tiers,
    valid_from: iso(r.valid_from),
    valid_until: iso(r.valid_until),
    voucher_valid_days: r.voucher_valid_days,
    is_active: r.is_active,
    created_at: r.created_at.toISOString(),
  };
}

export async function createReward(db: Queryable, tenantId: string, input: RewardInput): Promise<Reward> {
  const [r] = await queryRows(
    db,
    StoredReward,
    `INSERT INTO loyalty_rewards (tenant_id, id, name, description, cost_points, stock, per_customer_limit, tiers, valid_from, valid_until, voucher_valid_days, is_active)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING *`,
    [
      tenantId,
      newId('rwd'),
      input.name,
      input.description ?? null,
      input.cost_points,
      input.stock ?? null,
      input.per_customer_limit ?? null,
      input.tiers ?? [],
      input.valid_from ?? null,
      input.valid_until ?? null,
      input.voucher_valid_days ?? 30,
      input.is_active ?? true,
    ],
  );
  return toReward(r);
}

export async function updateReward(db: Queryable, tenantId: string, id: string, patch: Partial<RewardInput>): Promise<Reward> {
  const columns: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) columns[k] = v;
  const keys = Object.keys(columns);
  const r = keys.length
    ? await queryRow(
        db,
        StoredReward,
        `UPDATE loyalty_rewards SET ${keys.map((k, i) => `${k} = $${i + 3}`).join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [tenantId, id, ...keys.map((k) => columns[k])],
      )
    : await queryRow(db, StoredReward, 'SELECT * FROM loyalty_rewards WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw rewardNotFound();
  return toReward(r);
}

export async function getReward(db: Queryable, tenantId: string, id: string): Promise<Reward> {
  const r = await queryRow(db, StoredReward, 'SELECT * FROM loyalty_rewards WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw rewardNotFound();
  return toReward(r);
}

export async function listRewards(db: Queryable, tenantId: string): Promise<Reward[]> {
  const rows = await queryRows(db, StoredReward, 'SELECT * FROM loyalty_rewards WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1000', [tenantId]);
  return rows.map(toReward);
}

export async function createOffer(db: Queryable, tenantId: string, input: OfferInput) {
  const reward = await queryRow(db, rowOf(loyaltyRewards, ['id']), 'SELECT id FROM loyalty_rewards WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    input.reward_id,
  ]);
  if (!reward) throw rewardNotFound(undefined, [{ field: 'reward_id', message: 'no such reward' }]);
  const [o] = await queryRows(
    db,
    rowOf(loyaltyOffers, '*'),
    `INSERT INTO loyalty_offers (tenant_id, id, reward_id, customer_id, tiers, cost_points, valid_from, valid_until) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *`,
    [
      tenantId,
      newId('ofr'),
      input.reward_id,
      input.customer_id ?? null,
      input.tiers ?? [],
      input.cost_points ?? null,
      input.valid_from ?? null,
      input.valid_until ?? null,
    ],
  );
  return {
    id: o.id,
    reward_id: o.reward_id,
    customer_id: o.customer_id,
    tiers: o.tiers,
    cost_points: o.cost_points,
    valid_from: iso(o.valid_from),
    valid_until: iso(o.valid_until),
  };
}

/** What a customer of a given tier can choose from now: open rewards of their tier and their offers. */
export async function listCustomerRewards(db: Queryable, tenantId: string, customerId: string, tier: string | null, now: Date) {
  const rows = await queryRows(
    db,
    RewardOnOffer,
    `SELECT r.*, NULL::text AS offer_id, NULL::int AS offer_cost FROM loyalty_rewards r
      WHERE r.tenant_id = $1 AND r.is_active AND (r.valid_from IS NULL OR r.valid_from <= $4) AND (r.valid_until IS NULL OR r.valid_until > $4)
        AND (cardinality(r.tiers) = 0 OR $3 = ANY(r.tiers))
     UNION ALL
     SELECT r.*, o.id AS offer_id, o.cost_points AS offer_cost FROM loyalty_offers o JOIN loyalty_rewards r ON r.tenant_id = o.tenant_id AND r.id = o.reward_id
      WHERE o.tenant_id = $1 AND r.is_active AND (o.customer_id = $2 OR (o.customer_id IS NULL AND cardinality(o.tiers) > 0 AND $3 = ANY(o.tiers)))
        AND (o.valid_from IS NULL OR o.valid_from <= $4) AND (o.valid_until IS NULL OR o.valid_until > $4)
     ORDER BY created_at, id LIMIT 1000`,
    [tenantId, customerId, tier ?? '', now],
  );
  return rows.map((r) => ({
    ...toReward(r),
    offer_id: r.offer_id ?? null,
    cost_points: r.offer_cost ?? r.cost_points,
    in_stock: r.stock == null || r.stock > 0,
  }));
}
