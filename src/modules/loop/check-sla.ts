// Escalating cases past their SLA: level 1 when nobody contacted the customer in time, 2 when the case
// is unresolved in time. Run by the per-minute sweep and by the timers set at first-contact deadlines.
import { withTransaction } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { SYSTEM, type LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { cases } from './schema.js';

const Escalated = rowOf(cases, ['tenant_id', 'id', 'team_id']);

/** Escalates every overdue case (of one tenant, or all); returns how many were escalated. */
export async function checkSla(deps: LoopDeps, tenantId: string | undefined, now = deps.clock.now()) {
  const escalated: { tenantId: string; caseId: string; level: number; teamId?: string }[] = [];
  for (const [level, condition] of [
    [1, `status = 'new' AND first_contact_due_at <= $2`],
    [2, `status IN ('new','contacted') AND resolve_due_at <= $2`],
  ] as const) {
    await withTransaction(deps.pool, async (tx) => {
      const rows = await queryRows(
        tx,
        Escalated,
        `UPDATE cases SET escalation_level = $3, updated_at = $2 WHERE ($1::text IS NULL OR tenant_id = $1) AND ${condition} AND escalation_level < $3
         RETURNING tenant_id, id, team_id`,
        [tenantId ?? null, now, level],
      );
      for (const r of rows) {
        await writeActivity(tx, r.tenant_id, r.id, 'escalation', { code: level === 1 ? 'first_contact_overdue' : 'resolution_overdue' }, SYSTEM, now);
        escalated.push({ tenantId: r.tenant_id, caseId: r.id, level, ...(r.team_id ? { teamId: r.team_id } : {}) });
      }
    });
  }
  for (const e of escalated) {
    deps.bus.publish({
      type: 'case.escalated',
      tenantId: e.tenantId,
      payload: { caseId: e.caseId, level: e.level, ...(e.teamId ? { teamId: e.teamId } : {}) },
    });
  }
  return escalated.length;
}
