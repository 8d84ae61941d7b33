// Routing within a team: the conversation goes round-robin or to the least-loaded online agent with
// free capacity, or waits in the team's queue for the next agent who frees up or picks it. Which team
// is routing-rules.ts.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { Effects } from './effects.js';
import { inboxAgents, inboxConversations, inboxTeamMembers, inboxTeams } from './schema.js';

const TeamTurn = rowOf(inboxTeams, ['assignment', 'last_assigned_agent_id']);
// open_load read as `load`.
type Load = { load: number };
const FreeAgent = rowOf(inboxAgents, ['id', 'capacity', 'last_assigned_at']).and<Load>(['load']);
const AgentRoom = rowOf(inboxAgents, ['status', 'capacity']).and<Load>(['load']);
const Queued = rowOf(inboxConversations, ['id', 'team_id']);
const TeamOfBatch = rowOf(inboxTeams, ['id', 'assignment', 'last_assigned_agent_id']);
const TeamMember = rowOf(inboxTeamMembers, ['team_id']);
const MemberAgent = FreeAgent.and<typeof TeamMember.row>(['team_id']);

/**
 * Picks an online agent of the team with free capacity. The team row is locked so that two
 * conversations routed at once cannot both take an agent's last free slot; the agents' open load
 * (kept on their rows by the conversations' triggers, migration 0050) is read after the lock, in a
 * statement of its own, so it counts every assignment committed before the lock was granted.
 */
export async function pickAgent(tx: pg.PoolClient, tenantId: string, teamId: string, exclude: string[] = []): Promise<string | undefined> {
  const team = await queryRow(tx, TeamTurn, 'SELECT assignment, last_assigned_agent_id FROM inbox_teams WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
    tenantId,
    teamId,
  ]);
  if (!team) return undefined;
  const rows = await queryRows(
    tx,
    FreeAgent,
    `SELECT a.id, a.capacity, a.last_assigned_at, a.open_load AS load
       FROM inbox_agents a JOIN inbox_team_members m ON m.tenant_id = a.tenant_id AND m.agent_id = a.id
      WHERE a.tenant_id = $1 AND m.team_id = $2 AND a.status = 'online' AND NOT (a.id = ANY($3::text[]))
      ORDER BY a.id`,
    [tenantId, teamId, exclude],
  );
  const free = rows.filter((r) => r.load < r.capacity);
  if (!free.length) return undefined;
  if (team.assignment === 'least_loaded') {
    free.sort((x, y) => x.load - y.load || (x.last_assigned_at?.getTime() ?? 0) - (y.last_assigned_at?.getTime() ?? 0) || (x.id < y.id ? -1 : 1));
    return free[0].id;
  }
  const last = team.last_assigned_agent_id;
  return (free.find((r) => last == null || r.id > last) ?? free[0]).id;
}

/** Sets the conversation's team and agent, records the assignment and tells the feed. */
export async function assignConversation(
  tx: pg.PoolClient,
  tenantId: string,
  conversationId: string,
  to: { teamId: string | null; agentId: string | null },
  reason: string,
  actor: string,
  fx: Effects,
  at: Date,
): Promise<void> {
  await tx.query('UPDATE inbox_conversations SET team_id = $3, assignee_id = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    conversationId,
    to.teamId,
    to.agentId,
    at,
  ]);
  if (to.agentId) {
    await tx.query('UPDATE inbox_agents SET last_assigned_at = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, to.agentId, at]);
    if (to.teamId) await tx.query('UPDATE inbox_teams SET last_assigned_agent_id = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, to.teamId, to.agentId]);
  }
  await tx.query('INSERT INTO inbox_assignments (tenant_id, id, conversation_id, team_id, agent_id, reason, actor, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
    tenantId,
    newId('asg'),
    conversationId,
    to.teamId,
    to.agentId,
    reason,
    actor,
    at,
  ]);
  fx.feed.push({
    type: to.agentId ? 'conversation.assigned' : 'conversation.queued',
    tenantId,
    conversationId,
    teamId: to.teamId,
    assigneeId: to.agentId,
    data: { reason },
  });
}

/** Routes within a team: an agent if one is free, the team queue otherwise. */
export async function assignWithinTeam(
  tx: pg.PoolClient,
  tenantId: string,
  conversationId: string,
  teamId: string | null,
  reason: string,
  fx: Effects,
  at: Date,
  exclude: string[] = [],
): Promise<string | null> {
  const agentId = teamId ? ((await pickAgent(tx, tenantId, teamId, exclude)) ?? null) : null;
  await assignConversation(tx, tenantId, conversationId, { teamId, agentId }, reason, 'system', fx, at);
  return agentId;
}

/**
 * Gives queued conversations of the agent's teams to the agent, oldest first, while the agent is
 * online and has capacity: called when an agent comes online or frees a slot.
 */
