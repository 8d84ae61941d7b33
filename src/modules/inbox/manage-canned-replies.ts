// Canned replies with variables ({{customer.name}}, {{agent.name}}, {{conversation.id}}).
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z } from '../../platform/validation.js';
import { cannedReplyNotFound, shortcutTaken } from './errors.js';
import { inboxCannedReplies } from './schema.js';

const CannedReply = rowOf(inboxCannedReplies, '*');

export const CannedReplyInput = z
  .object({
    shortcut: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, _ and - only'),
    title: z.string().trim().min(1).max(200),
    body: z.string().min(1).max(20_000),
    language: z.string().min(2).max(16).optional(),
  })
  .strict();
export type CannedReplyInput = z.infer<typeof CannedReplyInput>;

const view = (r: typeof CannedReply.row) => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  language: r.language,
  created_at: r.created_at.toISOString(),
});

export async function createCannedReply(db: pg.Pool, tenantId: string, input: CannedReplyInput) {
  const r = await queryRow(
    db,
    CannedReply,
    'INSERT INTO inbox_canned_replies (tenant_id, id, shortcut, title, body, language) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (tenant_id, shortcut) DO NOTHING RETURNING *',
    [tenantId, newId('cr'), input.shortcut, input.title, input.body, input.language ?? null],
  );
  if (!r) throw shortcutTaken();
  return view(r);
}

export async function listCannedReplies(db: pg.Pool, tenantId: string, q?: string) {
  const rows = await queryRows(
    db,
    CannedReply,
    `SELECT * FROM inbox_canned_replies WHERE tenant_id = $1 AND ($2::text IS NULL OR shortcut ILIKE $2 || '%' OR title ILIKE '%' || $2 || '%') ORDER BY shortcut LIMIT 500`,
    [tenantId, q ?? null],
  );
  return rows.map(view);
}

export async function deleteCannedReply(db: pg.Pool, tenantId: string, id: string) {
  const { rowCount } = await db.query('DELETE FROM inbox_canned_replies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw cannedReplyNotFound();
}
