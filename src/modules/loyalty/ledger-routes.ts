// HTTP for loyalty's ledger writes, each with an idempotency key in the body (unique per tenant): points
// given and spent, purchases earning through the rules, refunds, engagements and referrals.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import type { LoyaltyService } from './loyalty-service.js';
import { ENGAGEMENT_KINDS } from './program.js';
import { Id, IdempotencyKey, Points, Money, LedgerResult, RuleStep, Item } from './contract.js';

const tags = ['loyalty'];
// Why points were given or spent, in lower_snake_case: the loyalty settings name the reasons of points
// given directly that count toward a tier.
const Reason = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case');

export function loyaltyLedgerRoutes(service: LoyaltyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/loyalty/earn',
      {
        schema: {
          tags,
          summary: 'Give a customer points directly (goodwill, correction)',
          body: z
            .object({
              customer_id: Id,
              points: Points,
              idempotency_key: IdempotencyKey,
              reason: Reason.optional(),
              pending_days: z.number().int().min(0).max(365).optional(),
              expires_at: Timestamp.nullable().optional(),
            })
            .strict(),
          response: { 201: LedgerResult, 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (b.expires_at && Date.parse(b.expires_at) <= service.clock.now().getTime())
          throw new AppError(422, 'VALIDATION_FAILED', 'Points cannot be given already expired', [{ field: 'expires_at', message: 'must be in the future' }]);
        const r = await service.earn(principalOf(req).tenantId, {
          customerId: b.customer_id,
          points: b.points,
          key: b.idempotency_key,
          reason: b.reason,
          pendingDays: b.pending_days,
          expiresAt: b.expires_at === undefined ? undefined : b.expires_at === null ? null : new Date(b.expires_at),
        });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );

    app.post(
      '/v1/loyalty/spend',
      {
        schema: {
          tags,
          summary: 'Spend available points, soonest-expiring first',
          body: z
            .object({
              customer_id: Id,
              points: Points,
              idempotency_key: IdempotencyKey,
              reason: Reason.optional(),
              reference: z.string().max(200).optional(),
            })
            .strict(),
          response: { 201: LedgerResult, 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const r = await service.spend(principalOf(req).tenantId, {
          customerId: b.customer_id,
          points: b.points,
          key: b.idempotency_key,
          reason: b.reason,
          reference: b.reference,
        });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );

    app.post(
      '/v1/loyalty/purchases',
      {
        schema: {
          tags,
          summary: 'Earn points for a purchase through the rules (ingested purchase events do this by themselves)',
          body: z
            .object({
              customer_id: Id,
              order_id: z.string().min(1).max(200),
              amount: Money,
              currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY'),
              store_id: z.string().max(200).optional(),
              items: z.array(Item).max(1000).optional(),
              occurred_at: Timestamp.optional(),
              idempotency_key: IdempotencyKey,
            })
            .strict(),
          response: { 201: LedgerResult.extend({ rules: z.array(RuleStep) }), 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const r = await service.purchase(principalOf(req).tenantId, {
          customerId: b.customer_id,
          orderId: b.order_id,
          amount: b.amount,
          currency: b.currency,
          storeId: b.store_id,
          items: b.items,
          occurredAt: b.occurred_at ? new Date(b.occurred_at) : service.clock.now(),
          key: b.idempotency_key,
        });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );

    app.post(
      '/v1/loyalty/refunds',
      {
        schema: {
          tags,
          summary: 'Reverse the points a purchase earned, in proportion to the money refunded',
          body: z.object({ customer_id: Id, order_id: z.string().min(1).max(200), amount: Money.optional(), idempotency_key: IdempotencyKey }).strict(),
          response: { 201: LedgerResult, 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const r = await service.refund(principalOf(req).tenantId, { customerId: b.customer_id, orderId: b.order_id, amount: b.amount, key: b.idempotency_key });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );

    app.post(
      '/v1/loyalty/engagements',
      {
        schema: {
          tags,
          summary: 'Reward an engagement (review, survey, share, check-in, completed profile), once per source and within limits',
          body: z
            .object({
              customer_id: Id,
              kind: z.enum(ENGAGEMENT_KINDS.filter((k) => k !== 'referral') as [string, ...string[]]),
              source_id: z.string().min(1).max(200),
            })
            .strict(),
          response: { 201: LedgerResult, 200: LedgerResult, ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const r = await service.engage(principalOf(req).tenantId, { customerId: b.customer_id, kind: b.kind as never, sourceId: b.source_id });
        return reply.status(r.replayed ? 200 : 201).send(r.result);
      },
    );

    app.post(
      '/v1/loyalty/referrals',
      {
        schema: {
          tags,
          summary: 'Record that a customer referred a friend; the referrer earns when the friend first buys',
          body: z.object({ referrer_id: Id, friend_id: Id }).strict(),
          response: { 201: z.object({ id: z.string(), referrer_id: z.string(), friend_id: z.string(), status: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await service.refer(principalOf(req).tenantId, req.body.referrer_id, req.body.friend_id)),
    );
  };
}
