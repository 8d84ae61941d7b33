// Routing rules, evaluated in position order; the first match picks the team (and may set priority).
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z, patchOf } from '../../platform/validation.js';
import { RuleConditions, PRIORITIES } from './routing-rules.js';
import { ruleNotFound, teamNotFound } from './errors.js';
import { inboxRoutingRules } from './schema.js';

const Rule = rowOf(inboxRoutingRules, '*');

export const RoutingRuleInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    position: z.number().int().min(0).max(1_000_000).optional(),
    conditions: RuleConditions.default({}),
    team_id: z.string().min(1).max(64),
    priority: z.enum(PRIORITIES).optional(),
    is_enabled: z.boolean().default(true),
  })
  .strict();
export type RoutingRuleInput = z.infer<typeof RoutingRuleInput>;
export const RoutingRulePatch = patchOf(RoutingRuleInput)
  .extend({ priority: z.enum(PRIORITIES).nullable().optional() })
  .strict();
export type RoutingRulePatch = z.infer<typeof RoutingRulePatch>;

const view = (r: typeof Rule.row) => ({
  id: r.id,
  name: r.name,
  position: r.position,
  conditions: r.conditions,
  team_id: r.team_id,
  priority: r.priority,
  is_enabled: r.is_enabled,
  created_at: r.created_at.toISOString(),
});

async function requireTeam(db: pg.Pool, tenantId: string, id: string) {
  const { rowCount } = await db.query('SELECT 1 FROM inbox_teams WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw teamNotFound();
}

export async function createRoutingRule(db: pg.Pool, tenantId: string, input: RoutingRuleInput) {
  await requireTeam(db, tenantId, input.team_id);
  const id = newId('rule');
  const r = await queryRow(
    db,
    Rule,
    `INSERT INTO inbox_routing_rules (tenant_id, id, name, position, conditions, team_id, priority, is_enabled)
     VALUES ($1,$2,$3, coalesce($4, (SELECT coalesce(max(position), 0) + 10 FROM inbox_routing_rules WHERE tenant_id = $1)), $5,$6,$7,$8) RETURNING *`,
    [tenantId, id, input.name, input.position ?? null, JSON.stringify(input.conditions), input.team_id, input.priority ?? null, input.is_enabled],
  );
  return view(r!);
}

export async function listRoutingRules(db: pg.Pool, tenantId: string) {
  const rows = await queryRows(db, Rule, 'SELECT * FROM inbox_routing_rules WHERE tenant_id = $1 ORDER BY position, created_at', [tenantId]);
  return rows.map(view);
}

export async function getRoutingRule(db: pg.Pool, tenantId: string, id: string) {
  const r = await queryRow(db, Rule, 'SELECT * FROM inbox_routing_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw ruleNotFound();
  return view(r);
}

export async function updateRoutingRule(db: pg.Pool, tenantId: string, id: string, patch: RoutingRulePatch) {
  const cur = await getRoutingRule(db, tenantId, id);
  if (patch.team_id) await requireTeam(db, tenantId, patch.team_id);
  const r = await queryRow(
    db,
    Rule,
    'UPDATE inbox_routing_rules SET name = $3, position = $4, conditions = $5, team_id = $6, priority = $7, is_enabled = $8 WHERE tenant_id = $1 AND id = $2 RETURNING *',
    [
      tenantId,
      id,
      patch.name ?? cur.name,
      patch.position ?? cur.position,
      JSON.stringify(patch.conditions ?? cur.conditions),
      patch.team_id ?? cur.team_id,
      patch.priority === undefined ? cur.priority : patch.priority,
      patch.is_enabled ?? cur.is_enabled,
    ],
  );
  return view(r!);
}

export async function deleteRoutingRule(db: pg.Pool, tenantId: string, id: string) {
  const { rowCount } = await db.query('DELETE FROM inbox_routing_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw ruleNotFound();
}
