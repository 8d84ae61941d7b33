// Reading articles: for the console (every state) and for visitors (published and public only, in
// the visitor's language when a translation exists).
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { articleNotFound, versionNotFound } from './errors.js';
import { knowledgeArticles, knowledgeArticleVersions } from './schema.js';
import type { Language } from './search-articles.js';

const ArticleRow = rowOf(knowledgeArticles, '*').and<{ helpful: number; not_helpful: number }>(['helpful', 'not_helpful']);
const Translation = rowOf(knowledgeArticles, ['id', 'language', 'status', 'visibility', 'title']);
const Summary = rowOf(knowledgeArticles, ['id', 'group_id', 'category_id', 'language', 'title', 'status', 'visibility', 'version', 'updated_at']);
const VersionSummary = rowOf(knowledgeArticleVersions, ['version', 'title', 'status', 'visibility', 'category_id', 'author_type', 'author_id', 'created_at']);
const Version = rowOf(knowledgeArticleVersions, ['version', 'title', 'body', 'status', 'visibility', 'category_id', 'author_type', 'author_id', 'created_at']);
const PublicTranslation = rowOf(knowledgeArticles, ['id', 'group_id', 'category_id', 'language', 'title', 'body', 'updated_at']).and<{ is_asked: boolean }>([
  'is_asked',
]);
const PublicSummary = rowOf(knowledgeArticles, ['id', 'group_id', 'category_id', 'language', 'title', 'updated_at']);

