// The finance view: points issued, redeemed, expired, reversed and outstanding per issuance month
// (cohort), the programme's breakage estimate (from history when there is enough, stated with its
// basis), the contract liability and breakage per IFRS 15 (see ifrs15.ts), points about to expire, and
// sales by currency. Money is in the programme's base currency (loyalty settings). Purchase points take a share of their sales by relative stand-alone selling
// prices; points given without a sale (engagement, goodwill) are carried at their expected cost.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { allocateTransactionPrice, recognisePointsRevenue } from './ifrs15.js';
import type { Program } from './program.js';
import type { LoyaltySettings } from './settings.js';
import { loyaltyTransactions } from './schema.js';

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

const CohortLots = computedRow<{ cohort: string; issued: number; outstanding: number; sales: number; purchase_points: number }>([
  'cohort',
  'issued',
  'outstanding',
  'sales',
  'purchase_points',
]);
const CohortMoves = rowOf(loyaltyTransactions, ['kind']).and<{ cohort: string; points: number }>(['cohort', 'points']);
const TierCosts = computedRow<{ tier: string; members: number; issued: number; redeemed: number }>(['tier', 'members', 'issued', 'redeemed']);
const CurrencySales = computedRow<{
  currency: string;
  purchases: number;
  sales: number;
  sales_in_base: number;
  refused_purchases: number;
  refused_sales: number;
}>(['currency', 'purchases', 'sales', 'sales_in_base', 'refused_purchases', 'refused_sales']);

/** History is enough to estimate breakage once matured cohorts hold this many points (net of refunds). */
export const BREAKAGE_MIN_SAMPLE_POINTS = 1_000;

export interface Breakage {
  rate: number;
  basis: 'history' | 'assumption';
  /** The matured cohorts the history covers (whatever the basis, so a reader sees how close it is). */
  sample: { cohorts: number; points: number };
  /** The programme's assumption: 1 - expected_redemption_rate. */
  assumption: number;
}

/**
 * The programme's one breakage figure: expired / issued (net of refunds) over matured cohorts, those with
 * nothing outstanding and whose month is over, once they hold enough points; the programme's assumption
 * until then. The liability and /analytics/programme both state this figure with its basis.
 */
export function estimateBreakage(
  cohorts: Pick<CohortFigures, 'cohort' | 'expired' | 'outstanding' | 'issued' | 'reversed'>[],
  assumedRedemptionRate: number,
  now: Date,
): Breakage {
  const month = now.toISOString().slice(0, 7);
  const matured = cohorts.filter((c) => c.outstanding === 0 && c.cohort < month && c.issued - c.reversed > 0);
  const points = matured.reduce((s, c) => s + c.issued - c.reversed, 0);
  const expired = matured.reduce((s, c) => s + c.expired, 0);
  const assumption = Math.round((1 - assumedRedemptionRate) * 10_000) / 10_000;
  const sample = { cohorts: matured.length, points };
  return points >= BREAKAGE_MIN_SAMPLE_POINTS
    ? { rate: expired / points, basis: 'history', sample, assumption }
    : { rate: assumption, basis: 'assumption', sample, assumption };
}

