// An agent handing a conversation to another agent (and perhaps team), with a reason kept in the audit log.
import { writeAudit, type Actor } from '../../platform/audit.js';
import { actorName, changeConversation, requireFreeMember } from './change-conversation.js';
import type { InboxDeps } from './effects.js';
import { conversationResolved, teamNotFound } from './errors.js';
import { assignConversation } from './route-conversation.js';
import { startSla } from './sla-timers.js';

/** Hands a conversation (held or waiting) to another agent, with a reason, in the audit log. */
export async function transferConversation(
  deps: InboxDeps,
  tenantId: string,
  id: string,
  to: { agent_id: string; team_id?: string | null; reason: string; force?: boolean },
  actor: Actor,
) {
  await changeConversation(deps, tenantId, id, async (tx, c, fx, at) => {
    if (c.status === 'resolved') throw conversationResolved();
    const teamId: string | null = to.team_id !== undefined ? to.team_id : c.team_id;
    if (teamId && teamId !== c.team_id) {
      const { rowCount } = await tx.query('SELECT 1 FROM inbox_teams WHERE tenant_id = $1 AND id = $2', [tenantId, teamId]);
      if (!rowCount) throw teamNotFound();
    }
    if (c.assignee_id === to.agent_id && teamId === c.team_id) return;
    await requireFreeMember(tx, tenantId, to.agent_id, teamId, to.force);
    await assignConversation(tx, tenantId, id, { teamId, agentId: to.agent_id }, 'transfer', actorName(actor), fx, at);
    if (teamId !== c.team_id) await startSla(tx, tenantId, id, teamId, c.priority, new Date(c.created_at), fx);
    await writeAudit(
      tx,
      tenantId,
      actor,
      'conversation.transfer',
      { type: 'conversation', id },
      { from_agent_id: c.assignee_id, to_agent_id: to.agent_id, from_team_id: c.team_id, to_team_id: teamId, reason: to.reason },
    );
  });
}
