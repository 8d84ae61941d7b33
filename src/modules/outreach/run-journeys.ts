// Triggered journeys: a bus message (event.purchase, event.sign_up, points.expiring...) enrols the
// customer; each step waits its delay and then plans a message through the same rules as any other
// send (consent, quiet hours, caps, suppression); an exit event (event.review_submitted...) ends the
// enrollment before the next step. Enrolment is keyed on the triggering event, so replays enrol once.
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { newId } from '../../platform/ids.js';
import { z } from '../../platform/validation.js';
import type { BusMessage } from '../../platform/bus.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachEnrollments, outreachJourneys } from './schema.js';

export const JourneyStep = z.object({
  delay_minutes: z.number().int().min(0).max(525_600).default(0),
  template_id: z.string().min(1).max(64),
  is_urgent: z.boolean().default(false),
});
export const JourneyInput = z.object({
  name: z.string().trim().min(1).max(200),
  trigger: z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'must be a bus message type such as event.purchase or points.expiring'),
  steps: z.array(JourneyStep).min(1).max(20),
  exit_on: z
    .array(z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/))
    .max(20)
    .default([]),
  is_active: z.boolean().default(true),
});
export type JourneyInput = z.infer<typeof JourneyInput>;
export type JourneyStep = z.infer<typeof JourneyStep>;

/** The customer, trigger id, time (`now` when it names none) and template variables a bus message carries. */
export function readTrigger(msg: BusMessage, now: Date): { customerId: string; triggerId: string; at: Date; variables: Record<string, unknown> } | undefined {
  const p = msg.payload as Record<string, unknown>;
  const customerId = p?.customerId;
  if (typeof customerId !== 'string') return undefined;
  if (msg.type.startsWith('event.')) {
    return { customerId, triggerId: String(p.id), at: p.occurredAt ? new Date(p.occurredAt as string) : now, variables: { event: p.properties ?? {} } };
  }
  // Other modules' messages carry no event id: the payload itself identifies the occurrence.
  const { customerId: _c, ...rest } = p;
  const triggerId =
    typeof p.id === 'string'
      ? p.id
      : createHash('sha256')
          .update(`${msg.type}:${JSON.stringify(p)}`)
          .digest('hex')
          .slice(0, 32);
  return { customerId, triggerId, at: now, variables: { event: rest } };
}

export async function enrollFromMessage(db: pg.Pool, msg: BusMessage, now: Date): Promise<number> {
  const t = readTrigger(msg, now);
  if (!t) return 0;
  const journeys = await queryRows(
    db,
    rowOf(outreachJourneys, ['id', 'steps']),
    'SELECT id, steps FROM outreach_journeys WHERE tenant_id = $1 AND trigger = $2 AND is_active',
    [msg.tenantId, msg.type],
  );
  let n = 0;
  for (const j of journeys) {
    const first = (j.steps as JourneyStep[])[0];
    const r = await db.query(
      `INSERT INTO outreach_enrollments (tenant_id, id, journey_id, customer_id, trigger_id, step, next_at, variables)
       VALUES ($1,$2,$3,$4,$5,0,$6,$7) ON CONFLICT DO NOTHING`,
      [msg.tenantId, newId('enr'), j.id, t.customerId, t.triggerId, new Date(t.at.getTime() + first.delay_minutes * 60_000), JSON.stringify(t.variables)],
    );
    n += r.rowCount ?? 0;
  }
  return n;
}

export async function exitFromMessage(db: pg.Pool, msg: BusMessage): Promise<number> {
  const customerId = (msg.payload as { customerId?: unknown })?.customerId;
  if (typeof customerId !== 'string') return 0;
  const r = await db.query(
    `UPDATE outreach_enrollments e SET status = 'exited', exit_reason = $3, next_at = NULL
       FROM outreach_journeys j
      WHERE e.tenant_id = $1 AND e.customer_id = $2 AND e.status = 'active'
        AND j.tenant_id = e.tenant_id AND j.id = e.journey_id AND $3 = ANY(j.exit_on)`,
    [msg.tenantId, customerId, msg.type],
  );
  return r.rowCount ?? 0;
}

export interface DueEnrollment {
  id: string;
  tenantId: string;
  journeyId: string;
  journeyName: string;
  customerId: string;
  step: number;
  steps: JourneyStep[];
  variables: Record<string, unknown>;
}

/** A claimed enrollment with its journey's name and steps (stored as JourneyInput accepted them). */
const Claimed = rowOf(outreachEnrollments, ['id', 'tenant_id', 'journey_id', 'customer_id', 'step', 'variables']).and<{ name: string; steps: JourneyStep[] }>([
  'name',
  'steps',
]);

/** Claims due enrollments (any tenant, or one) for this node; the caller plans each step and calls advanceEnrollment. */
export async function claimDueEnrollments(db: pg.Pool, now: Date, tenantId: string | null, limit = 500): Promise<DueEnrollment[]> {
  // Moving next_at forward a few minutes is the claim: another node skips it, and a crash retries it.
  const rows = await queryRows(
    db,
    Claimed,
    `UPDATE outreach_enrollments e SET next_at = $1::timestamptz + interval '5 minutes'
       FROM (SELECT tenant_id, id FROM outreach_enrollments WHERE status = 'active' AND next_at <= $1 AND ($2::text IS NULL OR tenant_id = $2)
              ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED) due, outreach_journeys j
      WHERE e.tenant_id = due.tenant_id AND e.id = due.id AND j.tenant_id = e.tenant_id AND j.id = e.journey_id
      RETURNING e.id, e.tenant_id, e.journey_id, j.name, e.customer_id, e.step, j.steps, e.variables`,
    [now, tenantId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    journeyId: r.journey_id,
    journeyName: r.name,
    customerId: r.customer_id,
    step: r.step,
    steps: r.steps,
    variables: r.variables as Record<string, unknown>,
  }));
}

export async function advanceEnrollment(db: pg.Pool | pg.PoolClient, e: DueEnrollment, now: Date, failure?: string) {
  const next = e.step + 1;
  if (failure) {
    await db.query(`UPDATE outreach_enrollments SET status = 'exited', exit_reason = $3, next_at = NULL WHERE tenant_id = $1 AND id = $2`, [
      e.tenantId,
      e.id,
      failure,
    ]);
  } else if (next >= e.steps.length) {
    await db.query(`UPDATE outreach_enrollments SET status = 'completed', step = $3, next_at = NULL WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, [
      e.tenantId,
      e.id,
      next,
    ]);
  } else {
    await db.query(`UPDATE outreach_enrollments SET step = $3, next_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'active'`, [
      e.tenantId,
      e.id,
      next,
      new Date(now.getTime() + e.steps[next].delay_minutes * 60_000),
    ]);
  }
}
