// The shape every change to one conversation takes, and the status change they share: every status
// change goes on the customer's timeline; resolving publishes conversation.resolved (the feedback
// module's CSAT hook) and frees the agent's slot for the next waiting conversation.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps } from './effects.js';
import { drainQueueFor } from './route-conversation.js';
import { agentNotFound, agentOverCapacity, conversationNotFound, conversationNotInAgentTeams } from './errors.js';
import { ConversationRow, type Conversation } from './read-conversations.js';
import { inboxAgents } from './schema.js';

// open_load read as `load`; count(*) is a bigint, which db.ts's parser gives as a number.
const FreeMember = rowOf(inboxAgents, ['capacity']).and<{ load: number; is_member: number }>(['load', 'is_member']);

export const actorName = (a: Actor) => `${a.type}:${a.id}`;

async function lockConversation(tx: pg.PoolClient, tenantId: string, id: string) {
  const c = await queryRow(tx, ConversationRow, 'SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  if (!c) throw conversationNotFound();
  return c;
}

/**
 * The shape every change to one conversation takes: lock it, change it inside one transaction, then
 * release the feed frames, bus messages and follow-ups the change collected, only after the commit.
 * The effects start afresh on each attempt, because a serialization retry runs `change` again.
 */
export async function changeConversation(
  deps: InboxDeps,
  tenantId: string,
  id: string,
  change: (tx: pg.PoolClient, c: Conversation, fx: Effects, at: Date) => Promise<void>,
) {
  const fx = newEffects();
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const c = await lockConversation(tx, tenantId, id);
    await change(tx, c, fx, at);
  });
  await releaseEffects(deps, fx);
}

export async function changeStatus(
  deps: InboxDeps,
  tx: pg.PoolClient,
  c: Conversation,
  status: string,
  opts: { snoozedUntil?: Date | null; requestCsat?: boolean; actor: string },
  fx: Effects,
  at: Date,
) {
  if (c.status === status && status !== 'snoozed') return;
  const tenantId = c.tenant_id;
  await tx.query(
    `UPDATE inbox_conversations SET status = $3, snoozed_until = $4, resolved_at = CASE WHEN $3 = 'resolved' THEN $5::timestamptz END,
            first_response_due_at = CASE WHEN $3 = 'resolved' THEN NULL ELSE first_response_due_at END,
            next_response_due_at = CASE WHEN $3 = 'resolved' THEN NULL ELSE next_response_due_at END,
            resolution_due_at = CASE WHEN $3 = 'resolved' THEN NULL ELSE resolution_due_at END, updated_at = $5
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, c.id, status, status === 'snoozed' ? (opts.snoozedUntil ?? null) : null, at],
  );
  await deps.events.append(tx, tenantId, [
    {
      customerId: c.customer_id,
      type: `conversation.${status === 'open' && c.status === 'resolved' ? 'reopened' : status}`,
      source: 'inbox',
      occurredAt: at,
      properties: { conversation_id: c.id, from: c.status, to: status, by: opts.actor },
    },
  ]);
  fx.feed.push({
    type: 'conversation.status_changed',
    tenantId,
    conversationId: c.id,
    teamId: c.team_id,
    assigneeId: c.assignee_id,
    data: { from: c.status, to: status, snoozed_until: opts.snoozedUntil?.toISOString() ?? null },
  });
  if (status === 'resolved') {
    fx.bus.push({
      type: 'conversation.resolved',
      tenantId,
      payload: {
        conversationId: c.id,
        customerId: c.customer_id,
        channel: c.last_channel_kind,
        ...(c.team_id ? { teamId: c.team_id } : {}),
        ...(opts.requestCsat !== undefined ? { requestCsat: opts.requestCsat } : {}),
      },
    });
    // The agent has a free slot now: the oldest waiting conversation of their teams comes to them.
    if (c.assignee_id) {
      const agentId = c.assignee_id;
      fx.after.push(() => drainAgentQueue(deps, tenantId, agentId));
    }
  }
}

export async function drainAgentQueue(deps: InboxDeps, tenantId: string, agentId: string) {
  const fx = newEffects();
  await withTransaction(deps.pool, (tx) => {
    fx.feed.length = 0;
    return drainQueueFor(tx, tenantId, agentId, fx, deps.clock.now());
  });
  await releaseEffects(deps, fx);
}

/** The agent, locked, who must exist, belong to the team (when there is one) and have a free slot. */
export async function requireFreeMember(tx: pg.PoolClient, tenantId: string, agentId: string, teamId: string | null, force = false) {
  const a = await queryRow(
    tx,
    FreeMember,
    `SELECT a.capacity, a.open_load AS load,
            (SELECT count(*) FROM inbox_team_members m WHERE m.tenant_id = a.tenant_id AND m.agent_id = a.id AND m.team_id = $3) AS is_member
       FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
    [tenantId, agentId, teamId],
  );
  if (!a) throw agentNotFound();
  if (teamId && !a.is_member) throw conversationNotInAgentTeams();
  if (!force && a.load >= a.capacity) throw agentOverCapacity();
}
