// The knowledge service: the use cases the routes, the help centre and other modules (the inbox)
// call, wired with their context.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { withTransaction } from '../../platform/db.js';
import { perTenant } from '../../platform/bus.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { findTenantBySlug, getTenantSettings } from '../../platform/tenancy.js';
import type { CustomersService } from '../customers/index.js';
import { createArticle, updateArticle, deleteArticle, type ArticleInput, type ArticlePatch } from './save-article.js';
import { getArticle, listArticles, listVersions, getVersion, getPublicArticle, listPublicArticles } from './get-article.js';
import { createCategory, updateCategory, getCategory, listCategories, type CategoryInput } from './manage-categories.js';
import { searchArticles, LANGUAGES, type Language, type SearchOptions, type SynonymSet } from './search-articles.js';
import { createSynonymSet, listSynonymSets, deleteSynonymSet } from './manage-synonyms.js';
import { recordSearch, recordSearchFollowedByChat, recordSearchEscalated, recentVisitorIds, linkVisitorSearches, customerSearches } from './record-search.js';
import { listContentGaps } from './list-content-gaps.js';
import { recordFeedback, listFeedback } from './record-feedback.js';
import { suggestForMessage, type CandidateReply, type SuggestionSource } from './suggest-for-message.js';
import { createScript, updateScript, getScript, listScripts, type ScriptInput } from './manage-scripts.js';
import { startScriptRun, takeScriptStep, leaveScriptRun, getScriptRun, listScriptRuns } from './run-script.js';
import { restoreVersion } from './restore-version.js';
import { getHelpCentre } from './get-help-centre.js';
import { settingsArea } from '../../platform/settings.js';
import { z } from '../../platform/validation.js';
import { helpCentreNotFound, rateLimited } from './errors.js';
import { pickSearchLanguage } from './pick-language.js';

// The help centre's settings (GET/PATCH /v1/settings/knowledge): the language a visitor who states none
// sees, and in which a search without Chinese script runs.
const KnowledgeSettingsArea = z.object({ default_language: z.enum(LANGUAGES).default('en') }).strict();

/** What the inbox publishes for every inbound message (see the brief's cross-module contracts). */
export interface MessageReceived {
  conversationId: string;
  messageId: string;
  customerId: string;
  channel: string;
  text: string;
  isNewConversation?: boolean;
}

/** A next-best-action target an inbox rule can point to. */
export type GuidanceTarget = { kind: 'article'; id: string } | { kind: 'script'; id: string };

