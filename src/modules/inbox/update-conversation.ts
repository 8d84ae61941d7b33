// Changing a conversation's priority, tags and status (open / pending / snoozed until a time / resolved).
import type { Actor } from '../../platform/audit.js';
import { unprocessable } from '../../platform/errors.js';
import { actorName, changeConversation, changeStatus } from './change-conversation.js';
import { conversationResolved } from './errors.js';
import type { InboxDeps } from './effects.js';
import type { Priority } from './routing-rules.js';
import { startSla } from './sla-timers.js';

export interface ConversationPatch {
  status?: 'open' | 'pending' | 'snoozed' | 'resolved';
  snoozed_until?: string;
  priority?: Priority;
  tags?: string[];
  /** Ask the feedback module to send a CSAT survey once resolved. */
  request_csat?: boolean;
}

export async function updateConversation(deps: InboxDeps, tenantId: string, id: string, patch: ConversationPatch, actor: Actor) {
  if (patch.status === 'snoozed' && !patch.snoozed_until)
    throw unprocessable('A snoozed conversation needs a time to wake', [{ field: 'snoozed_until', message: 'is required when status is snoozed' }]);
  await changeConversation(deps, tenantId, id, async (tx, c, fx, at) => {
    if (patch.priority && patch.priority !== c.priority) {
      await tx.query('UPDATE inbox_conversations SET priority = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, id, patch.priority, at]);
      if (c.status !== 'resolved') await startSla(tx, tenantId, id, c.team_id, patch.priority, new Date(c.created_at), fx);
      fx.feed.push({
        type: 'conversation.updated',
        tenantId,
        conversationId: id,
        teamId: c.team_id,
        assigneeId: c.assignee_id,
        data: { priority: patch.priority },
      });
    }
    if (patch.tags) {
      const tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
      await tx.query('UPDATE inbox_conversations SET tags = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, id, tags, at]);
      fx.feed.push({ type: 'conversation.updated', tenantId, conversationId: id, teamId: c.team_id, assigneeId: c.assignee_id, data: { tags } });
    }
    if (patch.status) {
      if (patch.status !== 'resolved' && c.status === 'resolved') {
        const { rowCount } = await tx.query(`SELECT 1 FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = $2 AND status <> 'resolved'`, [
          tenantId,
          c.customer_id,
        ]);
        if (rowCount) throw conversationResolved('The customer has another open conversation; merge into it instead of reopening this one');
        if (c.merged_into) throw conversationResolved('This conversation was merged into another');
      }
      await changeStatus(
        deps,
        tx,
        c,
        patch.status,
        { snoozedUntil: patch.snoozed_until ? new Date(patch.snoozed_until) : null, requestCsat: patch.request_csat, actor: actorName(actor) },
        fx,
        at,
      );
    }
  });
}
