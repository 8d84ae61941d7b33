// The statistics of crisis detection, pure so that they are tested on synthetic series.
//
// Volume: the baseline of an hour is the median of the same hour of the week in the previous weeks
// (so Monday-morning peaks and Friday-night lulls are expected), with a robust spread from the
// median absolute deviation; with under two weeks of history it falls back to the last 48 hours.
// Negative share: a one-sided binomial test of this hour's negatives against the baseline share.
// An alert needs both, above a minimum volume.

export interface HourCount {
  total: number;
  negative: number;
}

export interface CrisisVerdict {
  isCrisis: boolean;
  volume: number;
  baseline: number;
  spread: number;
  volumeZ: number;
  negativeShare: number;
  baselineNegativeShare: number;
  pValue: number;
  reasons: string[];
}

export interface CrisisThresholds {
  minVolume: number;
  volumeZ: number;
  pValue: number;
}

export const DEFAULT_THRESHOLDS: CrisisThresholds = { minVolume: 20, volumeZ: 4, pValue: 0.001 };

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function logChoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

// Lanczos approximation of ln Γ(x), accurate to ~1e-10 for x > 0.
function lgamma(x: number): number {
  const g = [
    676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = 0.9999999999998099;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += g[i] / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X >= k) for X ~ Binomial(n, p), exact. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let sum = 0;
  for (let i = k; i <= n; i++) sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * `history` is hourly counts before `current`, oldest first, ending with the hour just before it;
 * hour-of-week alignment is by position (168 hours a week).
 */
export function assessHour(history: HourCount[], current: HourCount, t: CrisisThresholds = DEFAULT_THRESHOLDS): CrisisVerdict {
  const WEEK = 168;
  const sameHour: HourCount[] = [];
  for (let i = history.length - WEEK; i >= 0; i -= WEEK) sameHour.push(history[i]);
  const window = sameHour.length >= 2 ? sameHour : history.slice(-48);
  const totals = window.map((h) => h.total);
  const baseline = median(totals);
  const mad = median(totals.map((x) => Math.abs(x - baseline)));
  // Counts are Poisson-like: the spread is never taken below the square root of the baseline.
  const spread = Math.max(1.4826 * mad, Math.sqrt(Math.max(baseline, 1)));
  const volumeZ = (current.total - baseline) / spread;

  const pool = history.slice(-WEEK * 4);
  const poolTotal = pool.reduce((a, h) => a + h.total, 0);
  const poolNeg = pool.reduce((a, h) => a + h.negative, 0);
  // A weak prior (20% negative over 50 mentions) keeps a quiet history from giving a share of 0 or 1.
  const baselineNegativeShare = (poolNeg + 10) / (poolTotal + 50);
  const negativeShare = current.total ? current.negative / current.total : 0;
  const pValue = binomialUpperTail(current.negative, current.total, baselineNegativeShare);

  const reasons: string[] = [];
  if (current.total < t.minVolume) reasons.push(`volume ${current.total} below the minimum ${t.minVolume}`);
  if (volumeZ < t.volumeZ) reasons.push(`volume ${current.total} within the expected ${baseline.toFixed(1)} ± ${spread.toFixed(1)}`);
  if (pValue > t.pValue)
    reasons.push(`negative share ${(negativeShare * 100).toFixed(0)}% not above ${(baselineNegativeShare * 100).toFixed(0)}% (p=${pValue.toPrecision(2)})`);
  return { isCrisis: reasons.length === 0, volume: current.total, baseline, spread, volumeZ, negativeShare, baselineNegativeShare, pValue, reasons };
}
