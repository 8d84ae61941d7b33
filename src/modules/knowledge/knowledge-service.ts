// The knowledge service: the use cases the routes, the help centre and other modules (the inbox)
// call, wired with their context.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { withTransaction } from '../../platform/db.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import type { CustomersService } from '../customers/index.js';
import { createArticle, updateArticle, deleteArticle, type ArticleInput, type ArticlePatch } from './save-article.js';
import { getArticle, listArticles, listVersions, getVersion, getPublicArticle, listPublicArticles } from './get-article.js';
import { createCategory, updateCategory, getCategory, listCategories, type CategoryInput } from './manage-categories.js';
import { searchArticles, type Language, type SearchOptions, type SynonymSet } from './search-articles.js';
import { searchAsVisitor, searchFromWidget, type VisitorSearchOptions } from './search-as-visitor.js';
import { createSynonymSet, listSynonymSets, deleteSynonymSet } from './manage-synonyms.js';
import { recordSearchFollowedByChat, recordSearchEscalated } from './record-search.js';
import { listContentGaps } from './list-content-gaps.js';
import { recordFeedback, listFeedback } from './record-feedback.js';
import { suggestForMessage, type CandidateReply, type SuggestionSource } from './suggest-for-message.js';
import { suggestNextActions, resolveGuidanceTarget, type GuidanceTarget } from './suggest-next-actions.js';
import { createScript, updateScript, getScript, listScripts, type ScriptInput } from './manage-scripts.js';
import { startScriptRun, takeScriptStep, leaveScriptRun, getScriptRun, listScriptRuns } from './run-script.js';
import { restoreVersion } from './restore-version.js';
import { getHelpCentre } from './get-help-centre.js';
import { createHelpCentreCaches, helpCentrePathOf } from './help-centre-caches.js';
import { rateLimited } from './errors.js';
import { subscribeKnowledge } from './subscriptions.js';

export type { GuidanceTarget } from './suggest-next-actions.js';
export type { MessageReceived } from './subscriptions.js';

