// The daily sums dashboards read (see feedback_rollups in schema.ts): added to by the statement or
// transaction that completes a response, adjusted when text analysis changes a response's topics,
// rebuilt on demand (after a bulk load straight into the table, for example). One SQL adds to them.
import type { Queryable } from '../../platform/db.js';

/** What the sums read of a response, as columns of survey_responses (or of rows RETURNING them). */
export const SUMMED_COLUMNS =
  "kind, (submitted_at AT TIME ZONE 'UTC')::date AS day, survey_id, touchpoint, channel, journey_stage, score, topics, topic_sentiments";

/**
 * Adding completed responses to the daily sums and the topic sums, as two parts of the caller's
 * statement: `responses` is a relation (a WITH name, or a parenthesised query) yielding SUMMED_COLUMNS;
 * the tenant is the statement's $1. Rows are added in key order, so two writers adding to the same
 * rows lock them in the same order; a response's topic counts once however often it was named.
 */
export function addToSumsSql(responses: string): { sums: string; topicSums: string } {
  return {
    sums: `INSERT INTO feedback_rollups AS f (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage, n, promoters, passives, detractors, satisfied, sum, sum_squares)
       SELECT $1, r.kind, r.day, r.survey_id, coalesce(r.touchpoint, ''), coalesce(r.channel, ''), coalesce(r.journey_stage, ''), count(*), count(*) FILTER (WHERE r.score >= 9),
              count(*) FILTER (WHERE r.score BETWEEN 7 AND 8), count(*) FILTER (WHERE r.score <= 6), count(*) FILTER (WHERE r.score >= 4), sum(r.score), sum(r.score * r.score)
         FROM ${responses} AS r WHERE r.day IS NOT NULL AND r.score IS NOT NULL GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
       ON CONFLICT (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage) DO UPDATE SET
         n = f.n + excluded.n, promoters = f.promoters + excluded.promoters, passives = f.passives + excluded.passives, detractors = f.detractors + excluded.detractors,
         satisfied = f.satisfied + excluded.satisfied, sum = f.sum + excluded.sum, sum_squares = f.sum_squares + excluded.sum_squares`,
    topicSums: `INSERT INTO feedback_topic_rollups AS f (tenant_id, kind, day, topic, n, detractors, promoters, negative, positive)
       SELECT $1, r.kind, r.day, t.topic, count(*), count(*) FILTER (WHERE r.score <= 6), count(*) FILTER (WHERE r.score >= 9),
              count(*) FILTER (WHERE r.topic_sentiments->>t.topic = 'negative'), count(*) FILTER (WHERE r.topic_sentiments->>t.topic = 'positive')
         FROM ${responses} AS r CROSS JOIN LATERAL (SELECT DISTINCT unnest(r.topics) AS topic) t WHERE r.day IS NOT NULL GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
       ON CONFLICT (tenant_id, kind, day, topic) DO UPDATE SET n = f.n + excluded.n, detractors = f.detractors + excluded.detractors, promoters = f.promoters + excluded.promoters,
         negative = f.negative + excluded.negative, positive = f.positive + excluded.positive`,
  };
}

/** Adds stored responses (completed in the caller's transaction) to the sums, in one statement. */
export async function addResponsesToSums(db: Queryable, tenantId: string, responseIds: string[]) {
  const { sums, topicSums } = addToSumsSql('r0');
  await db.query(
    `WITH r0 AS (SELECT ${SUMMED_COLUMNS} FROM survey_responses WHERE tenant_id = $1 AND id = ANY($2::text[]) AND status = 'complete'),
          sums AS (${sums}), topic_sums AS (${topicSums})
     SELECT 1`,
    [tenantId, responseIds],
  );
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A response's topics with the polarity of each (a topic missing from `sentiments` was named without one). */
export interface TopicReading {
  topics: string[];
  sentiments?: Record<string, string>;
}

/** Moves a response's topics from `before` to `after` in the topic sums (sign -1 then +1), polarity counts with them. */
export async function moveTopics(
  db: Queryable,
  tenantId: string,
  r: { kind: string; at: Date; score: number | null },
  before: TopicReading,
  after: TopicReading,
) {
  const changes = new Map<string, { n: number; negative: number; positive: number }>();
  const add = (reading: TopicReading, sign: number) => {
    for (const t of new Set(reading.topics)) {
      const c = changes.get(t) ?? { n: 0, negative: 0, positive: 0 };
      c.n += sign;
      if (reading.sentiments?.[t] === 'negative') c.negative += sign;
      if (reading.sentiments?.[t] === 'positive') c.positive += sign;
      changes.set(t, c);
    }
  };
  add(before, -1);
  add(after, 1);
  const list = [...changes.entries()].filter(([, c]) => c.n || c.negative || c.positive).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!list.length) return;
  const isDetractor = r.score !== null && r.score <= 6 ? 1 : 0;
  const isPromoter = r.score !== null && r.score >= 9 ? 1 : 0;
  await db.query(
    `INSERT INTO feedback_topic_rollups AS f (tenant_id, kind, day, topic, n, detractors, promoters, negative, positive)
     SELECT $1, $2, $3::date, t.topic, t.delta, t.delta * $6::int, t.delta * $7::int, t.negative, t.positive FROM unnest($4::text[], $5::int[], $8::int[], $9::int[]) AS t(topic, delta, negative, positive)
     ON CONFLICT (tenant_id, kind, day, topic) DO UPDATE SET n = f.n + excluded.n, detractors = f.detractors + excluded.detractors, promoters = f.promoters + excluded.promoters,
       negative = f.negative + excluded.negative, positive = f.positive + excluded.positive`,
    [
      tenantId,
      r.kind,
      day(r.at),
      list.map(([t]) => t),
      list.map(([, c]) => c.n),
      isDetractor,
      isPromoter,
      list.map(([, c]) => c.negative),
      list.map(([, c]) => c.positive),
    ],
  );
}

/** Recomputes a tenant's sums from its responses. */
export async function rebuildRollups(db: Queryable, tenantId: string) {
  await db.query('DELETE FROM feedback_rollups WHERE tenant_id = $1', [tenantId]);
  await db.query('DELETE FROM feedback_topic_rollups WHERE tenant_id = $1', [tenantId]);
  const { sums, topicSums } = addToSumsSql(`(SELECT ${SUMMED_COLUMNS} FROM survey_responses WHERE tenant_id = $1 AND submitted_at IS NOT NULL)`);
  await db.query(sums, [tenantId]);
  await db.query(topicSums, [tenantId]);
}
