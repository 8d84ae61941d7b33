// The churn model's features as of an instant, read from the other modules' tables inside the refresh
// (see refresh-rollups.ts for why analytics reads them there), and its training in the full rebuild.
//
// Definition of leaving (the label): a customer active at the cutoff T-90 days (a purchase in the
// LAPSE_DAYS before it) who makes no purchase in (T-90, T], T being the refresh's instant: the same
// lapse line as has_left. Customers already gone at the cutoff are not examples: "still gone" is not a
// decision to leave, and they would let recency alone score near-perfectly.
import type pg from 'pg';
import { computedRow, queryRows } from '../../platform/query-rows.js';
import {
  FEATURES,
  CHURN_MODEL_VERSION,
  fitLogistic,
  fitPlatt,
  logit,
  predict,
  auc,
  brier,
  type ChurnModel,
  type Calibration,
  type Example,
} from './churn-model.js';

/** A customer whose last purchase is older than this has left (lapsed). */
export const LAPSE_DAYS = 90;
const SAMPLE = 20_000;
const DAY_MS = 86_400_000;
const MONTH_SECONDS = 2629746;

export interface ModelReport {
  status: 'trained' | 'insufficient_history';
  version: number;
  reason?: string;
  features: readonly string[];
  label: string;
  trained_at?: string;
  training_cutoff?: string;
  label_window_end?: string;
  /** Examples at the cutoff, and how they were split: fit, calibration (Platt) and held-out test. */
  n?: number;
  trained_on?: number;
  trained_positives?: number;
  calibrated_on?: number;
  holdout_size?: number;
  intercept?: number;
  coefficients?: ChurnModel['coefficients'];
  calibration?: Calibration;
  auc?: number | null;
  brier?: number | null;
  /** On the held-out customers: the mean calibrated risk against the share who left. */
  holdout_predicted_mean?: number | null;
  holdout_observed_rate?: number | null;
}

/** The part of a trained report that scores a customer. */
export type ScoringModel = Required<Pick<ModelReport, 'intercept' | 'coefficients' | 'calibration'>>;

export const isScoringModel = (m: ModelReport | null | undefined): m is ModelReport & ScoringModel =>
  m?.status === 'trained' && m.version === CHURN_MODEL_VERSION && !!m.calibration;

/** A row of churnFeatureSql: the customer (from the purchases work table), whether they left, the features. */
const Features = computedRow<{ customer_id: string; churned: boolean; x: number[] }>(['customer_id', 'churned', 'x']);

/**
 * One row per customer with a purchase by the cutoff $2 (tenant $1): x, the FEATURES in order, from
 * rows dated at or before the cutoff only, and churned, whether no purchase followed within LAPSE_DAYS.
 * `scope(col)` restricts every source to some customers; `isActiveOnly` keeps those who bought in the
 * LAPSE_DAYS before the cutoff. Reads the refresh's ap_purchases work table.
 */
