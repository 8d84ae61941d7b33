// HTTP for listening's mentions: a batch imported, listed newest first with filters, read with their
// analysis, their topics corrected. Registered by listeningRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { mentionNotFound } from './errors.js';
import { TopicCorrectionInput } from '../text/index.js';
import { MAX_MENTION_BATCH } from './ingest-mentions.js';
import type { ListeningService } from './listening-service.js';
import { Id, IngestResponse, Mention, MentionQuery } from './contract.js';
import { mentions } from './schema.js';

const tags = ['listening'];
const StoredMention = rowOf(mentions, '*');

function mentionView(r: typeof StoredMention.row): Mention {
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
    // The table's check (listening_mentions_sentiment) holds it to these; topics are a JSON array.
    sentiment: r.sentiment as Mention['sentiment'],
    score: r.score,
    topics: r.topics as unknown[],
    angles: r.angles,
    matched_terms: r.matched_terms,
    about_company: r.about_company,
    customer_id: r.customer_id,
  };
}

export function listeningMentionRoutes(service: ListeningService, deps: { pool: import('pg').Pool }): FastifyPluginAsyncZod {
  return async (app) => {
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
        const rows = await queryRows(
          deps.pool,
          StoredMention,
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
        const m = await queryRow(deps.pool, StoredMention, 'SELECT * FROM listening_mentions WHERE tenant_id = $1 AND id = $2', [p.tenantId, req.params.id]);
        if (!m) throw mentionNotFound();
        return mentionView(m);
      },
    );
    app.get(
      '/v1/listening/mentions/:id',
      { schema: { tags, summary: 'A mention with its analysis', params: Id, response: { 200: Mention, ...problemResponses } } },
      async (req) => {
        const m = await queryRow(deps.pool, StoredMention, 'SELECT * FROM listening_mentions WHERE tenant_id = $1 AND id = $2', [
          principalOf(req).tenantId,
          req.params.id,
        ]);
        if (!m) throw mentionNotFound();
        return mentionView(m);
      },
    );
  };
}
