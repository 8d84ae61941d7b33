// The time-keyed roll-ups: experience and drivers by week and month, conversations, messages and
// cases by day, points by month, mentions by day; each rebuilt whole or for the periods whose source
// rows changed. The customer's dims come from analytics_customers as rewritten just before.
import { intoBoth, rollup, type Q } from './rollup-tables.js';

/**
 * A response's topics as the driver regression reads them, sorted and joined by '|': a topic named
 * with a complaint or with praise carries its polarity ("delivery:negative", "staff:positive"), so that
 * delivery blamed and delivery praised are two drivers; one named without an opinion stays bare.
 */
export function topicPatternSql(r: string): string {
  return `array_to_string(ARRAY(SELECT DISTINCT t || CASE ${r}.topic_sentiments->>t WHEN 'negative' THEN ':negative' WHEN 'positive' THEN ':positive' ELSE '' END
            FROM unnest(${r}.topics) t WHERE t <> '' ORDER BY 1), '|')`;
}

/**
 * The time-keyed roll-ups, each rebuilt for the periods a `scope` names: in a full refresh every period
 * (scope empty), in an incremental one the days, weeks or months whose source rows changed (temp tables
 * ap_response_periods, ap_conversation_days, ap_message_days, ap_case_days, ap_point_months,
 * ap_mention_days). The customer's dims come from analytics_customers as rewritten just before.
 */
