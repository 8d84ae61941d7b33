// HTTP for the knowledge base: articles, versions, categories, synonyms, search, content gaps,
// feedback, agent suggestions, guided scripts and their runs; and the public JSON the widget calls.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam, patchOf } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { KnowledgeService } from './knowledge-service.js';
import { pickSearchLanguage } from './pick-language.js';
import { helpCentreNotFound } from './errors.js';
import {
  Language,
  Id,
  ArticleInput,
  ArticlePatch,
  Article,
  ArticleSummary,
  Version,
  CategoryInput,
  Category,
  Hit,
  SearchQuery,
  SearchAnswer,
  SynonymInput,
  SynonymSet,
  Gap,
  FeedbackInput,
  SuggestInput,
  Suggestions,
  NodeId,
  ScriptInput,
  Script,
  ScriptRun,
  Slug,
  HelpCentreLocation,
} from './contract.js';

const tags = ['knowledge'];

/** `publicUrl` is read at each request: where visitors reach the server, for links agents paste. */
export function knowledgeRoutes(service: KnowledgeService, opts: { publicUrl: () => string }): FastifyPluginAsyncZod {
  return async (app) => {
    // Articles
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

    // Agent guidance
    app.post(
      '/v1/knowledge/suggestions',
      {
        config: { scope: 'read' },
        schema: {
          tags,
          summary: "Articles and canned replies for a customer's message",
          body: SuggestInput,
          response: { 200: Suggestions, ...problemResponses },
        },
      },
      async (req) => service.suggestForMessage(principalOf(req).tenantId, req.body),
    );
    app.post(
      '/v1/knowledge/next-best-actions',
      {
        config: { scope: 'read' },
        schema: {
          tags,
          summary: 'Scripts and articles an agent should turn to next',
          body: z
            .object({
              case_type: z.string().max(100).optional(),
              text: z.string().max(10_000).optional(),
              language: Language.optional(),
              limit: z.number().int().min(1).max(20).optional(),
            })
            .strict(),
          response: {
            200: z.object({
              data: z.array(z.object({ kind: z.enum(['script', 'article']), id: z.string(), title: z.string(), reason: z.string(), language: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => ({ data: await service.nextBestActions(principalOf(req).tenantId, req.body) }),
    );

    app.post(
      '/v1/knowledge/scripts',
      { schema: { tags, summary: 'Create a guided script', body: ScriptInput, response: { 201: Script, ...problemResponses } } },
      async (req, reply) => reply.status(201).send(await service.createScript(principalOf(req).tenantId, req.body)),
    );
    app.get(
      '/v1/knowledge/scripts',
      {
        schema: {
          tags,
          summary: 'Guided scripts',
          querystring: z.object({ case_type: z.string().max(100).optional(), language: Language.optional() }),
          response: { 200: z.object({ data: z.array(Script) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listScripts(principalOf(req).tenantId, req.query) }),
    );
    app.get(
      '/v1/knowledge/scripts/:id',
      { schema: { tags, summary: 'A guided script', params: IdParam, response: { 200: Script, ...problemResponses } } },
      async (req) => service.getScript(principalOf(req).tenantId, req.params.id),
    );
    app.put(
      '/v1/knowledge/scripts/:id',
      { schema: { tags, summary: 'Replace a guided script', params: IdParam, body: ScriptInput, response: { 200: Script, ...problemResponses } } },
      async (req) => service.updateScript(principalOf(req).tenantId, req.params.id, req.body),
    );

    app.post(
      '/v1/knowledge/script-runs',
      {
        schema: {
          tags,
          summary: 'Start following a script on a conversation',
          body: z.object({ script_id: Id, conversation_id: z.string().min(1).max(64) }).strict(),
          response: { 201: ScriptRun, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await service.startScriptRun(p.tenantId, req.body, actorOf(p)));
      },
    );
    app.get(
      '/v1/knowledge/script-runs',
      {
        schema: {
          tags,
          summary: 'Scripts followed on a conversation, with the path taken',
          querystring: z.object({ conversation_id: z.string().min(1).max(64).optional() }),
          response: { 200: z.object({ data: z.array(ScriptRun) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listScriptRuns(principalOf(req).tenantId, { conversationId: req.query.conversation_id }) }),
    );
    app.get(
      '/v1/knowledge/script-runs/:id',
      { schema: { tags, summary: 'A script run and its path', params: IdParam, response: { 200: ScriptRun, ...problemResponses } } },
      async (req) => service.getScriptRun(principalOf(req).tenantId, req.params.id),
    );
    app.post(
      '/v1/knowledge/script-runs/:id/steps',
      {
        schema: {
          tags,
          summary: 'Choose an option (or jump to a node) in a script run',
          params: IdParam,
          body: z.object({ option_id: NodeId.optional(), node_id: NodeId.optional(), note: z.string().max(2000).nullable().optional() }).strict(),
          response: { 200: ScriptRun, ...problemResponses },
        },
      },
      async (req) => service.takeScriptStep(principalOf(req).tenantId, req.params.id, req.body),
    );
    app.post(
      '/v1/knowledge/script-runs/:id/leave',
      {
        schema: {
          tags,
          summary: 'Leave a script run',
          params: IdParam,
          body: z.object({ note: z.string().max(2000).nullable().optional() }).strict(),
          response: { 200: ScriptRun, ...problemResponses },
        },
      },
      async (req) => service.leaveScriptRun(principalOf(req).tenantId, req.params.id, req.body.note),
    );

    // The widget, before a visitor starts a chat: public, per help centre (tenant slug), rate-limited.
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
