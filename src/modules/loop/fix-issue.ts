// The fix of a systemic issue is done: every open case of the issue is resolved, and every affected
// customer is told once, whatever the number of their cases.
import { withTransaction } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { Actor } from '../../platform/audit.js';
import type { LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { lockOpenIssue } from './manage-issues.js';
import { tellCustomer } from './tell-customer.js';
import { cases } from './schema.js';

const Resolved = rowOf(cases, ['id', 'type', 'customer_id', 'team_id']);
const Affected = rowOf(cases, ['id', 'customer_id']);

export async function fixIssue(
  deps: LoopDeps,
  tenantId: string,
  issueId: string,
  f: { action: string; message?: { subject?: string; body?: string } },
  actor: Actor,
  at = deps.clock.now(),
) {
  const { resolved, all } = await withTransaction(deps.pool, async (tx) => {
    await lockOpenIssue(tx, tenantId, issueId);
    await tx.query(`UPDATE loop_issues SET status = 'fixed', action = $3, fix_message = $4, fixed_at = $5 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      issueId,
      f.action,
      JSON.stringify(f.message ?? null),
      at,
    ]);
    const resolved = await queryRows(
      tx,
      Resolved,
      `UPDATE cases SET status = 'resolved', resolution = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND issue_id = $2 AND status IN ('new','contacted')
       RETURNING id, type, customer_id, team_id`,
      [tenantId, issueId, f.action, at],
    );
    for (const c of resolved) await writeActivity(tx, tenantId, c.id, 'status', { code: 'resolved_by_issue', issue_id: issueId, action: f.action }, actor, at);
    const all = await queryRows(tx, Affected, `SELECT id, customer_id FROM cases WHERE tenant_id = $1 AND issue_id = $2 AND customer_id IS NOT NULL`, [
      tenantId,
      issueId,
    ]);
    return { resolved, all };
  });
  for (const c of resolved)
    deps.bus.publish({
      type: 'case.resolved',
      tenantId,
      payload: {
        caseId: c.id,
        type: c.type,
        status: 'resolved',
        ...(c.customer_id ? { customerId: c.customer_id } : {}),
        ...(c.team_id ? { teamId: c.team_id } : {}),
      },
    });
  const byCustomer = new Map<string, string[]>();
  // The SELECT keeps cases with a customer only.
  for (const c of all) byCustomer.set(c.customer_id!, [...(byCustomer.get(c.customer_id!) ?? []), c.id]);
  const notices: Record<string, number> = {};
  for (const [customerId, caseIds] of byCustomer) {
    const r = await tellCustomer(deps, tenantId, {
      dedupeKey: `issue:${issueId}:${customerId}`,
      caseIds,
      issueId,
      customerId,
      kind: 'issue',
      resolution: f.action,
      custom: f.message,
    });
    notices[r.status] = (notices[r.status] ?? 0) + 1;
  }
  return { resolved_cases: resolved.length, customers: byCustomer.size, notices };
}
