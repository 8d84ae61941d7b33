// Reputation: mention volume and sentiment over time, and share of voice across the watch-list's angles.
import type { Queryable } from '../../platform/db.js';
import { computedRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { analyticsMentions } from './schema.js';
import { checkApplies, rangeOf, dimFilters, notApplied, type MeasureQuery } from './filters.js';
import { frame, ratio, type Measured, type RefreshState } from './measured.js';

/** Angles that speak of the company itself, against which competitors' share is measured. */
const OWN_ANGLES = ['company', 'brand', 'product', 'executive', 'spokesperson', 'slogan', 'ip'];

const MentionSums = computedRow<{ period: string; mentions: number; positive: number; negative: number; reach: number }>([
  'period',
  'mentions',
  'positive',
  'negative',
  'reach',
]);
const AngleSums = rowOf(analyticsMentions, ['angle']).and<{ mentions: number; negative: number; positive: number }>(['mentions', 'negative', 'positive']);

export async function measureReputation(db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('reputation', ['interval'], q);
  // Mentions are public posts by anyone: most authors are not customers, so customer dims would
  // measure a sliver of the volume and call it reputation.
  const why = 'mentions are public posts, mostly by people who are not customers';
  const skipped = notApplied(q, { segment: why, tier: why, store: why, touchpoint: 'mentions have no touchpoint' });
  const range = rangeOf(q, state.asOf);
  const interval = q.interval ?? 'week';
  const params: unknown[] = [tenantId, range.from, range.to, interval];
  const dims = dimFilters(q, ['channel'], params);
  const angleParams: unknown[] = [tenantId, range.from, range.to];
  const angleDims = dimFilters(q, ['channel'], angleParams);
  const [trend, angles] = await Promise.all([
    queryRows(
      db,
      MentionSums,
      `SELECT to_char(date_trunc($4, day), 'YYYY-MM-DD') AS period, sum(n)::int AS mentions,
                     coalesce(sum(n) FILTER (WHERE sentiment = 'positive'), 0)::int AS positive, coalesce(sum(n) FILTER (WHERE sentiment = 'negative'), 0)::int AS negative,
                     sum(reach)::float8 AS reach
                FROM analytics_mentions WHERE tenant_id = $1 AND angle = '*' AND day >= $2 AND day <= $3 ${dims}
               GROUP BY 1 ORDER BY 1`,
      params,
    ),
    queryRows(
      db,
      AngleSums,
      `SELECT angle, sum(n)::int AS mentions, coalesce(sum(n) FILTER (WHERE sentiment = 'negative'), 0)::int AS negative,
                     coalesce(sum(n) FILTER (WHERE sentiment = 'positive'), 0)::int AS positive
                FROM analytics_mentions WHERE tenant_id = $1 AND angle <> '*' AND day >= $2 AND day <= $3 ${angleDims}
               GROUP BY 1 ORDER BY 2 DESC, 1`,
      angleParams,
    ),
  ]);
  const series = trend.map((r) => ({ ...r, negative_share: ratio(r.negative, r.mentions), net_sentiment: ratio(r.positive - r.negative, r.mentions) }));
  const allAngles = angles.reduce((s, r) => s + r.mentions, 0);
  const voice = angles.map((r) => ({
    angle: r.angle,
    mentions: r.mentions,
    positive: r.positive,
    negative: r.negative,
    share_of_voice: ratio(r.mentions, allAngles),
  }));
  const own = voice.filter((v) => OWN_ANGLES.includes(v.angle)).reduce((s, v) => s + v.mentions, 0);
  const competitor = voice.find((v) => v.angle === 'competitor')?.mentions ?? 0;
  const mentions = series.reduce((s, r) => s + r.mentions, 0);
  const negative = series.reduce((s, r) => s + r.negative, 0);
  const positive = series.reduce((s, r) => s + r.positive, 0);
  const summary = {
    mentions,
    positive,
    negative,
    negative_share: ratio(negative, mentions),
    net_sentiment: ratio(positive - negative, mentions),
    own_share_of_voice: ratio(own, own + competitor),
  };
  return {
    body: { ...frame(state, q, range, skipped), interval, ...summary, trend: series, angles: voice },
    tables: { trend: series, angles: voice, summary: [summary] },
  };
}
