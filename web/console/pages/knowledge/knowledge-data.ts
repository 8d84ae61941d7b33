// What the knowledge screens read from /v1/knowledge, and the queries more than one screen shares.
import { useQuery } from '@tanstack/react-query';
import { get } from '../../../shared/api.js';
import type { Me } from '../../session.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const ALL_LANGUAGES = ['zh-CN', 'zh-TW', 'en'] as const;

export interface Article {
  id: string; group_id: string; category_id: string | null; language: string; slug: string; title: string; body: string;
  status: 'draft' | 'published'; visibility: 'public' | 'internal'; version: number; published_at: string | null; created_at: string; updated_at: string;
  translations: { id: string; language: string; status: string; visibility: string; title: string }[];
}
export interface ArticleSummary { id: string; group_id: string; category_id: string | null; language: string; title: string; status: string; visibility: string; version: number; updated_at: string }
export interface Hit { id: string; group_id: string; language: string; category_id: string | null; visibility: string; title: string; title_html: string; snippet_html: string; score: number }
export interface Category { id: string; slug: string; parent_id: string | null; names: Record<string, string>; descriptions: Record<string, string>; position: number }
export interface HelpCentre { slug: string; url: string; default_language: string }

/**
 * The knowledge base is written by managers and administrators; agents read it. The API lets any
 * writer call these routes (as with outreach), so the console is where the line is drawn.
 */
export const canEdit = (me: Me | null | undefined) => !!me && me.role !== 'agent' && me.scopes.includes('write');

export const useCategories = () => useQuery({ queryKey: ['knowledge-categories'], queryFn: () => get<{ data: Category[] }>('/v1/knowledge/categories') });
export const useHelpCentre = () => useQuery({ queryKey: ['knowledge-help-centre'], queryFn: () => get<HelpCentre>('/v1/knowledge/help-centre'), staleTime: 300_000 });

/** A category's name in the console's language, else in any language it has. */
export function categoryName(c: Category, language: string): string {
  return c.names[language] || c.names[language.startsWith('zh') ? 'zh-CN' : 'en'] || Object.values(c.names).find(Boolean) || c.slug;
}

/** Chinese script in a text says it is Chinese; anything else is taken as English. */
export const languageOfText = (s: string): Lang => (/[\u3400-\u9fff]/.test(s) ? 'zh-CN' : 'en');