export function churnFeatureSql(scope: (col: string) => string, isActiveOnly: boolean) {
  const since = (col: string, days = LAPSE_DAYS) => `${col} > $2::timestamptz - interval '${days} days'`;
  const capped = (expr: string) => `least(coalesce(${expr}, 0), 5)`;
  return `
  WITH p AS (
    SELECT customer_id, max(occurred_at) FILTER (WHERE occurred_at <= $2::timestamptz) AS last_at, min(occurred_at) AS first_at,
           count(*) FILTER (WHERE occurred_at <= $2::timestamptz) AS orders,
           count(*) FILTER (WHERE occurred_at <= $2::timestamptz AND ${since('occurred_at', 365)}) AS orders_year,
           sum(amount) FILTER (WHERE occurred_at <= $2::timestamptz AND ${since('occurred_at')}) AS spend_recent,
           sum(amount) FILTER (WHERE occurred_at <= $2::timestamptz - interval '${LAPSE_DAYS} days' AND ${since('occurred_at', 2 * LAPSE_DAYS)}) AS spend_before,
           bool_or(occurred_at > $2::timestamptz) AS came_back
      FROM ap_purchases WHERE occurred_at <= $2::timestamptz + interval '${LAPSE_DAYS} days' AND ${scope('customer_id')}
     GROUP BY customer_id
    HAVING min(occurred_at) <= $2::timestamptz ${isActiveOnly ? `AND ${since(`max(occurred_at) FILTER (WHERE occurred_at <= $2::timestamptz)`)}` : ''}),
  fb AS (
    SELECT customer_id, (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'nps'))[1:2] AS nps,
           (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'csat'))[1:2] AS csat,
           (array_agg(score ORDER BY submitted_at DESC) FILTER (WHERE kind = 'ces'))[1:2] AS ces
      FROM survey_responses_v
     WHERE tenant_id = $1 AND status = 'complete' AND score IS NOT NULL AND customer_id IS NOT NULL AND kind IN ('nps', 'csat', 'ces')
       AND submitted_at <= $2::timestamptz AND ${scope('customer_id')}
     GROUP BY customer_id),
  -- A case was open at the cutoff if it is still open, or was resolved after it; won't-fix has no
  -- closing time and counts as closed. A target was missed by the cutoff if its due time had passed
  -- with the work not done by then.
  cs AS (
    SELECT customer_id, count(*) FILTER (WHERE ${since('created_at')}) AS recent, count(*) FILTER (WHERE ${since('created_at', 2 * LAPSE_DAYS)}) AS half_year,
           count(*) FILTER (WHERE status IN ('new', 'contacted') OR resolved_at > $2::timestamptz) AS open,
           count(*) FILTER (WHERE ${since('resolve_due_at')} AND resolve_due_at <= $2::timestamptz
                              AND (resolved_at > resolve_due_at OR (resolved_at IS NULL AND status IN ('new', 'contacted')))) AS breaches
      FROM cases_v WHERE tenant_id = $1 AND customer_id IS NOT NULL AND created_at <= $2::timestamptz AND ${scope('customer_id')} GROUP BY customer_id),
  cv AS (
    SELECT customer_id, count(*) FILTER (WHERE ${since('created_at')}) AS contacts,
           count(*) FILTER (WHERE status <> 'resolved' OR resolved_at > $2::timestamptz) AS unresolved,
           count(*) FILTER (WHERE ${since('created_at')} AND (
             (first_response_due_at <= $2::timestamptz AND coalesce(first_responded_at, 'infinity') > first_response_due_at)
             OR (resolution_due_at <= $2::timestamptz AND coalesce(resolved_at, 'infinity') > resolution_due_at))) AS breaches
      FROM conversations_v WHERE tenant_id = $1 AND merged_into IS NULL AND created_at <= $2::timestamptz AND ${scope('customer_id')} GROUP BY customer_id),
  mn AS (
    SELECT customer_id, count(*) AS n FROM mentions_v
     WHERE tenant_id = $1 AND customer_id IS NOT NULL AND sentiment = 'negative' AND published_at <= $2::timestamptz AND ${since('published_at')} AND ${scope('customer_id')}
     GROUP BY customer_id),
  lt AS (
    SELECT customer_id, count(*) AS n FROM ledger_transactions_v
     WHERE tenant_id = $1 AND occurred_at <= $2::timestamptz AND ${since('occurred_at')} AND ${scope('customer_id')} GROUP BY customer_id)
  SELECT p.customer_id, NOT coalesce(p.came_back, false) AS churned, ARRAY[
           extract(epoch FROM $2::timestamptz - p.last_at) / ${MONTH_SECONDS}.0, ln(1 + p.orders),
           ln(1 + coalesce(p.spend_recent, 0)) - ln(1 + coalesce(p.spend_before, 0)),
           extract(epoch FROM $2::timestamptz - p.first_at) / ${MONTH_SECONDS}.0, ln(1 + coalesce(lt.n, 0)),
           coalesce(fb.nps[1], 7), coalesce(fb.nps[1] - fb.nps[2], 0), coalesce(fb.csat[1], 4), coalesce(fb.csat[1] - fb.csat[2], 0),
           coalesce(fb.ces[1], 4), coalesce(fb.ces[1] - fb.ces[2], 0),
           ${capped('cs.open')}, ${capped('cs.recent')}, ${capped('cv.breaches, 0) + coalesce(cs.breaches')}, ln(1 + coalesce(cv.contacts, 0)),
           ${capped('cv.unresolved')}, ${capped('mn.n')},
           (p.orders_year < 3)::int, (p.last_at <= $2::timestamptz - interval '${LAPSE_DAYS / 2} days')::int,
           coalesce(fb.nps[1] <= 6, false)::int, coalesce(fb.nps[1] >= 9, false)::int, coalesce(fb.csat[1] <= 2, false)::int,
           (coalesce(cs.half_year, 0) > 0)::int
         ]::float8[] AS x
    FROM p LEFT JOIN fb ON fb.customer_id = p.customer_id LEFT JOIN cs ON cs.customer_id = p.customer_id LEFT JOIN cv ON cv.customer_id = p.customer_id
    LEFT JOIN mn ON mn.customer_id = p.customer_id LEFT JOIN lt ON lt.customer_id = p.customer_id`;
}

