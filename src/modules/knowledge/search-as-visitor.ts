// Searches by visitors: on the help centre and from the website widget. Each is recorded for content
// gaps, and its answer carries the search's id (a chat that follows links to it).
import type pg from 'pg';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { tenants } from '../../platform/schema.js';
import type { HelpCentreTenant } from './help-centre-caches.js';
import { helpCentreNotFound } from './errors.js';
import { pickSearchLanguage } from './pick-language.js';
import { recordSearch } from './record-search.js';
import { searchArticles, type SearchOptions, type SynonymSet } from './search-articles.js';

export type VisitorSearchOptions = Omit<SearchOptions, 'audience'> & { source: 'widget' | 'help_centre'; anonymousId?: string | null };

export async function searchAsVisitor(pool: pg.Pool, tenantId: string, opts: VisitorSearchOptions, synonyms: SynonymSet[], at: Date) {
  const result = await searchArticles(pool, tenantId, { ...opts, audience: 'public' }, synonyms);
  const searchId = result.key
    ? await recordSearch(
        pool,
        tenantId,
        { query: opts.q, key: result.key, language: opts.language, source: opts.source, resultCount: result.results.length, anonymousId: opts.anonymousId },
        at,
      )
    : null;
  return { ...result, search_id: searchId };
}

/**
 * A search from the website widget of a tenant (known by its widget key, not a slug): the tenant's
 * public articles in the language of the query's script, else the browser's, else the help
 * centre's default; each result links to its help-centre page.
 */
export async function searchFromWidget(
  pool: pg.Pool,
  tenantId: string,
  opts: { q: string; language?: string; acceptLanguage?: string; anonymousId?: string | null; limit: number },
  deps: { helpCentre: (slug: string) => Promise<HelpCentreTenant | undefined>; synonymsOf: () => Promise<SynonymSet[]>; at: Date },
) {
  const t = await queryRow(pool, rowOf(tenants, ['slug']), 'SELECT slug FROM tenants WHERE tenant_id = $1', [tenantId]);
  if (!t) throw helpCentreNotFound();
  const hc = await deps.helpCentre(t.slug);
  if (!hc) throw helpCentreNotFound();
  const language = pickSearchLanguage(opts.language, opts.q, opts.acceptLanguage, hc.defaultLanguage);
  const r = await searchAsVisitor(
    pool,
    tenantId,
    { q: opts.q, language, limit: opts.limit, source: 'widget', anonymousId: opts.anonymousId },
    await deps.synonymsOf(),
    deps.at,
  );
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
}