/** Help-centre slugs remembered at once (each found tenant, or a slug found to be no tenant's). */
const HELP_CENTRE_SLUGS = 10_000;

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

  // The public help centre finds its tenant by the slug in the address and reads its language on every
  // page. A tenant's slug and name never change, so the slug's tenant (or its absence: crawlers ask for
  // slugs that do not exist) is kept 30 s, at most HELP_CENTRE_SLUGS of them. The language is a setting:
  // kept 30 s per tenant and forgotten on every node when it changes (tenant-cache, cache-notices).
  const tenantsBySlug = createTenantCache<{ tenantId: string; name: string } | null>({
    ttlMs: 30_000,
    maxEntries: HELP_CENTRE_SLUGS,
    load: async (slug) => (await findTenantBySlug(pool, slug)) ?? null,
  });
  const helpCentreLanguages = createTenantCache<Language>({
    ttlMs: 30_000,
    load: async (tenantId) => {
      const configured = ((await getTenantSettings(pool, tenantId)).knowledge as { default_language?: string } | undefined)?.default_language;
      return (LANGUAGES as readonly string[]).includes(configured ?? '') ? (configured as Language) : 'en';
    },
  });

  async function helpCentre(slug: string): Promise<{ tenantId: string; name: string; defaultLanguage: Language } | undefined> {
    const t = await tenantsBySlug.get(slug);
    return t ? { ...t, defaultLanguage: await helpCentreLanguages.get(t.tenantId) } : undefined;
  }

  /** The tenant's public help centre, `/help/<slug>` (the page routes in help-centre-routes.ts). */
  async function helpCentrePathOf(tenantId: string): Promise<string | null> {
    const {
      rows: [t],
    } = await pool.query('SELECT slug FROM tenants WHERE tenant_id = $1', [tenantId]);
    return t ? `/help/${encodeURIComponent(t.slug)}` : null;
  }

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
    async visitorSearch(tenantId: string, opts: Omit<SearchOptions, 'audience'> & { source: 'widget' | 'help_centre'; anonymousId?: string | null }) {
      const result = await searchArticles(pool, tenantId, { ...opts, audience: 'public' }, await synonymsOf(tenantId));
      const searchId = result.key
        ? await recordSearch(
            pool,
            tenantId,
            { query: opts.q, key: result.key, language: opts.language, source: opts.source, resultCount: result.results.length, anonymousId: opts.anonymousId },
            ctx.clock.now(),
          )
        : null;
      return { ...result, search_id: searchId };
    },
    /**
     * A search from the website widget of a tenant (known by its widget key, not a slug): the tenant's
     * public articles in the language of the query's script, else the browser's, else the help
     * centre's default; each result links to its help-centre page.
     */
    async widgetSearch(tenantId: string, opts: { q: string; language?: string; acceptLanguage?: string; anonymousId?: string | null; limit: number }) {
      const {
        rows: [t],
      } = await pool.query('SELECT slug FROM tenants WHERE tenant_id = $1', [tenantId]);
      const hc = t ? await helpCentre(t.slug) : undefined;
      if (!hc) throw helpCentreNotFound();
      const language = pickSearchLanguage(opts.language, opts.q, opts.acceptLanguage, hc.defaultLanguage);
      const r = await this.visitorSearch(tenantId, { q: opts.q, language, limit: opts.limit, source: 'widget', anonymousId: opts.anonymousId });
      return {
        search_id: r.search_id,
        language,
        results: r.results.map((h) => ({
          id: h.id,
          title: h.title,
          snippet_html: h.snippet_html,
          language: h.language,
          url: `/help/${encodeURIComponent(t.slug)}/articles/${h.id}?language=${h.language}`,
        })),
      };
    },
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
      suggestForMessage(pool, tenantId, input, await synonymsOf(tenantId), sources, await helpCentrePathOf(tenantId)),
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

    /**
     * Next best actions for a conversation: the active scripts for its case type, then the articles
     * that best answer its text. An inbox rule stores one of these as a GuidanceTarget.
     */
    async nextBestActions(tenantId: string, input: { case_type?: string; text?: string; language?: Language; limit?: number }) {
      const limit = input.limit ?? 5;
      const actions: { kind: 'script' | 'article'; id: string; title: string; reason: string; language: string }[] = [];
      if (input.case_type) {
        const scripts = await listScripts(pool, tenantId, { case_type: input.case_type, active_only: true });
        scripts.sort((a, b) => Number(b.language === input.language) - Number(a.language === input.language));
        for (const s of scripts)
          actions.push({ kind: 'script', id: s.id, title: s.title, reason: `script for case type ${s.case_type}`, language: s.language });
      }
      if (input.text) {
        const s = await service.suggestForMessage(tenantId, { text: input.text, language: input.language, limit });
        for (const a of s.articles) actions.push({ kind: 'article', id: a.id, title: a.title, reason: 'answers the message', language: a.language });
      }
      return actions.slice(0, limit);
    },
    /** What a stored next-best-action target points to now, or undefined when it is gone. */
    async resolveTarget(tenantId: string, target: GuidanceTarget) {
      try {
        if (target.kind === 'article') {
          const a = await getArticle(pool, tenantId, target.id);
          return { kind: 'article' as const, id: a.id, title: a.title, language: a.language, status: a.status, visibility: a.visibility };
        }
        const s = await getScript(pool, tenantId, target.id);
        return { kind: 'script' as const, id: s.id, title: s.title, language: s.language, case_type: s.case_type, is_active: s.is_active };
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      }
    },

    // Public help centre plumbing
    helpCentre,
    getHelpCentre: (tenantId: string, publicUrl: string) => getHelpCentre(pool, tenantId, publicUrl),
    settingsAreas: [
      settingsArea({
        name: 'knowledge',
        schema: KnowledgeSettingsArea,
        onChange: (tenantId) => helpCentreLanguages.forget(tenantId),
      }),
    ],
    /** Throws 429 when this visitor asked too often. */
    async limitVisitor(tenantId: string, address: string) {
      if (!(await ctx.limiter.take(tenantId, visitorLimit, address)).isAllowed) throw rateLimited();
    },
  };

  // A chat started shortly after a visitor's searches: those searches did not answer the question.
  // The widget's anonymous id is a customer identity, so the searches are matched through it.
  // Idempotent: searches already linked to a conversation are left alone. Chats start by the hundred a
  // second on a busy inbox, so they are taken a tenant's share of a published batch at a time: the
  // recent visitors are read once for all of them, and most batches (no recent searches) end there.
  async function linkStartedChats(tenantId: string, chats: MessageReceived[]) {
    const visitors = await recentVisitorIds(pool, tenantId, ctx.clock.now());
    if (!visitors.length) return;
    const owners = await ctx.customers!.lookupMany(tenantId, 'anonymous_id', visitors);
    for (const m of chats) {
      const mine = visitors.filter((v) => owners.get(v) === m.customerId);
      if (!mine.length) continue;
      // A conversation reopened or re-announced (isNewConversation unknown) and already linked ends here.
      const { rowCount } = await pool.query('SELECT 1 FROM knowledge_searches WHERE tenant_id = $1 AND conversation_id = $2 LIMIT 1', [
        tenantId,
        m.conversationId,
      ]);
      if (rowCount) continue;
      await linkVisitorSearches(pool, tenantId, mine, m.conversationId, m.customerId, ctx.clock.now());
    }
  }
  if (ctx.customers) {
    ctx.bus.subscribeBatch('message.received', (msgs) =>
      perTenant(msgs, async (tenantId, list) => {
        // Only the message that starts a chat links searches: later messages of the conversation (most
        // of the inbox's traffic) cost nothing here.
        const chats = list.map((msg) => msg.payload as MessageReceived).filter((m) => m?.conversationId && m.customerId && m.isNewConversation !== false);
        if (chats.length) await linkStartedChats(tenantId, chats);
      }),
    );
  }

  // What a known visitor typed is their personal data: it follows merges, leaves with erasure and
  // is part of their export.
  ctx.customers?.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE knowledge_searches SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId, survivorId]);
  });
  // Searches are the customer's own words; those not yet linked to them are found by their visitor id.
  ctx.customers?.onErase(async (tx, tenantId, customerIds, subject) => {
    const visitors = subject.identities.filter((i) => i.kind === 'anonymous_id').map((i) => i.value);
    await tx.query('DELETE FROM knowledge_searches WHERE tenant_id = $1 AND (customer_id = ANY($2::text[]) OR anonymous_id = ANY($3::text[]))', [
      tenantId,
      customerIds,
      visitors,
    ]);
  });
  ctx.customers?.addExportSection('knowledge_searches', (tenantId, customerIds) => customerSearches(pool, tenantId, customerIds));

  return service;
}

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
