// Agent guidance: for the customer's last message, the articles and canned replies most likely to
// answer it, in the customer's language. Canned replies belong to the inbox: they arrive as candidate
// texts (given with the call, or from a registered suggestion source) and are ranked here by the same
// words, synonyms and corrections as articles.
import type { Queryable } from '../../platform/db.js';
import { segmentText } from './segment-text.js';
import { analyzeQuery, searchArticles, type Language, type SearchHit, type SynonymSet } from './search-articles.js';
import { highlightSnippet } from './highlight-text.js';
import { languageOfText } from './pick-language.js';
import { detectLanguage } from '../text/index.js';

export interface CandidateReply {
  id: string;
  title?: string;
  text: string;
  language?: string | null;
}

/** Where the inbox plugs its canned replies in: called for every suggestion request. */
export type SuggestionSource = (tenantId: string, message: { text: string; language?: Language }) => Promise<CandidateReply[]>;

export interface Suggestions {
  language: Language | null;
  /** `url_path` is the article's public help-centre page; an internal article has none. */
  articles: (SearchHit & { url_path: string | null })[];
  canned_replies: { id: string; title: string | null; text: string; score: number; snippet_html: string }[];
}

/** Scores a candidate by the query words it holds (an alternative of each counts), title words counting double. */
export function scoreCandidate(groups: { alternatives: string[][] }[], c: CandidateReply): number {
  const body = new Set(segmentText(c.text, 'index'));
  const title = new Set(c.title ? segmentText(c.title, 'index') : []);
  if (!body.size && !title.size) return 0;
  let hits = 0;
  for (const g of groups) {
    const has = (set: Set<string>) => g.alternatives.some((p) => p.every((w) => set.has(w)));
    if (has(title)) hits += 2;
    else if (has(body)) hits += 1;
  }
  // Coverage of the message, gently favouring short, focused replies.
  return hits === 0 ? 0 : Math.round((hits / (groups.length * 2) / (1 + Math.log10(1 + body.size / 50))) * 1e4) / 1e4;
}

export async function suggestForMessage(
  db: Queryable,
  tenantId: string,
  input: { text: string; language?: Language; limit?: number; candidates?: CandidateReply[] },
  synonyms: SynonymSet[],
  sources: SuggestionSource[],
  helpCentrePath: string | null,
): Promise<Suggestions> {
  const limit = input.limit ?? 5;
  // The customer's language when the caller does not say: Chinese by its script, English by Latin letters.
  const language = input.language ?? languageOfText(input.text) ?? (detectLanguage(input.text).language === 'en' ? 'en' : undefined);
  input = { ...input, language };
  // A message is not a query: any of its words may point to the answer, so articles are ranked by
  // how many they share rather than required to hold all.
  const search = (language?: Language) =>
    searchArticles(db, tenantId, { q: input.text, language, audience: 'agent', limit, mode: 'any', maxWords: 24 }, synonyms);
  let found = await search(input.language);
  // No article in the customer's language: the agent may still translate one.
  if (!found.results.length && input.language) found = await search(undefined);
  const fromSources = (
    await Promise.all(sources.map((s) => s(tenantId, { text: input.text, language: input.language }).catch(() => [] as CandidateReply[])))
  ).flat();
  const candidates = [...(input.candidates ?? []), ...fromSources].filter((c) => !input.language || !c.language || c.language === input.language);
  const analyzed = candidates.length ? await analyzeQuery(db, tenantId, input.text, synonyms, { maxWords: 24 }) : undefined;
  const replies = analyzed
    ? candidates
        .map((c) => ({
          id: c.id,
          title: c.title ?? null,
          text: c.text,
          score: scoreCandidate(analyzed.groups, c),
          snippet_html: highlightSnippet(c.text, analyzed.terms),
        }))
        .filter((c) => c.score > 0)
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, limit)
    : [];
  return {
    language: input.language ?? null,
    // The page an agent can hand the customer, not the console's JSON: only public articles have one.
    articles: found.results.map((a) => ({
      ...a,
      url_path:
        helpCentrePath && a.visibility === 'public'
          ? `${helpCentrePath}/articles/${encodeURIComponent(a.id)}?language=${encodeURIComponent(a.language)}`
          : null,
    })),
    canned_replies: replies,
  };
}
