// What a privacy officer reads about one customer: the merges the profile took part in and who read or
// changed its personal data (the audit log).
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { auditLog } from '../../platform/schema.js';
import { customerMerges } from './schema.js';

export async function listMerges(db: Queryable, tenantId: string, id: string) {
  const rows = await queryRows(
    db,
    rowOf(customerMerges, ['id', 'survivor_id', 'merged_id', 'rule', 'actor', 'at']),
    'SELECT id, survivor_id, merged_id, rule, actor, at FROM customer_merges WHERE tenant_id = $1 AND (survivor_id = $2 OR merged_id = $2) ORDER BY at',
    [tenantId, id],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}

export async function readAuditTrail(db: Queryable, tenantId: string, id: string) {
  const rows = await queryRows(
    db,
    rowOf(auditLog, ['at', 'actor_type', 'actor_id', 'action', 'details']),
    `SELECT at, actor_type, actor_id, action, details FROM audit_log WHERE tenant_id = $1 AND subject_type = 'customer' AND subject_id = $2 ORDER BY at DESC LIMIT 500`,
    [tenantId, id],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
