// How well the loop closes, by team: loop-closure rate (cases whose customer was told / all cases),
// time to first contact and time to resolve, over the cases opened in a range.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows } from '../../platform/query-rows.js';

const TeamFigures = computedRow<{
  team: string;
  cases: number;
  told: number;
  closed: number;
  escalated: number;
  avg_first_contact_minutes: number | null;
  median_first_contact_minutes: number | null;
  avg_resolve_hours: number | null;
  median_resolve_hours: number | null;
}>(['team', 'cases', 'told', 'closed', 'escalated', 'avg_first_contact_minutes', 'median_first_contact_minutes', 'avg_resolve_hours', 'median_resolve_hours']);

export async function loopMetrics(db: Queryable, tenantId: string, q: { from: Date; to: Date }) {
  const rows = await queryRows(
    db,
    TeamFigures,
    `SELECT coalesce(team_id, '') AS team, count(*)::int AS cases,
            count(*) FILTER (WHERE customer_told_at IS NOT NULL)::int AS told,
            count(*) FILTER (WHERE status IN ('resolved','wont_fix'))::int AS closed,
            count(*) FILTER (WHERE escalation_level > 0)::int AS escalated,
            (avg(extract(epoch FROM first_contact_at - created_at)) / 60)::float8 AS avg_first_contact_minutes,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_contact_at - created_at)) / 60)::float8 AS median_first_contact_minutes,
            (avg(extract(epoch FROM resolved_at - created_at)) / 3600)::float8 AS avg_resolve_hours,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) / 3600)::float8 AS median_resolve_hours
       FROM cases WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
      GROUP BY 1 ORDER BY 1`,
    [tenantId, q.from, q.to],
  );
  const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return rows.map((r) => ({
    team: r.team,
    cases: r.cases,
    told: r.told,
    closed: r.closed,
    escalated: r.escalated,
    loop_closure_rate: r.cases ? Math.round((10000 * r.told) / r.cases) / 100 : 0,
    avg_first_contact_minutes: r2(r.avg_first_contact_minutes),
    median_first_contact_minutes: r2(r.median_first_contact_minutes),
    avg_resolve_hours: r2(r.avg_resolve_hours),
    median_resolve_hours: r2(r.median_resolve_hours),
  }));
}
