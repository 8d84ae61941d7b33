// HTTP for events: batched ingestion and the customer timeline.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf, useFastJsonParser } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { customerNotFound, customerErased, type CustomersService } from '../customers/index.js';
import type { EventsService } from './events-service.js';
import { IngestBody, IngestResponse, TimelineQuery, TimelineResponse } from './contract.js';

const list = (s?: string) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

export function eventsRoutes(deps: { events: EventsService; customers: CustomersService }): FastifyPluginAsyncZod {
  return async (app) => {
    useFastJsonParser(app as unknown as FastifyInstance);
    app.post(
      '/v1/events',
      {
        config: { scope: 'ingest', checksItems: true },
        // The answer is built here from validated results; re-validating 1,000 result objects with Zod
        // on the hottest route costs more than it protects, so it is serialised as it is.
        serializerCompiler: () => (data) => JSON.stringify(data),
        schema: { tags: ['events'], summary: 'Ingest a batch of events', body: IngestBody, response: { 200: IngestResponse, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        const r = await deps.events.ingest(p.tenantId, req.body.events, { source: 'api', actor: actorOf(p) });
        return { accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, results: r.results };
      },
    );

    app.get(
      '/v1/customers/:id/timeline',
      {
        schema: {
          tags: ['events'],
          summary: "A customer's timeline",
          params: z.object({ id: z.string().min(1).max(64) }),
          querystring: TimelineQuery,
          response: { 200: TimelineResponse, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const found = await deps.customers.findCustomerId(p.tenantId, req.params.id);
        if (!found) throw customerNotFound();
        if (found.status === 'erased') throw customerErased();
        const q = req.query;
        const page = await deps.events.readTimeline(p.tenantId, found.id, {
          limit: q.limit,
          cursor: q.cursor,
          types: list(q.types),
          sources: list(q.sources),
          from: q.from,
          to: q.to,
        });
        return { customer_id: found.id, ...(found.mergedFrom ? { merged_from: found.mergedFrom } : {}), ...page };
      },
    );
  };
}
