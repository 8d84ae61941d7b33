// SLA policies: targets per team and/or priority on a calendar, with escalation on breach.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { z } from '../../platform/validation.js';
import { Calendar } from './business-hours.js';
import { PRIORITIES } from './routing-rules.js';
import { policyNotFound, teamNotFound } from './errors.js';
import { inboxSlaPolicies } from './schema.js';

const Policy = rowOf(inboxSlaPolicies, '*');

const Minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 365);
export const SlaPolicyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    team_id: z.string().min(1).max(64).optional(),
    priority: z.enum(PRIORITIES).optional(),
    first_response_minutes: Minutes.optional(),
    next_response_minutes: Minutes.optional(),
    resolution_minutes: Minutes.optional(),
    warning_percent: z.number().int().min(1).max(99).default(80),
    calendar: Calendar.default({ kind: '24x7' }),
    escalation: z.object({ reassign: z.boolean().optional(), notify_manager: z.boolean().optional() }).strict().default({}),
  })
  .strict();
export type SlaPolicyInput = z.infer<typeof SlaPolicyInput>;

const view = (r: typeof Policy.row) => ({
  id: r.id,
  name: r.name,
  team_id: r.team_id,
  priority: r.priority,
  first_response_minutes: r.first_response_minutes,
  next_response_minutes: r.next_response_minutes,
  resolution_minutes: r.resolution_minutes,
  warning_percent: r.warning_percent,
  calendar: r.calendar,
  escalation: r.escalation,
  created_at: r.created_at.toISOString(),
});

export async function createSlaPolicy(db: pg.Pool, tenantId: string, input: SlaPolicyInput) {
  if (input.team_id) {
    const { rowCount } = await db.query('SELECT 1 FROM inbox_teams WHERE tenant_id = $1 AND id = $2', [tenantId, input.team_id]);
    if (!rowCount) throw teamNotFound();
  }
  const r = await queryRow(
    db,
    Policy,
    `INSERT INTO inbox_sla_policies (tenant_id, id, name, team_id, priority, first_response_minutes, next_response_minutes, resolution_minutes, warning_percent, calendar, escalation)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING *`,
    [
      tenantId,
      newId('sla'),
      input.name,
      input.team_id ?? null,
      input.priority ?? null,
      input.first_response_minutes ?? null,
      input.next_response_minutes ?? null,
      input.resolution_minutes ?? null,
      input.warning_percent,
      JSON.stringify(input.calendar),
      JSON.stringify(input.escalation),
    ],
  );
  return view(r!);
}

export async function listSlaPolicies(db: pg.Pool, tenantId: string) {
  const rows = await queryRows(db, Policy, 'SELECT * FROM inbox_sla_policies WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
  return rows.map(view);
}

export async function getSlaPolicy(db: pg.Pool, tenantId: string, id: string) {
  const r = await queryRow(db, Policy, 'SELECT * FROM inbox_sla_policies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw policyNotFound();
  return view(r);
}

export async function deleteSlaPolicy(db: pg.Pool, tenantId: string, id: string) {
  const { rowCount } = await db.query('DELETE FROM inbox_sla_policies WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw policyNotFound();
}
