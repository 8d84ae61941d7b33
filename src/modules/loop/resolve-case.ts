// Closing a case: resolved (and the customer told what was done, unless the agent says not to) or
// won't fix, with the reason. A closed case stays closed.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { Actor } from '../../platform/audit.js';
import { ERASED_RESOLUTION, type LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { tellCustomer } from './tell-customer.js';
import { caseClosed, caseNotFound } from './errors.js';
import { cases } from './schema.js';

const OpenCase = rowOf(cases, ['id', 'status', 'customer_id', 'team_id', 'type']);

/** The case, locked for this transaction; a missing or closed case is refused. */
export async function lockOpenCase(tx: pg.PoolClient, tenantId: string, id: string) {
  const c = await queryRow(tx, OpenCase, 'SELECT id, status, customer_id, team_id, type FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
    tenantId,
    id,
  ]);
  if (!c) throw caseNotFound();
  if (c.status === 'resolved' || c.status === 'wont_fix') throw caseClosed();
  return c;
}

const closedPayload = (c: { id: string; type: string; customer_id: string | null; team_id: string | null }, status: 'resolved' | 'wont_fix') => ({
  caseId: c.id,
  type: c.type,
  status,
  ...(c.customer_id ? { customerId: c.customer_id } : {}),
  ...(c.team_id ? { teamId: c.team_id } : {}),
});

export async function resolveCase(
  deps: LoopDeps,
  tenantId: string,
  id: string,
  r: { resolution: string; notify: boolean; message?: { subject?: string; body?: string } },
  actor: Actor,
  at = deps.clock.now(),
) {
  const c = await withTransaction(deps.pool, async (tx) => {
    const c = await lockOpenCase(tx, tenantId, id);
    await tx.query(`UPDATE cases SET status = 'resolved', resolution = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
      r.resolution,
      at,
    ]);
    await writeActivity(
      tx,
      tenantId,
      id,
      'status',
      r.resolution === ERASED_RESOLUTION ? { code: 'closed_erased' } : { code: 'resolved', resolution: r.resolution },
      actor,
      at,
    );
    if (c.customer_id)
      await deps.events.append(tx, tenantId, [
        {
          id: `loop:${id}:resolved`,
          customerId: c.customer_id,
          type: 'case.resolved',
          source: 'loop',
          occurredAt: at,
          properties: { case_id: id, type: c.type },
        },
      ]);
    return c;
  });
  deps.bus.publish({ type: 'case.resolved', tenantId, payload: closedPayload(c, 'resolved') });
  const notice =
    r.notify && c.customer_id
      ? await tellCustomer(deps, tenantId, {
          dedupeKey: `case:${id}`,
          caseIds: [id],
          caseId: id,
          customerId: c.customer_id,
          kind: 'case',
          resolution: r.resolution,
          custom: r.message,
        })
      : undefined;
  return { notice };
}

export async function closeWontFix(deps: LoopDeps, tenantId: string, id: string, reason: string, actor: Actor, at = deps.clock.now()) {
  const c = await withTransaction(deps.pool, async (tx) => {
    const c = await lockOpenCase(tx, tenantId, id);
    await tx.query(`UPDATE cases SET status = 'wont_fix', wont_fix_reason = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
      reason,
      at,
    ]);
    await writeActivity(tx, tenantId, id, 'status', { code: 'wont_fix', reason }, actor, at);
    return c;
  });
  deps.bus.publish({ type: 'case.resolved', tenantId, payload: closedPayload(c, 'wont_fix') });
}
