// IFRS 15 arithmetic for a loyalty programme (IFRS 15 B39-B43, Illustrative Example 52, IE267-IE270):
// points that give a material right are a separate performance obligation. The transaction price is
// allocated to goods and points by relative stand-alone selling prices, and the amount allocated to
// points is recognised as revenue as points are redeemed, in proportion to the points expected to be
// redeemed; that proportion recognises breakage (points never redeemed) along with the redemptions (B46).

/** Allocates a transaction price by relative stand-alone selling prices (IFRS 15.76). */
export function allocateTransactionPrice(price: number, goodsSsp: number, pointsSsp: number): { goods: number; points: number } {
  const total = goodsSsp + pointsSsp;
  if (total <= 0) return { goods: price, points: 0 };
  const points = (price * pointsSsp) / total;
  return { goods: price - points, points };
}

export interface Recognition {
  /** Revenue recognised from the points to date. */
  cumulative: number;
  /** This period's revenue: cumulative less what earlier periods recognised. */
  period: number;
  /** Contract liability left: allocated less cumulative revenue. */
  liability: number;
  /** The part of cumulative revenue that is breakage: above the face value of points redeemed so far. */
  breakage: number;
}

/**
 * Revenue from points: allocated x redeemed to date / total expected redemptions, never more than the
 * allocation. The estimate of expected redemptions is updated each period (IE270), and the
 * difference lands in the current period.
 */
export function recognisePointsRevenue(x: {
  allocated: number;
  pointsIssued: number;
  expectedRedemptions: number;
  redeemedToDate: number;
  recognisedBefore: number;
}): Recognition {
  const ratio = x.expectedRedemptions > 0 ? Math.min(1, x.redeemedToDate / x.expectedRedemptions) : 1;
  const cumulative = x.allocated * ratio;
  const perPoint = x.pointsIssued > 0 ? x.allocated / x.pointsIssued : 0;
  return {
    cumulative,
    period: cumulative - x.recognisedBefore,
    liability: x.allocated - cumulative,
    breakage: Math.max(0, cumulative - perPoint * x.redeemedToDate),
  };
}
