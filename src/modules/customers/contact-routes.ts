// HTTP for how a customer is reached: identities added and removed, contact preferences (replaced
// or patched), consent answers and their history. Registered by customersRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { CustomersService } from './customers-service.js';
import { IDENTITY_KINDS } from './normalize-identity.js';
import { Preferences, PreferencesPatch } from './set-preferences.js';
import { ConsentInput } from './record-consent.js';
import { pathCustomer } from './path-customer.js';
import { CustomerId, Profile, ConsentState, NewIdentity, IdentityOut, ConsentRecorded } from './contract.js';

export function customerContactRoutes(service: CustomersService): FastifyPluginAsyncZod {
  const resolve = pathCustomer(service);

  return async (app) => {
    app.post(
      '/v1/customers/:id/identities',
      {
        schema: {
          tags: ['customers'],
          summary: 'Add an identity',
          params: CustomerId,
          body: NewIdentity,
          response: { 201: IdentityOut, ...problemResponses },
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
          response: { 201: ConsentRecorded, ...problemResponses },
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
  };
}
