// The drivers of NPS: a ridge regression of each answer's score on its touchpoint and topics, shown as an
// importance/performance matrix (fix first, keep up, monitor, maintain) with each driver's p-value.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { checkApplies, rangeOf, dimFilters, param, DIMS, type MeasureQuery } from './filters.js';
import { frame, round2, type Measured, type RefreshState } from './measured.js';
import { invert } from './churn-model.js';
import { rollup } from './rollup-tables.js';
import { answersSource } from './measure-experience.js';
import { analyticsDrivers } from './schema.js';

/** Two-sided p-value of a z statistic (normal approximation; the answers behind a driver are many). */
export function pValue(z: number): number {
  // Abramowitz and Stegun 7.1.26: erfc to about 1e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return Math.min(1, erfc);
}

export interface Driver {
  type: 'touchpoint' | 'topic';
  name: string;
  /** A topic's polarity in the answers it stands for: blamed (negative), praised (positive), or named without an opinion (null). */
  polarity?: 'negative' | 'positive' | null;
  answers: number;
  coefficient: number;
  std_error: number;
  t: number | null;
  p_value: number | null;
  performance_nps: number | null;
  importance: number;
}

interface Pattern {
  touchpoint: string;
  topics: string[];
  n: number;
  sum: number;
  squares: number;
  promoters: number;
  detractors: number;
}
// topics: the pattern's topics joined by '|' (topicPatternSql), '' for none.
const DriverSums = rowOf(analyticsDrivers, ['touchpoint', 'topics']).and<Omit<Pattern, 'touchpoint' | 'topics'>>([
  'n',
  'sum',
  'squares',
  'promoters',
  'detractors',
]);

/**
 * Ridge regression of the NPS answer (0-10) on one indicator per topic and polarity (see topicPatternSql) and per touchpoint (the most
 * answered touchpoint is the reference, absorbed by the intercept), from the answers grouped by their
 * pattern: X'X = sum n x x', X'y = sum (sum of scores) x, and the residual sum of squares from the sums
 * of squared scores, so a million answers cost a few hundred patterns.
 *
 * Ridge, not ordinary least squares, because drivers come correlated: a topic such as check-in is
 * mentioned almost only at the airport, and OLS then cannot tell the two apart, its variance explodes
 * and a driver with NPS -90 against +47.7 reads p = 1. The penalty is RIDGE_LAMBDA times each
 * indicator's centred sum of squares (ridge on standardised drivers; the intercept is not penalised):
 * correlated drivers share their effect instead of cancelling out, an uncorrelated one is shrunk by
 * 1 / (1 + RIDGE_LAMBDA). Standard errors are ridge's sandwich sigma^2 A^-1 X'X A^-1 (A = X'X + penalty),
 * with sigma^2 on the effective degrees of freedom tr(A^-1 X'X).
 */
