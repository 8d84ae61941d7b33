// The arithmetic of analytics on its own: the logistic fit, the AUC, the driver regression, the CSV
// encoding, staffed hours and the digest's weeks, each against figures worked out by hand.
import { describe, expect, it } from 'vitest';
import { fitLogistic, auc, predict, type Example } from './churn-model.js';
import { driverRegression, pValue } from './measure-drivers.js';
import { toCsv } from './measured.js';
import { isStaffed } from './measure-operations.js';
import { digestWeeks } from './send-digest.js';
import { DEFAULT_SETTINGS } from './settings.js';

describe('churn model', () => {
  it('fits a logistic regression whose one binary feature recovers the log odds ratio', () => {
    // x = 0: 1 of 4 left (odds 1/3); x = 1: 3 of 4 left (odds 3). The maximum-likelihood fit is
    // intercept ln(1/3) = -1.0986 and coefficient ln(3) - ln(1/3) = 2.1972 (odds ratio 9); the light
    // ridge shrinks it a hair.
    const ex: Example[] = [0, 0, 0, 1].map((y) => ({ x: [0], y: y as 0 | 1 })).concat([1, 1, 1, 0].map((y) => ({ x: [1], y: y as 0 | 1 })));
    const m = fitLogistic(ex, ['months_since_purchase'])!;
    expect(m.coefficients[0].feature).toBe('months_since_purchase');
    expect(m.coefficients[0].coefficient).toBeCloseTo(2.1972, 1);
    expect(m.intercept).toBeCloseTo(-1.0986, 1);
    expect(predict(m, [1])).toBeCloseTo(0.75, 1);
    expect(m).toMatchObject({ trained_on: 8, positives: 4 });
  });

  it('computes the AUC as the share of positive-negative pairs ranked right, ties counting half', () => {
    // Positives 0.35 and 0.8, negatives 0.1 and 0.4: pairs (0.35 > 0.1), (0.35 < 0.4), (0.8 > both) -> 3 / 4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // One tie between a positive and a negative: 0.5 of a pair. Pairs: (0.5 vs 0.5) half, (0.5 > 0.2) -> 1.5 / 2.
    expect(auc([0.5, 0.5, 0.2], [1, 0, 0])).toBe(0.75);
    expect(auc([0.3, 0.6], [1, 1])).toBeNull();
  });
});

describe('driver regression', () => {
  it('recovers the effect of a topic with its standard error, significance and R squared', () => {
    // Without the topic: 8 and 10 (mean 9); with it: 2 and 4 (mean 3): a gap of 6. The topic's centred
    // sum of squares is 2 x (1 - 2/4) = 1, so the penalty is .05: A = [[4, 2], [2, 2.05]], det 4.2,
    // b = (8.8571, -5.7143) = the gap shrunk by 1 / 1.05. SSE 4.0816 on n - tr(A^-1 X'X) = 4 - 1.9524
    // degrees of freedom: sigma^2 1.9930; Var(b) = sigma^2 x (A^-1 X'X A^-1)[1][1] = 1.9930 x 16 / 17.64,
    // se 1.3446, t -4.2497, p 2.14e-5; R^2 = 1 - 4.0816 / 40 = .898.
    const reg = driverRegression([
      { touchpoint: 'store', topics: [], n: 2, sum: 18, squares: 164, promoters: 1, detractors: 0 },
      { touchpoint: 'store', topics: ['late'], n: 2, sum: 6, squares: 20, promoters: 0, detractors: 2 },
    ]);
    expect(reg.reference).toBe('store');
    expect(reg.intercept).toBeCloseTo(8.8571, 4);
    expect(reg.r_squared).toBeCloseTo(0.898, 4);
    expect(reg.drivers).toEqual([
      {
        type: 'topic',
        name: 'late',
        polarity: null,
        answers: 2,
        coefficient: -5.7143,
        std_error: 1.3446,
        t: -4.2497,
        p_value: expect.closeTo(2.14e-5, 7),
        performance_nps: -100,
        importance: 1,
      },
    ]);
    expect(pValue(-4.2426)).toBeCloseTo(2.21e-5, 6);
    expect(pValue(1.959964)).toBeCloseTo(0.05, 4);
  });

  it('reads a topic named with its polarity as a driver of its own, by name and polarity', () => {
    const reg = driverRegression([
      { touchpoint: 'store', topics: [], n: 4, sum: 32, squares: 256, promoters: 0, detractors: 0 },
      { touchpoint: 'store', topics: ['delivery:negative'], n: 3, sum: 6, squares: 12, promoters: 0, detractors: 3 },
      { touchpoint: 'store', topics: ['delivery:positive'], n: 3, sum: 30, squares: 300, promoters: 3, detractors: 0 },
    ]);
    expect(reg.drivers.map((d) => [d.name, d.polarity, Math.sign(d.coefficient), d.performance_nps])).toEqual([
      ['delivery', 'negative', -1, -100],
      ['delivery', 'positive', 1, 100],
    ]);
  });

  it('measures touchpoints against the most answered one', () => {
    // store (3 answers: 9, 9, 9) is the reference; web (2 answers: 5, 7) is 3 points lower; web's centred
    // sum of squares 2 x (1 - 2/5) = 1.2 makes the penalty .06 and the estimate -3 x 1.2 / 1.26 = -2.8571.
    const reg = driverRegression([
      { touchpoint: 'store', topics: [], n: 3, sum: 27, squares: 243, promoters: 3, detractors: 0 },
      { touchpoint: 'web', topics: [], n: 2, sum: 12, squares: 74, promoters: 0, detractors: 1 },
    ]);
    expect(reg.reference).toBe('store');
    expect(reg.drivers.map((d) => [d.type, d.name, d.coefficient, d.performance_nps])).toEqual([['touchpoint', 'web', -2.8571, -50]]);
  });

  it('keeps a driver significant when another always comes with it', () => {
    // check-in is mentioned only at the airport: the two indicators are the same column. Least squares
    // cannot split them and answered p = 1; ridge shares the 8-point gap between them, both significant.
    // Along their common direction the sum of squares is 2s against a penalty of .05 s: 8 x 2 / 2.05.
    const reg = driverRegression([
      { touchpoint: 'store', topics: [], n: 12, sum: 108, squares: 12 * 81 + 12, promoters: 7, detractors: 0 },
      { touchpoint: 'airport', topics: ['check-in'], n: 10, sum: 10, squares: 10 * 1 + 10, promoters: 0, detractors: 10 },
    ]);
    const byName = Object.fromEntries(reg.drivers.map((d) => [d.name, d]));
    for (const name of ['airport', 'check-in']) {
      expect(byName[name].coefficient).toBeLessThan(-3.5);
      expect(byName[name].p_value).toBeLessThan(0.001);
      expect(byName[name].importance).toBeCloseTo(0.5, 4);
      expect(byName[name].performance_nps).toBe(-100);
    }
    expect(byName.airport.coefficient + byName['check-in'].coefficient).toBeCloseTo(-16 / 2.05, 3);
  });
});

