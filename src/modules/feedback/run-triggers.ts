// Triggers turn what happened into survey sends: an event (optionally the customer's first of its
// type) after a delay, an application started and not completed within N minutes, a resolved
// conversation, a periodic relationship survey to a segment. Each becomes a schedule row, keyed on
// its source so a replayed bus message or job schedules nothing twice.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { createGroupCommit, type Pending } from '../../platform/group-commit.js';
import { feedbackMarks } from './schema.js';
import type { Trigger } from './manage-surveys.js';

const Mark = rowOf(feedbackMarks, ['customer_id', 'event_type', 'first_event_id']);

export interface ActiveTrigger {
  surveyId: string;
  trigger: Trigger;
}

export interface ObservedEvent {
  id: string;
  type: string;
  occurredAt: Date;
  customerId: string;
}

export interface ScheduleRequest {
  surveyId: string;
  customerId: string;
  kind: 'invite' | 'abandonment';
  dueAt: Date;
  sourceKey: string;
  context: Record<string, unknown>;
}

/** Event types whose first and last occurrence the triggers (and "satisfied but left") need. */
export function watchedTypes(triggers: ActiveTrigger[]): Set<string> {
  const out = new Set<string>(['purchase']);
  for (const { trigger: t } of triggers) {
    if (t.type === 'event') out.add(t.event_type);
    if (t.type === 'abandonment') {
      out.add(t.start_event);
      out.add(t.complete_event);
    }
  }
  return out;
}

/** Writing a mark that exists keeps the earlier first event and the later last one (events, merges). */
export const KEEP_FIRST_AND_LAST = `ON CONFLICT (tenant_id, customer_id, event_type) DO UPDATE SET
         first_event_id = CASE WHEN excluded.first_at < feedback_marks.first_at THEN excluded.first_event_id ELSE feedback_marks.first_event_id END,
         first_at = least(feedback_marks.first_at, excluded.first_at), last_at = greatest(feedback_marks.last_at, excluded.last_at)`;

/**
 * Records events' marks and answers each with the id of the customer's first event of its type.
 * Every purchase is watched (for "satisfied but left"), and an ingested batch publishes hundreds of
 * events in one tick: the marks of one tick are written in one statement per tenant, not one
 * transaction (and one WAL flush) each.
 */
export function createMarkRecorder(db: pg.Pool): (tenantId: string, e: ObservedEvent) => Promise<string> {
  const key = (customerId: string, type: string) => `${customerId}\u0000${type}`;

  async function write(tenantId: string, items: Pending<ObservedEvent, string>[]) {
    // One row per customer and type: a statement may not upsert the same row twice.
    const marks = new Map<string, { customerId: string; type: string; firstId: string; firstAt: Date; lastAt: Date }>();
    for (const { request: e } of items) {
      const k = key(e.customerId, e.type);
      const m = marks.get(k);
      if (!m) marks.set(k, { customerId: e.customerId, type: e.type, firstId: e.id, firstAt: e.occurredAt, lastAt: e.occurredAt });
      else {
        if (e.occurredAt < m.firstAt) {
          m.firstAt = e.occurredAt;
          m.firstId = e.id;
        }
        if (e.occurredAt > m.lastAt) m.lastAt = e.occurredAt;
      }
    }
    // Sorted, so concurrent writers take row locks in one order.
    const rows = [...marks.values()].sort((a, b) => (key(a.customerId, a.type) < key(b.customerId, b.type) ? -1 : 1));
    const written = await queryRows(
      db,
      Mark,
      `INSERT INTO feedback_marks (tenant_id, customer_id, event_type, first_event_id, first_at, last_at)
         SELECT $1, u.c, u.t, u.f, u.fa, u.la FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS u(c, t, f, fa, la)
       ${KEEP_FIRST_AND_LAST}
       RETURNING customer_id, event_type, first_event_id`,
      [
        tenantId,
        rows.map((r) => r.customerId),
        rows.map((r) => r.type),
        rows.map((r) => r.firstId),
        rows.map((r) => r.firstAt.toISOString()),
        rows.map((r) => r.lastAt.toISOString()),
      ],
    );
    const firstIds = new Map(written.map((r) => [key(r.customer_id, r.event_type), r.first_event_id]));
    for (const w of items) w.resolve(firstIds.get(key(w.request.customerId, w.request.type))!);
  }

  // Every write at once (group-commit.ts, no bound): the events of one tick are one batch per tenant.
  const batches = createGroupCommit<ObservedEvent, string>({ maxInFlight: Number.POSITIVE_INFINITY, maxBatch: Number.POSITIVE_INFINITY, write });
  return (tenantId, e) => batches.submit(tenantId, e);
}

/** The schedules one event asks for, given the tenant's active triggers. */
export function schedulesForEvent(triggers: ActiveTrigger[], e: ObservedEvent, firstEventId: string, now: Date): ScheduleRequest[] {
  const out: ScheduleRequest[] = [];
  for (const { surveyId, trigger: t } of triggers) {
    if (t.type === 'event' && t.event_type === e.type) {
      if (t.first_time_only && firstEventId !== e.id) continue;
      if (e.occurredAt.getTime() < now.getTime() - t.max_age_hours * 3600_000) continue;
      const due = new Date(Math.max(now.getTime(), e.occurredAt.getTime() + t.delay_minutes * 60_000));
      out.push({
        surveyId,
        customerId: e.customerId,
        kind: 'invite',
        dueAt: due,
        sourceKey: `event:${e.id}`,
        context: { trigger: 'event', event_id: e.id, event_type: e.type, ...(t.first_time_only ? { first_time_only: true } : {}) },
      });
    }
    if (t.type === 'abandonment' && t.start_event === e.type) {
      out.push({
        surveyId,
        customerId: e.customerId,
        kind: 'abandonment',
        dueAt: new Date(e.occurredAt.getTime() + t.within_minutes * 60_000),
        sourceKey: `abandonment:${e.id}`,
        context: { trigger: 'abandonment', started_at: e.occurredAt.toISOString(), start_event_id: e.id, complete_event: t.complete_event },
      });
    }
  }
  return out;
}

/** Inserts the schedule unless its source already made one; returns the new row's id. */
export async function insertSchedule(db: pg.Pool | pg.PoolClient, tenantId: string, s: ScheduleRequest): Promise<string | undefined> {
  const id = newId('sch');
  const r = await db.query(
    `INSERT INTO survey_schedules (tenant_id, id, survey_id, customer_id, kind, due_at, source_key, context) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
    [tenantId, id, s.surveyId, s.customerId, s.kind, s.dueAt, s.sourceKey, JSON.stringify(s.context)],
  );
  return r.rowCount === 1 ? id : undefined;
}

/** Did the customer complete after starting? Read from the marks this module keeps. */
export async function hasCompletedSince(db: pg.Pool, tenantId: string, customerId: string, eventType: string, since: Date): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $2 AND event_type = $3 AND last_at >= $4', [
    tenantId,
    customerId,
    eventType,
    since,
  ]);
  return rows.length > 0;
}

/**
 * Events of one batch reach the bus handlers in any order, so "first" is decided again when the send
 * is due: by then the earliest of them holds the mark.
 */
export async function isStillFirst(db: pg.Pool, tenantId: string, customerId: string, eventType: string, eventId: string): Promise<boolean> {
  const m = await queryRow(
    db,
    rowOf(feedbackMarks, ['first_event_id']),
    'SELECT first_event_id FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $2 AND event_type = $3',
    [tenantId, customerId, eventType],
  );
  return m?.first_event_id === eventId;
}
