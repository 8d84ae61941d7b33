// HTTP for loyalty's rewards: the catalogue, personal offers, what a customer can choose now,
// redemptions (each with an idempotency key) and their cancellation, and vouchers used at the till.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, patchOf } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { LoyaltyService } from './loyalty-service.js';
import { RewardInput, OfferInput } from './manage-rewards.js';
import { Id, CustomerIdParam, IdempotencyKey, LedgerResult, Redemption, Reward } from './contract.js';

const tags = ['loyalty'];

export function loyaltyRewardRoutes(service: LoyaltyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/loyalty/customers/:id/rewards',
      {
        schema: {
          tags,
          summary: 'Rewards and personal offers this customer can choose from now',
          params: CustomerIdParam,
          response: { 200: z.object({ data: z.array(Reward.extend({ offer_id: z.string().nullable(), in_stock: z.boolean() })) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.customerRewards(principalOf(req).tenantId, req.params.id) }),
    );

    app.post(
      '/v1/loyalty/rewards',
      { schema: { tags, summary: 'Add a reward to the catalogue', body: RewardInput, response: { 201: Reward, ...problemResponses } } },
      async (req, reply) => reply.status(201).send(await service.createReward(principalOf(req).tenantId, req.body)),
    );
    app.get(
      '/v1/loyalty/rewards',
      { schema: { tags, summary: 'The rewards catalogue', response: { 200: z.object({ data: z.array(Reward) }), ...problemResponses } } },
      async (req) => ({ data: await service.listRewards(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/loyalty/rewards/:id',
      { schema: { tags, summary: 'One reward', params: z.object({ id: Id }), response: { 200: Reward, ...problemResponses } } },
      async (req) => service.getReward(principalOf(req).tenantId, req.params.id),
    );
    app.patch(
      '/v1/loyalty/rewards/:id',
      {
        schema: {
          tags,
          summary: 'Change a reward (stock, price, validity...)',
          params: z.object({ id: Id }),
          body: patchOf(RewardInput),
          response: { 200: Reward, ...problemResponses },
        },
      },
      async (req) => service.updateReward(principalOf(req).tenantId, req.params.id, req.body),
    );

    app.post(
      '/v1/loyalty/offers',
      {
        schema: {
          tags,
          summary: 'A personalised offer: a reward at its own price for one customer or some tiers',
          body: OfferInput,
          response: {
            201: z.object({
              id: z.string(),
              reward_id: z.string(),
              customer_id: z.string().nullable(),
              tiers: z.array(z.string()),
              cost_points: z.number().nullable(),
              valid_from: z.string().nullable(),
              valid_until: z.string().nullable(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await service.createOffer(principalOf(req).tenantId, req.body)),
    );

    app.post(
      '/v1/loyalty/redemptions',
      {
        schema: {
          tags,
          summary: 'Redeem a reward: spends the points and issues a unique voucher code',
          body: z.object({ customer_id: Id, reward_id: Id, offer_id: Id.optional(), idempotency_key: IdempotencyKey }).strict(),
          response: { 201: LedgerResult.extend({ redemption: Redemption }), 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const r = await service.redeem(principalOf(req).tenantId, {
          customerId: b.customer_id,
          rewardId: b.reward_id,
          offerId: b.offer_id,
          key: b.idempotency_key,
        });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );
    app.get(
      '/v1/loyalty/redemptions/:id',
      { schema: { tags, summary: 'One redemption', params: z.object({ id: Id }), response: { 200: Redemption, ...problemResponses } } },
      async (req) => service.getRedemption(principalOf(req).tenantId, req.params.id),
    );
    app.post(
      '/v1/loyalty/redemptions/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel an unused redemption: the points and the stock come back',
          params: z.object({ id: Id }),
          response: { 200: LedgerResult, ...problemResponses },
        },
      },
      async (req) => (await service.cancelRedemption(principalOf(req).tenantId, req.params.id)).result,
    );

    app.post(
      '/v1/loyalty/vouchers/use',
      {
        schema: {
          tags,
          summary: 'Mark a voucher code used at the till',
          body: z.object({ code: z.string().min(1).max(64) }).strict(),
          response: { 200: Redemption, ...problemResponses },
        },
      },
      async (req) => service.useVoucher(principalOf(req).tenantId, req.body.code),
    );
  };
}
