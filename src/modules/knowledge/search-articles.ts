// Article search: the query is cut into words like the articles were, each word widened by the
// tenant's synonyms and, for a Latin word no article uses, by its closest word in the tenant's
// vocabulary (pg_trgm); then ranked by PostgreSQL full text (title weighs more than body).
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { knowledgeArticles } from './schema.js';
import { segmentText, cutWords, isStopWord } from './segment-text.js';
import { bodyText, highlightSnippet, markTerms } from './highlight-text.js';

export const LANGUAGES = ['zh-CN', 'zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface SynonymSet {
  id: string;
  terms: string[];
}

/** A query word no article uses, and the tenant's closest word to it (null for a word some article uses, or none close). */
const Correction = computedRow<{ tok: string; fix: string | null }>(['tok', 'fix']);
/** A ranked hit: the body cut to its first 4000 characters for the snippet. */
const Hit = rowOf(knowledgeArticles, ['id', 'group_id', 'language', 'category_id', 'visibility', 'title', 'body']).and<{ score: number }>(['score']);

/** One word of the query: any of its alternatives (each a phrase of one or more words) may match. */
interface QueryGroup {
  alternatives: string[][];
  canonical: string;
}

export interface AnalyzedQuery {
  groups: QueryGroup[];
  /** Similar queries share this key: canonical words, sorted. */
  key: string;
  corrections: { from: string; to: string }[];
  /** Every word worth marking in a snippet. */
  terms: string[];
}

const LATIN = /^[a-z]+$/;
/** The most matches one query ranks. */
export const CANDIDATES = 1000;

/** Words of a synonym term as the query side cuts them (stop words kept inside a phrase). */
export function synonymPhrase(term: string): string[] {
  const words = cutWords(term);
  return words.length > 1 ? words.filter((w) => !isStopWord(w)) : words;
}

export async function analyzeQuery(
  db: Queryable,
  tenantId: string,
  q: string,
  synonyms: SynonymSet[],
  opts: { maxWords?: number } = {},
): Promise<AnalyzedQuery> {
  const words = [...new Set(segmentText(q, 'query'))].slice(0, opts.maxWords ?? 12);
  const sets = synonyms.map((s) => s.terms.map(synonymPhrase).filter((p) => p.length));
  const groups: QueryGroup[] = [];
  const unknownLatin: number[] = [];
  for (let i = 0; i < words.length; i++) {
    // The longest synonym phrase starting at this word wins ("credit card" before "credit").
    let best: { set: string[][]; len: number } | undefined;
    for (const set of sets) {
      for (const phrase of set) {
        if (phrase.length > (best?.len ?? 0) && phrase.every((w, k) => words[i + k] === w)) best = { set, len: phrase.length };
      }
    }
    if (best) {
      groups.push({ alternatives: best.set, canonical: best.set[0].join('_') });
      i += best.len - 1;
      continue;
    }
    if (LATIN.test(words[i]) && words[i].length >= 4) unknownLatin.push(groups.length);
    groups.push({ alternatives: [[words[i]]], canonical: words[i] });
  }
  const corrections: { from: string; to: string }[] = [];
  if (unknownLatin.length) {
    const toks = unknownLatin.map((g) => groups[g].canonical);
    // CASE evaluates the trigram lookup only for words no article uses.
    const rows = await queryRows(
      db,
      Correction,
      `SELECT q.tok, CASE WHEN EXISTS (SELECT 1 FROM knowledge_terms k WHERE k.tenant_id = $1 AND k.term = q.tok) THEN NULL
         ELSE (SELECT k.term FROM knowledge_terms k WHERE k.tenant_id = $1 AND k.term % q.tok ORDER BY similarity(k.term, q.tok) DESC, k.weight DESC, k.term LIMIT 1) END AS fix
       FROM unnest($2::text[]) AS q(tok)`,
      [tenantId, toks],
    );
    const fixes = new Map(rows.filter((r) => r.fix).map((r) => [r.tok, r.fix as string]));
    for (const g of unknownLatin) {
      const fix = fixes.get(groups[g].canonical);
      if (!fix) continue;
      corrections.push({ from: groups[g].canonical, to: fix });
      // A corrected word may itself have synonyms.
      const set = sets.find((s) => s.some((p) => p.length === 1 && p[0] === fix));
      groups[g] = set
        ? { alternatives: [[groups[g].canonical], ...set], canonical: set[0].join('_') }
        : { alternatives: [[groups[g].canonical], [fix]], canonical: fix };
    }
  }
  const terms = [...new Set(groups.flatMap((g) => g.alternatives.flat()))];
  const key = [...new Set(groups.map((g) => g.canonical))].sort().join(' ');
  return { groups, key, corrections, terms };
}

