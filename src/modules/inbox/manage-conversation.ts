// Changing a conversation: status (open / pending / snoozed until a time / resolved), priority, tags,
// assignment, picking from the queue, merging two conversations. Every status change goes on the
// customer's timeline; resolving publishes conversation.resolved (the feedback module's CSAT hook).
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps } from './effects.js';
import { assignConversation, assignWithinTeam, drainQueueFor, type Priority } from './route-conversation.js';
import { startSla } from './sla-timers.js';
import {
  conversationNotFound,
  agentNotFound,
  teamNotFound,
  cannotMergeConversations,
  agentOverCapacity,
  conversationResolved,
  conversationTaken,
  conversationNotInAgentTeams,
} from './errors.js';
import { unprocessable } from '../../platform/errors.js';

export interface ConversationPatch {
  status?: 'open' | 'pending' | 'snoozed' | 'resolved';
  snoozed_until?: string;
  priority?: Priority;
  tags?: string[];
  /** Ask the feedback module to send a CSAT survey once resolved. */
  request_csat?: boolean;
}

const actorName = (a: Actor) => `${a.type}:${a.id}`;

async function lockConversation(tx: pg.PoolClient, tenantId: string, id: string) {
  const {
    rows: [c],
  } = await tx.query('SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  if (!c) throw conversationNotFound();
  return c;
}

/**
 * The shape every change to one conversation takes: lock it, change it inside one transaction, then
 * release the feed frames, bus messages and follow-ups the change collected, only after the commit.
 * The effects start afresh on each attempt, because a serialization retry runs `change` again.
 */
async function changeConversation(deps: InboxDeps, tenantId: string, id: string, change: (tx: pg.PoolClient, c: any, fx: Effects, at: Date) => Promise<void>) {
  const fx = newEffects();
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const c = await lockConversation(tx, tenantId, id);
    await change(tx, c, fx, at);
  });
  await releaseEffects(deps, fx);
}

async function changeStatus(
  deps: InboxDeps,
  tx: pg.PoolClient,
  c: any,
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
      const agentId = c.assignee_id as string;
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
      const {
        rows: [a],
      } = await tx.query(
        `SELECT a.capacity, (SELECT count(*) FROM inbox_conversations x WHERE x.tenant_id = a.tenant_id AND x.assignee_id = a.id AND x.status IN ('open','pending')) AS load
           FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
        [tenantId, to.agent_id],
      );
      if (!a) throw agentNotFound();
      if (!to.force && c.assignee_id !== to.agent_id && Number(a.load) >= a.capacity) throw agentOverCapacity();
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

/** Moves every message of `sourceId` into `targetId` and resolves the source as merged. */
export async function mergeConversations(deps: InboxDeps, tenantId: string, targetId: string, sourceId: string, actor: Actor) {
  if (targetId === sourceId) throw cannotMergeConversations('A conversation cannot be merged into itself');
  const fx = newEffects();
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const { rows } = await tx.query('SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [
      tenantId,
      [targetId, sourceId],
    ]);
    const target = rows.find((r) => r.id === targetId);
    const source = rows.find((r) => r.id === sourceId);
    if (!target || !source) throw conversationNotFound();
    if (source.merged_into) throw cannotMergeConversations('That conversation was already merged');
    await mergeInto(tx, tenantId, target, source, actorName(actor), fx, at);
  });
  await releaseEffects(deps, fx);
}

/** Used by manual merges and by customer merges (where both customers had an open conversation). */
export async function mergeInto(tx: pg.PoolClient, tenantId: string, target: any, source: any, actor: string, fx: Effects, at: Date) {
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

/** The agent, locked, who must exist, belong to the team (when there is one) and have a free slot. */
async function requireFreeMember(tx: pg.PoolClient, tenantId: string, agentId: string, teamId: string | null, force = false) {
  const {
    rows: [a],
  } = await tx.query(
    `SELECT a.capacity, (SELECT count(*) FROM inbox_conversations x WHERE x.tenant_id = a.tenant_id AND x.assignee_id = a.id AND x.status IN ('open','pending')) AS load,
            (SELECT count(*) FROM inbox_team_members m WHERE m.tenant_id = a.tenant_id AND m.agent_id = a.id AND m.team_id = $3) AS is_member
       FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
    [tenantId, agentId, teamId],
  );
  if (!a) throw agentNotFound();
  if (teamId && !Number(a.is_member)) throw conversationNotInAgentTeams();
  if (!force && Number(a.load) >= a.capacity) throw agentOverCapacity();
}

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

/** Wakes snoozed conversations whose time has come (a minute job). */
export async function wakeSnoozed(deps: InboxDeps): Promise<number> {
  const now = deps.clock.now();
  const fx = newEffects();
  const n = await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const { rows } = await tx.query(
      `SELECT * FROM inbox_conversations WHERE status = 'snoozed' AND snoozed_until <= $1 ORDER BY snoozed_until LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const c of rows) await changeStatus(deps, tx, c, 'open', { actor: 'system:snooze' }, fx, now);
    return rows.length;
  });
  await releaseEffects(deps, fx);
  return n;
}
