// The churn-risk model: a logistic regression small enough to read. Features are standardised before
// fitting (Newton's method with a light ridge so separable data still converges), and the coefficients
// are reported back on the features' own scale, so "each month since the last purchase multiplies the
// odds of leaving by exp(b)" can be read off the answer.

export const FEATURES = ['months_since_purchase', 'log_orders', 'detractor', 'promoter', 'complaints'] as const;
export type Feature = (typeof FEATURES)[number];

export interface Example { x: number[]; y: 0 | 1 }

export interface ChurnModel {
  intercept: number;
  coefficients: { feature: Feature; coefficient: number; odds_ratio: number; standardised: number }[];
  trained_on: number;
  positives: number;
}

const RIDGE = 1e-3;

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const pivot = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / pivot;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Inverse of a small matrix, column by column. */
export function invert(a: number[][]): number[][] {
  const n = a.length;
  const cols = Array.from({ length: n }, (_, j) => solve(a, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitLogistic(examples: Example[]): ChurnModel | null {
  const k = FEATURES.length;
  if (examples.length < 2) return null;
  const mean = Array.from({ length: k }, (_, j) => examples.reduce((s, e) => s + e.x[j], 0) / examples.length);
  const sd = Array.from({ length: k }, (_, j) => Math.sqrt(examples.reduce((s, e) => s + (e.x[j] - mean[j]) ** 2, 0) / examples.length) || 1);
  const rows = examples.map((e) => [1, ...e.x.map((v, j) => (v - mean[j]) / sd[j])]);
  let w = new Array(k + 1).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const h = Array.from({ length: k + 1 }, () => new Array(k + 1).fill(0));
    const g = new Array(k + 1).fill(0);
    rows.forEach((x, i) => {
      const p = sigmoid(x.reduce((s, v, j) => s + v * w[j], 0));
      const wt = p * (1 - p);
      for (let a = 0; a <= k; a++) {
        g[a] += (examples[i].y - p) * x[a];
        for (let b = 0; b <= k; b++) h[a][b] += wt * x[a] * x[b];
      }
    });
    for (let a = 1; a <= k; a++) { h[a][a] += RIDGE * rows.length; g[a] -= RIDGE * rows.length * w[a]; }
    const step = solve(h, g);
    w = w.map((v, j) => v + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  const coefficients = FEATURES.map((feature, j) => {
    const c = w[j + 1] / sd[j];
    return { feature, coefficient: c, odds_ratio: Math.exp(c), standardised: w[j + 1] };
  });
  const intercept = w[0] - coefficients.reduce((s, c, j) => s + c.coefficient * mean[j], 0);
  return { intercept, coefficients, trained_on: examples.length, positives: examples.filter((e) => e.y === 1).length };
}

export function predict(model: ChurnModel, x: number[]): number {
  return sigmoid(model.intercept + model.coefficients.reduce((s, c, j) => s + c.coefficient * x[j], 0));
}

/** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
export function auc(scores: number[], labels: (0 | 1)[]): number | null {
  const idx = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array(scores.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    for (let t = i; t <= j; t++) ranks[idx[t]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const pos = labels.filter((l) => l === 1).length;
  const neg = labels.length - pos;
  if (!pos || !neg) return null;
  const rankSum = labels.reduce((s, l, i) => s + (l === 1 ? ranks[i] : 0), 0);
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
