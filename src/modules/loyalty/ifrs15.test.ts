import { describe, expect, it } from 'vitest';
import { allocateTransactionPrice, recognisePointsRevenue } from './ifrs15.js';

describe('IFRS 15 loyalty arithmetic', () => {
  // IFRS 15 Illustrative Example 52 (IE267-IE270): sales of CU100,000 earn 10,000 points worth CU1
  // each; 9,500 are expected to be redeemed, so the points' stand-alone selling price is CU9,500.
  it('reproduces Illustrative Example 52: allocation, year 1 and year 2 with a revised estimate', () => {
    const { goods, points } = allocateTransactionPrice(100_000, 100_000, 10_000 * 1 * 0.95);
    expect(Math.round(goods)).toBe(91_324);
    expect(Math.round(points)).toBe(8_676);
    // Year 1: 4,500 points redeemed of 9,500 expected.
    const y1 = recognisePointsRevenue({ allocated: points, pointsIssued: 10_000, expectedRedemptions: 9_500, redeemedToDate: 4_500, recognisedBefore: 0 });
    expect(Math.round(y1.period)).toBe(4_110);
    expect(Math.round(y1.liability)).toBe(4_566);
    // Year 2: 8,500 redeemed cumulatively; the entity now expects 9,700 to be redeemed.
    const y2 = recognisePointsRevenue({
      allocated: points,
      pointsIssued: 10_000,
      expectedRedemptions: 9_700,
      redeemedToDate: 8_500,
      recognisedBefore: y1.cumulative,
    });
    expect(Math.round(y2.cumulative)).toBe(7_603);
    expect(Math.round(y2.period)).toBe(3_493);
    expect(Math.round(y2.liability)).toBe(1_073);
  });

  it('recognises 4,175 for 4,500 of 9,700 expected redemptions against 9,000 allocated to the points', () => {
    // The figures the loyalty issue quotes: 97% of 10,000 points expected to be redeemed (9,700) and
    // 9,000 of the price allocated to the points; 4,500 redeemed gives 9,000 x 4,500 / 9,700.
    const r = recognisePointsRevenue({
      allocated: 9_000,
      pointsIssued: 10_000,
      expectedRedemptions: 0.97 * 10_000,
      redeemedToDate: 4_500,
      recognisedBefore: 0,
    });
    expect(Math.round(r.period)).toBe(4_175);
    expect(Math.round(r.liability)).toBe(4_825);
    // Face value of 4,500 redeemed points at 0.90 each is 4,050; the other 125 is breakage.
    expect(Math.round(r.breakage)).toBe(125);
  });

  it('never recognises more than was allocated, even when redemptions beat the estimate', () => {
    const r = recognisePointsRevenue({ allocated: 1_000, pointsIssued: 1_000, expectedRedemptions: 800, redeemedToDate: 900, recognisedBefore: 0 });
    expect(r.cumulative).toBe(1_000);
    expect(r.liability).toBe(0);
  });
});
