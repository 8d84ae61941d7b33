// HTTP for customers: profiles, identities, preferences, consent, attributes, merges, privacy, value.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import type { CustomersService } from './customers-service.js';
import { IDENTITY_KINDS } from './normalize-identity.js';
import { Preferences, PreferencesPatch } from './set-preferences.js';
import { ConsentInput } from './record-consent.js';
import { ATTRIBUTE_TYPES } from './validate-attributes.js';
import { customerNotFound, customerErased, conflictingAttribute } from './errors.js';
import { CustomerId, CreateCustomer, PatchCustomer, Profile, AttributeDef, MergeOut, CustomerList, ConsentState, ListQuery } from './contract.js';

export function customersRoutes(service: CustomersService): FastifyPluginAsyncZod {
  /** Resolves a path id: merged ids lead to the survivor, erased and unknown ids end here. */
  async function resolve(tenantId: string, id: string) {
    const found = await service.findCustomerId(tenantId, id);
    if (!found) throw customerNotFound();
    if (found.status === 'erased') throw customerErased();
    return found;
  }

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

    app.post(
      '/v1/customers/:id/identities',
      {
        schema: {
          tags: ['customers'],
          summary: 'Add an identity',
          params: CustomerId,
          body: z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(254) }),
          response: { 201: z.object({ kind: z.string(), value: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        return reply.status(201).send(await service.addIdentity(p.tenantId, found.id, req.body.kind, req.body.value, actorOf(p)));
      },
    );

    app.delete(
      '/v1/customers/:id/identities/:kind/:value',
      {
        schema: {
          tags: ['customers'],
          summary: 'Remove an identity',
          params: CustomerId.extend({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(254) }),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        if (!(await service.removeIdentity(p.tenantId, found.id, req.params.kind, req.params.value, actorOf(p))))
          throw notFound('This customer has no such identity');
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/v1/customers/:id/preferences',
      {
        schema: {
          tags: ['customers'],
          summary: 'Replace contact preferences (fields left out go back to their defaults)',
          params: CustomerId,
          body: Preferences,
          response: { 200: Profile, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        await service.setPreferences(p.tenantId, found.id, req.body, actorOf(p));
        return (await service.getCustomer(p.tenantId, found.id, actorOf(p)))!;
      },
    );

    app.patch(
      '/v1/customers/:id/preferences',
      {
        schema: {
          tags: ['customers'],
          summary: 'Change the contact preferences named; the others are kept',
          params: CustomerId,
          body: PreferencesPatch,
          response: { 200: Profile, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        await service.updatePreferences(p.tenantId, found.id, req.body, actorOf(p));
        return (await service.getCustomer(p.tenantId, found.id, actorOf(p)))!;
      },
    );

    app.post(
      '/v1/customers/:id/consent',
      {
        schema: {
          tags: ['customers'],
          summary: 'Record a consent answer',
          params: CustomerId,
          body: ConsentInput,
          response: { 201: z.object({ id: z.number(), recorded_at: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        return reply.status(201).send(await service.recordConsent(p.tenantId, found.id, req.body, actorOf(p)));
      },
    );

    app.get(
      '/v1/customers/:id/consent',
      {
        schema: {
          tags: ['customers'],
          summary: 'Current consent and its full history',
          params: CustomerId,
          response: { 200: ConsentState, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await resolve(p.tenantId, req.params.id);
        const profile = (await service.getCustomer(p.tenantId, found.id, actorOf(p)))!;
        return { current: profile.consent, history: await service.consentHistory(p.tenantId, found.id) };
      },
    );

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
