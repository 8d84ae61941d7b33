// The churn-risk model: a logistic regression small enough to read. Features are standardised before
// fitting (Newton's method with an L2 ridge on the standardised coefficients, so separable data still
// converges), the coefficients are reported back on the features' own scale ("each month since the last
// purchase multiplies the odds of leaving by exp(b)"), and the raw scores are calibrated by Platt scaling
// on customers the fit never saw, so a risk of 0.3 means about three in ten such customers leave.

/** Bumped whenever the features change: a stored model of another version cannot score today's rows. */
export const CHURN_MODEL_VERSION = 3;

/**
 * What the customer did (behaviour) and what happened to them (experience), each as of one instant.
 * Windows are the LAPSE_DAYS (90) before that instant; counts are capped at 5 so one angry customer's
 * thirty conversations do not become a lever. The last six are thresholds (0 or 1) beside the linear
 * terms: leaving is a step, not a slope, at a detractor's answer, a dissatisfied CSAT, a complaint in
 * the last half year, a thin year of orders and a purchase gap past half the lapse line.
 */
export const FEATURES = [
  'months_since_purchase',
  'log_orders',
  'spend_trend',
  'tenure_months',
  'points_activity',
  'nps_latest',
  'nps_trend',
  'csat_latest',
  'csat_trend',
  'ces_latest',
  'ces_trend',
  'open_complaints',
  'recent_complaints',
  'sla_breaches',
  'contacts',
  'unresolved_conversations',
  'negative_mentions',
  'few_orders_year',
  'lapsing',
  'nps_detractor',
  'nps_promoter',
  'csat_dissatisfied',
  'complaint_half_year',
] as const;
export type Feature = (typeof FEATURES)[number];

export interface Example {
  x: number[];
  y: 0 | 1;
}

export interface ChurnModel {
  intercept: number;
  coefficients: { feature: string; coefficient: number; odds_ratio: number; standardised: number; mean: number; sd: number }[];
  trained_on: number;
  positives: number;
}

/** Platt scaling: calibrated risk = sigmoid(a x logit + b), where logit is the model's raw log odds. */
export interface Calibration {
  a: number;
  b: number;
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
  const cols = Array.from({ length: n }, (_, j) =>
    solve(
      a,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-Math.max(-50, Math.min(50, z))));

/** Newton's method for the weights of rows led by a 1 (the intercept, never penalised). */
function newton(rows: number[][], y: number[], ridge: number): number[] {
  const k = rows[0].length;
  let w = new Array(k).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const h = Array.from({ length: k }, () => new Array(k).fill(0));
    const g = new Array(k).fill(0);
    rows.forEach((x, i) => {
      const p = sigmoid(x.reduce((s, v, j) => s + v * w[j], 0));
      const wt = p * (1 - p);
      for (let a = 0; a < k; a++) {
        if (!x[a]) continue;
        g[a] += (y[i] - p) * x[a];
        for (let b = 0; b < k; b++) h[a][b] += wt * x[a] * x[b];
      }
    });
    for (let a = 1; a < k; a++) {
      h[a][a] += ridge * rows.length;
      g[a] -= ridge * rows.length * w[a];
    }
    const step = solve(h, g);
    w = w.map((v, j) => v + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return w;
}

export function fitLogistic(examples: Example[], features: readonly string[] = FEATURES, ridge = RIDGE): ChurnModel | null {
  const k = features.length;
  if (examples.length < 2) return null;
  const mean = Array.from({ length: k }, (_, j) => examples.reduce((s, e) => s + e.x[j], 0) / examples.length);
  const sd = Array.from({ length: k }, (_, j) => Math.sqrt(examples.reduce((s, e) => s + (e.x[j] - mean[j]) ** 2, 0) / examples.length) || 1);
  const rows = examples.map((e) => [1, ...e.x.map((v, j) => (v - mean[j]) / sd[j])]);
  const w = newton(
    rows,
    examples.map((e) => e.y),
    ridge,
  );
  const coefficients = features.map((feature, j) => {
    const c = w[j + 1] / sd[j];
    return { feature, coefficient: c, odds_ratio: Math.exp(c), standardised: w[j + 1], mean: mean[j], sd: sd[j] };
  });
  const intercept = w[0] - coefficients.reduce((s, c, j) => s + c.coefficient * mean[j], 0);
  return { intercept, coefficients, trained_on: examples.length, positives: examples.filter((e) => e.y === 1).length };
}

/** The model's raw log odds of leaving. */
export function logit(model: Pick<ChurnModel, 'intercept' | 'coefficients'>, x: number[]): number {
  return model.intercept + model.coefficients.reduce((s, c, j) => s + c.coefficient * x[j], 0);
}

export function predict(model: Pick<ChurnModel, 'intercept' | 'coefficients'>, x: number[], calibration?: Calibration): number {
  const z = logit(model, x);
  return sigmoid(calibration ? calibration.a * z + calibration.b : z);
}

/**
 * Platt scaling (Platt 1999) of raw log odds against what happened, with his target smoothing
 * ((positives + 1) / (positives + 2), 1 / (negatives + 2)) so a small validation set does not push
 * the risks to 0 and 1.
 */
export function fitPlatt(logits: number[], labels: (0 | 1)[]): Calibration {
  const pos = labels.filter((l) => l === 1).length;
  const neg = labels.length - pos;
  if (!pos || !neg) return { a: 1, b: 0 };
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  // Newton's method on soft targets: the same fit with y in (0, 1).
  const w = newton(
    logits.map((z) => [1, z]),
    labels.map((l) => (l ? hi : lo)),
    0,
  );
  return { a: w[1], b: w[0] };
}

/** The Brier score: mean squared gap between the predicted risk and what happened (0 is perfect; always guessing the rate p scores p(1 - p)). */
export function brier(risks: number[], labels: (0 | 1)[]): number | null {
  if (!risks.length) return null;
  return risks.reduce((s, p, i) => s + (p - labels[i]) ** 2, 0) / risks.length;
}

/** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
export function auc(scores: number[], labels: (0 | 1)[]): number | null {
  const idx = scores.map((_s, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Array(scores.length);
  for (let i = 0; i < idx.length; ) {
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
