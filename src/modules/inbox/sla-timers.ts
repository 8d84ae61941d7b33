// SLA policies per team and priority: first response, next response and resolution targets counted
// on the policy's calendar. Each target gets two pg-boss timers (warning, breach); a timer that fires
// after its target was met or moved does nothing, and a minute sweep catches any timer that was lost.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { queryRow, queryRows, rowOf, type RowOf } from '../../platform/query-rows.js';
import { Calendar, addBusinessMinutes } from './business-hours.js';
import { assignWithinTeam } from './route-conversation.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps, type SlaTarget } from './effects.js';
import { ConversationRow } from './read-conversations.js';
import { inboxConversations, inboxSlaPolicies, inboxTeams } from './schema.js';

interface Policy {
  id: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warningPercent: number;
  calendar: Calendar;
  escalation: { reassign?: boolean; notify_manager?: boolean };
}

const DUE_COLUMN = {
  first_response: 'first_response_due_at',
  next_response: 'next_response_due_at',
  resolution: 'resolution_due_at',
} as const satisfies Record<SlaTarget, string>;

/** What a policy is read from: a row, or the same row through json_agg (so no timestamps). */
export type PolicyRow = RowOf<
  typeof inboxSlaPolicies,
  'id' | 'team_id' | 'priority' | 'first_response_minutes' | 'next_response_minutes' | 'resolution_minutes' | 'warning_percent' | 'calendar' | 'escalation'
>;
const SlaPolicy = rowOf(inboxSlaPolicies, '*');
const FirstDue = rowOf(inboxConversations, ['first_response_due_at']);
const Manager = rowOf(inboxTeams, ['name', 'manager_agent_id']).and<{ manager_email: string | null }>(['manager_email']);
const PastDue = rowOf(inboxConversations, ['tenant_id', 'id', 'sla_events']).and<{ target: SlaTarget; due: Date }>(['target', 'due']);

function toPolicy(r: PolicyRow): Policy {
  const cal = Calendar.safeParse(r.calendar);
  return {
    id: r.id,
    firstResponseMinutes: r.first_response_minutes,
    nextResponseMinutes: r.next_response_minutes,
    resolutionMinutes: r.resolution_minutes,
    warningPercent: r.warning_percent,
    calendar: cal.success ? cal.data : { kind: '24x7' },
    escalation: (r.escalation ?? {}) as Policy['escalation'],
  };
}

export interface LoadedPolicy extends Policy {
  teamId: string | null;
  priority: string | null;
}

/** Every policy of the tenant, oldest first, for choosing among them many times in one batch. */
export async function loadPolicies(tx: pg.PoolClient, tenantId: string): Promise<LoadedPolicy[]> {
  return parsePolicies(await queryRows(tx, SlaPolicy, 'SELECT * FROM inbox_sla_policies WHERE tenant_id = $1 ORDER BY created_at', [tenantId]));
}

/** Policy rows, oldest first, as pickPolicy takes them. */
export function parsePolicies(rows: readonly PolicyRow[]): LoadedPolicy[] {
  return rows.map((r) => ({ ...toPolicy(r), teamId: r.team_id, priority: r.priority }));
}

/**
 * The most specific policy of a conversation: team and priority, then team, then priority, then the
 * tenant default; among equally specific ones the oldest. Policies come oldest first (loadPolicies).
 */