export async function computeLiability(db: Queryable, tenantId: string, program: Program, settings: LoyaltySettings, now: Date) {
  // Issued: every lot but those a cancelled redemption created before cancelling restored the spent lots
  // (they were never new points). Sales: the purchase's money in the base currency, net of its refunds.
  const lotRows = await queryRows(
    db,
    CohortLots,
    `SELECT to_char(date_trunc('month', l.created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS cohort,
            coalesce(sum(l.amount) FILTER (WHERE t.kind <> 'cancel_redemption'), 0)::int AS issued, sum(l.remaining)::int AS outstanding,
            coalesce(sum(coalesce(t.base_money, t.money) + coalesce(rf.base, 0)) FILTER (WHERE t.reason = 'purchase'), 0)::float8 AS sales,
            coalesce(sum(l.amount) FILTER (WHERE t.reason = 'purchase'), 0)::int AS purchase_points
       FROM loyalty_lots l JOIN loyalty_transactions t ON t.tenant_id = l.tenant_id AND t.id = l.transaction_id
       LEFT JOIN LATERAL (
         SELECT sum(coalesce(r.base_money, r.money)) AS base FROM loyalty_transactions r
          WHERE t.reason = 'purchase' AND r.tenant_id = t.tenant_id AND r.reference = t.reference AND r.customer_id = t.customer_id AND r.kind = 'refund'
       ) rf ON true
      WHERE l.tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenantId],
  );
  // Moves out of each cohort's lots by kind; a cancelled redemption's return to a lot undoes its spend.
  const moveRows = await queryRows(
    db,
    CohortMoves,
    `SELECT to_char(date_trunc('month', l.created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS cohort, t.kind, (-sum(e.amount))::int AS points
       FROM loyalty_entries e
       JOIN loyalty_lots l ON l.tenant_id = e.tenant_id AND l.id = e.lot_id
       JOIN loyalty_transactions t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
      WHERE e.tenant_id = $1 AND e.account IN ('available', 'pending')
        AND ((e.amount < 0 AND t.kind IN ('spend', 'expire', 'refund')) OR (e.amount > 0 AND t.kind = 'cancel_redemption'))
      GROUP BY 1, 2`,
    [tenantId],
  );
  const moves = new Map<string, Record<string, number>>();
  for (const m of moveRows) moves.set(m.cohort, { ...moves.get(m.cohort), [m.kind]: m.points });
  const base = lotRows.map((c) => {
    const m = moves.get(c.cohort) ?? {};
    return {
      cohort: c.cohort,
      issued: c.issued,
      outstanding: c.outstanding,
      sales: c.sales,
      purchasePoints: c.purchase_points,
      redeemed: (m.spend ?? 0) + (m.cancel_redemption ?? 0),
      expired: m.expire ?? 0,
      reversed: m.refund ?? 0,
    };
  });
  const breakage = estimateBreakage(base, program.expected_redemption_rate, now);
  const rate = 1 - breakage.rate;
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
      cohort: c.cohort,
      issued: c.issued,
      redeemed: c.redeemed,
      expired: c.expired,
      reversed: c.reversed,
      outstanding: c.outstanding,
      sales: r2(c.sales),
      allocated: r2(allocated),
      revenue_recognised: r2(cumulative),
      breakage_recognised: r2(Math.max(0, cumulative - perPoint * c.redeemed)),
      liability: r2(allocated - cumulative),
    };
  });

  const tierRows = await queryRows(
    db,
    TierCosts,
    `SELECT coalesce(a.tier, '') AS tier, count(*)::int AS members,
            coalesce(sum(x.issued), 0)::int AS issued, coalesce(sum(x.redeemed), 0)::int AS redeemed
       FROM loyalty_accounts a
       LEFT JOIN LATERAL (
         SELECT sum(points) FILTER (WHERE kind = 'earn') AS issued, -sum(points) FILTER (WHERE kind IN ('spend', 'cancel_redemption')) AS redeemed
           FROM loyalty_transactions t WHERE t.tenant_id = a.tenant_id AND t.customer_id = a.customer_id
       ) x ON true
      WHERE a.tenant_id = $1 GROUP BY 1 ORDER BY 1`,
    [tenantId],
  );
  // Programme cost: the expected cost of the points given (issued x value x expected redemption rate).
  const tiers = tierRows.map((t) => ({
    tier: t.tier || null,
    members: t.members,
    points_issued: t.issued,
    points_redeemed: t.redeemed,
    cost: r2(t.issued * value * rate),
    cost_per_member: t.members ? r2((t.issued * value * rate) / t.members) : 0,
  }));
  const members = tiers.reduce((s, t) => s + t.members, 0);
  const totalCost = tiers.reduce((s, t) => s + t.cost, 0);
  const sum = (k: keyof CohortFigures) => cohorts.reduce((s, c) => s + (c[k] as number), 0);
  const horizons = [30, 90] as const;
  const [soon] = await queryRows(
    db,
    computedRow<Record<`d${(typeof horizons)[number]}`, number>>(horizons.map((d) => `d${d}` as const)),
    `SELECT ${horizons.map((d, i) => `coalesce(sum(remaining) FILTER (WHERE expires_at <= $${i + 3}), 0)::int AS d${d}`).join(', ')}
       FROM loyalty_lots WHERE tenant_id = $1 AND remaining > 0 AND expires_at > $2`,
    [tenantId, now, ...horizons.map((d) => new Date(now.getTime() + d * 86_400_000))],
  );
  return {
    value_per_point: value,
    base_currency: settings.base_currency,
    breakage_rate: Math.round(breakage.rate * 10_000) / 10_000,
    breakage_basis: breakage.basis,
    breakage_sample: breakage.sample,
    breakage_assumption: breakage.assumption,
    expected_redemption_rate: Math.round(rate * 10_000) / 10_000,
    expected_redemption_basis: breakage.basis,
    points_outstanding: sum('outstanding'),
    outstanding_liability: r2(sum('liability')),
    breakage_recognised: r2(sum('breakage_recognised')),
    expiring_soon: horizons.map((d) => ({ within_days: d, points: soon[`d${d}`], face_value: r2(soon[`d${d}`] * value) })),
    sales_by_currency: await salesByCurrency(db, tenantId),
    members,
    cost_per_member: members ? r2(totalCost / members) : 0,
    cohorts,
    tiers,
  };
}

/**
 * Purchase money by the currency it was paid in, net of refunds, with its base-currency value; purchases
 * refused for a currency without a rate are counted apart (their money is in no base figure).
 */
async function salesByCurrency(db: Queryable, tenantId: string) {
  const rows = await queryRows(
    db,
    CurrencySales,
    `SELECT coalesce(p.currency, '') AS currency, count(*) FILTER (WHERE NOT p.is_refused)::int AS purchases,
            coalesce(sum(p.money + coalesce(rf.money, 0)) FILTER (WHERE NOT p.is_refused), 0)::float8 AS sales,
            coalesce(sum(coalesce(p.base_money, p.money) + coalesce(rf.base, 0)) FILTER (WHERE NOT p.is_refused), 0)::float8 AS sales_in_base,
            count(*) FILTER (WHERE p.is_refused)::int AS refused_purchases,
            coalesce(sum((p.details->>'amount')::numeric) FILTER (WHERE p.is_refused), 0)::float8 AS refused_sales
       FROM (SELECT *, details ? 'refused' AS is_refused FROM loyalty_transactions WHERE tenant_id = $1 AND kind = 'earn' AND reason = 'purchase') p
       LEFT JOIN LATERAL (
         SELECT sum(r.money) AS money, sum(coalesce(r.base_money, r.money)) AS base FROM loyalty_transactions r
          WHERE r.tenant_id = p.tenant_id AND r.reference = p.reference AND r.customer_id = p.customer_id AND r.kind = 'refund'
       ) rf ON true
      GROUP BY 1 ORDER BY 1`,
    [tenantId],
  );
  return rows.map((r) => ({
    currency: r.currency || null,
    purchases: r.purchases,
    sales: r2(r.sales),
    sales_in_base: r2(r.sales_in_base),
    refused_purchases: r.refused_purchases,
    refused_sales: r2(r.refused_sales),
  }));
}
