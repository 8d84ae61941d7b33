// Experience: NPS, CSAT and CES trends with 95 % confidence intervals and a CX index per touchpoint.
// The drivers of NPS, from the same answers, are measure-drivers.ts.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { scoreWithInterval } from '../feedback/index.js';
import { checkApplies, rangeOf, dimFilters, dimValue, param, DIMS, type MeasureQuery, type Range } from './filters.js';
import { AppError } from '../../platform/errors.js';
import { frame, round2, type Measured, type RefreshState } from './measured.js';
import { rollup } from './rollup-tables.js';
import { topicPatternSql } from './write-period-rollups.js';
import { analyticsExperience } from './schema.js';

type Kind = 'nps' | 'csat' | 'ces';
interface Sums {
  n: number;
  promoters: number;
  detractors: number;
  satisfied: number;
  sum: number;
  squares: number;
}
// What SUMS selects; the answers' relation has the columns of analytics_experience (answersSource).
const SUM_KEYS = ['n', 'promoters', 'detractors', 'satisfied', 'sum', 'squares'] as const;
const Trend = rowOf(analyticsExperience, ['kind']).and<{ period: string } & Sums>(['period', ...SUM_KEYS]);
const TouchpointSums = rowOf(analyticsExperience, ['touchpoint', 'kind']).and<Sums>(SUM_KEYS);

function scored(kind: Kind, s: Sums) {
  const mean = s.sum / s.n;
  const sd = s.n > 1 ? Math.sqrt(Math.max(0, (s.squares - (s.sum * s.sum) / s.n) / (s.n - 1))) : null;
  return { n: s.n, ...scoreWithInterval(kind, { n: s.n, promoters: s.promoters, detractors: s.detractors, satisfied: s.satisfied, mean, sd }) };
}

/**
 * The answers' sums by period (of `grain`), kind, touchpoint, channel, segment and tier under the
 * filters, as a relation. The roll-up's dims 0 grouping has no store, its dims 1 grouping no segment or
 * tier; a store with a segment or tier is read from the answers of that store's customers within the
 * range (the customers' store index, then the answers' customer index: a few percent of either), and
 * a saved segment from its members' answers (the roll-ups are summed by RFM segment only).
 */
export function answersSource(q: MeasureQuery, params: unknown[], grain: 'week' | 'month', asOf: Date, range: Range): string {
  if (!q.members && (q.store === undefined || (q.segment === undefined && q.tier === undefined))) {
    return `(SELECT * FROM ${rollup('analytics_experience', q.store === undefined ? 0 : 1)} WHERE tenant_id = $1 AND grain = ${param(params, grain)} ${dimFilters(q, DIMS, params)})`;
  }
  const g = param(params, grain);
  return `(SELECT date_trunc(${g}, r.submitted_at AT TIME ZONE 'UTC')::date AS period, r.kind, coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,
                  f.segment, f.tier, ${topicPatternSql('r')} AS topics,
                  1 AS n, (r.kind = 'nps' AND r.score >= 9)::int AS promoters, (r.kind = 'nps' AND r.score <= 6)::int AS detractors,
                  (r.kind = 'csat' AND r.score >= 4)::int AS satisfied, r.score AS sum, r.score * r.score AS sum_squares
             FROM analytics_customers f JOIN survey_responses_v r ON r.tenant_id = $1 AND r.customer_id = f.customer_id
            WHERE f.tenant_id = $1 AND r.status = 'complete' AND r.score IS NOT NULL AND r.kind IN ('nps', 'csat', 'ces') AND r.submitted_at <= ${param(params, asOf)}
                  AND r.submitted_at >= date_trunc(${g}, ${param(params, range.from)}::date) AND r.submitted_at < ${param(params, range.to)}::date + 1
                  ${dimFilters(q, ['store', 'segment', 'tier'], params, 'f.')}
                  ${(['channel', 'touchpoint'] as const)
                    .filter((d) => q[d] !== undefined)
                    .map((d) => `AND coalesce(r.${d}, '') = ${param(params, dimValue(q, d))}`)
                    .join(' ')})`;
}