/** A to_tsquery('simple', …) text. Words hold only letters and digits (segment-text.ts), so nothing here is an operator. */
export function toTsQuery(groups: QueryGroup[], mode: 'all' | 'any'): string {
  const group = (g: QueryGroup) => `(${g.alternatives.map((p) => (p.length > 1 ? `(${p.join(' <-> ')})` : p[0])).join(' | ')})`;
  return groups.map(group).join(mode === 'all' ? ' & ' : ' | ');
}

export interface SearchOptions {
  q: string;
  language?: Language;
  /** public: published public articles only (help centre, widget); agent: internal ones too. */
  audience: 'public' | 'agent';
  categoryId?: string;
  limit?: number;
  /** all: every word must match, falling back to any word when nothing does; any: rank by any word. */
  mode?: 'all' | 'any';
  maxWords?: number;
}

export interface SearchHit {
  id: string;
  group_id: string;
  language: string;
  category_id: string | null;
  visibility: string;
  title: string;
  title_html: string;
  snippet_html: string;
  score: number;
}

export interface SearchResult {
  query: string;
  key: string;
  mode: 'all' | 'any' | 'none';
  corrections: { from: string; to: string }[];
  terms: string[];
  results: SearchHit[];
}

export async function searchArticles(db: Queryable, tenantId: string, opts: SearchOptions, synonyms: SynonymSet[]): Promise<SearchResult> {
  const analyzed = await analyzeQuery(db, tenantId, opts.q, synonyms, { maxWords: opts.maxWords });
  const base = { query: opts.q, key: analyzed.key, corrections: analyzed.corrections, terms: analyzed.terms };
  if (!analyzed.groups.length) return { ...base, mode: 'none', results: [] };
  // Ranking reads every matching row's vector, so a word most articles use would make one query
  // rank tens of thousands of rows: at most CANDIDATES matches are ranked (found through the GIN
  // index), which bounds a query's cost whatever the corpus. Then only the top rows' bodies are read.
  const run = async (mode: 'all' | 'any') => {
    const rows = await queryRows(
      db,
      Hit,
      `WITH c AS MATERIALIZED (
         SELECT a.id, a.search_vector, a.updated_at FROM knowledge_articles a
         WHERE a.tenant_id = $1 AND a.search_vector @@ to_tsquery('simple', $2) AND a.status = 'published'
           AND ($3::text IS NULL OR a.language = $3) AND ($4::boolean OR a.visibility = 'public')
           AND ($5::text IS NULL OR a.category_id = $5)
         LIMIT $7
       ), top AS (
         SELECT c.id, c.updated_at, ts_rank(c.search_vector, to_tsquery('simple', $2))::float8 AS score FROM c
         ORDER BY score DESC, c.updated_at DESC, c.id LIMIT $6
       )
       SELECT a.id, a.group_id, a.language, a.category_id, a.visibility, a.title, left(a.body, 4000) AS body, top.score
       FROM top JOIN knowledge_articles a ON a.tenant_id = $1 AND a.id = top.id
       ORDER BY top.score DESC, top.updated_at DESC, top.id`,
      [tenantId, toTsQuery(analyzed.groups, mode), opts.language ?? null, opts.audience === 'agent', opts.categoryId ?? null, opts.limit ?? 10, CANDIDATES],
    );
    return rows;
  };
  let mode: 'all' | 'any' = opts.mode ?? 'all';
  let rows = await run(mode);
  if (!rows.length && mode === 'all' && analyzed.groups.length > 1) rows = await run((mode = 'any'));
  return {
    ...base,
    mode,
    results: rows.map((r) => ({
      id: r.id,
      group_id: r.group_id,
      language: r.language,
      category_id: r.category_id,
      visibility: r.visibility,
      title: r.title,
      title_html: markTerms(r.title, analyzed.terms),
      snippet_html: highlightSnippet(bodyText(r.body), analyzed.terms),
      score: Math.round(r.score * 1e6) / 1e6,
    })),
  };
}
