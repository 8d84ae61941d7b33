// The figures the console shows: NPS, CSAT and CES with counts and 95% confidence intervals by
// touchpoint, channel, journey stage or survey and by time bucket; distributions; response rates;
// topics among detractors and promoters; customers who said they were satisfied and then left.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { feedbackTopicRollups, surveyInvitations, surveyResponses } from './schema.js';

const Sums = computedRow<{
  g: string;
  b: Date | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  satisfied: number;
  total: number;
  squares: number;
}>(['g', 'b', 'n', 'promoters', 'passives', 'detractors', 'satisfied', 'total', 'squares']);
const ScoreCount = rowOf(surveyResponses, ['score']).and<{ n: number }>(['n']);
const Rates = rowOf(surveyInvitations, ['survey_id']).and<{ invited: number; answered: number; partial: number }>(['invited', 'answered', 'partial']);
const TopicSums = rowOf(feedbackTopicRollups, ['topic']).and<{ detractors: number; promoters: number; negative: number; positive: number }>([
  'detractors',
  'promoters',
  'negative',
  'positive',
]);
const Satisfied = rowOf(surveyResponses, ['customer_id', 'kind', 'score', 'submitted_at']);

export const GROUPS = {
  none: `''`,
  touchpoint: `coalesce(touchpoint, '')`,
  channel: `coalesce(channel, '')`,
  journey_stage: `coalesce(journey_stage, '')`,
  survey: 'survey_id',
} as const;
export const BUCKETS = ['none', 'day', 'week', 'month'] as const;

export interface MeasureQuery {
  kind: 'nps' | 'csat' | 'ces';
  groupBy: keyof typeof GROUPS;
  bucket: (typeof BUCKETS)[number];
  from: Date;
  to: Date;
  surveyId?: string;
}

export interface ScoreRow {
  group: string;
  bucket: string | null;
  count: number;
  /** NPS: % promoters - % detractors; CSAT: % answering 4 or 5; CES: mean effort (1-7). */
  score: number;
  ci_low: number;
  ci_high: number;
  mean: number;
  promoters?: number;
  passives?: number;
  detractors?: number;
}

const Z95 = 1.959964;
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * NPS: each answer is +1 (9-10), 0 (7-8) or -1 (0-6); the NPS is 100 x their mean and its standard
 * error is sqrt((p + d - (p - d)^2) / n). CSAT: a proportion with the normal interval. CES: a mean
 * with the sample standard deviation. n = 1 gives a zero-width interval, flagged by count.
 */
export function scoreWithInterval(
  kind: MeasureQuery['kind'],
  a: { n: number; promoters: number; detractors: number; satisfied: number; mean: number; sd: number | null },
) {
  const { n } = a;
  if (kind === 'nps') {
    const p = a.promoters / n,
      d = a.detractors / n;
    const se = Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
    // The normal interval of a handful of answers runs past the scale; NPS cannot leave -100..100.
    return { score: round(100 * (p - d)), ci_low: round(100 * Math.max(-1, p - d - Z95 * se)), ci_high: round(100 * Math.min(1, p - d + Z95 * se)) };
  }
  if (kind === 'csat') {
    const p = a.satisfied / n;
    const se = Math.sqrt((p * (1 - p)) / n);
    return { score: round(100 * p), ci_low: round(100 * Math.max(0, p - Z95 * se)), ci_high: round(100 * Math.min(1, p + Z95 * se)) };
  }
  const se = (a.sd ?? 0) / Math.sqrt(n);
  return { score: round(a.mean), ci_low: round(a.mean - Z95 * se), ci_high: round(a.mean + Z95 * se) };
}

/** Whole UTC days: the rollups are daily, so a range covers every day it touches. */
function days(q: { from: Date; to: Date }) {
  const from = q.from.toISOString().slice(0, 10);
  const end = new Date(q.to.getTime() - 1);
  const to = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1)).toISOString().slice(0, 10);
  return { from, to };
}

export async function measureScores(db: Queryable, tenantId: string, q: MeasureQuery): Promise<ScoreRow[]> {
  const group = GROUPS[q.groupBy];
  const bucket = q.bucket === 'none' ? 'NULL::timestamptz' : `date_trunc('${q.bucket}', day::timestamp) AT TIME ZONE 'UTC'`;
  const bySurvey = q.surveyId ? 'AND survey_id = $5' : '';
  const d = days(q);
  const rows = await queryRows(
    db,
    Sums,
    `SELECT ${group} AS g, ${bucket} AS b, sum(n)::int AS n, sum(promoters)::int AS promoters, sum(passives)::int AS passives,
            sum(detractors)::int AS detractors, sum(satisfied)::int AS satisfied, sum(sum)::float8 AS total, sum(sum_squares)::float8 AS squares
       FROM feedback_rollups
      WHERE tenant_id = $1 AND kind = $2 AND day >= $3::date AND day < $4::date ${bySurvey}
      GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 2 NULLS FIRST, 1`,
    [tenantId, q.kind, d.from, d.to, ...(q.surveyId ? [q.surveyId] : [])],
  );
  return rows.map((r) => {
    const mean = r.total / r.n;
    const sd = r.n > 1 ? Math.sqrt(Math.max(0, (r.squares - (r.total * r.total) / r.n) / (r.n - 1))) : null;
    return {
      group: r.g,
      bucket: r.b ? r.b.toISOString() : null,
      count: r.n,
      ...scoreWithInterval(q.kind, { n: r.n, promoters: r.promoters, detractors: r.detractors, satisfied: r.satisfied, mean, sd }),
      mean: round(mean),
      ...(q.kind === 'nps' ? { promoters: r.promoters, passives: r.passives, detractors: r.detractors } : {}),
    };
  });
}