describe('csv', () => {
  it('quotes what must be quoted and defuses spreadsheet formulas', () => {
    expect(
      toCsv([
        { a: 'x,y', b: 'say "hi"', c: null },
        { a: '=SUM(A1)', b: -3, c: 0.5 },
      ]),
    ).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n\'=SUM(A1),-3,0.5\r\n');
  });
});

describe('staffed hours and digest weeks', () => {
  it('counts an hour staffed only when the whole hour is inside the span', () => {
    const s = { staffed_hours: { 1: ['09:30', '18:00'] as [string, string], 6: ['00:00', '24:00'] as [string, string] } };
    expect(isStaffed(s, 1, 9)).toBe(false);
    expect(isStaffed(s, 1, 10)).toBe(true);
    expect(isStaffed(s, 1, 17)).toBe(true);
    expect(isStaffed(s, 1, 18)).toBe(false);
    expect(isStaffed(s, 6, 23)).toBe(true);
    expect(isStaffed(s, 7, 12)).toBe(false);
    expect(isStaffed(DEFAULT_SETTINGS, 5, 9)).toBe(true);
  });

  it('takes the last whole Monday-to-Sunday week and the one before', () => {
    // Wednesday 2026-06-17: this week is 06-08..06-14, the week before 06-01..06-07.
    expect(digestWeeks(new Date('2026-06-17T08:00:00Z'))).toEqual({
      thisWeek: { from: '2026-06-08', to: '2026-06-14' },
      lastWeek: { from: '2026-06-01', to: '2026-06-07' },
    });
    expect(digestWeeks(new Date('2026-06-15T00:00:00Z')).thisWeek).toEqual({ from: '2026-06-08', to: '2026-06-14' });
    // Across a year end, and on a leap day.
    expect(digestWeeks(new Date('2027-01-01T00:20:00Z'))).toEqual({
      thisWeek: { from: '2026-12-21', to: '2026-12-27' },
      lastWeek: { from: '2026-12-14', to: '2026-12-20' },
    });
    expect(digestWeeks(new Date('2027-01-04T00:20:00Z'))).toEqual({
      thisWeek: { from: '2026-12-28', to: '2027-01-03' },
      lastWeek: { from: '2026-12-21', to: '2026-12-27' },
    });
    expect(digestWeeks(new Date('2028-02-29T23:30:00Z'))).toEqual({
      thisWeek: { from: '2028-02-21', to: '2028-02-27' },
      lastWeek: { from: '2028-02-14', to: '2028-02-20' },
    });
    expect(digestWeeks(new Date('2028-03-06T00:00:00Z')).thisWeek).toEqual({ from: '2028-02-28', to: '2028-03-05' });
  });
});
