// An agent taking a waiting conversation from the queue.
import type { Actor } from '../../platform/audit.js';
import { actorName, changeConversation, requireFreeMember } from './change-conversation.js';
import type { InboxDeps } from './effects.js';
import { conversationResolved, conversationTaken } from './errors.js';
import { assignConversation } from './route-conversation.js';

/**
 * An agent takes a waiting conversation: one no agent holds, queued for one of the agent's teams (or
 * for no team yet). The team stays. Taking one another agent holds is a transfer, never a pick, so two
 * agents picking at once leave it with the first.
 */
export async function pickConversation(deps: InboxDeps, tenantId: string, id: string, agentId: string, actor: Actor) {
  await changeConversation(deps, tenantId, id, async (tx, c, fx, at) => {
    if (c.status === 'resolved') throw conversationResolved();
    if (c.assignee_id === agentId) return;
    if (c.assignee_id) throw conversationTaken();
    await requireFreeMember(tx, tenantId, agentId, c.team_id);
    await assignConversation(tx, tenantId, id, { teamId: c.team_id, agentId }, 'pick', actorName(actor), fx, at);
  });
}