export async function scoreDistribution(db: Queryable, tenantId: string, q: MeasureQuery) {
  const bySurvey = q.surveyId ? 'AND survey_id = $5' : '';
  const rows = await queryRows(
    db,
    ScoreCount,
    `SELECT score, count(*)::int AS n FROM survey_responses
      WHERE tenant_id = $1 AND kind = $2 AND submitted_at >= $3 AND submitted_at < $4 AND score IS NOT NULL ${bySurvey}
      GROUP BY score ORDER BY score`,
    [tenantId, q.kind, q.from, q.to, ...(q.surveyId ? [q.surveyId] : [])],
  );
  return rows.map((r) => ({ score: r.score as number, count: r.n }));
}

/** Invitations issued in the range, and how many of them were answered (fully or in part). */
export async function responseRates(db: Queryable, tenantId: string, q: { from: Date; to: Date }) {
  const rows = await queryRows(
    db,
    Rates,
    `SELECT survey_id, count(*)::int AS invited, count(*) FILTER (WHERE status = 'answered')::int AS answered, count(*) FILTER (WHERE status = 'partial')::int AS partial
       FROM survey_invitations WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY survey_id ORDER BY survey_id`,
    [tenantId, q.from, q.to],
  );
  return rows.map((r) => ({
    survey_id: r.survey_id,
    invited: r.invited,
    answered: r.answered,
    partial: r.partial,
    response_rate: r.invited ? round((100 * r.answered) / r.invited) : 0,
  }));
}

/** Topics (from text analysis) among NPS detractors (0-6) against promoters (9-10), and how often each was named with a complaint or with praise. */
export async function topicsBySentiment(db: Queryable, tenantId: string, q: { from: Date; to: Date; limit?: number }) {
  const d = days(q);
  const rows = await queryRows(
    db,
    TopicSums,
    `SELECT topic, sum(detractors)::int AS detractors, sum(promoters)::int AS promoters, sum(negative)::int AS negative, sum(positive)::int AS positive FROM feedback_topic_rollups
      WHERE tenant_id = $1 AND kind = 'nps' AND day >= $2::date AND day < $3::date
      GROUP BY topic HAVING sum(n) > 0 ORDER BY sum(detractors) DESC, topic LIMIT $4`,
    [tenantId, d.from, d.to, q.limit ?? 20],
  );
  return rows.map((r) => ({
    topic: r.topic,
    detractors: r.detractors,
    promoters: r.promoters,
    negative: r.negative,
    positive: r.positive,
  }));
}

/**
 * Customers whose latest answer said satisfied (NPS 7-10 or CSAT 4-5), given at least `days` ago,
 * with no purchase since. Purchases are read from the marks this module keeps from purchase events.
 */
export async function satisfiedButLeft(db: Queryable, tenantId: string, q: { days: number; now: Date; limit?: number }) {
  const now = q.now;
  const rows = await queryRows(
    db,
    Satisfied,
    `WITH latest AS (
       SELECT DISTINCT ON (customer_id) customer_id, kind, score, submitted_at FROM survey_responses
        WHERE tenant_id = $1 AND customer_id IS NOT NULL AND kind IN ('nps','csat') AND submitted_at IS NOT NULL AND score IS NOT NULL AND submitted_at <= $2
        ORDER BY customer_id, submitted_at DESC)
     SELECT l.customer_id, l.kind, l.score, l.submitted_at FROM latest l
      WHERE ((l.kind = 'nps' AND l.score >= 7) OR (l.kind = 'csat' AND l.score >= 4))
        AND l.submitted_at <= $2::timestamptz - make_interval(days => $3)
        AND NOT EXISTS (SELECT 1 FROM feedback_marks m WHERE m.tenant_id = $1 AND m.customer_id = l.customer_id AND m.event_type = 'purchase' AND m.last_at > l.submitted_at)
      ORDER BY l.submitted_at LIMIT $4`,
    [tenantId, now, q.days, q.limit ?? 100],
  );
  return rows.map((r) => ({
    customer_id: r.customer_id as string,
    kind: r.kind,
    score: r.score as number,
    answered_at: (r.submitted_at as Date).toISOString(),
  }));
}
