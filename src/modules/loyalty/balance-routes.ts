// HTTP for reading loyalty accounts: a customer's balance, refunds kept until their purchase arrives,
// and a customer's statement for a period.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { LoyaltyService } from './loyalty-service.js';
import { Id, CustomerIdParam, MemberBalance, Statement } from './contract.js';

const tags = ['loyalty'];

export function loyaltyBalanceRoutes(service: LoyaltyService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/loyalty/customers/:id/balance',
      {
        schema: {
          tags,
          summary:
            "A customer's available (as of now, expired points excluded even before the expiry job), pending and soon-expiring points, the next expiry, debt, tier and its grace end",
          params: CustomerIdParam,
          response: {
            200: MemberBalance,
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
            200: Statement,
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
  };
}
