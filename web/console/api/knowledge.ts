// The knowledge API as the console calls it (articles, categories, search, gaps, scripts, the help
// centre's address, suggestions for a message), typed by the knowledge module's contract.
import { useQuery } from '@tanstack/react-query';
import type {
  Article,
  ArticleSummary,
  Category,
  Gap,
  HelpCentreLocation,
  SearchAnswer,
  Script,
  Suggestions,
  Version,
} from '../../../src/modules/knowledge/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type { Article, ArticleSummary, Category, Gap, Hit, Script, ScriptNode, Suggestions, Version } from '../../../src/modules/knowledge/contract.js';
export type HelpCentre = HelpCentreLocation;
export type SuggestedArticle = Suggestions['articles'][number];

export const getArticle = (id: string) => get<Article>(`/v1/knowledge/articles/${encodeURIComponent(id)}`);
export const listArticles = (q: Record<string, string | number | undefined>) =>
  get<{ data: ArticleSummary[]; next_cursor: string | null }>(`/v1/knowledge/articles${qs(q)}`);
export const createArticle = (body: Record<string, unknown>) => api<Article>('POST', '/v1/knowledge/articles', body);
export const updateArticle = (id: string, patch: Record<string, unknown>) => api<Article>('PATCH', `/v1/knowledge/articles/${encodeURIComponent(id)}`, patch);
export const listVersions = (id: string) => get<{ data: Version[] }>(`/v1/knowledge/articles/${encodeURIComponent(id)}/versions`);
export const getVersion = (id: string, version: number) =>
  get<Version & { body: string }>(`/v1/knowledge/articles/${encodeURIComponent(id)}/versions/${version}`);
export const restoreVersion = (id: string, version: number) =>
  api<Article>('POST', `/v1/knowledge/articles/${encodeURIComponent(id)}/versions/${version}/restore`);
export const searchArticles = (q: { q: string; language?: string; category_id?: string; limit?: number }) => get<SearchAnswer>(`/v1/knowledge/search${qs(q)}`);
export const saveCategory = (id: string | undefined, body: Record<string, unknown>) =>
  id ? api<Category>('PATCH', `/v1/knowledge/categories/${encodeURIComponent(id)}`, body) : api<Category>('POST', '/v1/knowledge/categories', body);
export const listGaps = (q: { days: number; limit: number }) => get<{ data: Gap[] }>(`/v1/knowledge/gaps${qs(q)}`);
export const listScripts = () => get<{ data: Script[] }>('/v1/knowledge/scripts');
export const saveScript = (id: string | undefined, body: Record<string, unknown>) =>
  id ? api<Script>('PUT', `/v1/knowledge/scripts/${encodeURIComponent(id)}`, body) : api<Script>('POST', '/v1/knowledge/scripts', body);
export const setHelpCentreLanguage = (language: string) => api<{ default_language: string }>('PATCH', '/v1/settings/knowledge', { default_language: language });
/** Articles and canned replies that may answer a customer's message. */
export const suggestForMessage = (text: string, limit: number) => api<Suggestions>('POST', '/v1/knowledge/suggestions', { text, limit });

export const useCategories = () => useQuery({ queryKey: ['knowledge-categories'], queryFn: () => get<{ data: Category[] }>('/v1/knowledge/categories') });
export const useHelpCentre = () =>
  useQuery({ queryKey: ['knowledge-help-centre'], queryFn: () => get<HelpCentre>('/v1/knowledge/help-centre'), staleTime: 300_000 });
