// HTTP for listening: sources, watch-list, settings, alerts, reports. Mentions are in
// mention-routes.ts (registered in this plugin) and the connector webhook in inbound-routes.ts (in a
// context of its own).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { forbidden } from '../../platform/errors.js';
import type { ListeningService } from './listening-service.js';
import { listeningMentionRoutes } from './mention-routes.js';
import { listeningInboundRoutes } from './inbound-routes.js';
import {
  Id,
  Source,
  SourceInput,
  WatchTerm,
  WatchTermInput,
  IngestResponse,
  Settings,
  SettingsPatch,
  Range,
  Alert,
  ShareOfVoice,
  SentimentTrend,
} from './contract.js';

const tags = ['listening'];

function range(q: { from?: string; to?: string }, now: Date): [Date, Date] {
  const to = q.to ? new Date(q.to) : now;
  return [q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000), to];
}

export function listeningRoutes(service: ListeningService, deps: { pool: import('pg').Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/listening/sources',
      {
        config: { hasSecretAnswer: true },
        schema: {
          tags,
          summary: 'Add a source (RSS feed: admin only; connector webhook, import)',
          body: SourceInput,
          response: { 201: Source, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        // A feed URL makes the server fetch it: only an administrator says where the server goes.
        if (req.body.kind === 'rss' && !p.scopes.has('admin')) throw forbidden('Only an administrator adds RSS sources');
        reply.status(201);
        return service.createSource(p.tenantId, req.body);
      },
    );
    app.get(
      '/v1/listening/sources',
      { schema: { tags, summary: 'List sources', response: { 200: z.object({ data: z.array(Source) }), ...problemResponses } } },
      async (req) => ({ data: await service.listSources(principalOf(req).tenantId) }),
    );
    app.get('/v1/listening/sources/:id', { schema: { tags, summary: 'A source', params: Id, response: { 200: Source, ...problemResponses } } }, async (req) =>
      service.getSource(principalOf(req).tenantId, req.params.id),
    );
    app.delete(
      '/v1/listening/sources/:id',
      { schema: { tags, summary: 'Remove a source (its mentions stay)', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteSource(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/v1/listening/sources/:id/poll',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Pull an RSS source now', params: Id, response: { 200: IngestResponse, ...problemResponses } } },
      async (req) => service.pollSource(principalOf(req).tenantId, req.params.id),
    );

    app.post(
      '/v1/listening/watch-terms',
      { schema: { tags, summary: 'Add a watch-list term', body: WatchTermInput, response: { 201: WatchTerm, ...problemResponses } } },
      async (req, reply) => {
        reply.status(201);
        return service.addWatchTerm(principalOf(req).tenantId, req.body);
      },
    );
    app.get(
      '/v1/listening/watch-terms',
      { schema: { tags, summary: 'The watch-list', response: { 200: z.object({ data: z.array(WatchTerm) }), ...problemResponses } } },
      async (req) => ({ data: await service.listWatchTerms(principalOf(req).tenantId) }),
    );
    app.delete(
      '/v1/listening/watch-terms/:id',
      { schema: { tags, summary: 'Remove a watch-list term', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteWatchTerm(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    // Mentions (mention-routes.ts), registered in this same plugin.
    await listeningMentionRoutes(service, deps)(app, {});

    app.get(
      '/v1/listening/settings',
      { schema: { tags, summary: 'Alert destinations, thresholds, user words and topics', response: { 200: Settings, ...problemResponses } } },
      async (req) => service.getSettings(principalOf(req).tenantId),
    );
    app.patch(
      '/v1/listening/settings',
      {
        config: { scope: 'admin', hasSecretAnswer: true },
        schema: {
          tags,
          summary: 'Change listening settings (a new webhook secret is shown once)',
          body: SettingsPatch,
          response: { 200: Settings, ...problemResponses },
        },
      },
      async (req) => service.updateSettings(principalOf(req).tenantId, req.body),
    );

    app.get(
      '/v1/listening/alerts',
      { schema: { tags, summary: 'Crisis alerts, newest first', response: { 200: z.object({ data: z.array(Alert) }), ...problemResponses } } },
      async (req) => ({ data: await service.listAlerts(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/listening/share-of-voice',
      {
        schema: {
          tags,
          summary: 'Share of voice against competitors',
          querystring: Range,
          response: {
            200: ShareOfVoice,
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const [from, to] = range(req.query, service.clock.now());
        return { data: await service.shareOfVoice(principalOf(req).tenantId, from, to) };
      },
    );
    app.get(
      '/v1/listening/sentiment-trend',
      {
        schema: {
          tags,
          summary: 'Sentiment per angle per day or week',
          querystring: Range,
          response: {
            200: SentimentTrend,
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const [from, to] = range(req.query, service.clock.now());
        return { data: await service.sentimentTrend(principalOf(req).tenantId, from, to, req.query.bucket) };
      },
    );

    // The connector webhook, in a context of its own for its JSON parser (inbound-routes.ts).
    await app.register(listeningInboundRoutes(service));
  };
}