export function pickPolicy(policies: readonly LoadedPolicy[], teamId: string | null, priority: string): LoadedPolicy | undefined {
  let best: LoadedPolicy | undefined;
  let bestRank = -1;
  for (const p of policies) {
    if ((p.teamId !== null && p.teamId !== teamId) || (p.priority !== null && p.priority !== priority)) continue;
    const rank = (p.teamId !== null ? 2 : 0) + (p.priority !== null ? 1 : 0);
    if (rank > bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

/** When a new conversation's first response and resolution fall due under a policy. */
export function slaDueTimes(p: Policy, at: Date): { first: Date | null; resolution: Date | null } {
  return {
    first: p.firstResponseMinutes != null ? addBusinessMinutes(p.calendar, at, p.firstResponseMinutes) : null,
    resolution: p.resolutionMinutes != null ? addBusinessMinutes(p.calendar, at, p.resolutionMinutes) : null,
  };
}

async function policyById(tx: pg.PoolClient, tenantId: string, id: string | null): Promise<Policy | undefined> {
  if (!id) return undefined;
  const r = await queryRow(tx, SlaPolicy, 'SELECT * FROM inbox_sla_policies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return r ? toPolicy(r) : undefined;
}

export function schedule(fx: Effects, tenantId: string, conversationId: string, target: SlaTarget, start: Date, due: Date, warningPercent: number) {
  const warnAt = new Date(start.getTime() + ((due.getTime() - start.getTime()) * warningPercent) / 100);
  fx.timers.push({ tenantId, conversationId, target, stage: 'warning', due: due.toISOString(), at: warnAt });
  fx.timers.push({ tenantId, conversationId, target, stage: 'breach', due: due.toISOString(), at: due });
}

/**
 * A new conversation (or one whose team or priority changed): set its targets from the policy.
 * `policies`: the tenant's policies when the caller has loaded them already.
 */
export async function startSla(
  tx: pg.PoolClient,
  tenantId: string,
  conversationId: string,
  teamId: string | null,
  priority: string,
  at: Date,
  fx: Effects,
  policies?: readonly LoadedPolicy[],
): Promise<void> {
  const p = pickPolicy(policies ?? (await loadPolicies(tx, tenantId)), teamId, priority);
  if (!p) {
    await tx.query(
      'UPDATE inbox_conversations SET sla_policy_id = NULL, first_response_due_at = NULL, resolution_due_at = NULL WHERE tenant_id = $1 AND id = $2',
      [tenantId, conversationId],
    );
    return;
  }
  const { first, resolution } = slaDueTimes(p, at);
  const c = await queryRow(
    tx,
    FirstDue,
    `UPDATE inbox_conversations SET sla_policy_id = $3, first_response_due_at = CASE WHEN first_responded_at IS NULL THEN $4::timestamptz END, resolution_due_at = $5
      WHERE tenant_id = $1 AND id = $2 RETURNING first_response_due_at`,
    [tenantId, conversationId, p.id, first, resolution],
  );
  if (first && c?.first_response_due_at) schedule(fx, tenantId, conversationId, 'first_response', at, first, p.warningPercent);
  if (resolution) schedule(fx, tenantId, conversationId, 'resolution', at, resolution, p.warningPercent);
}

/** An agent answered: first response met (if not already), next-response clock stopped. */
export async function recordAgentResponse(tx: pg.PoolClient, tenantId: string, conversationId: string, at: Date) {
  await tx.query(
    'UPDATE inbox_conversations SET first_responded_at = coalesce(first_responded_at, $3), first_response_due_at = CASE WHEN first_responded_at IS NULL THEN NULL ELSE first_response_due_at END, next_response_due_at = NULL WHERE tenant_id = $1 AND id = $2',
    [tenantId, conversationId, at],
  );
}

/**
 * A timer fired (or the sweep found a passed time). Acts only if the target is still pending with the
 * same due time, the stage's time has come by the service clock, and this stage was not recorded yet.
 */
export async function checkSla(
  deps: InboxDeps,
  tenantId: string,
  conversationId: string,
  target: SlaTarget,
  stage: 'warning' | 'breach',
  due: string,
): Promise<boolean> {
  const fx = newEffects();
  const acted = await withTransaction(deps.pool, async (tx) => {
    const c = await queryRow(tx, ConversationRow, `SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, conversationId]);
    if (!c || c.status === 'resolved') return false;
    const current = c[DUE_COLUMN[target]];
    if (!current || current.toISOString() !== due) return false;
    const p = await policyById(tx, tenantId, c.sla_policy_id);
    const now = deps.clock.now();
    const start = target === 'next_response' ? (c.last_inbound_at as Date) : c.created_at;
    const stageAt = stage === 'breach' ? current : new Date(start.getTime() + ((current.getTime() - start.getTime()) * (p?.warningPercent ?? 80)) / 100);
    if (now < stageAt) return false;
    const events = (c.sla_events ?? []) as { target: string; stage: string; due: string }[];
    if (events.some((e) => e.target === target && e.stage === stage && e.due === due)) return false;
    const status = stage === 'breach' ? 'breached' : c.sla_status === 'breached' ? 'breached' : 'warning';
    await tx.query('UPDATE inbox_conversations SET sla_status = $3, sla_events = sla_events || $4::jsonb, updated_at = $5 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      conversationId,
      status,
      JSON.stringify([{ target, stage, due, at: now.toISOString() }]),
      now,
    ]);
    fx.feed.push({
      type: stage === 'breach' ? 'sla.breached' : 'sla.warning',
      tenantId,
      conversationId,
      teamId: c.team_id,
      assigneeId: c.assignee_id,
      data: { target, due },
    });
    if (stage === 'breach' && p) {
      if (p.escalation.reassign && c.team_id) {
        await assignWithinTeam(tx, tenantId, conversationId, c.team_id, 'sla_escalation', fx, now, c.assignee_id ? [c.assignee_id] : []);
      }
      if (p.escalation.notify_manager && c.team_id) {
        const t = await queryRow(
          tx,
          Manager,
          'SELECT t.name, t.manager_agent_id, a.email AS manager_email FROM inbox_teams t LEFT JOIN inbox_agents a ON a.tenant_id = t.tenant_id AND a.id = t.manager_agent_id WHERE t.tenant_id = $1 AND t.id = $2',
          [tenantId, c.team_id],
        );
        if (t?.manager_agent_id)
          fx.feed.push({
            type: 'sla.escalated',
            tenantId,
            conversationId,
            teamId: c.team_id,
            agentId: t.manager_agent_id,
            data: { target, due, manager_agent_id: t.manager_agent_id },
          });
        // A manager away from the console hears of it too: by email, after the commit, once per breach (the sla_events check above).
        const mailer = deps.mailer;
        const to = t?.manager_email;
        if (t && to && mailer?.hasPlatformRelay) {
          const subject = `SLA breached: ${target.replace('_', ' ')} on conversation ${conversationId} (${t.name})`;
          const text = `The ${target.replace('_', ' ')} target of conversation ${conversationId} in team ${t.name} was due at ${due} and has passed.${p.escalation.reassign ? ' It has been reassigned within the team.' : ''}`;
          fx.after.push(() => mailer.send({ to, subject, text, headers: { 'X-Rapport-Conversation': conversationId } }).then(() => undefined));
        }
      }
    }
    return true;
  });
  await releaseEffects(deps, fx);
  return acted;
}

/** Every pending target whose warning or breach time has passed, across tenants: the safety net for lost timers. */
export async function sweepSla(deps: InboxDeps, tenantId?: string): Promise<number> {
  const now = deps.clock.now();
  const rows = await queryRows(
    deps.pool,
    PastDue,
    `SELECT c.tenant_id, c.id, t.target, t.due, c.sla_events
       FROM inbox_conversations c
       CROSS JOIN LATERAL (VALUES ('first_response', c.first_response_due_at, c.created_at), ('next_response', c.next_response_due_at, c.last_inbound_at), ('resolution', c.resolution_due_at, c.created_at)) AS t(target, due, start)
       LEFT JOIN inbox_sla_policies p ON p.tenant_id = c.tenant_id AND p.id = c.sla_policy_id
      WHERE c.status <> 'resolved' AND t.due IS NOT NULL AND ($2::text IS NULL OR c.tenant_id = $2)
        AND t.start + (t.due - t.start) * coalesce(p.warning_percent, 80) / 100.0 <= $1
      LIMIT 5000`,
    [now, tenantId ?? null],
  );
  let acted = 0;
  for (const r of rows) {
    const due = r.due.toISOString();
    for (const stage of ['warning', 'breach'] as const) {
      if (await checkSla(deps, r.tenant_id, r.id, r.target, stage, due)) acted++;
    }
  }
  return acted;
}
