// Journeys: a trigger (any bus message type), steps of templates with delays, and the message types
// that end an enrollment. Every change drops the tenant's cached trigger and exit types.
import { newId } from '../../platform/ids.js';
import { getTemplate } from './manage-templates.js';
import type { JourneyInput } from './run-journeys.js';
import { templateNotFound } from './errors.js';
import { iso, type OutreachContext } from './outreach-context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachJourneys } from './schema.js';

/** A journey's enrollments counted by status, through the index on (tenant, journey, trigger): the read and the list both show them. */
const ENROLLMENTS = `(SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*) n FROM outreach_enrollments
     WHERE tenant_id = j.tenant_id AND journey_id = j.id GROUP BY status) s) AS enrollments`;
/** A journey with its enrollments counted by status (null when none). */
const Journey = rowOf(outreachJourneys, '*').and<{ enrollments: Record<string, number> | null }>(['enrollments']);

export async function createJourney(oc: OutreachContext, tenantId: string, input: JourneyInput) {
  for (const [i, step] of input.steps.entries()) {
    if (!(await getTemplate(oc.pool, tenantId, step.template_id)))
      throw templateNotFound('No such template', [{ field: `steps[${i}].template_id`, message: 'no such template' }]);
  }
  const id = newId('jrn');
  await oc.pool.query('INSERT INTO outreach_journeys (tenant_id, id, name, trigger, steps, exit_on, is_active) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
    tenantId,
    id,
    input.name,
    input.trigger,
    JSON.stringify(input.steps),
    input.exit_on,
    input.is_active,
  ]);
  oc.journeyTypes.forget(tenantId);
  return id;
}

export async function getJourney(oc: OutreachContext, tenantId: string, id: string) {
  const r = await queryRow(oc.pool, Journey, `SELECT j.*, ${ENROLLMENTS} FROM outreach_journeys j WHERE j.tenant_id = $1 AND j.id = $2`, [tenantId, id]);
  return r ? journeyOut(r) : undefined;
}

export async function listJourneys(oc: OutreachContext, tenantId: string) {
  const rows = await queryRows(
    oc.pool,
    Journey,
    `SELECT j.*, ${ENROLLMENTS} FROM outreach_journeys j WHERE j.tenant_id = $1 ORDER BY j.created_at, j.id LIMIT 1000`,
    [tenantId],
  );
  return rows.map(journeyOut);
}

export async function setJourneyActive(oc: OutreachContext, tenantId: string, id: string, isActive: boolean) {
  const r = await oc.pool.query('UPDATE outreach_journeys SET is_active = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, isActive]);
  oc.journeyTypes.forget(tenantId);
  return r.rowCount === 1;
}

function journeyOut(j: typeof Journey.row) {
  return {
    id: j.id,
    name: j.name,
    trigger: j.trigger,
    steps: j.steps as unknown[],
    exit_on: j.exit_on,
    is_active: j.is_active,
    enrollments: j.enrollments ?? {},
    created_at: iso(j.created_at)!,
  };
}
