// The loyalty programme: members and active members, points issued, redeemed and expired, redemption
// rate, the breakage estimate, liability, points about to expire, sales by currency and cost per member
// (the loyalty module's own figures, taken at refresh), tier distribution and movements.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { analyticsCustomers, analyticsPoints, analyticsTierMoves } from './schema.js';
import { checkApplies, rangeOf, dimFilters, customerCube, param, DIMS, type MeasureQuery } from './filters.js';
import { frame, ratio, type Measured, type RefreshState } from './measured.js';
import { rollup } from './rollup-tables.js';
import type { Snapshot } from './refresh-rollups.js';

const PointSums = rowOf(analyticsPoints, ['account']).and<{ month: string; points: number }>(['month', 'points']);
const ActiveMembers = computedRow<{ n: number }>(['n']);
const TierMoves = rowOf(analyticsTierMoves, ['from_tier', 'to_tier']).and<{ month: string; n: number }>(['month', 'n']);
const TierMembers = rowOf(analyticsCustomers, ['tier']).and<{ members: number }>(['members']);

export async function measureProgramme(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('loyalty programme', [], q);
  const range = rangeOf(q, state.asOf);
  const tier = q.tier === undefined ? undefined : q.tier === '-' ? '' : q.tier;
  // Beside the tier, the member's customer dims: the roll-ups' wide grouping (dims 1) holds them.
  const isByCustomer = (['segment', 'store', 'channel', 'touchpoint'] as const).some((d) => q[d] !== undefined);
  const params: unknown[] = [tenantId, range.fromMonth, range.toMonth];
  const wide = isByCustomer ? 1 : 0;
  const dims = q.members ? '' : dimFilters(q, DIMS, params);
  const moveParams: unknown[] = [tenantId, range.fromMonth, range.toMonth];
  const moveDims = dimFilters(q, ['segment', 'store', 'channel', 'touchpoint'], moveParams, 'f.');
  const memberParams: unknown[] = [tenantId];
  const cube = customerCube(q);
  // Points and active members are rolled up by RFM segment, never per customer: under a saved segment
  // they are null (not the whole programme's); members, tiers and movements are the segment's.
  const isSaved = !!q.members;
  const [points, active, moves, memberRows] = await Promise.all([
    isSaved
      ? []
      : queryRows(
          db,
          PointSums,
          `SELECT to_char(month, 'YYYY-MM') AS month, account, sum(points)::float8 AS points FROM ${rollup('analytics_points', wide)}
       WHERE tenant_id = $1 AND month >= $2 AND month <= $3 ${dims} GROUP BY 1, 2 ORDER BY 1, 2`,
          params,
        ),
    isSaved
      ? []
      : queryRows(
          db,
          ActiveMembers,
          `SELECT coalesce(sum(members), 0)::int AS n FROM ${rollup('analytics_member_months', wide)}
       WHERE tenant_id = $1 AND month >= $2 AND month <= $3 AND next_month > $3 ${dims}`,
          params,
        ),
    queryRows(
      db,
      TierMoves,
      `SELECT to_char(m.month, 'YYYY-MM') AS month, m.from_tier, m.to_tier, count(*)::int AS n FROM analytics_tier_moves m
       ${moveDims ? 'JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = m.customer_id' : ''}
       WHERE m.tenant_id = $1 AND m.month >= $2 AND m.month <= $3 ${moveDims}
             ${tier === undefined ? '' : `AND (m.from_tier = ${param(moveParams, tier)} OR m.to_tier = $${moveParams.length})`}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      moveParams,
    ),
    // Members by tier under customer filters: the member rows of the customer groups.
    isByCustomer
      ? queryRows(
          db,
          TierMembers,
          cube === null
            ? `SELECT tier, count(*)::int AS members FROM analytics_customers WHERE tenant_id = $1 AND is_member ${dimFilters(q, DIMS, memberParams)} GROUP BY 1 ORDER BY 1`
            : `SELECT bucket AS tier, sum(n)::int AS members FROM ${rollup('analytics_customer_groups', cube)} WHERE tenant_id = $1 AND kind = 'member' ${dimFilters(q, DIMS, memberParams)} GROUP BY 1 ORDER BY 1`,
          memberParams,
        )
      : Promise.resolve(null),
  ]);
  const sum = (account: string) => points.filter((r) => r.account === account).reduce((s, r) => s + r.points, 0);
  const snap = (state.snapshot ?? {}) as Partial<Snapshot>;
  const tiers = (memberRows ?? snap.tiers ?? [])
    .filter((t) => tier === undefined || t.tier === tier)
    .map((t) => ({ tier: t.tier || null, members: t.members }));
  const members = tiers.reduce((s, t) => s + t.members, 0);
  const issued = sum('issued'),
    redeemed = sum('redeemed'),
    expired = sum('expired');
  const liabilityTiers = (snap.liability as { tiers?: { tier: string | null; cost_per_member: number }[] } | null)?.tiers ?? [];
  const summary = {
    members,
    active_members: isSaved ? null : active[0].n,
    active_share: isSaved ? null : ratio(active[0].n, members),
    points_issued: isSaved ? null : issued,
    points_redeemed: isSaved ? null : redeemed,
    points_expired: isSaved ? null : expired,
    points_reversed: isSaved ? null : sum('reversed'),
    redemption_rate: isSaved ? null : ratio(redeemed, issued),
    // One breakage figure for the whole programme, the liability's: from matured cohorts when there is
    // enough history, the programme's assumption until then. Expired over issued in a range is no
    // estimate: this month's points have not had their chance to expire yet.
    breakage_rate: snap.liability?.breakage_rate ?? null,
    breakage_basis: snap.liability?.breakage_basis ?? null,
    breakage_sample: snap.liability?.breakage_sample ?? null,
    // The loyalty module costs members by tier only: under a customer filter there is no figure.
    cost_per_member: isByCustomer
      ? null
      : tier === undefined
        ? (snap.liability?.cost_per_member ?? null)
        : (liabilityTiers.find((t) => (t.tier ?? '') === tier)?.cost_per_member ?? null),
  };
  const monthly = [...new Set(points.map((r) => r.month))].map((month) => {
    const of = (a: string) => points.find((r) => r.month === month && r.account === a)?.points ?? 0;
    return { month, issued: of('issued'), redeemed: of('redeemed'), expired: of('expired'), reversed: of('reversed') };
  });
  const movements = moves.map((r) => ({ month: r.month, from_tier: r.from_tier || null, to_tier: r.to_tier || null, customers: r.n }));
  const liability = snap.liability ? { ...snap.liability, scope: 'whole programme' } : null;
  const salesByCurrency = snap.liability?.sales_by_currency ?? [];
  const { breakage_sample: breakageSample, ...flatSummary } = summary;
  return {
    body: {
      ...frame(state, q, range),
      ...summary,
      liability: liability && {
        points_outstanding: liability.points_outstanding,
        outstanding_liability: liability.outstanding_liability,
        breakage_recognised: liability.breakage_recognised,
        value_per_point: liability.value_per_point,
        expiring_soon: liability.expiring_soon ?? null,
        base_currency: liability.base_currency ?? null,
        scope: liability.scope,
      },
      // Sales are summed per currency, never across: the base-currency value beside each.
      sales_by_currency: salesByCurrency,
      tiers,
      movements,
      monthly,
    },
    tables: {
      summary: [{ ...flatSummary, breakage_sample_cohorts: breakageSample?.cohorts ?? null, breakage_sample_points: breakageSample?.points ?? null }],
      tiers,
      movements,
      monthly,
    },
  };
}
