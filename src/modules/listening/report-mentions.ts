// Figures for the console: share of voice against competitors, and the sentiment trend per angle.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows } from '../../platform/query-rows.js';

const Voice = computedRow<{ name: string; mentions: number; negative: number; positive: number }>(['name', 'mentions', 'negative', 'positive']);
const Trend = computedRow<{ angle: string; period: string; mentions: number; positive: number; negative: number; average_score: number }>([
  'angle',
  'period',
  'mentions',
  'positive',
  'negative',
  'average_score',
]);

/** Mentions per watched name: the company's own names against each competitor term. */
export async function shareOfVoice(db: Queryable, tenantId: string, from: Date, to: Date) {
  const rows = await queryRows(
    db,
    Voice,
    `SELECT CASE WHEN w.angle = 'competitor' THEN w.term ELSE 'us' END AS name,
            count(DISTINCT m.id)::int AS mentions,
            count(DISTINCT m.id) FILTER (WHERE m.sentiment = 'negative')::int AS negative,
            count(DISTINCT m.id) FILTER (WHERE m.sentiment = 'positive')::int AS positive
       FROM listening_mentions m
       JOIN listening_watch_terms w ON w.tenant_id = m.tenant_id AND m.matched_terms ? w.term
      WHERE m.tenant_id = $1 AND m.published_at >= $2 AND m.published_at < $3
        AND w.angle IN ('company', 'brand', 'product', 'competitor')
      GROUP BY 1 ORDER BY 2 DESC, 1`,
    [tenantId, from, to],
  );
  const total = rows.reduce((a, r) => a + r.mentions, 0);
  return rows.map((r) => ({ name: r.name, mentions: r.mentions, share: total ? r.mentions / total : 0, positive: r.positive, negative: r.negative }));
}

export async function sentimentTrend(db: Queryable, tenantId: string, from: Date, to: Date, bucket: 'day' | 'week') {
  const rows = await queryRows(
    db,
    Trend,
    `SELECT a AS angle, to_char(date_trunc($4::text, m.published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS period,
            count(*)::int AS mentions,
            count(*) FILTER (WHERE m.sentiment = 'positive')::int AS positive,
            count(*) FILTER (WHERE m.sentiment = 'negative')::int AS negative,
            avg(m.score)::float AS average_score
       FROM listening_mentions m, jsonb_array_elements_text(m.angles) a
      WHERE m.tenant_id = $1 AND m.published_at >= $2 AND m.published_at < $3
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [tenantId, from, to, bucket],
  );
  return rows.map((r) => ({
    angle: r.angle,
    period: r.period,
    mentions: r.mentions,
    positive: r.positive,
    negative: r.negative,
    average_score: Math.round(r.average_score * 1000) / 1000,
  }));
}
