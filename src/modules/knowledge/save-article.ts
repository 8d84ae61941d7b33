// Writing articles: every save is a new version with its author and time; the article row holds the
// latest version, with its search vector, and is what search and the help centre read.
import type pg from 'pg';
import type { Actor } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { segmentText } from './segment-text.js';
import { slugify } from './manage-categories.js';
import { articleNotFound, categoryNotFound, translationExists } from './errors.js';
import type { Language } from './search-articles.js';
import { knowledgeArticles } from './schema.js';

const Current = rowOf(knowledgeArticles, ['id', 'title', 'body', 'status', 'visibility', 'category_id', 'slug', 'version']);

export interface ArticleInput {
  title: string;
  body: string;
  language: Language;
  category_id?: string | null;
  translation_of?: string;
  status?: 'draft' | 'published';
  visibility?: 'public' | 'internal';
  slug?: string;
}

export type ArticlePatch = Partial<Pick<ArticleInput, 'title' | 'body' | 'category_id' | 'status' | 'visibility' | 'slug'>>;

/** The SQL of a weighted vector over segmented words: title A, body B. $title and $body are parameters. */
export const VECTOR_SQL = (title: string, body: string) => `setweight(to_tsvector('simple', ${title}), 'A') || setweight(to_tsvector('simple', ${body}), 'B')`;

export function indexWords(title: string, body: string) {
  return { title: segmentText(title, 'index').join(' '), body: segmentText(body, 'index').join(' ') };
}

/**
 * Latin words of published articles: what a misspelt query word can be corrected to. Taken from the
 * index words (Latin words are cut the same way for documents and queries), so text is cut once.
 */
export function vocabularyOf(words: { title: string; body: string }): string[] {
  return [...new Set(`${words.title} ${words.body}`.split(' ').filter((w) => /^[a-z]{4,30}$/.test(w)))];
}

export async function addVocabulary(tx: pg.PoolClient | pg.Pool, tenantId: string, words: string[]) {
  if (!words.length) return;
  await tx.query(
    `INSERT INTO knowledge_terms (tenant_id, term, weight) SELECT $1, t, 1 FROM unnest($2::text[]) AS t
     ON CONFLICT (tenant_id, term) DO UPDATE SET weight = knowledge_terms.weight + 1`,
    [tenantId, words.sort()],
  );
}

async function assertCategory(tx: pg.PoolClient, tenantId: string, id: string) {
  const { rowCount } = await tx.query('SELECT 1 FROM knowledge_categories WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw categoryNotFound(undefined, [{ field: 'category_id', message: 'no such category' }]);
}

async function insertVersion(
  tx: pg.PoolClient,
  tenantId: string,
  a: { id: string; version: number; title: string; body: string; status: string; visibility: string; category_id: string | null },
  actor: Actor,
) {
  await tx.query(
    `INSERT INTO knowledge_article_versions (tenant_id, article_id, version, title, body, status, visibility, category_id, author_type, author_id)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [tenantId, a.id, a.version, a.title, a.body, a.status, a.visibility, a.category_id, actor.type, actor.id],
  );
}

export async function createArticle(tx: pg.PoolClient, tenantId: string, input: ArticleInput, actor: Actor): Promise<string> {
  if (input.category_id) await assertCategory(tx, tenantId, input.category_id);
  const id = newId('art');
  let groupId = id;
  if (input.translation_of) {
    const original = await queryRow(tx, rowOf(knowledgeArticles, ['group_id']), 'SELECT group_id FROM knowledge_articles WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      input.translation_of,
    ]);
    if (!original) throw articleNotFound(undefined, [{ field: 'translation_of', message: 'no such article' }]);
    groupId = original.group_id;
  }
  const status = input.status ?? 'draft';
  const visibility = input.visibility ?? 'public';
  const words = indexWords(input.title, input.body);
  const r = await tx.query(
    `INSERT INTO knowledge_articles (tenant_id, id, group_id, category_id, language, slug, title, body, status, visibility, version, search_vector, published_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1, ${VECTOR_SQL('$11', '$12')}, CASE WHEN $9 = 'published' THEN now() END)
     ON CONFLICT (tenant_id, group_id, language) DO NOTHING`,
    [
      tenantId,
      id,
      groupId,
      input.category_id ?? null,
      input.language,
      input.slug || slugify(input.title),
      input.title,
      input.body,
      status,
      visibility,
      words.title,
      words.body,
    ],
  );
  if (r.rowCount !== 1) throw translationExists(undefined, [{ field: 'language', message: `the article already has a ${input.language} translation` }]);
  await insertVersion(
    tx,
    tenantId,
    { id, version: 1, title: input.title, body: input.body, status, visibility, category_id: input.category_id ?? null },
    actor,
  );
  if (status === 'published') await addVocabulary(tx, tenantId, vocabularyOf(words));
  return id;
}

/** Applies a change as a new version; a patch that changes nothing makes no version. */
export async function updateArticle(tx: pg.PoolClient, tenantId: string, id: string, patch: ArticlePatch, actor: Actor): Promise<boolean> {
  const cur = await queryRow(
    tx,
    Current,
    'SELECT id, title, body, status, visibility, category_id, slug, version FROM knowledge_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, id],
  );
  if (!cur) throw articleNotFound();
  if (patch.category_id) await assertCategory(tx, tenantId, patch.category_id);
  const next = {
    id,
    title: patch.title ?? cur.title,
    body: patch.body ?? cur.body,
    status: patch.status ?? cur.status,
    visibility: patch.visibility ?? cur.visibility,
    category_id: patch.category_id !== undefined ? patch.category_id : cur.category_id,
    slug: patch.slug ?? cur.slug,
    version: cur.version + 1,
  };
  if ((['title', 'body', 'status', 'visibility', 'category_id', 'slug'] as const).every((k) => next[k] === cur[k])) return false;
  const contentChanged = next.title !== cur.title || next.body !== cur.body;
  const words = contentChanged || (next.status === 'published' && cur.status !== 'published') ? indexWords(next.title, next.body) : undefined;
  await tx.query(
    `UPDATE knowledge_articles SET title = $3, body = $4, status = $5, visibility = $6, category_id = $7, slug = $8, version = $9, updated_at = now(),
       published_at = CASE WHEN $5 = 'published' AND status <> 'published' THEN now() WHEN $5 = 'draft' THEN NULL ELSE published_at END
       ${words ? `, search_vector = ${VECTOR_SQL('$10', '$11')}` : ''}
     WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, next.title, next.body, next.status, next.visibility, next.category_id, next.slug, next.version, ...(words ? [words.title, words.body] : [])],
  );
  await insertVersion(tx, tenantId, next, actor);
  if (next.status === 'published' && words) await addVocabulary(tx, tenantId, vocabularyOf(words));
  return true;
}

export async function deleteArticle(tx: pg.PoolClient, tenantId: string, id: string): Promise<void> {
  const r = await tx.query('DELETE FROM knowledge_articles WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r.rowCount) throw articleNotFound();
}
