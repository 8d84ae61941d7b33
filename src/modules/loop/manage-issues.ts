// Systemic issues: one improvement action that groups the cases it will fix.
import { withTransaction, type Queryable } from '../../platform/db.js';
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { caseNotFound, issueFixed, issueNotFound } from './errors.js';
import { cases, loopIssues } from './schema.js';

const Issue = rowOf(loopIssues, ['id', 'title', 'root_cause', 'action', 'status', 'fixed_at', 'created_at']);
const IssueCase = rowOf(cases, ['id', 'customer_id', 'status', 'customer_told_at']);
const iso = (v: Date | null) => (v ? v.toISOString() : null);

export async function createIssue(db: Queryable, tenantId: string, i: { title: string; rootCause?: string; action?: string }) {
  const id = newId('iss');
  await db.query('INSERT INTO loop_issues (tenant_id, id, title, root_cause, action) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    i.title,
    i.rootCause ?? null,
    i.action ?? null,
  ]);
  return id;
}

export async function getIssue(db: Queryable, tenantId: string, id: string) {
  const i = await queryRow(db, Issue, 'SELECT id, title, root_cause, action, status, fixed_at, created_at FROM loop_issues WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    id,
  ]);
  if (!i) return undefined;
  const rows = await queryRows(
    db,
    IssueCase,
    'SELECT id, customer_id, status, customer_told_at FROM cases WHERE tenant_id = $1 AND issue_id = $2 ORDER BY created_at',
    [tenantId, id],
  );
  return { ...i, fixed_at: iso(i.fixed_at), created_at: iso(i.created_at)!, cases: rows.map((r) => ({ ...r, customer_told_at: iso(r.customer_told_at) })) };
}

export async function listIssues(db: Queryable, tenantId: string) {
  const rows = await queryRows(
    db,
    Issue.and<{ case_count: number }>(['case_count']),
    `SELECT i.id, i.title, i.root_cause, i.action, i.status, i.fixed_at, i.created_at,
      (SELECT count(*)::int FROM cases c WHERE c.tenant_id = i.tenant_id AND c.issue_id = i.id) AS case_count
    FROM loop_issues i WHERE i.tenant_id = $1 ORDER BY i.created_at DESC LIMIT 500`,
    [tenantId],
  );
  return rows.map((r) => ({ ...r, fixed_at: iso(r.fixed_at), created_at: iso(r.created_at)! }));
}

/** The issue, locked for this transaction; a missing or already fixed issue is refused. */
export async function lockOpenIssue(tx: pg.PoolClient, tenantId: string, issueId: string) {
  const i = await queryRow(tx, rowOf(loopIssues, ['status']), 'SELECT status FROM loop_issues WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
    tenantId,
    issueId,
  ]);
  if (!i) throw issueNotFound();
  if (i.status === 'fixed') throw issueFixed();
}

/** Groups cases under the issue; every case named must exist. */
export async function linkCases(pool: pg.Pool, tenantId: string, issueId: string, caseIds: string[]) {
  await withTransaction(pool, async (tx) => {
    await lockOpenIssue(tx, tenantId, issueId);
    const rows = await queryRows(tx, rowOf(cases, ['id']), 'SELECT id FROM cases WHERE tenant_id = $1 AND id = ANY($2::text[])', [tenantId, caseIds]);
    const found = new Set(rows.map((r) => r.id));
    const missing = caseIds.map((c, index) => ({ c, index })).filter((x) => !found.has(x.c));
    if (missing.length)
      throw caseNotFound(
        'Some cases do not exist',
        missing.map((m) => ({ field: `case_ids[${m.index}]`, message: 'names no case' })),
      );
    await tx.query('UPDATE cases SET issue_id = $3, updated_at = now() WHERE tenant_id = $1 AND id = ANY($2::text[])', [tenantId, caseIds, issueId]);
  });
}