export function driverRegression(
  patterns: Pattern[],
  maxTopics = 20,
  maxTouchpoints = 12,
): { reference: string | null; n: number; r_squared: number | null; intercept?: number; drivers: Driver[] } {
  const count = (key: (p: Pattern) => string[]) => {
    const m = new Map<string, number>();
    for (const p of patterns) for (const k of key(p)) m.set(k, (m.get(k) ?? 0) + p.n);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const tps = count((p) => (p.touchpoint ? [p.touchpoint] : [])).slice(0, maxTouchpoints + 1);
  const reference = tps[0]?.[0] ?? null;
  const drivers = [
    ...tps.slice(1).map(([name]) => ({ type: 'touchpoint' as const, name })),
    ...count((p) => p.topics)
      .slice(0, maxTopics)
      .map(([name]) => ({ type: 'topic' as const, name })),
  ];
  const k = drivers.length + 1;
  const xOf = (p: Pattern) => [1, ...drivers.map((d) => ((d.type === 'touchpoint' ? p.touchpoint === d.name : p.topics.includes(d.name)) ? 1 : 0))];
  const xtx = Array.from({ length: k }, () => new Array(k).fill(0));
  const xty = new Array(k).fill(0);
  let n = 0,
    yy = 0,
    sumY = 0;
  for (const p of patterns) {
    const x = xOf(p);
    for (let a = 0; a < k; a++) {
      xty[a] += x[a] * p.sum;
      for (let b = 0; b < k; b++) xtx[a][b] += p.n * x[a] * x[b];
    }
    n += p.n;
    yy += p.squares;
    sumY += p.sum;
  }
  if (n <= k) return { reference, n, r_squared: null, drivers: [] };
  // Each indicator's centred sum of squares is m (1 - m / n) for m answers with it; 1e-9 keeps A invertible when m = 0.
  const a = xtx.map((row, i) => row.map((v, j) => v + (i === j && i > 0 ? RIDGE_LAMBDA * (xtx[i][i] * (1 - xtx[i][i] / n)) + 1e-9 : 0)));
  const inv = invert(a);
  const b = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j], 0));
  const xtxB = xtx.map((row) => row.reduce((s, v, j) => s + v * b[j], 0));
  const sse = Math.max(0, yy - 2 * b.reduce((s, v, j) => s + v * xty[j], 0) + b.reduce((s, v, j) => s + v * xtxB[j], 0));
  const hat = inv.map((row) => xtx[0].map((_, c) => row.reduce((s, v, j) => s + v * xtx[j][c], 0))); // A^-1 X'X
  const df = hat.reduce((s, row, i) => s + row[i], 0);
  const sigma2 = sse / Math.max(1, n - df);
  const cov = hat.map((row) => inv[0].map((_, c) => row.reduce((s, v, j) => s + v * inv[j][c], 0))); // A^-1 X'X A^-1
  const sst = yy - (sumY * sumY) / n;
  function describe(d: (typeof drivers)[number], j: number) {
    const se = Math.sqrt(Math.max(0, sigma2 * cov[j + 1][j + 1]));
    const coefficient = b[j + 1];
    const within = patterns.filter((p) => xOf(p)[j + 1] === 1);
    const m = within.reduce((s, p) => s + p.n, 0);
    const nps = m ? (100 * within.reduce((s, p) => s + p.promoters - p.detractors, 0)) / m : null;
    // Standardised effect: the coefficient times the indicator's standard deviation over the answers' (Bring's importance).
    const share = m / n;
    const effect = Math.abs(coefficient) * Math.sqrt(share * (1 - share));
    const [name, polarity] = d.name.split(':');
    return {
      type: d.type,
      name: d.type === 'topic' ? name : d.name,
      ...(d.type === 'topic' ? { polarity: (polarity ?? null) as Driver['polarity'] } : {}),
      answers: m,
      coefficient: round4(coefficient),
      std_error: round4(se),
      t: se ? round4(coefficient / se) : null,
      p_value: se ? Number(pValue(coefficient / se).toPrecision(3)) : null,
      performance_nps: nps === null ? null : round2(nps),
      effect,
    };
  }
  const described = drivers.map(describe);
  const totalEffect = described.reduce((s, d) => s + d.effect, 0);
  return {
    reference,
    n,
    r_squared: sst > 0 ? round4(1 - sse / sst) : null,
    intercept: round4(b[0]),
    drivers: described.map(({ effect, ...d }) => ({ ...d, importance: totalEffect ? round4(effect / totalEffect) : 0 })),
  };
}
const round4 = (x: number) => Math.round(x * 10000) / 10000;
const RIDGE_LAMBDA = 0.05;

export async function measureDrivers(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('drivers', [], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId];
  const src =
    !q.members && (q.store === undefined || (q.segment === undefined && q.tier === undefined))
      ? `(SELECT month AS period, * FROM ${rollup('analytics_drivers', q.store === undefined ? 0 : 1)} WHERE tenant_id = $1 ${dimFilters(q, DIMS, params)})`
      : `(SELECT * FROM ${answersSource(q, params, 'month', state.asOf, range)} a WHERE kind = 'nps')`;
  const rows = await queryRows(
    db,
    DriverSums,
    `SELECT touchpoint, topics, sum(n)::int AS n, sum(sum)::float8 AS sum, sum(sum_squares)::float8 AS squares, sum(promoters)::int AS promoters, sum(detractors)::int AS detractors
       FROM ${src} x WHERE period >= ${param(params, range.fromMonth)} AND period <= ${param(params, range.toMonth)}
      GROUP BY touchpoint, topics`,
    params,
  );
  const patterns: Pattern[] = rows.map((r) => ({ ...r, topics: r.topics ? r.topics.split('|') : [] }));
  const reg = driverRegression(patterns);
  const overall = reg.n ? (100 * patterns.reduce((s, p) => s + p.promoters - p.detractors, 0)) / reg.n : null;
  // The matrix: importance above or below the mean importance, performance above or below the overall NPS.
  const meanImportance = reg.drivers.length ? 1 / reg.drivers.length : 0;
  const drivers = reg.drivers.map((d) => ({
    ...d,
    significant: d.p_value !== null && d.p_value < 0.05,
    quadrant:
      d.performance_nps === null || overall === null
        ? null
        : d.importance >= meanImportance
          ? d.performance_nps < overall
            ? 'fix_first'
            : 'keep_up'
          : d.performance_nps < overall
            ? 'monitor'
            : 'maintain',
  }));
  return {
    body: {
      ...frame(state, q, range),
      answers: reg.n,
      nps: overall === null ? null : round2(overall),
      reference_touchpoint: reg.reference,
      r_squared: reg.r_squared,
      intercept: reg.intercept ?? null,
      drivers,
    },
    tables: { drivers },
  };
}
