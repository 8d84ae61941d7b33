// The programme document: earning rules, expiry, tiers and finance settings as data, validated by one
// Zod schema and stored per tenant. Rules are evaluated in the fixed order documented in
// evaluate-purchase.ts.
import type { Queryable } from '../../platform/db.js';
import { z } from '../../platform/validation.js';

const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : -');
const Rate = z.number().finite().min(0).max(1000);
const WholePoints = z.number().int().min(0).max(100_000_000);
const Instant = z.iso.datetime({ offset: true });

export const PurchaseRate = z.object({
  id: Id,
  // Every condition given must hold; the most specific matching rate wins (see evaluate-purchase.ts).
  tier: Id.optional(),
  category: z.string().min(1).max(200).optional(),
  store_id: z.string().min(1).max(200).optional(),
  rate: Rate,
});

export const Campaign = z
  .object({
    id: Id,
    multiplier: z.number().finite().min(0).max(100),
    starts_at: Instant,
    ends_at: Instant,
    tier: Id.optional(),
    category: z.string().min(1).max(200).optional(),
    store_id: z.string().min(1).max(200).optional(),
  })
  .refine((c) => c.starts_at < c.ends_at, { message: 'must end after it starts', path: ['ends_at'] });

export const EngagementRule = z.object({
  points: WholePoints,
  // Anti-farming limits, each per customer; one reward per source (review id, response id...) always.
  max_per_day: z.number().int().min(0).optional(),
  max_per_month: z.number().int().min(0).optional(),
  max_total: z.number().int().min(0).optional(),
});

export const ENGAGEMENT_KINDS = ['review', 'survey', 'referral', 'share', 'check_in', 'profile_completed'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

export const Tier = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  // Qualifying points or spend (per the qualification metric) needed to reach this tier.
  threshold: z.number().finite().min(0),
  earn_multiplier: z.number().finite().min(0).max(100).default(1),
  // Benefit read by the inbox's routing.
  priority_routing: z.boolean().default(false),
});

export const Geofence = z.object({
  store_id: z.string().min(1).max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  radius_m: z.number().positive().max(100_000),
});

export const Program = z
  .object({
    // Monetary value of one point when redeemed, in the programme currency: the finance view's unit.
    point_value: z.number().finite().min(0).max(1e6).default(0.01),
    // Used until history can tell (no redeemed or expired points yet).
    expected_redemption_rate: z.number().min(0).max(1).default(0.8),
    // Purchase points stay pending for the return window.
    pending_days: z.number().int().min(0).max(365).default(0),
    expiry: z
      .object({
        policy: z.enum(['never', 'fixed_days', 'end_of_month', 'end_of_year']).default('never'),
        // fixed_days: days after earning. end_of_month: the end of the month `months` after the earning's month.
        // end_of_year: the end of the year `years` after the earning's year.
        days: z.number().int().min(1).max(36500).default(365),
        months: z.number().int().min(0).max(1200).default(12),
        years: z.number().int().min(0).max(100).default(1),
        warning_days: z.number().int().min(0).max(365).default(30),
      })
      .default({ policy: 'never', days: 365, months: 12, years: 1, warning_days: 30 }),
    purchase: z
      .object({
        base_rate: Rate.default(1),
        rates: z.array(PurchaseRate).max(1000).default([]),
        campaigns: z.array(Campaign).max(200).default([]),
        caps: z
          .object({
            per_purchase: WholePoints.optional(),
            per_customer_per_day: WholePoints.optional(),
          })
          .default({}),
      })
      .default({ base_rate: 1, rates: [], campaigns: [], caps: {} }),
    engagement: z.partialRecord(z.enum(ENGAGEMENT_KINDS), EngagementRule).default({}),
    location_surprise: z
      .object({
        stores: z.array(Geofence).max(10_000).default([]),
        probability: z.number().min(0).max(1).default(0),
        points: WholePoints.default(0),
        // Total surprise points a tenant gives in a calendar month.
        monthly_budget: WholePoints.default(0),
        max_per_customer_per_day: z.number().int().min(0).default(1),
      })
      .optional(),
    tiers: z.array(Tier).max(50).default([]),
    tier_qualification: z
      .object({
        metric: z.enum(['points', 'spend']).default('points'),
        window: z.enum(['rolling', 'calendar_year']).default('rolling'),
        rolling_days: z.number().int().min(1).max(3650).default(365),
        // A customer below their tier at a review keeps it until this many days later.
        grace_days: z.number().int().min(0).max(3650).default(0),
      })
      .default({ metric: 'points', window: 'rolling', rolling_days: 365, grace_days: 0 }),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.tiers.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', message: 'tier ids must be unique', path: ['tiers', i, 'id'] });
      ids.add(t.id);
    });
  })
  .meta({ id: 'LoyaltyProgram' });
export type Program = z.infer<typeof Program>;

export const DEFAULT_PROGRAM: Program = Program.parse({});

export async function saveProgram(db: Queryable, tenantId: string, program: Program): Promise<Program> {
  await db.query(
    `INSERT INTO loyalty_programs (tenant_id, rules) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET rules = excluded.rules, version = loyalty_programs.version + 1, updated_at = now()`,
    [tenantId, JSON.stringify(program)],
  );
  return program;
}

/** Tiers sorted from the lowest threshold up. */
export function sortedTiers(p: Program) {
  return [...p.tiers].sort((a, b) => a.threshold - b.threshold);
}

/** When points earned at `at` expire under the programme's policy (UTC calendar). */
export function expiryFor(p: Program, at: Date): Date | null {
  const e = p.expiry;
  switch (e.policy) {
    case 'never':
      return null;
    case 'fixed_days':
      return new Date(at.getTime() + e.days * 86_400_000);
    // The last millisecond of the month `months` later: the first instant of the next month minus 1 ms.
    case 'end_of_month':
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + e.months + 1, 1) - 1);
    case 'end_of_year':
      return new Date(Date.UTC(at.getUTCFullYear() + e.years + 1, 0, 1) - 1);
  }
}
