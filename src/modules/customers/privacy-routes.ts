// HTTP for what a profile is made of and what the law asks of it: manual merges and the merges a
// profile took part in, the export of everything about a customer, erasure, and the audit trail.
// Registered by customersRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { CustomersService } from './customers-service.js';
import { customerNotFound } from './errors.js';
import { pathCustomer } from './path-customer.js';
import { CustomerId, MergeOut } from './contract.js';

export function customerPrivacyRoutes(service: CustomersService): FastifyPluginAsyncZod {
  const resolve = pathCustomer(service);

  return async (app) => {
    app.post(
      '/v1/customers/:id/merge',
      {
        schema: {
          tags: ['customers'],
          summary: 'Merge another profile into this one',
          params: CustomerId,
          body: z.object({ other_id: z.string().min(1).max(64) }),
          response: { 200: MergeOut, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const survivor = await resolve(p.tenantId, req.params.id);
        const other = await resolve(p.tenantId, req.body.other_id);
        const m = await service.mergeManually(p.tenantId, survivor.id, other.id, actorOf(p));
        return { id: m.id, survivor_id: m.survivorId, merged_id: m.mergedId, rule: m.rule };
      },
    );

    app.get(
      '/v1/customers/:id/merges',
      {
        schema: {
          tags: ['customers'],
          summary: 'Merges this profile took part in',
          params: CustomerId,
          response: { 200: z.object({ data: z.array(MergeOut) }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        return { data: await service.listMerges(p.tenantId, found.id) };
      },
    );

    app.get(
      '/v1/customers/:id/export',
      {
        schema: {
          tags: ['privacy'],
          summary: 'Everything about one customer, as JSON',
          params: CustomerId,
          response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        const doc = await service.exportCustomer(p.tenantId, found.id, actorOf(p));
        if (!doc) throw customerNotFound();
        reply.header('content-disposition', `attachment; filename="${found.id}.json"`);
        return doc;
      },
    );

    app.post(
      '/v1/customers/:id/erase',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['privacy'],
          summary: 'Erase personal data of one customer',
          params: CustomerId,
          response: { 200: z.object({ id: z.string(), status: z.literal('erased') }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        if (!(await service.eraseCustomer(p.tenantId, found.id, actorOf(p)))) throw customerNotFound();
        return { id: found.id, status: 'erased' as const };
      },
    );

    app.get(
      '/v1/customers/:id/audit',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['privacy'],
          summary: 'Who read or changed this profile',
          params: CustomerId,
          response: {
            200: z.object({
              data: z.array(z.object({ at: z.string(), actor_type: z.string(), actor_id: z.string(), action: z.string(), details: z.unknown() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await service.findCustomerId(p.tenantId, req.params.id);
        if (!found) throw customerNotFound();
        return { data: await service.auditTrail(p.tenantId, found.id) };
      },
    );
  };
}
