// Reading conversations: the agent's lists (mine, a team's queue, by status), one conversation with
// its messages, and its assignment history.
import type pg from 'pg';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { conversationNotFound } from './errors.js';
import { inboxAssignments, inboxAttachments, inboxConversations, inboxMessages } from './schema.js';

/** A conversation row as `SELECT *` (or `RETURNING *`) reads it. */
export const ConversationRow = rowOf(inboxConversations, '*');
export type Conversation = typeof ConversationRow.row;
const ListedConversation = ConversationRow.and<{ lm_direction: string | null; lm_text: string | null; lm_at: Date | null }>([
  'lm_direction',
  'lm_text',
  'lm_at',
]);
const Attachment = rowOf(inboxAttachments, ['id', 'filename', 'content_type', 'size', 'content_id', 'url']);
const Message = rowOf(inboxMessages, '*').and<{ attachments: (typeof Attachment.row)[] }>(['attachments']);
const AttachmentContent = rowOf(inboxAttachments, ['filename', 'content_type', 'content', 'url']);
const Assignment = rowOf(inboxAssignments, '*');

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function conversationView(c: Conversation) {
  return {
    id: c.id,
    customer_id: c.customer_id,
    status: c.status,
    snoozed_until: iso(c.snoozed_until),
    priority: c.priority,
    tags: c.tags ?? [],
    subject: c.subject,
    language: c.language,
    team_id: c.team_id,
    assignee_id: c.assignee_id,
    routing_rule_id: c.routing_rule_id,
    last_channel_id: c.last_channel_id,
    last_channel_kind: c.last_channel_kind,
    merged_into: c.merged_into,
    sla: {
      policy_id: c.sla_policy_id,
      status: c.sla_status,
      first_response_due_at: iso(c.first_response_due_at),
      next_response_due_at: iso(c.next_response_due_at),
      resolution_due_at: iso(c.resolution_due_at),
      first_responded_at: iso(c.first_responded_at),
      events: (c.sla_events ?? []) as unknown[],
    },
    last_inbound_at: iso(c.last_inbound_at),
    last_message_at: iso(c.last_message_at),
    resolved_at: iso(c.resolved_at),
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
  };
}

export interface ConversationQuery {
  limit: number;
  cursor?: string;
  status?: string;
  assignee_id?: string;
  team_id?: string;
  customer_id?: string;
  is_unassigned?: boolean;
}

export async function listConversations(db: pg.Pool, tenantId: string, q: ConversationQuery) {
  const rows = await queryRows(
    db,
    ListedConversation,
    `SELECT c.*, lm.direction AS lm_direction, lm.text AS lm_text, lm.created_at AS lm_at FROM inbox_conversations c
       LEFT JOIN LATERAL (SELECT m.direction, left(m.text, 200) AS text, m.created_at FROM inbox_messages m
                           WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.direction <> 'note'
                           ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lm ON true
      WHERE c.tenant_id = $1
        AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR assignee_id = $3) AND ($4::text IS NULL OR team_id = $4)
        AND ($5::text IS NULL OR customer_id = $5) AND (NOT $6::boolean OR (assignee_id IS NULL AND status <> 'resolved'))
        AND ($7::text IS NULL OR id < $7)
      ORDER BY id DESC LIMIT $8`,
    [tenantId, q.status ?? null, q.assignee_id ?? null, q.team_id ?? null, q.customer_id ?? null, q.is_unassigned ?? false, q.cursor ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  // The list shows what was said last (never a private note), so an agent can triage without opening each one.
  // lm_direction is null only when there is no such message (the column is NOT NULL).
  const data = page.map((c) => ({
    ...conversationView(c),
    last_message: c.lm_direction !== null ? { direction: c.lm_direction, text: c.lm_text, at: iso(c.lm_at) } : null,
  }));
  return { data, next_cursor: rows.length > q.limit ? page[page.length - 1].id : null };
}

export async function getConversation(db: pg.Pool | pg.PoolClient, tenantId: string, id: string) {
  const c = await queryRow(db, ConversationRow, 'SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!c) throw conversationNotFound();
  return conversationView(c);
}

export function messageView(m: typeof Message.row) {
  return {
    id: m.id,
    conversation_id: m.conversation_id,
    customer_id: m.customer_id,
    direction: m.direction,
    channel_kind: m.channel_kind,
    channel_id: m.channel_id,
    author_type: m.author_type,
    author_id: m.author_id,
    text: m.text,
    html: m.html,
    subject: m.subject,
    external_id: m.external_id,
    meta: m.meta,
    delivery_status: m.delivery_status,
    delivery_error: m.delivery_error,
    created_at: iso(m.created_at),
    attachments: (m.attachments ?? []).map((a) => ({
      id: a.id,
      filename: a.filename,
      content_type: a.content_type,
      size: a.size,
      content_id: a.content_id,
      url: a.url,
    })),
  };
}

export async function listMessages(db: pg.Pool, tenantId: string, conversationId: string, limit = 200) {
  await getConversation(db, tenantId, conversationId);
  const rows = await queryRows(
    db,
    Message,
    `SELECT m.*, (SELECT coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'content_type', a.content_type, 'size', a.size, 'content_id', a.content_id, 'url', a.url) ORDER BY a.id), '[]')
                   FROM inbox_attachments a WHERE a.tenant_id = m.tenant_id AND a.message_id = m.id) AS attachments
       FROM inbox_messages m WHERE m.tenant_id = $1 AND m.conversation_id = $2 ORDER BY m.created_at, m.id LIMIT $3`,
    [tenantId, conversationId, limit],
  );
  return rows.map(messageView);
}

export async function getAttachment(db: pg.Pool, tenantId: string, id: string) {
  return queryRow(db, AttachmentContent, 'SELECT filename, content_type, content, url FROM inbox_attachments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

export async function listAssignments(db: pg.Pool, tenantId: string, conversationId: string) {
  await getConversation(db, tenantId, conversationId);
  const rows = await queryRows(db, Assignment, 'SELECT * FROM inbox_assignments WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY at, id', [
    tenantId,
    conversationId,
  ]);
  return rows.map((r) => ({ id: r.id, team_id: r.team_id, agent_id: r.agent_id, reason: r.reason, actor: r.actor, at: iso(r.at) }));
}
