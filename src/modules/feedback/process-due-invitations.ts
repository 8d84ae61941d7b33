// Survey schedules become invitations when they fall due: a delayed CSAT, an abandonment check, a
// periodic round. Each schedule is processed once, by whichever worker claims it.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { surveySchedules } from './schema.js';
import { hasCompletedSince, insertSchedule, isStillFirst, type ScheduleRequest } from './run-triggers.js';
import { inviteCustomer } from './invite-customer.js';

const Due = rowOf(surveySchedules, ['tenant_id', 'id', 'survey_id', 'customer_id', 'kind', 'source_key', 'context']);
type ScheduleRow = typeof Due.row;

async function processSchedule(deps: FeedbackDeps, tenantId: string, row: ScheduleRow, now: Date) {
  const { pool, jobs } = deps;
  let outcome: string;
  const c = row.context as {
    trigger?: string;
    started_at?: string;
    complete_event?: string;
    channel?: string;
    first_time_only?: boolean;
    event_type?: string;
    event_id?: string;
  };
  if (c.first_time_only && !(await isStillFirst(pool, tenantId, row.customer_id, c.event_type!, c.event_id!))) {
    outcome = 'not_first';
  } else if (row.kind === 'abandonment' && (await hasCompletedSince(pool, tenantId, row.customer_id, c.complete_event!, new Date(c.started_at!)))) {
    outcome = 'completed';
  } else {
    const r = await inviteCustomer(
      deps,
      tenantId,
      {
        surveyId: row.survey_id,
        customerId: row.customer_id,
        trigger: c.trigger ?? row.kind,
        sourceKey: row.source_key,
        channel: c.channel,
        context: row.context,
      },
      now,
    );
    if (r.outcome === 'outside_window' && r.next) {
      // Held until the customer's window opens, then asked (or throttled) as usual.
      await pool.query(`UPDATE survey_schedules SET state = 'waiting', due_at = $3, outcome = 'held_for_window' WHERE tenant_id = $1 AND id = $2`, [
        tenantId,
        row.id,
        r.next,
      ]);
      await jobs.send('feedback-due', { tenantId }, { startAfter: r.next });
      return 'held_for_window';
    }
    outcome = r.outcome;
  }
  await pool.query(`UPDATE survey_schedules SET state = 'done', outcome = $3, processed_at = now() WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    row.id,
    outcome,
  ]);
  return outcome;
}

/** Processes every schedule due at `now` (the clock is a parameter so tests can move it); counts by outcome. */
export async function processDueInvitations(deps: FeedbackDeps, tenantId: string | undefined, now: Date = deps.clock.now()): Promise<Record<string, number>> {
  const { pool, log } = deps;
  const counts: Record<string, number> = {};
  for (;;) {
    // Claimed by flipping the state, so two workers never process one row; a claim older than ten
    // minutes (a worker that died) is taken over.
    // The claim's age is read on the database's clock, not the product's: it measures how long a worker
    // has held the row, which a test moving its clock must not cut short.
    const rows = await queryRows(
      pool,
      Due,
      `UPDATE survey_schedules s SET state = 'running', processed_at = now()
        WHERE (s.tenant_id, s.id) IN (
          SELECT tenant_id, id FROM survey_schedules
           WHERE ($1::text IS NULL OR tenant_id = $1) AND due_at <= $2
             AND (state = 'waiting' OR (state = 'running' AND processed_at < now() - interval '10 minutes'))
           ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
      RETURNING tenant_id, id, survey_id, customer_id, kind, source_key, context`,
      [tenantId ?? null, now],
    );
    for (const row of rows) {
      try {
        const o = await processSchedule(deps, row.tenant_id, row, now);
        counts[o] = (counts[o] ?? 0) + 1;
      } catch (err) {
        log.error({ err: (err as Error).message, schedule: row.id }, 'survey schedule failed');
        await pool.query(`UPDATE survey_schedules SET state = 'done', outcome = 'failed' WHERE tenant_id = $1 AND id = $2`, [row.tenant_id, row.id]);
      }
    }
    if (rows.length < 100) return counts;
  }
}

/** A new schedule (once per source key): processed at once when already due, else at its time by a job. */
export async function scheduleSurvey(deps: FeedbackDeps, tenantId: string, s: ScheduleRequest, now: Date) {
  const id = await insertSchedule(deps.pool, tenantId, s);
  if (!id) return;
  if (s.dueAt.getTime() <= now.getTime()) await processDueInvitations(deps, tenantId, now);
  else await deps.jobs.send('feedback-due', { tenantId }, { startAfter: s.dueAt });
}
