// What the loop does when a customer is merged, erased or exported: their cases and notices go along,
// and an erased customer's open cases close.
import type { CustomerErased } from '../customers/index.js';
import { ERASED_RESOLUTION, SYSTEM, type LoopDeps } from './loop-deps.js';
import { resolveCase } from './resolve-case.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { cases, caseNotices } from './schema.js';

const CaseId = rowOf(cases, ['id']);
const Exported = rowOf(cases, ['id', 'type', 'status', 'summary', 'resolution', 'created_at', 'resolved_at', 'customer_told_at']);

export function subscribeLoop(deps: LoopDeps) {
  const { bus, customers, pool, outbox } = deps;
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE cases SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE case_notices SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });
  customers.onErase(async (tx, tenantId, ids) => {
    const erased = await queryRows(
      tx,
      CaseId,
      `UPDATE cases SET summary = NULL, details = '{}', resolution = NULL, wont_fix_reason = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, ids],
    );
    const caseIds = erased.map((c) => c.id);
    // Agents' notes and contact records say what the customer said and how to reach them.
    await tx.query('UPDATE case_activities SET body = NULL WHERE tenant_id = $1 AND case_id = ANY($2::text[]) AND body IS NOT NULL', [tenantId, caseIds]);
    const notices = await queryRows(
      tx,
      rowOf(caseNotices, ['id']),
      `UPDATE case_notices SET recipient = NULL, body = '', subject = '', error = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, ids],
    );
    await outbox.forget(
      tx,
      tenantId,
      notices.map((n) => n.id),
    );
    return caseIds;
  });
  // An erased customer's open cases are resolved, untold: nobody is left to contact, and their SLA stops.
  bus.subscribe('customer.erased', async (msg) => {
    const { customerIds } = msg.payload as CustomerErased;
    const rows = await queryRows(
      pool,
      CaseId,
      `SELECT id FROM cases WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status IN ('new', 'contacted')`,
      [msg.tenantId, customerIds],
    );
    for (const c of rows) await resolveCase(deps, msg.tenantId, c.id, { resolution: ERASED_RESOLUTION, notify: false }, SYSTEM, deps.clock.now());
  });
  customers.addExportSection('cases', async (tenantId, ids) => {
    const rows = await queryRows(
      pool,
      Exported,
      `SELECT id, type, status, summary, resolution, created_at, resolved_at, customer_told_at FROM cases WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at`,
      [tenantId, ids],
    );
    return rows;
  });
}
