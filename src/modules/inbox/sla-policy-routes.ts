// HTTP for SLA policies: the first-response and resolution targets conversations are held to.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { SlaPolicyInput } from './manage-sla-policies.js';
import { SlaPolicyView, listOf, Id, Created } from './contract.js';

const Tags = ['inbox'];

export function slaPolicyRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/inbox/sla-policies',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Add an SLA policy', body: SlaPolicyInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createSlaPolicy(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/sla-policies',
      { schema: { tags: Tags, summary: 'SLA policies', response: { 200: listOf(SlaPolicyView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listSlaPolicies(p.tenantId) };
      },
    );
    app.get(
      '/v1/inbox/sla-policies/:id',
      { schema: { tags: Tags, summary: 'An SLA policy', params: Id, response: { 200: SlaPolicyView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.getSlaPolicy(p.tenantId, req.params.id);
      },
    );
    app.delete(
      '/v1/inbox/sla-policies/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Remove an SLA policy', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteSlaPolicy(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
