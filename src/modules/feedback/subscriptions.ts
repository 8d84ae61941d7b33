// What the feedback module does when something happens elsewhere: ingested events run its triggers;
// a customer merged, erased or exported takes their survey rows along.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { surveyResponses } from './schema.js';
import { scheduleForEvent } from './schedule-triggered-surveys.js';
import { KEEP_FIRST_AND_LAST } from './run-triggers.js';

const Exported = rowOf(surveyResponses, [
  'id',
  'survey_id',
  'survey_version',
  'kind',
  'score',
  'answers',
  'open_text',
  'status',
  'channel',
  'touchpoint',
  'journey_stage',
  'page_url',
  'started_at',
  'submitted_at',
]);

export function subscribeFeedback(deps: FeedbackDeps) {
  const { bus, customers, pool, caches } = deps;

  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    for (const table of ['survey_responses', 'survey_invitations', 'survey_schedules']) {
      await tx.query(`UPDATE ${table} SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3`, [tenantId, survivorId, mergedId]);
    }
    // Marks: the earliest first and the latest last of the two customers.
    await tx.query(
      `INSERT INTO feedback_marks (tenant_id, customer_id, event_type, first_event_id, first_at, last_at)
       SELECT tenant_id, $2, event_type, first_event_id, first_at, last_at FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $3
       ${KEEP_FIRST_AND_LAST}`,
      [tenantId, survivorId, mergedId],
    );
    await tx.query('DELETE FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  });
  // Erasure keeps the scores (anonymous figures) and drops what the customer wrote or where they were.
  customers.onErase(async (tx, tenantId, ids) => {
    await tx.query(
      `UPDATE survey_responses SET answers = '{}', open_text = NULL, page_url = NULL, topics = '{}', topic_sentiments = '{}', sentiment = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`,
      [tenantId, ids],
    );
    await tx.query(
      `UPDATE survey_schedules SET state = 'done', outcome = 'erased' WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND state <> 'done'`,
      [tenantId, ids],
    );
  });
  customers.addExportSection('survey_responses', async (tenantId, ids) => {
    const rows = await queryRows(
      pool,
      Exported,
      `SELECT ${Exported.selectList}
         FROM survey_responses WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY started_at, id`,
      [tenantId, ids],
    );
    return rows.map((r) => ({
      ...r,
      started_at: r.started_at.toISOString(),
      submitted_at: r.submitted_at ? r.submitted_at.toISOString() : null,
    }));
  });

  // Every ingested event (`event.<type>`) may trigger a survey.
  bus.subscribe('*', (msg) => {
    if (!msg.type.startsWith('event.')) return;
    const e = msg.payload as { id: string; type: string; occurredAt: Date | string; customerId: string };
    if (!e?.customerId) return;
    // The common case, an event type no trigger watches, stays synchronous: no promise per event.
    if (caches.triggers.peek(msg.tenantId)?.watched.has(e.type) === false) return;
    return scheduleForEvent(deps, msg.tenantId, { id: e.id, type: e.type, occurredAt: new Date(e.occurredAt), customerId: e.customerId });
  });
}
