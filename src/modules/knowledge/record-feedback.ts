// Visitors say whether an article helped, with an optional comment; only articles they can see.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { articleNotFound } from './errors.js';
import { knowledgeFeedback } from './schema.js';

const Tally = computedRow<{ helpful: number; not_helpful: number }>(['helpful', 'not_helpful']);
const Feedback = rowOf(knowledgeFeedback, ['id', 'is_helpful', 'comment', 'created_at']);

export async function recordFeedback(
  db: Queryable,
  tenantId: string,
  articleId: string,
  input: { helpful: boolean; comment?: string | null },
  opts: { isPublic: boolean },
): Promise<{ id: string }> {
  const id = newId('kfb');
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const r = await db.query(
    `INSERT INTO knowledge_feedback (tenant_id, id, article_id, is_helpful, comment)
     SELECT $1, $2, a.id, $4, $5 FROM knowledge_articles a
     WHERE a.tenant_id = $1 AND a.id = $3 AND (NOT $6::boolean OR (a.status = 'published' AND a.visibility = 'public'))`,
    [tenantId, id, articleId, input.helpful, comment, opts.isPublic],
  );
  if (!r.rowCount) throw articleNotFound();
  return { id };
}

export async function listFeedback(db: Queryable, tenantId: string, articleId: string, limit = 100) {
  const { rows: exists } = await db.query('SELECT 1 FROM knowledge_articles WHERE tenant_id = $1 AND id = $2', [tenantId, articleId]);
  if (!exists.length) throw articleNotFound();
  const c = await queryRow(
    db,
    Tally,
    'SELECT count(*) FILTER (WHERE is_helpful) AS helpful, count(*) FILTER (WHERE NOT is_helpful) AS not_helpful FROM knowledge_feedback WHERE tenant_id = $1 AND article_id = $2',
    [tenantId, articleId],
  );
  const rows = await queryRows(
    db,
    Feedback,
    'SELECT id, is_helpful, comment, created_at FROM knowledge_feedback WHERE tenant_id = $1 AND article_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3',
    [tenantId, articleId, limit],
  );
  return {
    // count() always answers one row.
    helpful: c!.helpful,
    not_helpful: c!.not_helpful,
    data: rows.map((r) => ({
      id: r.id,
      helpful: r.is_helpful,
      comment: r.comment,
      created_at: r.created_at.toISOString(),
    })),
  };
}
