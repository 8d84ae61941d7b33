// Agents and teams. An agent going offline hands back every conversation they held: each goes to a
// free teammate or waits in the team queue, so no customer is left with an absent agent. An agent
// coming online takes the queue's oldest waiting conversations up to their capacity.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z, patchOf } from '../../platform/validation.js';
import { newEffects, releaseEffects, type InboxDeps } from './effects.js';
import { assignWithinTeam, drainQueueFor } from './route-conversation.js';
import { agentNotFound, teamNotFound } from './errors.js';
import { inboxAgents, inboxConversations, inboxTeams } from './schema.js';

// count(*) is a bigint, which db.ts's parser gives as a number.
const Agent = rowOf(inboxAgents, '*').and<{ team_ids: string[]; open_conversations: number }>(['team_ids', 'open_conversations']);
const Team = rowOf(inboxTeams, '*').and<{ agent_ids: string[]; queued: number }>(['agent_ids', 'queued']);
const Held = rowOf(inboxConversations, ['id', 'team_id']);

export const AGENT_STATUSES = ['online', 'away', 'offline'] as const;

export const AgentInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    user_id: z.string().max(64).optional(),
    status: z.enum(AGENT_STATUSES).default('offline'),
    capacity: z.number().int().min(0).max(1000).default(5),
    is_senior: z.boolean().default(false),
    team_ids: z.array(z.string().min(1).max(64)).max(50).default([]),
  })
  .strict();
export type AgentInput = z.infer<typeof AgentInput>;

export const AgentPatch = patchOf(AgentInput);
export type AgentPatch = z.infer<typeof AgentPatch>;

export const TeamInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    assignment: z.enum(['round_robin', 'least_loaded']).default('round_robin'),
    manager_agent_id: z.string().min(1).max(64).optional(),
  })
  .strict();
export type TeamInput = z.infer<typeof TeamInput>;
export const TeamPatch = patchOf(TeamInput)
  .extend({ manager_agent_id: z.string().min(1).max(64).nullable().optional() })
  .strict();
export type TeamPatch = z.infer<typeof TeamPatch>;

async function requireTeams(tx: pg.PoolClient | pg.Pool, tenantId: string, ids: string[]) {
  if (!ids.length) return;
  const rows = await queryRows(tx, rowOf(inboxTeams, ['id']), 'SELECT id FROM inbox_teams WHERE tenant_id = $1 AND id = ANY($2::text[])', [tenantId, ids]);
  if (rows.length !== new Set(ids).size) throw teamNotFound();
}

