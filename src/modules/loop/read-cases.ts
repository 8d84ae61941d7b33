// Reading cases: one with its activity (worded in the reader's language) and notices, or a list.
import type { Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { renderActivity, type ReaderLanguage } from './case-activity.js';
import { cases, caseActivities, caseNotices } from './schema.js';

const Case = rowOf(cases, [
  'id',
  'type',
  'source_type',
  'source_id',
  'customer_id',
  'status',
  'priority',
  'team_id',
  'owner_id',
  'summary',
  'touchpoint',
  'topics',
  'details',
  'issue_id',
  'first_contact_due_at',
  'resolve_due_at',
  'escalation_level',
  'first_contact_at',
  'resolved_at',
  'resolution',
  'wont_fix_reason',
  'customer_told_at',
  'created_at',
  'updated_at',
]);
const CASE_COLUMNS = Case.selectList;
const Activity = rowOf(caseActivities, ['id', 'kind', 'body', 'channel', 'actor', 'at']);
const Notice = rowOf(caseNotices, ['id', 'channel', 'recipient', 'language', 'subject', 'body', 'status', 'error', 'created_at', 'sent_at']);
const iso = (v: Date | null) => (v ? v.toISOString() : null);
const toCase = (r: typeof Case.row) => ({
  ...r,
  first_contact_due_at: iso(r.first_contact_due_at),
  resolve_due_at: iso(r.resolve_due_at),
  first_contact_at: iso(r.first_contact_at),
  resolved_at: iso(r.resolved_at),
  customer_told_at: iso(r.customer_told_at),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

export async function getCase(db: Queryable, tenantId: string, id: string, lang: ReaderLanguage = 'en') {
  const c = await queryRow(db, Case, `SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  if (!c) return undefined;
  const [acts, notices] = await Promise.all([
    queryRows(db, Activity, 'SELECT id, kind, body, channel, actor, at FROM case_activities WHERE tenant_id = $1 AND case_id = $2 ORDER BY at, id', [
      tenantId,
      id,
    ]),
    queryRows(
      db,
      Notice,
      'SELECT id, channel, recipient, language, subject, body, status, error, created_at, sent_at FROM case_notices WHERE tenant_id = $1 AND (case_id = $2 OR ($3::text IS NOT NULL AND issue_id = $3 AND customer_id = $4)) ORDER BY created_at',
      [tenantId, id, c.issue_id, c.customer_id],
    ),
  ]);
  return {
    ...toCase(c),
    activities: acts.map((a) => ({ ...a, ...renderActivity(a.kind, a.body, lang), at: iso(a.at)! })),
    notices: notices.map((n) => ({ ...n, created_at: iso(n.created_at)!, sent_at: iso(n.sent_at) })),
  };
}

export async function listCases(db: Queryable, tenantId: string, q: { status?: string; team?: string; customerId?: string; issueId?: string; limit: number }) {
  const rows = await queryRows(
    db,
    Case,
    `SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR team_id = $3)
        AND ($4::text IS NULL OR customer_id = $4) AND ($5::text IS NULL OR issue_id = $5) ORDER BY created_at DESC, id DESC LIMIT $6`,
    [tenantId, q.status ?? null, q.team ?? null, q.customerId ?? null, q.issueId ?? null, q.limit],
  );
  return rows.map(toCase);
}

const OpenCase = rowOf(cases, ['id', 'type']);
/** A customer's cases not yet resolved or closed as won't fix, newest first: what an agent must know before answering. */
export async function openCasesOf(db: Queryable, tenantId: string, customerId: string) {
  return queryRows(
    db,
    OpenCase,
    `SELECT id, type FROM cases WHERE tenant_id = $1 AND customer_id = $2 AND status NOT IN ('resolved', 'wont_fix') ORDER BY created_at DESC, id DESC LIMIT 50`,
    [tenantId, customerId],
  );
}
