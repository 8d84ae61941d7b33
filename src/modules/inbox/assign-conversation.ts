// Assigning a conversation by hand or by rule: to an agent, to a team to be routed within it, or to no one.
import type { Actor } from '../../platform/audit.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { actorName, changeConversation } from './change-conversation.js';
import type { InboxDeps } from './effects.js';
import { agentNotFound, agentOverCapacity, teamNotFound } from './errors.js';
import { assignConversation, assignWithinTeam } from './route-conversation.js';
import { startSla } from './sla-timers.js';
import { inboxAgents } from './schema.js';

// open_load read as `load`.
const AgentRoom = rowOf(inboxAgents, ['capacity']).and<{ load: number }>(['load']);

/** Assign to an agent (who must have capacity unless forced), or to a team to be routed within it, or unassign. */
export async function assign(
  deps: InboxDeps,
  tenantId: string,
  id: string,
  to: { agent_id?: string | null; team_id?: string | null; force?: boolean },
  actor: Actor,
  reason = 'manual',
) {
  await changeConversation(deps, tenantId, id, async (tx, c, fx, at) => {
    let teamId: string | null = to.team_id !== undefined ? to.team_id : c.team_id;
    if (teamId) {
      const { rowCount } = await tx.query('SELECT 1 FROM inbox_teams WHERE tenant_id = $1 AND id = $2', [tenantId, teamId]);
      if (!rowCount) throw teamNotFound();
    }
    if (to.agent_id) {
      const a = await queryRow(
        tx,
        AgentRoom,
        `SELECT a.capacity, a.open_load AS load
           FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
        [tenantId, to.agent_id],
      );
      if (!a) throw agentNotFound();
      if (!to.force && c.assignee_id !== to.agent_id && a.load >= a.capacity) throw agentOverCapacity();
      if (to.team_id === undefined && teamId) {
        const { rowCount } = await tx.query('SELECT 1 FROM inbox_team_members WHERE tenant_id = $1 AND team_id = $2 AND agent_id = $3', [
          tenantId,
          teamId,
          to.agent_id,
        ]);
        if (!rowCount) teamId = null;
      }
      await assignConversation(tx, tenantId, id, { teamId, agentId: to.agent_id }, reason, actorName(actor), fx, at);
    } else if (to.agent_id === null) {
      await assignConversation(tx, tenantId, id, { teamId, agentId: null }, reason, actorName(actor), fx, at);
    } else {
      await assignWithinTeam(tx, tenantId, id, teamId, reason, fx, at);
    }
    if (teamId !== c.team_id && c.status !== 'resolved') await startSla(tx, tenantId, id, teamId, c.priority, new Date(c.created_at), fx);
  });
}
