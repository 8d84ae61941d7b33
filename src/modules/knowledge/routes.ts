// HTTP for the knowledge base: categories, synonyms, where the help centre is, search and content gaps;
// articles and their versions and feedback in article-routes.ts, agent suggestions and guided scripts in
// guidance-routes.ts, the public JSON the widget calls in visitor-routes.ts. The parts register on this
// plugin's own instance, in this order, so they share its encapsulation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam, patchOf } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { KnowledgeService } from './knowledge-service.js';
import { CategoryInput, Category, SearchQuery, SearchAnswer, SynonymInput, SynonymSet, Gap, HelpCentreLocation } from './contract.js';
import { knowledgeArticleRoutes } from './article-routes.js';
import { knowledgeGuidanceRoutes } from './guidance-routes.js';
import { knowledgeVisitorRoutes } from './visitor-routes.js';

const tags = ['knowledge'];

/** `publicUrl` is read at each request: where visitors reach the server, for links agents paste. */
export function knowledgeRoutes(service: KnowledgeService, opts: { publicUrl: () => string }): FastifyPluginAsyncZod {
  return async (app) => {
    // Articles, their versions and feedback (article-routes.ts).
    await knowledgeArticleRoutes(service)(app, {});

    // Categories
    app.post(
      '/v1/knowledge/categories',
      { schema: { tags, summary: 'Create a category', body: CategoryInput, response: { 201: Category, ...problemResponses } } },
      async (req, reply) => reply.status(201).send(await service.createCategory(principalOf(req).tenantId, req.body)),
    );
    app.get(
      '/v1/knowledge/categories',
      { schema: { tags, summary: 'Categories', response: { 200: z.object({ data: z.array(Category) }), ...problemResponses } } },
      async (req) => ({ data: await service.listCategories(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/knowledge/categories/:id',
      { schema: { tags, summary: 'A category', params: IdParam, response: { 200: Category, ...problemResponses } } },
      async (req) => service.getCategory(principalOf(req).tenantId, req.params.id),
    );
    app.patch(
      '/v1/knowledge/categories/:id',
      { schema: { tags, summary: 'Change a category', params: IdParam, body: patchOf(CategoryInput), response: { 200: Category, ...problemResponses } } },
      async (req) => service.updateCategory(principalOf(req).tenantId, req.params.id, req.body),
    );

    // Synonyms
    app.post(
      '/v1/knowledge/synonyms',
      {
        config: { scope: 'admin' },
        schema: { tags, summary: 'Add a set of synonyms', body: SynonymInput, response: { 201: SynonymSet, ...problemResponses } },
      },
      async (req, reply) => reply.status(201).send(await service.createSynonymSet(principalOf(req).tenantId, req.body.terms)),
    );
    app.get(
      '/v1/knowledge/synonyms',
      { schema: { tags, summary: 'Synonym sets', response: { 200: z.object({ data: z.array(SynonymSet) }), ...problemResponses } } },
      async (req) => ({ data: await service.listSynonymSets(principalOf(req).tenantId) }),
    );
    app.delete(
      '/v1/knowledge/synonyms/:id',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Remove a set of synonyms', params: IdParam, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteSynonymSet(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/knowledge/help-centre',
      {
        schema: {
          tags,
          summary: "Where the tenant's public help centre is, and the language it opens in (change it at /v1/settings/knowledge)",
          response: { 200: HelpCentreLocation, ...problemResponses },
        },
      },
      async (req) => service.getHelpCentre(principalOf(req).tenantId, opts.publicUrl()),
    );

    // Search (agents: internal articles too) and content gaps
    app.get(
      '/v1/knowledge/search',
      {
        schema: {
          tags,
          summary: 'Search published articles, internal ones included',
          querystring: SearchQuery,
          response: { 200: SearchAnswer, ...problemResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const { mode, corrections, results } = await service.search(principalOf(req).tenantId, {
          q: q.q,
          language: q.language,
          categoryId: q.category_id,
          limit: q.limit,
          audience: 'agent',
        });
        return { mode, corrections, results };
      },
    );
    app.get(
      '/v1/knowledge/gaps',
      {
        schema: {
          tags,
          summary: 'Searches nobody could answer, grouped by similar query',
          querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ data: z.array(Gap) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listContentGaps(principalOf(req).tenantId, { days: req.query.days, limit: req.query.limit }) }),
    );
    app.post(
      '/v1/knowledge/searches/:id/chat',
      {
        schema: {
          tags,
          summary: 'Record that a visitor started a chat after this search',
          params: IdParam,
          body: z.object({ conversation_id: z.string().min(1).max(64) }).strict(),
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        await service.recordSearchFollowedByChat(principalOf(req).tenantId, req.params.id, req.body.conversation_id);
        return reply.status(204).send(null);
      },
    );

    // Agent guidance: suggestions, next best actions, scripts and their runs (guidance-routes.ts).
    await knowledgeGuidanceRoutes(service)(app, {});

    // The widget, before a visitor starts a chat: public, per help centre (tenant slug), rate-limited (visitor-routes.ts).
    await knowledgeVisitorRoutes(service)(app, {});
  };
}
