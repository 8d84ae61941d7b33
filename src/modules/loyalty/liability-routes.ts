// HTTP for loyalty's finance view: liability, breakage, cohorts, sales by currency and cost per member and tier.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../platform/validation.js';
import { LiabilityReport } from './contract.js';
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
            200: LiabilityReport,
            ...problemResponses,
          },
        },
      },
      async (req) => service.liability(principalOf(req).tenantId),
    );
  };
}
