// The daily sums dashboards read (see feedback_rollups in schema.ts): added to in the transaction that
// completes a response, adjusted when text analysis changes a response's topics, rebuilt on demand
// (after a bulk load straight into the table, for example).
import type { Queryable } from '../../platform/db.js';

export interface RollupItem { at: Date; kind: string; surveyId: string; touchpoint: string | null; channel: string | null; journeyStage: string | null; score: number | null }

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function addToRollups(db: Queryable, tenantId: string, items: RollupItem[]) {
  const sums = new Map<string, { k: string[]; n: number; p: number; pa: number; d: number; s: number; sum: number; sq: number }>();
  for (const i of items) {
    if (i.score === null) continue;
    const k = [i.kind, day(i.at), i.surveyId, i.touchpoint ?? '', i.channel ?? '', i.journeyStage ?? ''];
    const key = k.join('\u0001');
    const e = sums.get(key) ?? { k, n: 0, p: 0, pa: 0, d: 0, s: 0, sum: 0, sq: 0 };
    e.n++; e.sum += i.score; e.sq += i.score * i.score;
    if (i.score >= 9) e.p++; else if (i.score >= 7) e.pa++; else e.d++;
    if (i.score >= 4) e.s++;
    sums.set(key, e);
  }
  if (!sums.size) return;
  // Sorted, so two transactions adding to the same rows lock them in the same order.
  const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await db.query(
    `INSERT INTO feedback_rollups AS f (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage, n, promoters, passives, detractors, satisfied, sum, sum_squares)
     SELECT $1, * FROM unnest($2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::bigint[], $14::bigint[])
     ON CONFLICT (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage) DO UPDATE SET
       n = f.n + excluded.n, promoters = f.promoters + excluded.promoters, passives = f.passives + excluded.passives, detractors = f.detractors + excluded.detractors,
       satisfied = f.satisfied + excluded.satisfied, sum = f.sum + excluded.sum, sum_squares = f.sum_squares + excluded.sum_squares`,
    [tenantId, col((r) => r.k[0]), col((r) => r.k[1]), col((r) => r.k[2]), col((r) => r.k[3]), col((r) => r.k[4]), col((r) => r.k[5]),
      col((r) => r.n), col((r) => r.p), col((r) => r.pa), col((r) => r.d), col((r) => r.s), col((r) => r.sum), col((r) => r.sq)],
  );
}

/** Moves a response's topics from `before` to `after` in the topic sums (sign -1 then +1). */
export async function moveTopics(db: Queryable, tenantId: string, r: { kind: string; at: Date; score: number | null }, before: string[], after: string[]) {
  const changes = new Map<string, number>();
  for (const t of new Set(before)) changes.set(t, (changes.get(t) ?? 0) - 1);
  for (const t of new Set(after)) changes.set(t, (changes.get(t) ?? 0) + 1);
  const list = [...changes.entries()].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!list.length) return;
  const isDetractor = r.score !== null && r.score <= 6 ? 1 : 0;
  const isPromoter = r.score !== null && r.score >= 9 ? 1 : 0;
  await db.query(
    `INSERT INTO feedback_topic_rollups AS f (tenant_id, kind, day, topic, n, detractors, promoters)
     SELECT $1, $2, $3::date, t.topic, t.delta, t.delta * $6::int, t.delta * $7::int FROM unnest($4::text[], $5::int[]) AS t(topic, delta)
     ON CONFLICT (tenant_id, kind, day, topic) DO UPDATE SET n = f.n + excluded.n, detractors = f.detractors + excluded.detractors, promoters = f.promoters + excluded.promoters`,
    [tenantId, r.kind, day(r.at), list.map(([t]) => t), list.map(([, v]) => v), isDetractor, isPromoter],
  );
}

/** Recomputes a tenant's sums from its responses. */
export async function rebuildRollups(db: Queryable, tenantId: string) {
  await db.query('DELETE FROM feedback_rollups WHERE tenant_id = $1', [tenantId]);
  await db.query('DELETE FROM feedback_topic_rollups WHERE tenant_id = $1', [tenantId]);
  await db.query(
    `INSERT INTO feedback_rollups (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage, n, promoters, passives, detractors, satisfied, sum, sum_squares)
     SELECT tenant_id, kind, (submitted_at AT TIME ZONE 'UTC')::date, survey_id, coalesce(touchpoint, ''), coalesce(channel, ''), coalesce(journey_stage, ''),
            count(*), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score BETWEEN 7 AND 8), count(*) FILTER (WHERE score <= 6),
            count(*) FILTER (WHERE score >= 4), sum(score), sum(score * score)
       FROM survey_responses WHERE tenant_id = $1 AND submitted_at IS NOT NULL AND score IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO feedback_topic_rollups (tenant_id, kind, day, topic, n, detractors, promoters)
     SELECT r.tenant_id, r.kind, (r.submitted_at AT TIME ZONE 'UTC')::date, t.topic, count(*), count(*) FILTER (WHERE r.score <= 6), count(*) FILTER (WHERE r.score >= 9)
       FROM survey_responses r CROSS JOIN LATERAL unnest(r.topics) AS t(topic)
      WHERE r.tenant_id = $1 AND r.submitted_at IS NOT NULL AND r.topics <> '{}' GROUP BY 1, 2, 3, 4`,
    [tenantId],
  );
}
