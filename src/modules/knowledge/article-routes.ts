// HTTP for knowledge articles: writing, listing, changing and deleting them, their versions (and restoring
// one), and visitors' feedback on each.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { KnowledgeService } from './knowledge-service.js';
import { Language, Id, ArticleInput, ArticlePatch, Article, ArticleSummary, Version } from './contract.js';

const tags = ['knowledge'];

export function knowledgeArticleRoutes(service: KnowledgeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/knowledge/articles',
      { schema: { tags, summary: 'Write an article (or a translation of one)', body: ArticleInput, response: { 201: Article, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await service.createArticle(p.tenantId, req.body, actorOf(p)));
      },
    );
    app.get(
      '/v1/knowledge/articles',
      {
        schema: {
          tags,
          summary: 'List articles, newest change first',
          querystring: z.object({
            category_id: Id.optional(),
            language: Language.optional(),
            status: z.enum(['draft', 'published']).optional(),
            visibility: z.enum(['public', 'internal']).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().max(200).optional(),
          }),
          response: { 200: z.object({ data: z.array(ArticleSummary), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) => service.listArticles(principalOf(req).tenantId, req.query),
    );
    app.get(
      '/v1/knowledge/articles/:id',
      { schema: { tags, summary: 'An article with its translations', params: IdParam, response: { 200: Article, ...problemResponses } } },
      async (req) => service.getArticle(principalOf(req).tenantId, req.params.id),
    );
    app.patch(
      '/v1/knowledge/articles/:id',
      { schema: { tags, summary: 'Change an article: a new version', params: IdParam, body: ArticlePatch, response: { 200: Article, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return service.updateArticle(p.tenantId, req.params.id, req.body, actorOf(p));
      },
    );
    app.delete(
      '/v1/knowledge/articles/:id',
      { schema: { tags, summary: 'Delete an article with its versions and feedback', params: IdParam, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteArticle(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/v1/knowledge/articles/:id/versions',
      {
        schema: {
          tags,
          summary: 'Every version of an article, with author and time',
          params: IdParam,
          response: { 200: z.object({ data: z.array(Version) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listVersions(principalOf(req).tenantId, req.params.id) }),
    );
    app.get(
      '/v1/knowledge/articles/:id/versions/:version',
      {
        schema: {
          tags,
          summary: 'One version of an article',
          params: IdParam.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
          response: { 200: Version.extend({ body: z.string() }), ...problemResponses },
        },
      },
      async (req) => service.getVersion(principalOf(req).tenantId, req.params.id, req.params.version),
    );
    app.post(
      '/v1/knowledge/articles/:id/versions/:version/restore',
      {
        schema: {
          tags,
          summary: "Make an earlier version's title, body and category the article's content again (a new version; status and visibility stay)",
          params: IdParam.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
          response: { 200: Article, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return service.restoreVersion(p.tenantId, req.params.id, req.params.version, actorOf(p));
      },
    );
    app.get(
      '/v1/knowledge/articles/:id/feedback',
      {
        schema: {
          tags,
          summary: "Visitors' feedback on an article",
          params: IdParam,
          response: {
            200: z.object({
              helpful: z.number(),
              not_helpful: z.number(),
              data: z.array(z.object({ id: z.string(), helpful: z.boolean(), comment: z.string().nullable(), created_at: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => service.listFeedback(principalOf(req).tenantId, req.params.id),
    );
  };
}