async function requireAgent(tx: pg.PoolClient | pg.Pool, tenantId: string, id: string) {
  const { rowCount } = await tx.query('SELECT 1 FROM inbox_agents WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw agentNotFound();
}

export async function getAgent(db: pg.Pool | pg.PoolClient, tenantId: string, id: string) {
  const a = await queryRow(
    db,
    Agent,
    `SELECT a.*, coalesce((SELECT array_agg(team_id ORDER BY team_id) FROM inbox_team_members m WHERE m.tenant_id = a.tenant_id AND m.agent_id = a.id), '{}') AS team_ids,
            (SELECT count(*) FROM inbox_conversations c WHERE c.tenant_id = a.tenant_id AND c.assignee_id = a.id AND c.status IN ('open','pending')) AS open_conversations
       FROM inbox_agents a WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, id],
  );
  return a ? agentView(a) : undefined;
}

function agentView(a: typeof Agent.row) {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    user_id: a.user_id,
    status: a.status,
    capacity: a.capacity,
    is_senior: a.is_senior,
    team_ids: a.team_ids ?? [],
    open_conversations: a.open_conversations,
    created_at: a.created_at.toISOString(),
  };
}

export async function listAgents(db: pg.Pool, tenantId: string) {
  const rows = await queryRows(
    db,
    Agent,
    `SELECT a.*, coalesce((SELECT array_agg(team_id ORDER BY team_id) FROM inbox_team_members m WHERE m.tenant_id = a.tenant_id AND m.agent_id = a.id), '{}') AS team_ids,
            (SELECT count(*) FROM inbox_conversations c WHERE c.tenant_id = a.tenant_id AND c.assignee_id = a.id AND c.status IN ('open','pending')) AS open_conversations
       FROM inbox_agents a WHERE a.tenant_id = $1 ORDER BY a.name, a.id LIMIT 1000`,
    [tenantId],
  );
  return rows.map(agentView);
}

export async function createAgent(deps: InboxDeps, tenantId: string, input: AgentInput) {
  const id = newId('agt');
  await withTransaction(deps.pool, async (tx) => {
    await requireTeams(tx, tenantId, input.team_ids);
    await tx.query('INSERT INTO inbox_agents (tenant_id, id, name, email, user_id, status, capacity, is_senior) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
      tenantId,
      id,
      input.name,
      input.email ?? null,
      input.user_id ?? null,
      input.status,
      input.capacity,
      input.is_senior,
    ]);
    for (const t of new Set(input.team_ids))
      await tx.query('INSERT INTO inbox_team_members (tenant_id, team_id, agent_id) VALUES ($1,$2,$3)', [tenantId, t, id]);
  });
  if (input.status === 'online') await afterStatusChange(deps, tenantId, id, 'offline', 'online');
  return (await getAgent(deps.pool, tenantId, id))!;
}

export async function updateAgent(deps: InboxDeps, tenantId: string, id: string, patch: AgentPatch) {
  const before = await withTransaction(deps.pool, async (tx) => {
    const a = await queryRow(tx, rowOf(inboxAgents, '*'), 'SELECT * FROM inbox_agents WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
    if (!a) throw agentNotFound();
    if (patch.team_ids) await requireTeams(tx, tenantId, patch.team_ids);
    await tx.query('UPDATE inbox_agents SET name = $3, email = $4, user_id = $5, status = $6, capacity = $7, is_senior = $8 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
      patch.name ?? a.name,
      patch.email ?? a.email,
      patch.user_id ?? a.user_id,
      patch.status ?? a.status,
      patch.capacity ?? a.capacity,
      patch.is_senior ?? a.is_senior,
    ]);
    if (patch.team_ids) {
      await tx.query('DELETE FROM inbox_team_members WHERE tenant_id = $1 AND agent_id = $2', [tenantId, id]);
      for (const t of new Set(patch.team_ids))
        await tx.query('INSERT INTO inbox_team_members (tenant_id, team_id, agent_id) VALUES ($1,$2,$3)', [tenantId, t, id]);
    }
    return a;
  });
  const status = patch.status ?? before.status;
  if (status !== before.status || (patch.capacity !== undefined && patch.capacity > before.capacity))
    await afterStatusChange(deps, tenantId, id, before.status, status);
  deps.feed.publish([{ type: 'agent.updated', tenantId, data: { agent_id: id, status } }]);
  return (await getAgent(deps.pool, tenantId, id))!;
}

/** Offline: hand back held conversations. Online (or more capacity): take from the queue. */
async function afterStatusChange(deps: InboxDeps, tenantId: string, agentId: string, from: string, to: string) {
  const fx = newEffects();
  const at = deps.clock.now();
  await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    if (to === 'offline' && from !== 'offline') {
      const rows = await queryRows(
        tx,
        Held,
        `SELECT id, team_id FROM inbox_conversations WHERE tenant_id = $1 AND assignee_id = $2 AND status <> 'resolved' ORDER BY created_at FOR UPDATE`,
        [tenantId, agentId],
      );
      for (const c of rows) await assignWithinTeam(tx, tenantId, c.id, c.team_id, 'agent_offline', fx, at, [agentId]);
    }
    if (to === 'online') await drainQueueFor(tx, tenantId, agentId, fx, at);
  });
  await releaseEffects(deps, fx);
}

export async function createTeam(deps: InboxDeps, tenantId: string, input: TeamInput) {
  if (input.manager_agent_id) await requireAgent(deps.pool, tenantId, input.manager_agent_id);
  const id = newId('team');
  await deps.pool.query('INSERT INTO inbox_teams (tenant_id, id, name, assignment, manager_agent_id) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    input.name,
    input.assignment,
    input.manager_agent_id ?? null,
  ]);
  return (await getTeam(deps.pool, tenantId, id))!;
}

export async function updateTeam(deps: InboxDeps, tenantId: string, id: string, patch: TeamPatch) {
  if (patch.manager_agent_id) await requireAgent(deps.pool, tenantId, patch.manager_agent_id);
  const t = await queryRow(deps.pool, rowOf(inboxTeams, '*'), 'SELECT * FROM inbox_teams WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!t) throw teamNotFound();
  await deps.pool.query('UPDATE inbox_teams SET name = $3, assignment = $4, manager_agent_id = $5 WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    id,
    patch.name ?? t.name,
    patch.assignment ?? t.assignment,
    patch.manager_agent_id === undefined ? t.manager_agent_id : patch.manager_agent_id,
  ]);
  return (await getTeam(deps.pool, tenantId, id))!;
}

export async function getTeam(db: pg.Pool, tenantId: string, id: string) {
  const t = await queryRow(
    db,
    Team,
    `SELECT t.*, coalesce((SELECT array_agg(agent_id ORDER BY agent_id) FROM inbox_team_members m WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id), '{}') AS agent_ids,
            (SELECT count(*) FROM inbox_conversations c WHERE c.tenant_id = t.tenant_id AND c.team_id = t.id AND c.assignee_id IS NULL AND c.status <> 'resolved') AS queued
       FROM inbox_teams t WHERE t.tenant_id = $1 AND t.id = $2`,
    [tenantId, id],
  );
  return t ? teamView(t) : undefined;
}

function teamView(t: typeof Team.row) {
  return {
    id: t.id,
    name: t.name,
    assignment: t.assignment,
    manager_agent_id: t.manager_agent_id,
    agent_ids: t.agent_ids ?? [],
    queued: t.queued,
    created_at: t.created_at.toISOString(),
  };
}

export async function listTeams(db: pg.Pool, tenantId: string) {
  const rows = await queryRows(
    db,
    Team,
    `SELECT t.*, coalesce((SELECT array_agg(agent_id ORDER BY agent_id) FROM inbox_team_members m WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id), '{}') AS agent_ids,
            (SELECT count(*) FROM inbox_conversations c WHERE c.tenant_id = t.tenant_id AND c.team_id = t.id AND c.assignee_id IS NULL AND c.status <> 'resolved') AS queued
       FROM inbox_teams t WHERE t.tenant_id = $1 ORDER BY t.name, t.id LIMIT 1000`,
    [tenantId],
  );
  return rows.map(teamView);
}
