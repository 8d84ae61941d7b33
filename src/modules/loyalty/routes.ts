// HTTP for loyalty: the programme (rules as data), its dry run and tier review; the ledger writes in
// ledger-routes.ts, balances and statements in balance-routes.ts, rewards, offers, redemptions and vouchers
// in reward-routes.ts, the finance view in liability-routes.ts. The parts register on this plugin's own
// instance, in this order, so they share its encapsulation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { LoyaltyService } from './loyalty-service.js';
import { Program } from './program.js';
import { DryRunResult, Id, Item, Money, TierReview } from './contract.js';
import { loyaltyLedgerRoutes } from './ledger-routes.js';
import { loyaltyBalanceRoutes } from './balance-routes.js';
import { loyaltyRewardRoutes } from './reward-routes.js';
import { loyaltyLiabilityRoutes } from './liability-routes.js';

const tags = ['loyalty'];

export function loyaltyRoutes(service: LoyaltyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/loyalty/program',
      { schema: { tags, summary: 'The loyalty programme: earning rules, expiry, tiers', response: { 200: Program, ...problemResponses } } },
      async (req) => service.getProgram(principalOf(req).tenantId),
    );

    app.put(
      '/v1/loyalty/program',
      {
        config: { scope: 'admin' },
        schema: { tags, summary: 'Replace the loyalty programme', body: Program, response: { 200: Program, ...problemResponses } },
      },
      async (req) => service.setProgram(principalOf(req).tenantId, req.body),
    );

    app.post(
      '/v1/loyalty/rules/dry-run',
      {
        schema: {
          tags,
          summary: 'Evaluate the purchase rules without writing anything, explaining which rules fired and why',
          body: z
            .object({
              customer_id: Id.optional(),
              tier: z.string().max(64).nullable().optional(),
              purchase: z
                .object({
                  amount: Money,
                  store_id: z.string().max(200).optional(),
                  items: z.array(Item).max(1000).optional(),
                  occurred_at: Timestamp.optional(),
                })
                .strict(),
            })
            .strict(),
          response: { 200: DryRunResult, ...problemResponses },
        },
      },
      async (req) => {
        const b = req.body;
        return service.dryRun(principalOf(req).tenantId, {
          customerId: b.customer_id,
          tier: b.tier,
          purchase: { ...b.purchase, occurred_at: b.purchase.occurred_at ? new Date(b.purchase.occurred_at) : service.clock.now() },
        });
      },
    );
    // Earn, spend, purchases, refunds, engagements, referrals (ledger-routes.ts).
    await loyaltyLedgerRoutes(service)(app, {});
    // Balances, refunds awaiting their purchase, statements (balance-routes.ts).
    await loyaltyBalanceRoutes(service)(app, {});
    // The catalogue, offers, redemptions and vouchers (reward-routes.ts).
    await loyaltyRewardRoutes(service)(app, {});

    app.post(
      '/v1/loyalty/tiers/review',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Review every tiered customer (downgrades after grace; also runs monthly), as a job: the answer and its Location are the status URL',
          response: { 202: TierReview.extend({ status_url: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const review = await service.requestTierReview(principalOf(req).tenantId);
        const statusUrl = `/v1/loyalty/tiers/reviews/${review.id}`;
        return reply
          .status(202)
          .header('location', statusUrl)
          .send({ ...review, status_url: statusUrl });
      },
    );
    app.get(
      '/v1/loyalty/tiers/reviews/:id',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'A tier review asked for: queued, running, done (with its counts) or failed',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 200: TierReview, ...problemResponses },
        },
      },
      async (req) => service.readTierReview(principalOf(req).tenantId, req.params.id),
    );

    // The finance view (liability-routes.ts).
    await loyaltyLiabilityRoutes(service)(app, {});
  };
}
