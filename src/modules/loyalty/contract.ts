// The loyalty module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';

export const Id = z.string().min(1).max(64);
export const CustomerIdParam = z.object({ id: Id });
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .refine((k) => !/^(event|sys|merge|cancel|engagement|referral):/.test(k), 'prefixes event:, sys:, merge:, cancel:, engagement: and referral: are reserved');
export const Points = z.number().int('must be a whole number of points').positive('must be positive').max(100_000_000);
export const Money = z.number().finite().positive('must be positive').max(1e12);
export const Balance = z.object({ available: z.number(), pending: z.number(), debt: z.number() });
export type Balance = z.infer<typeof Balance>;
/** A member's standing (GET /v1/loyalty/customers/{id}/balance). */
export const MemberBalance = z.object({
  customer_id: z.string(),
  available: z.number(),
  pending: z.number(),
  debt: z.number(),
  expiring_soon: z.object({ points: z.number(), within_days: z.number(), first_expires_at: z.string().nullable() }),
  next_expiry: z.object({ points: z.number(), expires_at: z.string() }).nullable(),
  tier: z.string().nullable(),
  tier_since: z.string().nullable(),
  tier_grace_until: z.string().nullable(),
  priority_routing: z.boolean(),
});
export type MemberBalance = z.infer<typeof MemberBalance>;
/** A member's ledger transactions in [from, to) with the balances before and after (GET .../statement). */
export const Statement = z.object({
  customer_id: z.string(),
  from: z.string(),
  to: z.string(),
  opening: Balance,
  closing: Balance,
  transactions: z.array(
    z.object({ transaction_id: z.string(), kind: z.string(), reason: z.string(), reference: z.string().nullable(), at: z.string(), change: Balance }),
  ),
});
export type Statement = z.infer<typeof Statement>;
export const LedgerResult = z
  .object({
    transaction_id: z.string(),
    customer_id: z.string(),
    kind: z.string(),
    reason: z.string(),
    points: z.number(),
    balance: Balance,
  })
  .loose()
  .meta({ id: 'LoyaltyLedgerResult' });
export type LedgerResult = z.infer<typeof LedgerResult>;
export const RuleStep = z.object({ step: z.string(), rule: z.string(), fired: z.boolean(), reason: z.string(), points: z.number() });
export type RuleStep = z.infer<typeof RuleStep>;
export const Item = z
  .object({
    category: z.string().max(200).optional(),
    price: z.number().finite().min(0).max(1e12).optional(),
    quantity: z.number().int().min(0).max(1e6).optional(),
  })
  .loose();
export const Redemption = z
  .object({
    id: z.string(),
    customer_id: z.string(),
    reward_id: z.string(),
    offer_id: z.string().nullable(),
    points: z.number(),
    voucher_code: z.string(),
    status: z.string(),
    expires_at: z.string(),
    created_at: z.string(),
    used_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
  })
  .meta({ id: 'LoyaltyRedemption' });
export type Redemption = z.infer<typeof Redemption>;
export const Reward = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    cost_points: z.number(),
    stock: z.number().nullable(),
    per_customer_limit: z.number().nullable(),
    tiers: z.array(z.string()),
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    voucher_valid_days: z.number(),
    is_active: z.boolean(),
    created_at: z.string(),
  })
  .meta({ id: 'LoyaltyReward' });
export type Reward = z.infer<typeof Reward>;

export type { Program, EngagementKind } from './program.js';
/** What a purchase would earn, rule by rule, without writing anything. */
export const DryRunResult = z.object({ tier: z.string().nullable(), points: z.number(), steps: z.array(RuleStep) });
export type DryRunResult = z.infer<typeof DryRunResult>;
/** A review of every tiered customer, run as a job. */
export const TierReview = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  reviewed: z.number().nullable(),
  changed: z.number().nullable(),
  requested_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type TierReview = z.infer<typeof TierReview>;
/** The finance view: cohorts, breakage and its basis, IFRS 15 liability, what expires soon, sales, cost per member and tier. */
export const LiabilityReport = z.object({
  value_per_point: z.number(),
  base_currency: z.string(),
  breakage_rate: z.number(),
  breakage_basis: z.enum(['history', 'assumption']),
  breakage_sample: z.object({ cohorts: z.number(), points: z.number() }),
  breakage_assumption: z.number(),
  expected_redemption_rate: z.number(),
  expected_redemption_basis: z.string(),
  points_outstanding: z.number(),
  outstanding_liability: z.number(),
  breakage_recognised: z.number(),
  expiring_soon: z.array(z.object({ within_days: z.number(), points: z.number(), face_value: z.number() })),
  sales_by_currency: z.array(
    z.object({
      currency: z.string().nullable(),
      purchases: z.number(),
      sales: z.number(),
      sales_in_base: z.number(),
      refused_purchases: z.number(),
      refused_sales: z.number(),
    }),
  ),
  members: z.number(),
  cost_per_member: z.number(),
  cohorts: z.array(
    z.object({
      cohort: z.string(),
      issued: z.number(),
      redeemed: z.number(),
      expired: z.number(),
      reversed: z.number(),
      outstanding: z.number(),
      sales: z.number(),
      allocated: z.number(),
      revenue_recognised: z.number(),
      breakage_recognised: z.number(),
      liability: z.number(),
    }),
  ),
  tiers: z.array(
    z.object({
      tier: z.string().nullable(),
      members: z.number(),
      points_issued: z.number(),
      points_redeemed: z.number(),
      cost: z.number(),
      cost_per_member: z.number(),
    }),
  ),
});
export type LiabilityReport = z.infer<typeof LiabilityReport>;