/**
 * Writes ap_churn_features (customer_id, x): the features as of `asOf` of the customers `scope` keeps,
 * for the refresh to score and keep beside each customer (the profile's "why at risk").
 */
export async function writeChurnFeatures(tx: pg.PoolClient, tenantId: string, asOf: Date, scope: (col: string) => string) {
  await tx.query(`CREATE TEMP TABLE ap_churn_features ON COMMIT DROP AS SELECT customer_id, x FROM (${churnFeatureSql(scope, false)}) f`, [tenantId, asOf]);
  await tx.query(`ANALYZE ap_churn_features`);
}

/** A stable split of customers by id (FNV-1a): 0-5 fit, 6-7 calibrate, 8-9 held out. */
function splitOf(customerId: string): 'fit' | 'calibrate' | 'test' {
  let h = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) h = Math.imul(h ^ customerId.charCodeAt(i), 0x01000193);
  const d = (h >>> 0) % 10;
  return d < 6 ? 'fit' : d < 8 ? 'calibrate' : 'test';
}

const round = (x: number | null, digits = 4) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * Trained on where the active customers stood at T-90 days and who of them left by T. The customers
 * are split by id: the logistic fit on 60%, Platt scaling on 20%, and AUC, Brier score and calibration
 * measured on the last 20%, which neither step saw. A big tenant's examples come from a fixed hash
 * bucket of its customers (about ten samples' worth), so features are aggregated for those only.
 */
export async function trainChurnModel(
  tx: pg.PoolClient,
  tenantId: string,
  asOf: Date,
  purchases: number,
): Promise<{ report: ModelReport; model: ScoringModel | null }> {
  const label = `active at the cutoff (a purchase in the ${LAPSE_DAYS} days before it) and no purchase in the ${LAPSE_DAYS} days after it`;
  const cutoff = new Date(asOf.getTime() - LAPSE_DAYS * DAY_MS);
  const base = {
    version: CHURN_MODEL_VERSION,
    features: FEATURES,
    label,
    trained_at: asOf.toISOString(),
    training_cutoff: cutoff.toISOString(),
    label_window_end: asOf.toISOString(),
  };
  const buckets = Math.max(1, Math.floor(purchases / (SAMPLE * 10)));
  const rows = await queryRows(
    tx,
    Features,
    `SELECT * FROM (${churnFeatureSql((col) => `abs(hashtext(${col})) % ${buckets} = 0`, true)}) f ORDER BY md5(customer_id) LIMIT ${SAMPLE}`,
    [tenantId, cutoff],
  );
  const sets: Record<ReturnType<typeof splitOf>, Example[]> = { fit: [], calibrate: [], test: [] };
  for (const r of rows) sets[splitOf(r.customer_id)].push({ x: r.x.map(Number), y: r.churned ? 1 : 0 });
  const positives = sets.fit.filter((e) => e.y === 1).length;
  if (positives < 5 || sets.fit.length - positives < 5) {
    return {
      model: null,
      report: {
        status: 'insufficient_history',
        ...base,
        n: rows.length,
        reason: `needs at least 5 customers who left and 5 who stayed after ${cutoff.toISOString().slice(0, 10)} among those the model is fitted on; found ${positives} and ${sets.fit.length - positives}`,
      },
    };
  }
  const fit = fitLogistic(sets.fit)!;
  // Without both outcomes among the calibration customers (a small tenant) the fit's own customers calibrate it.
  const calibrateOn = new Set(sets.calibrate.map((e) => e.y)).size === 2 ? sets.calibrate : sets.fit;
  const calibration = fitPlatt(
    calibrateOn.map((e) => logit(fit, e.x)),
    calibrateOn.map((e) => e.y),
  );
  const risks = sets.test.map((e) => predict(fit, e.x, calibration));
  const labels = sets.test.map((e) => e.y);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
  const model: ScoringModel = { intercept: fit.intercept, coefficients: fit.coefficients, calibration };
  return {
    model,
    report: {
      status: 'trained',
      ...base,
      n: rows.length,
      trained_on: fit.trained_on,
      trained_positives: fit.positives,
      calibrated_on: calibrateOn.length,
      holdout_size: sets.test.length,
      ...model,
      auc: round(auc(risks, labels)),
      brier: round(brier(risks, labels)),
      holdout_predicted_mean: round(mean(risks)),
      holdout_observed_rate: round(mean(labels)),
    },
  };
}