export async function writePeriodRollups(q: Q, tenantId: string, asOf: Date, timezone: string, scoped: boolean) {
  const inScope = (expr: string, table: string) => (scoped ? `AND ${expr} IN (SELECT period FROM ${table})` : '');
  const responses = `SELECT r.kind, r.score, r.submitted_at, coalesce(r.touchpoint, '') AS touchpoint, coalesce(r.channel, '') AS channel,
           coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store, r.topics, r.topic_sentiments
      FROM survey_responses_v r LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = r.customer_id
     WHERE r.tenant_id = $1 AND r.status = 'complete' AND r.score IS NOT NULL AND r.kind IN ('nps', 'csat', 'ces') AND r.submitted_at <= $2
       ${scoped ? `AND r.submitted_at >= (SELECT min(period) FROM ap_response_periods)` : ''}`;
  const periodOf = (grain: string) => `date_trunc(${grain}, r.submitted_at AT TIME ZONE 'UTC')::date`;
  if (scoped) {
    for (const d of [0, 1] as const) {
      await q(
        `DELETE FROM ${rollup('analytics_experience', d)} e USING ap_response_periods p WHERE e.tenant_id = $1 AND e.grain = p.grain AND e.period = p.period`,
      );
      await q(
        `DELETE FROM ${rollup('analytics_drivers', d)} x USING ap_response_periods p WHERE x.tenant_id = $1 AND p.grain = 'month' AND x.month = p.period`,
      );
    }
  }
  // Two groupings: dims 0 by touchpoint, channel, segment and tier; dims 1 by touchpoint, channel and
  // store (GROUPING(segment) is 1 exactly there).
  await q(
    intoBoth(
      'analytics_experience',
      'tenant_id, dims, grain, period, kind, touchpoint, channel, segment, tier, store, n, promoters, detractors, satisfied, sum, sum_squares',
      `
    SELECT $1, GROUPING(segment), grain, period, kind, touchpoint, channel, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''), count(*),
           count(*) FILTER (WHERE kind = 'nps' AND score >= 9), count(*) FILTER (WHERE kind = 'nps' AND score <= 6),
           count(*) FILTER (WHERE kind = 'csat' AND score >= 4), sum(score), sum(score * score)
      FROM (SELECT g.grain, ${periodOf('g.grain')} AS period, r.* FROM (${responses}) r CROSS JOIN (VALUES ('week'), ('month')) g(grain)
             ${scoped ? `WHERE (g.grain, ${periodOf('g.grain')}) IN (SELECT grain, period FROM ap_response_periods)` : ''}) x
     GROUP BY GROUPING SETS ((grain, period, kind, touchpoint, channel, segment, tier), (grain, period, kind, touchpoint, channel, store))`,
      '',
    ),
    [tenantId, asOf],
  );
  await q(
    intoBoth(
      'analytics_drivers',
      'tenant_id, dims, month, touchpoint, topics, channel, segment, tier, store, n, sum, sum_squares, promoters, detractors',
      `
    SELECT $1, GROUPING(segment), month, touchpoint, topics, channel, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''),
           count(*), sum(score), sum(score * score), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score <= 6)
      FROM (SELECT ${periodOf(`'month'`)} AS month, ${topicPatternSql('r')} AS topics,
                   r.touchpoint, r.channel, r.segment, r.tier, r.store, r.score
              FROM (${responses}) r WHERE r.kind = 'nps' ${scoped ? `AND ${periodOf(`'month'`)} IN (SELECT period FROM ap_response_periods WHERE grain = 'month')` : ''}) x
     GROUP BY GROUPING SETS ((month, touchpoint, topics, channel, segment, tier), (month, touchpoint, topics, channel, store))`,
      '',
    ),
    [tenantId, asOf],
  );

  // First responses count on the day the conversation opened, resolutions on the day they happened. A
  // target counts once it is decided: met, or its due time has passed by the refresh.
  if (scoped) await q(`DELETE FROM analytics_conversations WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_conversation_days)`);
  await q(
    `INSERT INTO analytics_conversations (tenant_id, day, channel, segment, tier, store, opened, first_responses, first_response_seconds, first_response_targets, first_response_met,
             resolved, resolution_seconds, resolution_targets, resolution_met)
    SELECT $1, x.day, x.channel, coalesce(f.segment, ''), coalesce(f.tier, ''), coalesce(f.store, ''), sum(opened), sum(fr), sum(frs), sum(frt), sum(frm), sum(res), sum(ress), sum(rest), sum(resm)
      FROM (
        SELECT customer_id, (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(last_channel_kind, '') AS channel, 1 AS opened,
               (first_responded_at IS NOT NULL)::int AS fr, coalesce(extract(epoch FROM first_responded_at - created_at), 0) AS frs,
               (first_response_due_at IS NOT NULL AND (first_responded_at IS NOT NULL OR first_response_due_at <= $2))::int AS frt,
               coalesce(first_responded_at <= first_response_due_at, false)::int AS frm,
               0 AS res, 0 AS ress, 0 AS rest, 0 AS resm
          FROM conversations_v WHERE tenant_id = $1 AND merged_into IS NULL AND created_at <= $2 ${inScope(`(created_at AT TIME ZONE 'UTC')::date`, 'ap_conversation_days')}
        UNION ALL
        SELECT customer_id, (resolved_at AT TIME ZONE 'UTC')::date, coalesce(last_channel_kind, ''), 0, 0, 0, 0, 0,
               1, extract(epoch FROM resolved_at - created_at), (resolution_due_at IS NOT NULL)::int, coalesce(resolved_at <= resolution_due_at, false)::int
          FROM conversations_v WHERE tenant_id = $1 AND merged_into IS NULL AND resolved_at IS NOT NULL AND resolved_at <= $2 ${inScope(`(resolved_at AT TIME ZONE 'UTC')::date`, 'ap_conversation_days')}
      ) x LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = x.customer_id
     GROUP BY 2, 3, 4, 5, 6`,
    [tenantId, asOf],
  );

  const localDay = `(m.created_at AT TIME ZONE $3)::date`;
  if (scoped)
    for (const d of [0, 1] as const)
      await q(`DELETE FROM ${rollup('analytics_messages', d)} WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_message_days)`);
  // GROUPING(x) is 1 where x is not grouped: the narrow grouping is dims 0, the wide one dims 1.
  await q(
    intoBoth(
      'analytics_messages',
      'tenant_id, dims, day, hour, channel, direction, segment, tier, store, n',
      `
    SELECT $1, 1 - GROUPING(segment), day, hour, channel, direction, coalesce(segment, ''), coalesce(tier, ''), coalesce(store, ''), count(*)
      FROM (SELECT ${localDay} AS day, extract(hour FROM m.created_at AT TIME ZONE $3)::int AS hour, coalesce(m.channel_kind, '') AS channel, m.direction,
                   coalesce(f.segment, '') AS segment, coalesce(f.tier, '') AS tier, coalesce(f.store, '') AS store
              FROM messages_v m LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = m.customer_id
             WHERE m.tenant_id = $1 AND m.direction IN ('in', 'out') AND m.created_at <= $2 ${inScope(localDay, 'ap_message_days')}) x
     GROUP BY GROUPING SETS ((day, hour, channel, direction), (day, hour, channel, direction, segment, tier, store))`,
      '',
    ),
    [tenantId, asOf, timezone],
  );

  // The channel a complaint came through: its conversation's, or the channel of the answer it came from.
  if (scoped) await q(`DELETE FROM analytics_cases WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_case_days)`);
  await q(
    `INSERT INTO analytics_cases (tenant_id, day, touchpoint, channel, segment, tier, store, opened, closed, told, agent_actions)
    SELECT $1, (c.created_at AT TIME ZONE 'UTC')::date, coalesce(c.touchpoint, ''), coalesce(cv.last_channel_kind, r.channel, ''),
           coalesce(f.segment, ''), coalesce(f.tier, ''), coalesce(f.store, ''), count(*),
           count(*) FILTER (WHERE c.status IN ('resolved', 'wont_fix')), count(*) FILTER (WHERE c.customer_told_at IS NOT NULL), coalesce(sum(a.n), 0)
      FROM cases_v c
      LEFT JOIN (SELECT case_id, count(*)::int AS n FROM case_activities_v WHERE tenant_id = $1 AND actor NOT LIKE 'system:%' GROUP BY case_id) a ON a.case_id = c.id
      LEFT JOIN conversations_v cv ON c.source_type = 'conversation' AND cv.tenant_id = $1 AND cv.id = c.source_id
      LEFT JOIN survey_responses_v r ON c.source_type = 'response' AND r.tenant_id = $1 AND r.id = c.source_id
      LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = c.customer_id
     WHERE c.tenant_id = $1 AND c.created_at <= $2 ${inScope(`(c.created_at AT TIME ZONE 'UTC')::date`, 'ap_case_days')}
     GROUP BY 2, 3, 4, 5, 6, 7`,
    [tenantId, asOf],
  );

  // The programme's side of the double entry: issued postings are negative, the others positive.
  const entryMonth = `date_trunc('month', e.created_at AT TIME ZONE 'UTC')::date`;
  if (scoped)
    for (const d of [0, 1] as const)
      await q(`DELETE FROM ${rollup('analytics_points', d)} WHERE tenant_id = $1 AND month IN (SELECT period FROM ap_point_months)`);
  await q(
    intoBoth(
      'analytics_points',
      'tenant_id, dims, month, account, tier, segment, store, channel, touchpoint, points',
      `
    SELECT $1, 1 - GROUPING(segment), month, account, tier, coalesce(segment, ''), coalesce(store, ''), coalesce(channel, ''), coalesce(touchpoint, ''), sum(points)
      FROM (SELECT ${entryMonth} AS month, e.account, coalesce(a.tier, '') AS tier, coalesce(f.segment, '') AS segment, coalesce(f.store, '') AS store,
                   coalesce(f.channel, '') AS channel, coalesce(f.touchpoint, '') AS touchpoint, CASE WHEN e.account = 'issued' THEN -e.amount ELSE e.amount END AS points
              FROM ledger_entries_v e LEFT JOIN loyalty_accounts_v a ON a.tenant_id = $1 AND a.customer_id = e.customer_id
              LEFT JOIN analytics_customers f ON f.tenant_id = $1 AND f.customer_id = e.customer_id
             WHERE e.tenant_id = $1 AND e.account IN ('issued', 'redeemed', 'expired', 'reversed') AND e.created_at <= $2 ${inScope(entryMonth, 'ap_point_months')}) x
     GROUP BY GROUPING SETS ((month, account, tier), (month, account, tier, segment, store, channel, touchpoint))`,
      '',
    ),
    [tenantId, asOf],
  );

  const mentionDay = `(published_at AT TIME ZONE 'UTC')::date`;
  if (scoped) await q(`DELETE FROM analytics_mentions WHERE tenant_id = $1 AND day IN (SELECT period FROM ap_mention_days)`);
  await q(
    `INSERT INTO analytics_mentions (tenant_id, day, channel, angle, sentiment, n, reach)
    SELECT $1, day, channel, angle, sentiment, count(*), sum(reach) FROM (
      SELECT ${mentionDay} AS day, channel, '*' AS angle, sentiment, coalesce(reach, 0) AS reach
        FROM mentions_v WHERE tenant_id = $1 AND published_at <= $2 ${inScope(mentionDay, 'ap_mention_days')}
      UNION ALL
      SELECT ${mentionDay}, m.channel, a.angle, m.sentiment, coalesce(m.reach, 0)
        FROM mentions_v m CROSS JOIN LATERAL (SELECT DISTINCT x AS angle FROM jsonb_array_elements_text(m.angles) x) a
       WHERE m.tenant_id = $1 AND m.published_at <= $2 ${inScope(mentionDay, 'ap_mention_days')}
    ) x GROUP BY day, channel, angle, sentiment`,
    [tenantId, asOf],
  );
}
