// HTTP for loyalty: the programme (rules as data) and its dry run, the ledger writes (each with an
// idempotency key in the body, unique per tenant), balances and statements, referrals and engagement,
// tier review and the finance view; rewards, offers, redemptions and vouchers in reward-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import type { LoyaltyService } from './loyalty-service.js';
import { Program, ENGAGEMENT_KINDS } from './program.js';
import { Id, CustomerIdParam, IdempotencyKey, Points, Money, Balance, LedgerResult, RuleStep, Item } from './contract.js';
import { loyaltyRewardRoutes } from './reward-routes.js';

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
          response: { 200: z.object({ tier: z.string().nullable(), points: z.number(), steps: z.array(RuleStep) }), ...problemResponses },
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
              reason: z
                .string()
                .min(1)
                .max(100)
                .regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case')
                .optional(),
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
              reason: z
                .string()
                .min(1)
                .max(100)
                .regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case')
                .optional(),
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

    app.get(
      '/v1/loyalty/customers/:id/balance',
      {
        schema: {
          tags,
          summary:
            "A customer's available (as of now, expired points excluded even before the expiry job), pending and soon-expiring points, the next expiry, debt, tier and its grace end",
          params: CustomerIdParam,
          response: {
            200: z.object({
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
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => service.balance(principalOf(req).tenantId, req.params.id),
    );

    app.get(
      '/v1/loyalty/refunds/unapplied',
      {
        schema: {
          tags,
          summary: 'Refund events kept because their purchase has not arrived; each is applied once its purchase earns',
          querystring: z.object({ customer_id: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  event_id: z.string(),
                  customer_id: z.string(),
                  order_id: z.string(),
                  amount: z.number().nullable(),
                  reason: z.string(),
                  received_at: z.string(),
                  attempts: z.number(),
                  last_attempt_at: z.string(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => ({ data: await service.unappliedRefunds(principalOf(req).tenantId, { customerId: req.query.customer_id, limit: req.query.limit }) }),
    );

    app.get(
      '/v1/loyalty/customers/:id/statement',
      {
        schema: {
          tags,
          summary: "A customer's ledger transactions in a period with opening and closing balances",
          params: CustomerIdParam,
          querystring: z.object({ from: Timestamp.optional(), to: Timestamp.optional() }),
          response: {
            200: z.object({
              customer_id: z.string(),
              from: z.string(),
              to: z.string(),
              opening: Balance,
              closing: Balance,
              transactions: z.array(
                z.object({
                  transaction_id: z.string(),
                  kind: z.string(),
                  reason: z.string(),
                  reference: z.string().nullable(),
                  at: z.string(),
                  change: Balance,
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const to = req.query.to ? new Date(req.query.to) : service.clock.now();
        const from = req.query.from ? new Date(req.query.from) : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
        return service.statement(principalOf(req).tenantId, req.params.id, from, to);
      },
    );

    // The catalogue, offers, redemptions and vouchers (reward-routes.ts).
    await loyaltyRewardRoutes(service)(app, {});

    const TierReview = z.object({
      id: z.string(),
      status: z.enum(['queued', 'running', 'done', 'failed']),
      reviewed: z.number().nullable(),
      changed: z.number().nullable(),
      requested_at: z.string(),
      started_at: z.string().nullable(),
      finished_at: z.string().nullable(),
    });
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
