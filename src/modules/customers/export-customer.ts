// Everything Rapport holds about one customer, as one JSON document (the right of access). Other
// modules contribute their sections (events, messages, points...) through registered exporters.
import { readAll, type Queryable } from '../../platform/db.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { getCustomer } from './get-customer.js';
import { consentHistory } from './record-consent.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { auditLog } from '../../platform/schema.js';
import { customers, customerMerges } from './schema.js';

const MergedId = rowOf(customers, ['id']);
const Merge = rowOf(customerMerges, ['id', 'survivor_id', 'merged_id', 'rule', 'actor', 'at', 'details']);
const Access = rowOf(auditLog, ['at', 'actor_type', 'actor_id', 'action', 'details']);

export type ExportSection = (tenantId: string, customerIds: string[]) => Promise<unknown>;

export async function exportCustomer(db: Queryable, tenantId: string, id: string, sections: Map<string, ExportSection>, actor: Actor, now: Date) {
  const profile = await getCustomer(db, tenantId, id);
  if (!profile) return undefined;
  // Profiles merged into this one are part of the same person's data.
  const merged = await queryRows(db, MergedId, 'SELECT id FROM customers WHERE tenant_id = $1 AND merged_into = $2', [tenantId, id]);
  const ids = [id, ...merged.map((r) => r.id)];
  const [consent, merges, audit] = await readAll(db, [
    () => consentHistory(db, tenantId, id),
    () =>
      queryRows(
        db,
        Merge,
        'SELECT id, survivor_id, merged_id, rule, actor, at, details FROM customer_merges WHERE tenant_id = $1 AND (survivor_id = $2 OR merged_id = $2) ORDER BY at',
        [tenantId, id],
      ),
    () =>
      queryRows(
        db,
        Access,
        `SELECT at, actor_type, actor_id, action, details FROM audit_log WHERE tenant_id = $1 AND subject_type = 'customer' AND subject_id = ANY($2::text[]) ORDER BY at`,
        [tenantId, ids],
      ),
  ] as const);
  const extra: Record<string, unknown> = {};
  for (const [name, fn] of sections) extra[name] = await fn(tenantId, ids);
  await writeAudit(db, tenantId, actor, 'customer.export', { type: 'customer', id });
  return {
    exported_at: now.toISOString(),
    customer: profile,
    merged_profiles: ids.slice(1),
    consent_history: consent,
    merges: merges.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    access_log: audit.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    ...extra,
  };
}