const SUMS = `sum(n)::int AS n, sum(promoters)::int AS promoters, sum(detractors)::int AS detractors, sum(satisfied)::int AS satisfied,
  sum(sum)::float8 AS sum, sum(sum_squares)::float8 AS squares`;

export async function measureExperience(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('experience', ['interval'], q);
  const range = rangeOf(q, state.asOf);
  const grain = q.interval === 'week' ? 'week' : 'month';
  if (q.interval === 'day')
    throw new AppError(422, 'FILTER_NOT_APPLICABLE', 'Experience trends are weekly or monthly', [
      { field: 'interval', message: 'must be week or month for experience' },
    ]);
  const params: unknown[] = [tenantId];
  const src = answersSource(q, params, grain, state.asOf, range);
  const g = param(params, grain);
  const rows = await queryRows(
    db,
    Trend,
    `SELECT to_char(period, 'YYYY-MM-DD') AS period, kind, ${SUMS} FROM ${src} x
      WHERE period >= date_trunc(${g}, ${param(params, range.from)}::date)::date AND period <= ${param(params, range.to)}::date
      GROUP BY period, kind ORDER BY period, kind`,
    params,
  );
  const trend = rows.map((r) => ({ period: r.period, kind: r.kind, ...scored(r.kind as Kind, r) }));
  const totals = (['nps', 'csat', 'ces'] as Kind[]).map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    const s = of.reduce(
      (a, r) => ({
        n: a.n + r.n,
        promoters: a.promoters + r.promoters,
        detractors: a.detractors + r.detractors,
        satisfied: a.satisfied + r.satisfied,
        sum: a.sum + r.sum,
        squares: a.squares + r.squares,
      }),
      { n: 0, promoters: 0, detractors: 0, satisfied: 0, sum: 0, squares: 0 },
    );
    return s.n ? { kind, ...scored(kind, s) } : { kind, n: 0, score: null, ci_low: null, ci_high: null };
  });
  return { body: { ...frame(state, q, range), interval: grain, totals, trend }, tables: { trend, totals } };
}

export async function measureCxIndex(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('CX index', [], q);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId];
  const src = answersSource(q, params, 'month', state.asOf, range);
  const rows = await queryRows(
    db,
    TouchpointSums,
    `SELECT touchpoint, kind, ${SUMS} FROM ${src} x
      WHERE period >= ${param(params, range.fromMonth)} AND period <= ${param(params, range.toMonth)}
      GROUP BY touchpoint, kind ORDER BY touchpoint, kind`,
    params,
  );
  const byTouchpoint = new Map<string, Partial<Record<Kind, Sums>>>();
  for (const r of rows) byTouchpoint.set(r.touchpoint, { ...byTouchpoint.get(r.touchpoint), [r.kind]: r });
  // Each component on 0-100: NPS (-100..100) moved to (NPS + 100) / 2; CSAT as % satisfied; CES (1-7,
  // lower is less effort) as (7 - mean) / 6 x 100. The index is the mean of the components answered.
  const touchpoints = [...byTouchpoint]
    .map(([touchpoint, k]) => {
      const nps = k.nps ? (100 * (k.nps.promoters - k.nps.detractors)) / k.nps.n : null;
      const csat = k.csat ? (100 * k.csat.satisfied) / k.csat.n : null;
      const ces = k.ces ? k.ces.sum / k.ces.n : null;
      const parts = [nps === null ? null : (nps + 100) / 2, csat, ces === null ? null : ((7 - ces) / 6) * 100].filter((x): x is number => x !== null);
      return {
        touchpoint: touchpoint || null,
        cx_index: parts.length ? round2(parts.reduce((s, x) => s + x, 0) / parts.length) : null,
        nps: nps === null ? null : round2(nps),
        nps_answers: k.nps?.n ?? 0,
        csat: csat === null ? null : round2(csat),
        csat_answers: k.csat?.n ?? 0,
        ces: ces === null ? null : round2(ces),
        ces_answers: k.ces?.n ?? 0,
      };
    })
    .sort((a, b) => (b.cx_index ?? -1) - (a.cx_index ?? -1));
  return { body: { ...frame(state, q, range), touchpoints }, tables: { touchpoints } };
}
