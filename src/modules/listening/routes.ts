// HTTP for listening: sources, the connector webhook, watch-list, mentions, settings, alerts, reports.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf, sendProblem } from '../../platform/http.js';
import { forbidden } from '../../platform/errors.js';
import { mentionNotFound } from './errors.js';
import { TopicCorrectionInput } from '../text/index.js';
import { MAX_MENTION_BATCH } from './ingest-mentions.js';
import type { ListeningService } from './listening-service.js';
import {
  Id,
  Source,
  SourceInput,
  WatchTerm,
  WatchTermInput,
  IngestResponse,
  Mention,
  MentionQuery,
  Settings,
  SettingsPatch,
  Range,
  Alert,
} from './contract.js';

const tags = ['listening'];

function range(q: { from?: string; to?: string }, now: Date): [Date, Date] {
  const to = q.to ? new Date(q.to) : now;
  return [q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000), to];
}

function mentionView(r: Record<string, any>) {
  return {
    id: r.id,
    source_id: r.source_id,
    channel: r.channel,
    url: r.url,
    author: r.author,
    author_handle: r.author_handle,
    reach: r.reach,
    text: r.text,
    published_at: r.published_at.toISOString(),
    language: r.language,
    sentiment: r.sentiment,
    score: r.score,
    topics: r.topics,
    angles: r.angles,
    matched_terms: r.matched_terms,
    about_company: r.about_company,
    customer_id: r.customer_id,
  };
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

    app.post(
      '/v1/listening/mentions',
      {
        config: { scope: 'ingest' },
        schema: {
          tags,
          summary: 'Ingest a batch of mentions (import)',
          body: z.object({ mentions: z.array(z.unknown()).min(1).max(MAX_MENTION_BATCH) }),
          response: { 200: IngestResponse, ...problemResponses },
        },
      },
      async (req) => service.importMentions(principalOf(req).tenantId, req.body.mentions),
    );
    app.get(
      '/v1/listening/mentions',
      {
        schema: {
          tags,
          summary: 'Mentions, newest first',
          querystring: MentionQuery,
          response: { 200: z.object({ data: z.array(Mention), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const params: unknown[] = [principalOf(req).tenantId, q.limit + 1];
        const where: string[] = [];
        if (q.before) {
          params.push(q.before);
          where.push(`id < $${params.length}`);
        }
        if (q.sentiment) {
          params.push(q.sentiment);
          where.push(`sentiment = $${params.length}`);
        }
        if (q.angle) {
          params.push(q.angle);
          where.push(`angles ? $${params.length}`);
        }
        if (q.topic) {
          params.push(q.topic);
          where.push(`topics @> jsonb_build_array(jsonb_build_object('topic', $${params.length}::text))`);
        }
        const { rows } = await deps.pool.query(
          `SELECT * FROM listening_mentions WHERE tenant_id = $1 ${where.map((w) => `AND ${w}`).join(' ')} ORDER BY id DESC LIMIT $2`,
          params,
        );
        const page = rows.slice(0, q.limit).map(mentionView);
        return { data: page, next_cursor: rows.length > q.limit ? page[page.length - 1].id : null };
      },
    );
    app.post(
      '/v1/listening/mentions/:id/topics',
      {
        schema: {
          tags,
          summary: "Correct a mention's topics: the text module learns from the correction",
          params: Id,
          body: TopicCorrectionInput,
          response: { 200: Mention, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.correctTopics(p.tenantId, req.params.id, req.body, p.id))) throw mentionNotFound();
        const { rows } = await deps.pool.query('SELECT * FROM listening_mentions WHERE tenant_id = $1 AND id = $2', [p.tenantId, req.params.id]);
        return mentionView(rows[0]);
      },
    );
    app.get(
      '/v1/listening/mentions/:id',
      { schema: { tags, summary: 'A mention with its analysis', params: Id, response: { 200: Mention, ...problemResponses } } },
      async (req) => {
        const { rows } = await deps.pool.query('SELECT * FROM listening_mentions WHERE tenant_id = $1 AND id = $2', [principalOf(req).tenantId, req.params.id]);
        if (!rows[0]) throw mentionNotFound();
        return mentionView(rows[0]);
      },
    );

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
            200: z.object({
              data: z.array(z.object({ name: z.string(), mentions: z.number(), share: z.number(), positive: z.number(), negative: z.number() })),
            }),
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
            200: z.object({
              data: z.array(
                z.object({
                  angle: z.string(),
                  period: z.string(),
                  mentions: z.number(),
                  positive: z.number(),
                  negative: z.number(),
                  average_score: z.number(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const [from, to] = range(req.query, service.clock.now());
        return { data: await service.sentimentTrend(principalOf(req).tenantId, from, to, req.query.bucket) };
      },
    );

    // Connectors post one mention (or {mentions: [...]}) signed per Standard Webhooks with the source's
    // secret; the source is named in a header so that nothing is read before the signature holds.
    const raw = new WeakMap<object, string>();
    await app.register(async (inbound) => {
      // The signature covers the exact bytes sent, so the raw text is kept beside the parsed body;
      // parsing itself is Fastify's own (bad JSON and __proto__ are refused with 400 as everywhere).
      const parseJson = inbound.getDefaultJsonParser('error', 'error');
      inbound.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1_048_576 }, (req, body, done) => {
        raw.set(req, body as string);
        parseJson(req, body as string, done);
      });
      inbound.post(
        '/v1/listening/inbound',
        {
          config: { isPublic: true },
          schema: {
            tags,
            summary: 'Connector webhook: headers webhook-source (the source id), webhook-id, webhook-timestamp, webhook-signature',
            response: { 200: IngestResponse, ...problemResponses },
          },
        },
        async (req, reply) => {
          const source = req.headers['webhook-source'];
          const text = raw.get(req) ?? '';
          const r = typeof source === 'string' && source.length <= 64 ? await service.receiveWebhook(source, req.headers, text) : { ok: false as const };
          if (!r.ok) return sendProblem(reply, 401, 'LISTENING_BAD_SIGNATURE', 'The webhook signature is missing, stale or wrong');
          return r.result;
        },
      );
    });
  };
}
