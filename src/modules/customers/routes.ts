// HTTP for customers: profiles (created, listed and searched, looked up, read, changed), custom
// attributes, value. Identities, preferences and consent are in contact-routes.ts; merges, export,
// erasure and audit in privacy-routes.ts; both registered in this plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { unprocessable } from '../../platform/errors.js';
import type { CustomersService } from './customers-service.js';
import { IDENTITY_KINDS } from './normalize-identity.js';
import { ATTRIBUTE_TYPES } from './validate-attributes.js';
import { customerNotFound, conflictingAttribute } from './errors.js';
import { pathCustomer } from './path-customer.js';
import { customerContactRoutes } from './contact-routes.js';
import { customerPrivacyRoutes } from './privacy-routes.js';
import { CustomerId, CreateCustomer, PatchCustomer, Profile, AttributeDef, CustomerList, ListQuery } from './contract.js';

export function customersRoutes(service: CustomersService): FastifyPluginAsyncZod {
  const resolve = pathCustomer(service);

  return async (app) => {
    app.post(
      '/v1/customers',
      { schema: { tags: ['customers'], summary: 'Create a customer', body: CreateCustomer, response: { 201: Profile, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        const id = await service.createCustomer(p.tenantId, req.body, actorOf(p));
        return reply.status(201).send((await service.getCustomer(p.tenantId, id, actorOf(p)))!);
      },
    );

    app.get(
      '/v1/customers',
      {
        schema: { tags: ['customers'], summary: 'List and search customers', querystring: ListQuery, response: { 200: CustomerList, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        let identity: Record<string, string> | undefined;
        if (q.identity_kind || q.identity_value) {
          if (!q.identity_kind || !q.identity_value)
            throw unprocessable('identity_kind and identity_value go together', [
              { field: `query.${q.identity_kind ? 'identity_value' : 'identity_kind'}`, message: 'is required with the other' },
            ]);
          const { identities, problems } = service.normalizeIdentities({ [q.identity_kind]: q.identity_value });
          if (problems.length) throw unprocessable('The identity is not valid', [{ field: 'query.identity_value', message: problems[0].message }]);
          identity = identities as Record<string, string>;
        }
        return service.listCustomers(p.tenantId, {
          limit: q.limit,
          cursor: q.cursor,
          q: q.q,
          identity,
          isCore: q.is_core === undefined ? undefined : q.is_core === 'true',
        });
      },
    );

    app.get(
      '/v1/customers/lookup',
      {
        schema: {
          tags: ['customers'],
          summary: 'Find a customer by any identity',
          querystring: z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(254) }),
          response: { 200: Profile, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const r = await service.lookup(p.tenantId, req.query.kind, req.query.value);
        if (r.problems) throw unprocessable('The identity is not valid', [{ field: 'query.value', message: r.problems[0].message }]);
        if (!r.customerId) throw customerNotFound('No customer has this identity');
        return (await service.getCustomer(p.tenantId, r.customerId, actorOf(p)))!;
      },
    );

    app.get(
      '/v1/customers/:id',
      { schema: { tags: ['customers'], summary: 'A customer profile', params: CustomerId, response: { 200: Profile, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        const profile = await service.getCustomer(p.tenantId, found.id, actorOf(p));
        if (!profile) throw customerNotFound();
        return { ...profile, ...(found.mergedFrom ? { merged_from: found.mergedFrom } : {}) };
      },
    );

    app.patch(
      '/v1/customers/:id',
      {
        schema: {
          tags: ['customers'],
          summary: 'Change profile fields',
          params: CustomerId,
          body: PatchCustomer,
          response: { 200: Profile, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        if (!(await service.updateCustomer(p.tenantId, found.id, req.body, actorOf(p)))) throw customerNotFound();
        return (await service.getCustomer(p.tenantId, found.id, actorOf(p)))!;
      },
    );

    // Identities, preferences, consent (contact-routes.ts), registered in this same plugin.
    await customerContactRoutes(service)(app, {});

    app.get(
      '/v1/customer-attributes',
      {
        schema: {
          tags: ['customers'],
          summary: 'Custom attribute definitions',
          response: { 200: z.object({ data: z.array(AttributeDef) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listAttributes(principalOf(req).tenantId) }),
    );

    app.put(
      '/v1/customer-attributes/:key',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['customers'],
          summary: 'Define a typed custom attribute',
          params: z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'keys are lower_snake_case') }),
          body: z.object({ type: z.enum(ATTRIBUTE_TYPES), label: z.string().max(200).nullable().default(null) }),
          response: { 200: AttributeDef, ...problemResponses },
        },
      },
      async (req) => {
        const def = await service.defineAttribute(principalOf(req).tenantId, req.params.key, req.body.type, req.body.label);
        if (!def)
          throw conflictingAttribute('This attribute is already defined with another type', [
            { field: 'type', message: 'differs from the existing definition' },
          ]);
        return def;
      },
    );

    // Merges, export, erasure, audit (privacy-routes.ts), registered in this same plugin.
    await customerPrivacyRoutes(service)(app, {});

    app.post(
      '/v1/customers/value/recompute',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['customers'],
          summary: 'Recompute RFM, CLV and core flags now',
          response: { 200: z.object({ customers: z.number(), core: z.number() }), ...problemResponses },
        },
      },
      async (req) => service.recomputeValue(principalOf(req).tenantId),
    );
  };
}
