// The churn model on synthetic customers whose leaving is driven by what we chose: it must find the
// driver, rank leavers first, and say how likely leaving is (calibration), and explain one customer.
import { describe, expect, it } from 'vitest';
import { FEATURES, fitLogistic, fitPlatt, logit, predict, auc, brier, sigmoid, type Example } from './churn-model.js';
import { explainChurnRisk } from './explain-churn-risk.js';

/** A seeded generator (mulberry32), so the figures are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NPS = FEATURES.indexOf('nps_latest');
const COMPLAINTS = FEATURES.indexOf('open_complaints');

/**
 * Customers whose behaviour is noise (the same distribution for leavers and stayers) and whose chance
 * of leaving depends on experience alone: log odds -1 - 0.5 x (NPS - 7) + 0.8 x open complaints.
 */
function customers(n: number, seed: number): Example[] {
  const rnd = random(seed);
  return Array.from({ length: n }, () => {
    const x = FEATURES.map(() => rnd() * 4);
    x[NPS] = Math.floor(rnd() * 11);
    x[COMPLAINTS] = rnd() < 0.2 ? 1 + Math.floor(rnd() * 3) : 0;
    const y = rnd() < sigmoid(-1 - 0.5 * (x[NPS] - 7) + 0.8 * x[COMPLAINTS]) ? 1 : 0;
    return { x, y: y as 0 | 1 };
  });
}

describe('churn model on experience-driven leaving', () => {
  const fit = fitLogistic(customers(3000, 1))!;
  const calibrate = customers(1000, 2);
  const calibration = fitPlatt(
    calibrate.map((e) => logit(fit, e.x)),
    calibrate.map((e) => e.y),
  );
  const test = customers(1000, 3);
  const risks = test.map((e) => predict(fit, e.x, calibration));
  const labels = test.map((e) => e.y);

  it('weights the experience features and ranks the held-out leavers first', () => {
    const byWeight = [...fit.coefficients].sort((a, b) => Math.abs(b.standardised) - Math.abs(a.standardised));
    expect(
      byWeight
        .slice(0, 2)
        .map((c) => c.feature)
        .sort(),
    ).toEqual(['nps_latest', 'open_complaints']);
    // Each point of NPS lowers the odds of leaving (the truth is -0.5 per point), complaints raise them.
    expect(fit.coefficients[NPS].coefficient).toBeLessThan(-0.35);
    expect(fit.coefficients[COMPLAINTS].coefficient).toBeGreaterThan(0.5);
    for (const c of byWeight.slice(2)) expect(Math.abs(c.standardised)).toBeLessThan(0.15);
    expect(auc(risks, labels)!).toBeGreaterThan(0.75);
  });

  it('calibrates: the mean predicted risk of held-out customers is close to the share who left', () => {
    const predicted = risks.reduce((s, p) => s + p, 0) / risks.length;
    const observed = labels.reduce<number>((s, y) => s + y, 0) / labels.length;
    expect(Math.abs(predicted - observed)).toBeLessThan(0.03);
    // Among the customers given a risk above one half, about that share left, not all and not none.
    const high = test.filter((_, i) => risks[i] > 0.5);
    const highRate = high.filter((e) => e.y === 1).length / high.length;
    const highPredicted = risks.filter((p) => p > 0.5).reduce((s, p) => s + p, 0) / high.length;
    expect(Math.abs(highRate - highPredicted)).toBeLessThan(0.08);
    // Better than guessing the base rate for everyone, whose Brier score is p(1 - p).
    expect(brier(risks, labels)!).toBeLessThan(observed * (1 - observed) - 0.02);
  });

  it('Platt scaling corrects an overconfident score', () => {
    // Raw log odds doubled: the scaling must find half the slope it finds for the fit's own log odds
    // (itself near 1: the fit on 3,000 customers, twenty of its features noise, is a little overconfident).
    const own = fitPlatt(
      calibrate.map((e) => logit(fit, e.x)),
      calibrate.map((e) => e.y),
    ).a;
    expect(own).toBeGreaterThan(0.7);
    expect(own).toBeLessThan(1.1);
    const z = calibrate.map((e) => 2 * logit(fit, e.x));
    expect(
      fitPlatt(
        z,
        calibrate.map((e) => e.y),
      ).a,
    ).toBeCloseTo(own / 2, 3);
    expect(fitPlatt([0.1, 0.2], [1, 1])).toEqual({ a: 1, b: 0 });
  });

  it('explains a customer by the three features that move the risk most, with their direction and labels', () => {
    const x = fit.coefficients.map((c) => c.mean);
    x[NPS] = 1;
    x[COMPLAINTS] = 3;
    const why = explainChurnRisk(fit, x);
    expect(why.slice(0, 2).map((r) => [r.feature, r.direction])).toEqual(
      expect.arrayContaining([
        ['nps_latest', 'raises'],
        ['open_complaints', 'raises'],
      ]),
    );
    expect(why.find((r) => r.feature === 'nps_latest')).toMatchObject({ value: 1, label: { en: 'Latest NPS answer', 'zh-CN': '最近一次 NPS 评分' } });
    expect(why).toHaveLength(2);
    // A promoter with no complaints: a low NPS is not what moves it, a high one lowers the risk.
    x[NPS] = 10;
    x[COMPLAINTS] = fit.coefficients[COMPLAINTS].mean;
    expect(explainChurnRisk(fit, x)[0]).toMatchObject({ feature: 'nps_latest', direction: 'lowers' });
    expect(explainChurnRisk(fit, x)[0].contribution).toBeLessThan(0);
  });
});
