// Restoring an earlier version: its title, body and category become the article's content again, as
// a new version (the history only grows, so a restore can itself be undone by restoring).
import type pg from 'pg';
import type { Actor } from '../../platform/audit.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { articleNotFound, versionNotFound } from './errors.js';
import { updateArticle } from './save-article.js';
import { knowledgeArticleVersions } from './schema.js';

/**
 * Status and visibility stay as they are now: taking back a wording must not unpublish a live article
 * or show an internal one to visitors. Restoring the content the article already has makes no version,
 * so a retried restore is harmless.
 */
export async function restoreVersion(tx: pg.PoolClient, tenantId: string, id: string, version: number, actor: Actor): Promise<boolean> {
  const v = await queryRow(
    tx,
    rowOf(knowledgeArticleVersions, ['title', 'body', 'category_id']).and<{ has_category: boolean }>(['has_category']),
    `SELECT v.title, v.body, v.category_id, EXISTS (SELECT 1 FROM knowledge_categories c WHERE c.tenant_id = v.tenant_id AND c.id = v.category_id) AS has_category
     FROM knowledge_article_versions v WHERE v.tenant_id = $1 AND v.article_id = $2 AND v.version = $3`,
    [tenantId, id, version],
  );
  if (!v) {
    const { rowCount } = await tx.query('SELECT 1 FROM knowledge_articles WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    throw rowCount ? versionNotFound() : articleNotFound();
  }
  // A category removed since then is not brought back: the article keeps the one it has.
  return updateArticle(
    tx,
    tenantId,
    id,
    { title: v.title, body: v.body, ...(v.category_id === null || v.has_category ? { category_id: v.category_id } : {}) },
    actor,
  );
}