export async function drainQueueFor(tx: pg.PoolClient, tenantId: string, agentId: string, fx: Effects, at: Date): Promise<number> {
  const agent = await queryRow(tx, AgentRoom, `SELECT a.status, a.capacity, a.open_load AS load FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2`, [
    tenantId,
    agentId,
  ]);
  if (!agent || agent.status !== 'online') return 0;
  const room = agent.capacity - agent.load;
  if (room <= 0) return 0;
  const rows = await queryRows(
    tx,
    Queued,
    `SELECT c.id, c.team_id FROM inbox_conversations c
      WHERE c.tenant_id = $1 AND c.status <> 'resolved' AND c.assignee_id IS NULL
        AND c.team_id IN (SELECT team_id FROM inbox_team_members WHERE tenant_id = $1 AND agent_id = $2)
      ORDER BY CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, c.created_at, c.id
      LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [tenantId, agentId, room],
  );
  for (const r of rows) await assignConversation(tx, tenantId, r.id, { teamId: r.team_id, agentId }, 'queue', 'system', fx, at);
  return rows.length;
}

/**
 * assignWithinTeam for many new conversations at once, in the order given: the teams are locked
 * together (in id order, so two batches cannot deadlock), the agents' loads read once and counted
 * up as conversations are handed out, and every write is one statement for the whole batch.
 */
export async function assignNewConversations(
  tx: pg.PoolClient,
  tenantId: string,
  convs: readonly { id: string; teamId: string | null; at: Date }[],
  fx: Effects,
): Promise<Map<string, string | null>> {
  const assigned = new Map<string, string | null>();
  const teamIds = [...new Set(convs.map((c) => c.teamId).filter((t): t is string => !!t))].sort();
  const teams = new Map<string, { assignment: string; last: string | null; members: string[] }>();
  const agents = new Map<string, { id: string; capacity: number; load: number; lastAssignedAt: number }>();
  if (teamIds.length) {
    const teamRows = await queryRows(
      tx,
      TeamOfBatch,
      'SELECT id, assignment, last_assigned_agent_id FROM inbox_teams WHERE tenant_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
      [tenantId, teamIds],
    );
    for (const t of teamRows) teams.set(t.id, { assignment: t.assignment, last: t.last_assigned_agent_id, members: [] });
    const rows = await queryRows(
      tx,
      MemberAgent,
      `SELECT m.team_id, a.id, a.capacity, a.last_assigned_at, a.open_load AS load
         FROM inbox_agents a JOIN inbox_team_members m ON m.tenant_id = a.tenant_id AND m.agent_id = a.id
        WHERE a.tenant_id = $1 AND m.team_id = ANY($2::text[]) AND a.status = 'online'
        ORDER BY a.id`,
      [tenantId, teamIds],
    );
    for (const r of rows) {
      if (!agents.has(r.id))
        agents.set(r.id, {
          id: r.id,
          capacity: r.capacity,
          load: r.load,
          lastAssignedAt: r.last_assigned_at ? r.last_assigned_at.getTime() : 0,
        });
      teams.get(r.team_id)?.members.push(r.id);
    }
  }
  const agentAt = new Map<string, Date>();
  const teamLast = new Map<string, string>();
  for (const c of convs) {
    const team = c.teamId ? teams.get(c.teamId) : undefined;
    let agentId: string | null = null;
    if (team) {
      const free = team.members.map((id) => agents.get(id)!).filter((a) => a.load < a.capacity);
      if (free.length) {
        if (team.assignment === 'least_loaded') {
          free.sort((x, y) => x.load - y.load || x.lastAssignedAt - y.lastAssignedAt || (x.id < y.id ? -1 : 1));
          agentId = free[0].id;
        } else {
          const last = team.last;
          agentId = (free.find((a) => last == null || a.id > last) ?? free[0]).id;
        }
        const a = agents.get(agentId)!;
        a.load++;
        a.lastAssignedAt = c.at.getTime();
        team.last = agentId;
        agentAt.set(agentId, c.at);
        teamLast.set(c.teamId!, agentId);
      }
    }
    assigned.set(c.id, agentId);
    fx.feed.push({
      type: agentId ? 'conversation.assigned' : 'conversation.queued',
      tenantId,
      conversationId: c.id,
      teamId: c.teamId,
      assigneeId: agentId,
      data: { reason: 'routing' },
    });
  }
  if (!convs.length) return assigned;
  // The assignments, the agents' and teams' round-robin marks and the history: one statement. The
  // conversations are written by primary-key upsert, so that each is found by an index probe whatever
  // the statistics say: an UPDATE ... FROM unnest(...) was planned as a scan of all of the tenant's
  // conversations when the statistics predate the tenant's growth. Every id names a conversation the
  // caller's transaction has opened, so the insert arm never runs; its placeholder customer and reply
  // token only fill NOT NULL columns.
  const withAgent = convs.filter((c) => assigned.get(c.id));
  await tx.query(
    `WITH conv AS (
       INSERT INTO inbox_conversations AS c (tenant_id, id, customer_id, reply_token, team_id, assignee_id)
         SELECT $1, u.id, '', '', u.team_id, u.agent_id FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, team_id, agent_id)
       ON CONFLICT (tenant_id, id) DO UPDATE SET team_id = excluded.team_id, assignee_id = excluded.assignee_id),
     agent AS (
       UPDATE inbox_agents a SET last_assigned_at = u.at FROM unnest($5::text[], $6::timestamptz[]) AS u(id, at) WHERE a.tenant_id = $1 AND a.id = u.id),
     team AS (
       UPDATE inbox_teams t SET last_assigned_agent_id = u.agent_id FROM unnest($7::text[], $8::text[]) AS u(id, agent_id) WHERE t.tenant_id = $1 AND t.id = u.id)
     INSERT INTO inbox_assignments (tenant_id, id, conversation_id, team_id, agent_id, reason, actor, at)
       SELECT $1, u.id, u.conversation_id, u.team_id, u.agent_id, 'routing', 'system', u.at FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[]) AS u(id, conversation_id, team_id, agent_id, at)`,
    [
      tenantId,
      withAgent.map((c) => c.id),
      withAgent.map((c) => c.teamId),
      withAgent.map((c) => assigned.get(c.id)),
      [...agentAt.keys()],
      [...agentAt.values()],
      [...teamLast.keys()],
      [...teamLast.values()],
      convs.map(() => newId('asg')),
      convs.map((c) => c.id),
      convs.map((c) => c.teamId),
      convs.map((c) => assigned.get(c.id) ?? null),
      convs.map((c) => c.at),
    ],
  );
  return assigned;
}
