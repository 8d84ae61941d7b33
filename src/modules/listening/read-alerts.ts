// Crisis alerts as the console lists them, newest first.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { crisisAlerts } from './schema.js';

const Alert = rowOf(crisisAlerts, '*');

export async function listAlerts(db: Queryable, tenantId: string, limit: number) {
  const rows = await queryRows(db, Alert, 'SELECT * FROM listening_alerts WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2', [tenantId, limit]);
  return rows.map((r) => ({
    id: r.id,
    scope: { kind: r.scope_kind, key: r.scope_key },
    started_at: r.started_at.toISOString(),
    last_hour_at: r.last_hour_at.toISOString(),
    ended_at: r.ended_at?.toISOString() ?? null,
    volume: r.volume,
    baseline: r.baseline,
    negative_share: r.negative_share,
    baseline_negative_share: r.baseline_negative_share,
    p_value: r.p_value,
    // As checkCrisis writes them: weighted terms, quoted mentions, and each destination's status.
    top_terms: r.top_terms as { term: string; weight: number }[],
    examples: r.examples as unknown[],
    delivery: r.delivery as Record<string, unknown>,
  }));
}
