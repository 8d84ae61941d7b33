// The finance view: points issued, redeemed, expired, reversed and outstanding per issuance month
// (cohort), the expected redemption rate from history, and the contract liability and breakage per
// IFRS 15 (see ifrs15.ts). Purchase points take a share of their sales by relative stand-alone selling
// prices; points given without a sale (engagement, goodwill) are carried at their expected cost.
import type { Queryable } from '../../platform/db.js';
import { allocateTransactionPrice, recognisePointsRevenue } from './ifrs15.js';
import type { Program } from './program.js';

export interface CohortFigures {
  cohort: string;
  issued: number;
  redeemed: number;
  expired: number;
  reversed: number;
  outstanding: number;
  sales: number;
  allocated: number;
  revenue_recognised: number;
  breakage_recognised: number;
  liability: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Redeemed / (redeemed + expired) over cohorts with nothing outstanding, or the programme's estimate. */
export function expectedRedemptionRate(cohorts: Pick<CohortFigures, 'redeemed' | 'expired' | 'outstanding' | 'issued' | 'reversed'>[], fallback: number): { rate: number; basis: 'history' | 'programme' } {
  const closed = cohorts.filter((c) => c.outstanding === 0 && c.redeemed + c.expired > 0);
  const redeemed = closed.reduce((s, c) => s + c.redeemed, 0);
  const settled = closed.reduce((s, c) => s + c.redeemed + c.expired, 0);
  return settled > 0 ? { rate: redeemed / settled, basis: 'history' } : { rate: fallback, basis: 'programme' };
}

export async function computeLiability(db: Queryable, tenantId: string, program: Program) {
  const { rows: lotRows } = await db.query(
    `SELECT to_char(date_trunc('month', l.created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS cohort,
            sum(l.amount)::int AS issued, sum(l.remaining)::int AS outstanding,
            coalesce(sum(t.money) FILTER (WHERE t.reason = 'purchase'), 0)::float8 AS sales,
            coalesce(sum(l.amount) FILTER (WHERE t.reason = 'purchase'), 0)::int AS purchase_points
       FROM loyalty_lots l JOIN loyalty_transactions t ON t.tenant_id = l.tenant_id AND t.id = l.transaction_id
      WHERE l.tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenantId],
  );
  const { rows: moveRows } = await db.query(
    `SELECT to_char(date_trunc('month', l.created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS cohort, t.kind, (-sum(e.amount))::int AS points
       FROM loyalty_entries e
       JOIN loyalty_lots l ON l.tenant_id = e.tenant_id AND l.id = e.lot_id
       JOIN loyalty_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
      WHERE e.tenant_id = $1 AND e.amount < 0 AND e.account IN ('available', 'pending') AND t.kind IN ('spend', 'expire', 'refund')
      GROUP BY 1, 2`,
    [tenantId],
  );
  const moves = new Map<string, Record<string, number>>();
  for (const m of moveRows) moves.set(m.cohort, { ...moves.get(m.cohort), [m.kind]: m.points });
  const base = lotRows.map((c) => {
    const m = moves.get(c.cohort) ?? {};
    return { cohort: c.cohort as string, issued: c.issued as number, outstanding: c.outstanding as number, sales: c.sales as number, purchasePoints: c.purchase_points as number, redeemed: m.spend ?? 0, expired: m.expire ?? 0, reversed: m.refund ?? 0 };
  });
  const { rate, basis } = expectedRedemptionRate(base, program.expected_redemption_rate);
  const value = program.point_value;

  const cohorts: CohortFigures[] = base.map((c) => {
    const net = c.issued - c.reversed;
    const netPurchase = Math.max(0, c.purchasePoints - c.reversed);
    const fromSales = c.sales > 0 ? allocateTransactionPrice(c.sales, c.sales, netPurchase * value * rate).points : 0;
    const allocated = fromSales + (net - netPurchase) * value * rate;
    const rec = recognisePointsRevenue({ allocated, pointsIssued: net, expectedRedemptions: net * rate, redeemedToDate: c.redeemed, recognisedBefore: 0 });
    // With nothing outstanding the obligation is over: whatever was not redeemed is breakage now.
    const cumulative = c.outstanding === 0 ? allocated : rec.cumulative;
    const perPoint = net > 0 ? allocated / net : 0;
    return {
      cohort: c.cohort, issued: c.issued, redeemed: c.redeemed, expired: c.expired, reversed: c.reversed, outstanding: c.outstanding,
      sales: r2(c.sales), allocated: r2(allocated), revenue_recognised: r2(cumulative),
      breakage_recognised: r2(Math.max(0, cumulative - perPoint * c.redeemed)), liability: r2(allocated - cumulative),
    };
  });

  const { rows: tierRows } = await db.query(
    `SELECT coalesce(a.tier, '') AS tier, count(*)::int AS members,
            coalesce(sum(x.issued), 0)::int AS issued, coalesce(sum(x.redeemed), 0)::int AS redeemed
       FROM loyalty_accounts a
       LEFT JOIN LATERAL (
         SELECT sum(points) FILTER (WHERE kind = 'earn') AS issued, -sum(points) FILTER (WHERE kind = 'spend') AS redeemed
           FROM loyalty_transactions t WHERE t.tenant_id = a.tenant_id AND t.customer_id = a.customer_id
       ) x ON true
      WHERE a.tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenantId],
  );
  // Programme cost: the expected cost of the points given (issued x value x expected redemption rate).
  const tiers = tierRows.map((t) => ({
    tier: t.tier || null, members: t.members, points_issued: t.issued, points_redeemed: t.redeemed,
    cost: r2(t.issued * value * rate), cost_per_member: t.members ? r2((t.issued * value * rate) / t.members) : 0,
  }));
  const members = tiers.reduce((s, t) => s + t.members, 0);
  const totalCost = tiers.reduce((s, t) => s + t.cost, 0);
  const sum = (k: keyof CohortFigures) => cohorts.reduce((s, c) => s + (c[k] as number), 0);
  return {
    value_per_point: value,
    expected_redemption_rate: Math.round(rate * 10_000) / 10_000,
    expected_redemption_basis: basis,
    points_outstanding: sum('outstanding'),
    outstanding_liability: r2(sum('liability')),
    breakage_recognised: r2(sum('breakage_recognised')),
    members,
    cost_per_member: members ? r2(totalCost / members) : 0,
    cohorts,
    tiers,
  };
}
