// Relationship surveys: every `every_days`, each customer of the survey's segment is asked (throttling
// applies). A round is claimed on the survey row, so two nodes never run the same round.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { surveys } from './schema.js';
import type { Trigger } from './manage-surveys.js';
import { insertSchedule } from './run-triggers.js';
import { processDueInvitations } from './process-due-invitations.js';

const Periodic = rowOf(surveys, ['tenant_id', 'id', 'triggers', 'last_periodic_at']);

export async function runPeriodicSurveys(deps: FeedbackDeps, tenantId: string | undefined, now: Date = deps.clock.now()) {
  const { pool, customers } = deps;
  const rows = await queryRows(
    pool,
    Periodic,
    `SELECT tenant_id, id, triggers, last_periodic_at FROM surveys WHERE ($1::text IS NULL OR tenant_id = $1) AND status = 'active' AND triggers @> '[{"type":"periodic"}]'::jsonb`,
    [tenantId ?? null],
  );
  let scheduled = 0;
  for (const s of rows) {
    const t = s.triggers.find((x) => x.type === 'periodic') as Extract<Trigger, { type: 'periodic' }>;
    if (s.last_periodic_at && s.last_periodic_at.getTime() + t.every_days * 86_400_000 > now.getTime()) continue;
    const claimed = await pool.query(
      'UPDATE surveys SET last_periodic_at = $3 WHERE tenant_id = $1 AND id = $2 AND last_periodic_at IS NOT DISTINCT FROM $4 RETURNING id',
      [s.tenant_id, s.id, now, s.last_periodic_at],
    );
    if (!claimed.rowCount) continue;
    const round = now.toISOString().slice(0, 10);
    let cursor: string | undefined;
    do {
      const page = await customers.listCustomers(s.tenant_id, { limit: 200, cursor, isCore: t.segment.is_core });
      for (const c of page.data) {
        const id = await insertSchedule(pool, s.tenant_id, {
          surveyId: s.id,
          customerId: c.id as string,
          kind: 'invite',
          dueAt: now,
          sourceKey: `periodic:${round}:${c.id}`,
          context: { trigger: 'periodic' },
        });
        if (id) scheduled++;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    await processDueInvitations(deps, s.tenant_id, now);
  }
  return scheduled;
}
