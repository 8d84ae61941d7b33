// Content gaps: what visitors searched for and did not find (no result, or a chat right after),
// grouped by similar query so the team writes one article per need, biggest need first.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { knowledgeSearches } from './schema.js';

/** One query key's searches that found nothing or were followed by a chat. */
const KeyFigures = rowOf(knowledgeSearches, ['query_key']).and<{
  searches: number;
  no_result: number;
  followed_by_chat: number;
  last_at: Date;
  queries: string[];
  languages: string[] | null;
  top_query: string;
}>(['searches', 'no_result', 'followed_by_chat', 'last_at', 'queries', 'languages', 'top_query']);

export interface ContentGap {
  query: string;
  queries: string[];
  keys: string[];
  searches: number;
  no_result: number;
  followed_by_chat: number;
  languages: string[];
  last_searched_at: string;
}

/** Edit distance, stopping early past `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

const sameWord = (a: string, b: string) => a === b || (a.length >= 5 && b.length >= 5 && /^[a-z_]+$/.test(a + b) && editDistance(a, b, 1) <= 1);

/** Two queries are similar when at least half of their words (typos forgiven) are shared. */
export function isSimilarKey(a: string[], b: string[]): boolean {
  if (!a.length || !b.length) return false;
  const shared = a.filter((w) => b.some((v) => sameWord(w, v))).length;
  return shared / (a.length + b.length - shared) >= 0.5;
}

export async function listContentGaps(db: Queryable, tenantId: string, opts: { since: Date; limit: number }): Promise<ContentGap[]> {
  const rows = await queryRows(
    db,
    KeyFigures,
    `SELECT query_key, count(*) AS searches, count(*) FILTER (WHERE result_count = 0) AS no_result,
       count(*) FILTER (WHERE followed_by_chat_at IS NOT NULL) AS followed_by_chat, max(created_at) AS last_at,
       (array_agg(DISTINCT query))[1:10] AS queries, array_agg(DISTINCT language) FILTER (WHERE language IS NOT NULL) AS languages,
       mode() WITHIN GROUP (ORDER BY query) AS top_query
     FROM knowledge_searches
     WHERE tenant_id = $1 AND created_at >= $2 AND (result_count = 0 OR followed_by_chat_at IS NOT NULL) AND query_key <> ''
     GROUP BY query_key ORDER BY count(*) DESC, query_key LIMIT 2000`,
    [tenantId, opts.since],
  );
  // Greedy: each key joins the first bigger group it is similar to.
  const groups: (ContentGap & { words: string[] })[] = [];
  for (const r of rows) {
    const words = r.query_key.split(' ');
    const g = groups.find((x) => isSimilarKey(x.words, words));
    if (g) {
      g.searches += r.searches;
      g.no_result += r.no_result;
      g.followed_by_chat += r.followed_by_chat;
      g.keys.push(r.query_key);
      g.queries = [...new Set([...g.queries, ...r.queries])].slice(0, 20);
      g.languages = [...new Set([...g.languages, ...(r.languages ?? [])])];
      if (r.last_at > new Date(g.last_searched_at)) g.last_searched_at = r.last_at.toISOString();
    } else {
      groups.push({
        words,
        query: r.top_query,
        queries: r.queries,
        keys: [r.query_key],
        searches: r.searches,
        no_result: r.no_result,
        followed_by_chat: r.followed_by_chat,
        languages: r.languages ?? [],
        last_searched_at: r.last_at.toISOString(),
      });
    }
  }
  return groups
    .sort((a, b) => b.searches - a.searches || a.query.localeCompare(b.query))
    .slice(0, opts.limit)
    .map(({ words: _w, ...g }) => g);
}