export function createKnowledgeService(ctx: ModuleContext & { customers?: Pick<CustomersService, 'lookupMany' | 'onMerge' | 'onErase' | 'addExportSection'> }) {
  const pool = ctx.db.pool;
  const sources: SuggestionSource[] = [];
  // Visitors (per address and tenant): searches are cheap, but an open endpoint must not be a free load generator.
  const visitorLimit = { name: 'help-centre-visitor', limit: 60, windowSeconds: 60 };

  // Synonyms change rarely and are read by every search: kept 30 s per node, forgotten on every node at a write.
  const synonyms = createTenantCache<SynonymSet[]>({
    ttlMs: 30_000,
    load: async (tenantId) => (await listSynonymSets(pool, tenantId)).map(({ id, terms }) => ({ id, terms })),
  });
  const synonymsOf = (tenantId: string) => synonyms.get(tenantId);

  const { helpCentre, settingsArea: knowledgeSettings } = createHelpCentreCaches(pool);

  const service = {
    // Articles
    async createArticle(tenantId: string, input: ArticleInput, actor: Actor) {
      const id = await withTransaction(pool, (tx) => createArticle(tx, tenantId, input, actor));
      return getArticle(pool, tenantId, id);
    },
    async updateArticle(tenantId: string, id: string, patch: ArticlePatch, actor: Actor) {
      await withTransaction(pool, (tx) => updateArticle(tx, tenantId, id, patch, actor));
      return getArticle(pool, tenantId, id);
    },
    deleteArticle: (tenantId: string, id: string) => withTransaction(pool, (tx) => deleteArticle(tx, tenantId, id)),
    getArticle: (tenantId: string, id: string) => getArticle(pool, tenantId, id),
    listArticles: (tenantId: string, q: Parameters<typeof listArticles>[2]) => listArticles(pool, tenantId, q),
    listVersions: (tenantId: string, id: string) => listVersions(pool, tenantId, id),
    getVersion: (tenantId: string, id: string, version: number) => getVersion(pool, tenantId, id, version),
    async restoreVersion(tenantId: string, id: string, version: number, actor: Actor) {
      await withTransaction(pool, (tx) => restoreVersion(tx, tenantId, id, version, actor));
      return getArticle(pool, tenantId, id);
    },
    getPublicArticle: (tenantId: string, id: string, language?: Language) => getPublicArticle(pool, tenantId, id, language),
    listPublicArticles: (tenantId: string, language: Language, opts?: { categoryId?: string; limit?: number }) =>
      listPublicArticles(pool, tenantId, language, opts),

    // Categories
    createCategory: (tenantId: string, input: CategoryInput) => createCategory(pool, tenantId, input),
    updateCategory: (tenantId: string, id: string, patch: Partial<CategoryInput>) => updateCategory(pool, tenantId, id, patch),
    getCategory: (tenantId: string, id: string) => getCategory(pool, tenantId, id),
    listCategories: (tenantId: string) => listCategories(pool, tenantId),

    // Search, synonyms, content gaps
    search: async (tenantId: string, opts: SearchOptions) => searchArticles(pool, tenantId, opts, await synonymsOf(tenantId)),
    /** A visitor's search (widget or help centre): recorded for content gaps; the answer carries its id. */
    visitorSearch: async (tenantId: string, opts: VisitorSearchOptions) => searchAsVisitor(pool, tenantId, opts, await synonymsOf(tenantId), ctx.clock.now()),
    /** A search from the website widget of a tenant, known by its widget key (search-as-visitor.ts). */
    widgetSearch: (tenantId: string, opts: Parameters<typeof searchFromWidget>[2]) =>
      searchFromWidget(pool, tenantId, opts, { helpCentre, synonymsOf: () => synonymsOf(tenantId), at: ctx.clock.now() }),
    /** The widget's "still need help" after a search: the search counts as followed by a chat. */
    recordSearchEscalated: (tenantId: string, searchId: string, anonymousId: string | null) =>
      recordSearchEscalated(pool, tenantId, searchId, anonymousId, ctx.clock.now()),
    /** The inbox (or the widget through it) calls this when a visitor starts a chat after a search. */
    recordSearchFollowedByChat: (tenantId: string, searchId: string, conversationId: string) =>
      recordSearchFollowedByChat(pool, tenantId, searchId, conversationId, ctx.clock.now()),
    /** Searches nobody could answer in the last `days` days by the clock. */
    listContentGaps: (tenantId: string, opts: { days: number; limit: number }) =>
      listContentGaps(pool, tenantId, { since: new Date(ctx.clock.now().getTime() - opts.days * 86_400_000), limit: opts.limit }),
    async createSynonymSet(tenantId: string, terms: string[]) {
      const s = await createSynonymSet(pool, tenantId, terms);
      synonyms.forget(tenantId);
      return s;
    },
    listSynonymSets: (tenantId: string) => listSynonymSets(pool, tenantId),
    async deleteSynonymSet(tenantId: string, id: string) {
      await deleteSynonymSet(pool, tenantId, id);
      synonyms.forget(tenantId);
    },

    // Feedback
    recordFeedback: (tenantId: string, articleId: string, input: { helpful: boolean; comment?: string | null }, opts: { isPublic: boolean }) =>
      recordFeedback(pool, tenantId, articleId, input, opts),
    listFeedback: (tenantId: string, articleId: string) => listFeedback(pool, tenantId, articleId),

    // Agent guidance
    /** Articles and canned replies for a message; `candidates` are extra texts (the inbox's canned replies). */
    suggestForMessage: async (tenantId: string, input: { text: string; language?: Language; limit?: number; candidates?: CandidateReply[] }) =>
      suggestForMessage(pool, tenantId, input, await synonymsOf(tenantId), sources, await helpCentrePathOf(pool, tenantId)),
    /** The inbox registers where its canned replies come from; every suggestion then considers them. */
    addSuggestionSource(source: SuggestionSource) {
      sources.push(source);
    },
    createScript: (tenantId: string, input: ScriptInput) => createScript(pool, tenantId, input),
    updateScript: (tenantId: string, id: string, input: ScriptInput) => updateScript(pool, tenantId, id, input),
    getScript: (tenantId: string, id: string) => getScript(pool, tenantId, id),
    listScripts: (tenantId: string, q: Parameters<typeof listScripts>[2]) => listScripts(pool, tenantId, q),
    async startScriptRun(tenantId: string, input: { script_id: string; conversation_id: string }, actor: Actor) {
      const id = await withTransaction(pool, (tx) => startScriptRun(tx, tenantId, input, actor));
      return getScriptRun(pool, tenantId, id);
    },
    async takeScriptStep(tenantId: string, runId: string, step: { option_id?: string; node_id?: string; note?: string | null }) {
      await withTransaction(pool, (tx) => takeScriptStep(tx, tenantId, runId, step));
      return getScriptRun(pool, tenantId, runId);
    },
    async leaveScriptRun(tenantId: string, runId: string, note?: string | null) {
      await withTransaction(pool, (tx) => leaveScriptRun(tx, tenantId, runId, note));
      return getScriptRun(pool, tenantId, runId);
    },
    getScriptRun: (tenantId: string, runId: string) => getScriptRun(pool, tenantId, runId),
    /** The scripts followed on a conversation, each with the path taken. */
    listScriptRuns: (tenantId: string, q: { conversationId?: string; limit?: number }) => listScriptRuns(pool, tenantId, q),

    /** Next best actions for a conversation: scripts for its case type, then articles answering its text. */
    nextBestActions: (tenantId: string, input: Parameters<typeof suggestNextActions>[2]) =>
      suggestNextActions(pool, tenantId, input, (i) => service.suggestForMessage(tenantId, i)),
    /** What a stored next-best-action target points to now, or undefined when it is gone. */
    resolveTarget: (tenantId: string, target: GuidanceTarget) => resolveGuidanceTarget(pool, tenantId, target),

    // Public help centre plumbing
    helpCentre,
    getHelpCentre: (tenantId: string, publicUrl: string) => getHelpCentre(pool, tenantId, publicUrl),
    settingsAreas: [knowledgeSettings],
    /** Throws 429 when this visitor asked too often. */
    async limitVisitor(tenantId: string, address: string) {
      if (!(await ctx.limiter.take(tenantId, visitorLimit, address)).isAllowed) throw rateLimited();
    },
  };

  if (ctx.customers) subscribeKnowledge(ctx, pool, ctx.customers);

  return service;
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
