// What the knowledge screens share: their languages, who may edit, how a category and a text's
// language read. The API calls and their types are in ../../api/knowledge.ts.
import type { Me } from '../../session.js';
import type { Category } from '../../api/knowledge.js';

export { useCategories, useHelpCentre, type Article, type ArticleSummary, type Category, type Hit, type HelpCentre } from '../../api/knowledge.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const ALL_LANGUAGES = ['zh-CN', 'zh-TW', 'en'] as const;

/**
 * The knowledge base is written by managers and administrators; agents read it. The API lets any
 * writer call these routes (as with outreach), so the console is where the line is drawn.
 */
export const canEdit = (me: Me | null | undefined) => !!me && me.role !== 'agent' && me.scopes.includes('write');

/** A category's name in the console's language, else in any language it has. */
export function categoryName(c: Category, language: string): string {
  return c.names[language] || c.names[language.startsWith('zh') ? 'zh-CN' : 'en'] || Object.values(c.names).find(Boolean) || c.slug;
}

/** Chinese script in a text says it is Chinese; anything else is taken as English. */
export const languageOfText = (s: string): Lang => (/[\u3400-\u9fff]/.test(s) ? 'zh-CN' : 'en');
