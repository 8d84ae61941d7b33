// The analytics module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';

export const Answer = z
  .object({
    refreshed_at: z.string().nullable(),
    as_of: z.string(),
    refresh_mode: z.string().nullable().describe('full or incremental: what the last refresh was'),
    rebuilt_at: z.string().nullable().describe('When the roll-ups were last rebuilt whole'),
    filters: z.record(z.string(), z.string()).describe('The filters the figures honour'),
    filters_not_applied: z
      .record(z.string(), z.string())
      .optional()
      .describe('Filters given that this measure cannot apply, each with why; the figures are not filtered by them'),
  })
  .loose();
export type Answer = z.infer<typeof Answer>;

/** A score with its 95 % confidence interval; null where there were no answers. */
const ScoreWithInterval = z.object({
  n: z.number(),
  score: z.number().nullable(),
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
});
/** GET /v1/analytics/experience: NPS, CSAT and CES over the range, and by week or month. */
export const ExperienceAnswer = Answer.extend({
  interval: z.enum(['week', 'month']),
  totals: z.array(ScoreWithInterval.extend({ kind: z.enum(['nps', 'csat', 'ces']) })),
  // A period is listed for its answers, but a figure the sums cannot give (no answers) is null rather
  // than a refused response.
  trend: z.array(
    z.object({
      period: z.string().describe('The first day of the week or month, YYYY-MM-DD'),
      kind: z.string(),
      n: z.number(),
      score: z.number().nullable(),
      ci_low: z.number().nullable(),
      ci_high: z.number().nullable(),
    }),
  ),
});
export type ExperienceAnswer = z.infer<typeof ExperienceAnswer>;

const LoopFigures = z.object({
  cases: z.number(),
  closed: z.number(),
  customers_told: z.number(),
  loop_closure_rate: z.number().nullable(),
  agent_hours: z.number(),
  cost_per_complaint: z.number().nullable(),
});
/** GET /v1/analytics/loop: loop closure and cost per complaint, in all and by touchpoint. */
export const LoopAnswer = Answer.extend({
  ...LoopFigures.shape,
  hourly_cost: z.number(),
  minutes_per_action: z.number(),
  touchpoints: z.array(LoopFigures.extend({ touchpoint: z.string().nullable() })),
});
export type LoopAnswer = z.infer<typeof LoopAnswer>;

/**
 * GET /v1/analytics/programme: the loyalty programme's members, points and liability. The liability
 * figures are the loyalty module's, kept in the roll-ups' snapshot, so its nested lists stay open.
 */
export const ProgrammeAnswer = Answer.extend({
  members: z.number(),
  active_members: z.number().nullable(),
  active_share: z.number().nullable(),
  points_issued: z.number().nullable(),
  points_redeemed: z.number().nullable(),
  points_expired: z.number().nullable(),
  points_reversed: z.number().nullable(),
  redemption_rate: z.number().nullable(),
  breakage_rate: z.number().nullable(),
  breakage_basis: z.string().nullable(),
  breakage_sample: z.object({ cohorts: z.number(), points: z.number() }).loose().nullable(),
  cost_per_member: z.number().nullable(),
  liability: z
    .object({
      points_outstanding: z.number(),
      outstanding_liability: z.number(),
      breakage_recognised: z.number(),
      value_per_point: z.number(),
      expiring_soon: z.array(z.object({ within_days: z.number(), points: z.number(), face_value: z.number() }).loose()).nullable(),
      base_currency: z.string().nullable(),
      scope: z.string(),
    })
    .nullable(),
  sales_by_currency: z.array(z.object({ currency: z.string().nullable(), purchases: z.number(), sales: z.number(), sales_in_base: z.number() }).loose()),
  tiers: z.array(z.object({ tier: z.string().nullable(), members: z.number() })),
  movements: z.array(z.object({ month: z.string(), from_tier: z.string().nullable(), to_tier: z.string().nullable(), customers: z.number() })),
  monthly: z.array(z.object({ month: z.string(), issued: z.number(), redeemed: z.number(), expired: z.number(), reversed: z.number() })),
});
export type ProgrammeAnswer = z.infer<typeof ProgrammeAnswer>;

/** The measures whose figures the contract spells out; every other measure answers an open Answer. */
export const MEASURE_ANSWERS = { experience: ExperienceAnswer, loop: LoopAnswer, programme: ProgrammeAnswer } as const;

const ChurnReason = z.object({
  feature: z.string(),
  label: z.object({ en: z.string(), 'zh-CN': z.string() }),
  value: z.number().describe("The feature's value for this customer as of the refresh"),
  contribution: z.number().describe('Log odds this feature adds against the average customer (coefficient x standardised value)'),
  direction: z.enum(['raises', 'lowers']),
});
/** GET /v1/analytics/churn-risk/customers/{customerId}. */
export const CustomerChurnRisk = z.object({
  customer_id: z.string(),
  churn_risk: z.number().nullable().describe('Calibrated probability of no purchase in the next 90 days; null without a purchase or a trained model'),
  has_left: z.boolean(),
  last_purchase_at: z.string().nullable(),
  as_of: z.string(),
  refreshed_at: z.string().nullable(),
  model: z.object({
    status: z.string(),
    version: z.number().nullable(),
    trained_at: z.string().nullable(),
    n: z.number().nullable(),
    auc: z.number().nullable(),
    brier: z.number().nullable(),
  }),
  top_features: z.array(ChurnReason),
});
export type CustomerChurnRisk = z.infer<typeof CustomerChurnRisk>;