export interface Article {
  id: string;
  group_id: string;
  category_id: string | null;
  language: string;
  slug: string;
  title: string;
  body: string;
  // The only values the table allows (knowledge_articles' CHECK constraints).
  status: 'draft' | 'published';
  visibility: 'public' | 'internal';
  version: number;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  translations: { id: string; language: string; status: string; visibility: string; title: string }[];
  feedback: { helpful: number; not_helpful: number };
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export async function getArticle(db: Queryable, tenantId: string, id: string): Promise<Article> {
  const rows = await queryRows(
    db,
    ArticleRow,
    `SELECT a.*,
       (SELECT count(*) FROM knowledge_feedback f WHERE f.tenant_id = a.tenant_id AND f.article_id = a.id AND f.is_helpful) AS helpful,
       (SELECT count(*) FROM knowledge_feedback f WHERE f.tenant_id = a.tenant_id AND f.article_id = a.id AND NOT f.is_helpful) AS not_helpful
     FROM knowledge_articles a WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, id],
  );
  const a = rows[0];
  if (!a) throw articleNotFound();
  const tr = await queryRows(
    db,
    Translation,
    'SELECT id, language, status, visibility, title FROM knowledge_articles WHERE tenant_id = $1 AND group_id = $2 AND id <> $3 ORDER BY language',
    [tenantId, a.group_id, id],
  );
  return {
    id: a.id,
    group_id: a.group_id,
    category_id: a.category_id,
    language: a.language,
    slug: a.slug,
    title: a.title,
    body: a.body,
    status: a.status as Article['status'],
    visibility: a.visibility as Article['visibility'],
    version: a.version,
    published_at: iso(a.published_at),
    created_at: iso(a.created_at)!,
    updated_at: iso(a.updated_at)!,
    translations: tr,
    feedback: { helpful: a.helpful, not_helpful: a.not_helpful },
  };
}

export interface ArticleSummary {
  id: string;
  group_id: string;
  category_id: string | null;
  language: string;
  title: string;
  status: string;
  visibility: string;
  version: number;
  updated_at: string;
}

export async function listArticles(
  db: Queryable,
  tenantId: string,
  q: { category_id?: string; language?: string; status?: string; visibility?: string; limit: number; cursor?: string },
) {
  // Cursor: the last row's "updated_at|id", newest first.
  const [cAt, cId] = q.cursor ? q.cursor.split('|') : [];
  const rows = await queryRows(
    db,
    Summary,
    `SELECT id, group_id, category_id, language, title, status, visibility, version, updated_at FROM knowledge_articles
     WHERE tenant_id = $1 AND ($2::text IS NULL OR category_id = $2) AND ($3::text IS NULL OR language = $3)
       AND ($4::text IS NULL OR status = $4) AND ($5::text IS NULL OR visibility = $5)
       AND ($6::timestamptz IS NULL OR (updated_at, id) < ($6::timestamptz, $7::text))
     ORDER BY updated_at DESC, id DESC LIMIT $8`,
    [
      tenantId,
      q.category_id ?? null,
      q.language ?? null,
      q.status ?? null,
      q.visibility ?? null,
      cAt && !Number.isNaN(Date.parse(cAt)) ? cAt : null,
      cId ?? '',
      q.limit + 1,
    ],
  );
  const page: ArticleSummary[] = rows.slice(0, q.limit).map((r) => ({ ...r, updated_at: iso(r.updated_at)! }));
  const last = page[page.length - 1];
  return { data: page, next_cursor: rows.length > q.limit && last ? `${last.updated_at}|${last.id}` : null };
}

export async function listVersions(db: Queryable, tenantId: string, id: string) {
  const rows = await queryRows(
    db,
    VersionSummary,
    `SELECT version, title, status, visibility, category_id, author_type, author_id, created_at FROM knowledge_article_versions
     WHERE tenant_id = $1 AND article_id = $2 ORDER BY version DESC LIMIT 500`,
    [tenantId, id],
  );
  if (!rows.length) throw articleNotFound();
  return rows.map((r) => ({ ...r, created_at: iso(r.created_at)! }));
}

export async function getVersion(db: Queryable, tenantId: string, id: string, version: number) {
  const rows = await queryRows(
    db,
    Version,
    'SELECT version, title, body, status, visibility, category_id, author_type, author_id, created_at FROM knowledge_article_versions WHERE tenant_id = $1 AND article_id = $2 AND version = $3',
    [tenantId, id, version],
  );
  if (!rows[0]) {
    await listVersions(db, tenantId, id);
    throw versionNotFound();
  }
  return { ...rows[0], created_at: iso(rows[0].created_at)! };
}

export interface PublicArticle {
  id: string;
  group_id: string;
  category_id: string | null;
  language: string;
  title: string;
  body: string;
  updated_at: string;
  alternates: { id: string; language: string }[];
}

/**
 * A published public article as a visitor sees it, in `language` when the article has a published
 * public translation in it. Drafts and internal articles do not exist for visitors.
 */
export async function getPublicArticle(db: Queryable, tenantId: string, id: string, language?: Language): Promise<PublicArticle | undefined> {
  const rows = await queryRows(
    db,
    PublicTranslation,
    `SELECT t.id, t.group_id, t.category_id, t.language, t.title, t.body, t.updated_at, (t.id = $2) AS is_asked
     FROM knowledge_articles a JOIN knowledge_articles t ON t.tenant_id = a.tenant_id AND t.group_id = a.group_id
     WHERE a.tenant_id = $1 AND a.id = $2 AND a.status = 'published' AND a.visibility = 'public'
       AND t.status = 'published' AND t.visibility = 'public'`,
    [tenantId, id],
  );
  if (!rows.length) return undefined;
  const chosen = rows.find((r) => r.language === language) ?? rows.find((r) => r.is_asked)!;
  return {
    id: chosen.id,
    group_id: chosen.group_id,
    category_id: chosen.category_id,
    language: chosen.language,
    title: chosen.title,
    body: chosen.body,
    updated_at: iso(chosen.updated_at)!,
    alternates: rows.map((r) => ({ id: r.id, language: r.language })).sort((x, y) => x.language.localeCompare(y.language)),
  };
}

/** Published public articles for a help centre page: one per translation group, in the visitor's language where there is one. */
export async function listPublicArticles(db: Queryable, tenantId: string, language: Language, opts: { categoryId?: string; limit?: number } = {}) {
  const rows = await queryRows(
    db,
    PublicSummary,
    `SELECT DISTINCT ON (group_id) id, group_id, category_id, language, title, updated_at FROM knowledge_articles
     WHERE tenant_id = $1 AND status = 'published' AND visibility = 'public' AND ($2::text IS NULL OR category_id = $2)
     ORDER BY group_id, (language = $3) DESC, (language LIKE 'zh%' AND $3 LIKE 'zh%') DESC, updated_at DESC`,
    [tenantId, opts.categoryId ?? null, language],
  );
  return rows
    .sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime())
    .slice(0, opts.limit ?? 500)
    .map((r) => ({ id: r.id, category_id: r.category_id, language: r.language, title: r.title }));
}
