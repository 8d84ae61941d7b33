// HTTP for the widget, before a visitor starts a chat: the public JSON search of a help centre and
// feedback on an article, per help centre (tenant slug), rate-limited per visitor. The server-rendered
// help centre is help-centre-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import type { KnowledgeService } from './knowledge-service.js';
import { pickSearchLanguage } from './pick-language.js';
import { helpCentreNotFound } from './errors.js';
import { Id, Hit, SearchAnswer, FeedbackInput, Slug } from './contract.js';

const tags = ['knowledge'];

export function knowledgeVisitorRoutes(service: KnowledgeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/help-centres/:slug/search',
      {
        config: { isPublic: true },
        schema: {
          tags,
          summary: "Search a help centre's public articles (widget)",
          security: [],
          params: Slug,
          querystring: z.object({
            q: z.string().min(1).max(500),
            language: z
              .string()
              .max(35)
              .optional()
              .describe('A language tag (en, zh-CN, zh-TW); when absent, Chinese script in q decides, then Accept-Language'),
            lang: z.string().max(35).optional().describe('Deprecated: the former name of `language`'),
            anonymous_id: z.string().max(128).optional(),
            limit: z.coerce.number().int().min(1).max(20).default(5),
          }),
          response: {
            200: SearchAnswer.omit({ corrections: true }).extend({
              search_id: z.string().nullable(),
              language: z.string(),
              results: z.array(Hit.omit({ visibility: true }).extend({ url: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const hc = await service.helpCentre(req.params.slug);
        if (!hc) throw helpCentreNotFound();
        await service.limitVisitor(hc.tenantId, req.ip);
        const language = pickSearchLanguage(req.query.language ?? req.query.lang, req.query.q, req.headers['accept-language'], hc.defaultLanguage);
        const r = await service.visitorSearch(hc.tenantId, {
          q: req.query.q,
          language,
          limit: req.query.limit,
          source: 'widget',
          anonymousId: req.query.anonymous_id,
        });
        // Corrections name words from any published article, internal ones included: not for visitors.
        return {
          mode: r.mode,
          search_id: r.search_id,
          language,
          results: r.results.map(({ visibility: _v, ...h }) => ({
            ...h,
            url: `/help/${encodeURIComponent(req.params.slug)}/articles/${h.id}?language=${h.language}`,
          })),
        };
      },
    );
    app.post(
      '/v1/help-centres/:slug/articles/:id/feedback',
      {
        config: { isPublic: true },
        schema: {
          tags,
          summary: 'A visitor says whether an article helped',
          security: [],
          params: Slug.extend({ id: Id }),
          body: FeedbackInput,
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const hc = await service.helpCentre(req.params.slug);
        if (!hc) throw helpCentreNotFound();
        await service.limitVisitor(hc.tenantId, req.ip);
        return reply.status(201).send(await service.recordFeedback(hc.tenantId, req.params.id, req.body, { isPublic: true }));
      },
    );
  };
}
