// Visitors' searches are kept so that the ones nobody could answer become content gaps: a search
// with no result, or one the visitor followed by starting a chat.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { knowledgeSearches } from './schema.js';
import { searchNotFound } from './errors.js';

/** How long after a search a chat still counts as its follow-up. */
export const FOLLOW_UP_MINUTES = 30;

export async function recordSearch(
  db: Queryable,
  tenantId: string,
  s: { query: string; key: string; language?: string | null; source: 'widget' | 'help_centre' | 'api'; resultCount: number; anonymousId?: string | null },
  now: Date,
): Promise<string> {
  const id = newId('ksr');
  await db.query(
    // Dated by the product clock, not the column default: "searched recently" and content gaps compare it with the clock.
    'INSERT INTO knowledge_searches (tenant_id, id, query, query_key, language, source, result_count, anonymous_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
    [tenantId, id, s.query.slice(0, 500), s.key.slice(0, 500), s.language ?? null, s.source, s.resultCount, s.anonymousId ?? null, now],
  );
  return id;
}

/**
 * Marks a search as followed by a chat (the widget passes the search id when a visitor starts one).
 * Idempotent: a second call for the same conversation changes nothing.
 */
export async function recordSearchFollowedByChat(db: Queryable, tenantId: string, searchId: string, conversationId: string, now: Date): Promise<void> {
  const r = await db.query(
    `UPDATE knowledge_searches SET conversation_id = $3, followed_by_chat_at = COALESCE(followed_by_chat_at, $4)
     WHERE tenant_id = $1 AND id = $2 AND (conversation_id IS NULL OR conversation_id = $3)`,
    [tenantId, searchId, conversationId, now],
  );
  if (!r.rowCount) {
    const { rowCount } = await db.query('SELECT 1 FROM knowledge_searches WHERE tenant_id = $1 AND id = $2', [tenantId, searchId]);
    if (!rowCount) throw searchNotFound();
  }
}

/**
 * The widget's "still need help": the visitor read the results and is going to a chat, so the search
 * did not answer them. The search id is the capability (only the browser that searched has it). The
 * visitor's anonymous id, when given, is kept so that the chat they start is linked to this search.
 */
export async function recordSearchEscalated(db: Queryable, tenantId: string, searchId: string, anonymousId: string | null, now: Date): Promise<void> {
  const r = await db.query(
    `UPDATE knowledge_searches SET followed_by_chat_at = COALESCE(followed_by_chat_at, $4), anonymous_id = COALESCE(anonymous_id, $3)
     WHERE tenant_id = $1 AND id = $2`,
    [tenantId, searchId, anonymousId, now],
  );
  if (!r.rowCount) throw searchNotFound();
}

/** Anonymous visitor ids that searched recently and have no chat linked yet. */
export async function recentVisitorIds(db: Queryable, tenantId: string, now: Date): Promise<string[]> {
  const rows = await queryRows(
    db,
    rowOf(knowledgeSearches, ['anonymous_id']),
    `SELECT DISTINCT anonymous_id FROM knowledge_searches
     WHERE tenant_id = $1 AND anonymous_id IS NOT NULL AND conversation_id IS NULL AND created_at > $3::timestamptz - make_interval(mins => $2) LIMIT 200`,
    [tenantId, FOLLOW_UP_MINUTES, now],
  );
  return rows.map((r) => r.anonymous_id!); // the WHERE leaves out searches without one
}

/** Links a visitor's recent unlinked searches to the chat they started. Returns how many were linked. */
export async function linkVisitorSearches(
  db: Queryable,
  tenantId: string,
  anonymousIds: string[],
  conversationId: string,
  customerId: string,
  now: Date,
): Promise<number> {
  if (!anonymousIds.length) return 0;
  const r = await db.query(
    `UPDATE knowledge_searches SET conversation_id = $3, customer_id = $5, followed_by_chat_at = $6
     WHERE tenant_id = $1 AND anonymous_id = ANY($2::text[]) AND conversation_id IS NULL AND created_at > $6::timestamptz - make_interval(mins => $4)`,
    [tenantId, anonymousIds, conversationId, FOLLOW_UP_MINUTES, customerId, now],
  );
  return r.rowCount ?? 0;
}

/** A customer's searches, for their data export. */
export async function customerSearches(db: Queryable, tenantId: string, customerIds: string[]) {
  const rows = await queryRows(
    db,
    rowOf(knowledgeSearches, ['id', 'query', 'language', 'source', 'result_count', 'conversation_id', 'created_at']),
    `SELECT id, query, language, source, result_count, conversation_id, created_at FROM knowledge_searches
     WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at`,
    [tenantId, customerIds],
  );
  return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}
