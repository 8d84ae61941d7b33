// HTTP for outreach's triggered journeys: created, listed, read with their enrollments, paused and
// resumed. Registered by outreachRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { OutreachService } from './outreach-service.js';
import { JourneyInput } from './run-journeys.js';
import { journeyNotFound } from './errors.js';
import { JourneyOut } from './contract.js';

export function outreachJourneyRoutes(service: OutreachService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/outreach/journeys',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Create a triggered journey',
          body: JourneyInput,
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createJourney(principalOf(req).tenantId, req.body) }),
    );
    app.get(
      '/v1/outreach/journeys',
      { schema: { tags: ['outreach'], summary: 'List journeys', response: { 200: z.object({ data: z.array(JourneyOut) }), ...problemResponses } } },
      async (req) => ({ data: await service.listJourneys(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/outreach/journeys/:id',
      {
        schema: { tags: ['outreach'], summary: 'A journey and its enrollments by status', params: IdParam, response: { 200: JourneyOut, ...problemResponses } },
      },
      async (req) => {
        const j = await service.getJourney(principalOf(req).tenantId, req.params.id);
        if (!j) throw journeyNotFound();
        return j;
      },
    );
    app.patch(
      '/v1/outreach/journeys/:id',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Pause or resume a journey',
          params: IdParam,
          body: z.object({ is_active: z.boolean() }),
          response: { 200: JourneyOut, ...problemResponses },
        },
      },
      async (req) => {
        const tenantId = principalOf(req).tenantId;
        if (!(await service.setJourneyActive(tenantId, req.params.id, req.body.is_active))) throw journeyNotFound();
        return (await service.getJourney(tenantId, req.params.id))!;
      },
    );
  };
}
