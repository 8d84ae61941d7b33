// Merging two conversations of a customer (by hand, or when two customers merge): the messages move to
// the target and the source is resolved as merged.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import { queryRows } from '../../platform/query-rows.js';
import { actorName } from './change-conversation.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps } from './effects.js';
import { cannotMergeConversations, conversationNotFound } from './errors.js';
import { ConversationRow, type Conversation } from './read-conversations.js';

/** Moves every message of `sourceId` into `targetId` and resolves the source as merged. */
export async function mergeConversations(deps: InboxDeps, tenantId: string, targetId: string, sourceId: string, actor: Actor) {
  if (targetId === sourceId) throw cannotMergeConversations('A conversation cannot be merged into itself');
  const fx = newEffects();
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const rows = await queryRows(
      tx,
      ConversationRow,
      'SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
      [tenantId, [targetId, sourceId]],
    );
    const target = rows.find((r) => r.id === targetId);
    const source = rows.find((r) => r.id === sourceId);
    if (!target || !source) throw conversationNotFound();
    if (source.merged_into) throw cannotMergeConversations('That conversation was already merged');
    await mergeInto(tx, tenantId, target, source, actorName(actor), fx, at);
  });
  await releaseEffects(deps, fx);
}

/** Used by manual merges and by customer merges (where both customers had an open conversation). */
export async function mergeInto(tx: pg.PoolClient, tenantId: string, target: Conversation, source: Conversation, actor: string, fx: Effects, at: Date) {
  await tx.query('UPDATE inbox_messages SET conversation_id = $2, customer_id = $4 WHERE tenant_id = $1 AND conversation_id = $3', [
    tenantId,
    target.id,
    source.id,
    target.customer_id,
  ]);
  await tx.query(
    `UPDATE inbox_conversations SET status = 'resolved', resolved_at = $4, merged_into = $2, first_response_due_at = NULL, next_response_due_at = NULL, resolution_due_at = NULL, updated_at = $4
      WHERE tenant_id = $1 AND id = $3`,
    [tenantId, target.id, source.id, at],
  );
  await tx.query(
    `UPDATE inbox_conversations SET tags = ARRAY(SELECT DISTINCT unnest(tags || $3::text[])), last_message_at = greatest(last_message_at, $4), updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, target.id, source.tags ?? [], source.last_message_at, at],
  );
  await tx.query(
    'INSERT INTO inbox_assignments (tenant_id, id, conversation_id, team_id, agent_id, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [tenantId, `asg_merge_${source.id}`, source.id, target.team_id, target.assignee_id, 'merge', actor, at],
  );
  fx.feed.push({
    type: 'conversation.merged',
    tenantId,
    conversationId: target.id,
    teamId: target.team_id,
    assigneeId: target.assignee_id,
    data: { merged_id: source.id },
  });
}
