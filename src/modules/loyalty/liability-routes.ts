// HTTP for loyalty's finance view: liability, breakage, cohorts, sales by currency and cost per member and tier.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { LoyaltyService } from './loyalty-service.js';

const tags = ['loyalty'];

export function loyaltyLiabilityRoutes(service: LoyaltyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/loyalty/liability',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary:
            'Finance view: cohorts by issuance month, the breakage estimate with its basis, IFRS 15 liability and breakage, points expiring in 30 and 90 days, sales by currency, cost per member and tier',
          response: {
            200: z.object({
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
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => service.liability(principalOf(req).tenantId),
    );
  };
}
