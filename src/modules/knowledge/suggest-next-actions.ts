// Next best actions for a conversation (the active scripts for its case type, then the articles that
// best answer its text), and what a stored action points to now: an inbox rule keeps one as a GuidanceTarget.
import type pg from 'pg';
import { getArticle } from './get-article.js';
import { getScript, listScripts } from './manage-scripts.js';
import type { Language } from './search-articles.js';
import type { Suggestions } from './suggest-for-message.js';

/** A next-best-action target an inbox rule can point to. */
export type GuidanceTarget = { kind: 'article'; id: string } | { kind: 'script'; id: string };

export async function suggestNextActions(
  pool: pg.Pool,
  tenantId: string,
  input: { case_type?: string; text?: string; language?: Language; limit?: number },
  suggest: (input: { text: string; language?: Language; limit?: number }) => Promise<Suggestions>,
) {
  const limit = input.limit ?? 5;
  const actions: { kind: 'script' | 'article'; id: string; title: string; reason: string; language: string }[] = [];
  if (input.case_type) {
    const scripts = await listScripts(pool, tenantId, { case_type: input.case_type, active_only: true });
    scripts.sort((a, b) => Number(b.language === input.language) - Number(a.language === input.language));
    for (const s of scripts) actions.push({ kind: 'script', id: s.id, title: s.title, reason: `script for case type ${s.case_type}`, language: s.language });
  }
  if (input.text) {
    const s = await suggest({ text: input.text, language: input.language, limit });
    for (const a of s.articles) actions.push({ kind: 'article', id: a.id, title: a.title, reason: 'answers the message', language: a.language });
  }
  return actions.slice(0, limit);
}

/** What a stored next-best-action target points to now, or undefined when it is gone. */
export async function resolveGuidanceTarget(pool: pg.Pool, tenantId: string, target: GuidanceTarget) {
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
}
