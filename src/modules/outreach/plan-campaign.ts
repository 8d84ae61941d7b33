// Planning a campaign to a segment in a few set-based statements, never a row at a time: the
// segment is evaluated over the customers module's audience read model, each customer gets the
// first ranked channel with consent, a template variant and an address, marketing is suppressed
// while a complaint is open, caps are counted against messages already planned, and the send time
// is the next opening of the customer's contact window in their own timezone. One row per customer
// lands in outreach_messages (queued, or dropped/suppressed with the reason); the dispatcher sends
// them, throttled per channel. Memory stays flat: only the distinct (timezone, window) pairs come
// back to Node, to compute window openings with the same code single sends use.
import type pg from 'pg';
import { audienceSql, type ContactWindow, type Purpose } from '../customers/index.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { DEFAULT_CHANNEL_ORDER } from './choose-channel.js';
import { compileSegment, type SegmentRule } from './compile-segment.js';
import { isTimeZone } from '../../platform/validation.js';
import { nextContactTime } from './contact-window.js';
import { COUNTED_STATUSES } from './frequency-caps.js';
import type { OutreachSettings } from './settings.js';
import type { Channel } from './render-template.js';
import { outreachMessages } from './schema.js';

/** A (timezone, contact window) pair of the segment's audience, the tenant's defaults filled in. */
const WindowPair = computedRow<{ tz: string; win: ContactWindow }>(['tz', 'win']);
/** The plan's outcome: messages inserted, by status, reason and channel. */
const Planned = rowOf(outreachMessages, ['status', 'status_reason', 'channel']).and<{ n: number }>(['n']);
const Count = computedRow<{ n: number }>(['n']);

export interface CampaignPlanInput {
  campaignId: string;
  templateId: string;
  purpose: Purpose;
  templateChannels: Channel[];
  rules: SegmentRule;
  reason: string;
  /** Set when the template requires variables a campaign has no value for: every message is recorded as skipped with it. */
  skipReason?: string | null;
}

export interface CampaignPlanStats {
  segment: number;
  queued: number;
  deferred: number;
  suppressed: number;
  dropped: Record<string, number>;
  /** Messages not queued because a required variable had no value, by reason (only when there are some). */
  skipped?: Record<string, number>;
  by_channel: Record<string, number>;
}

/** msg_<16 characters of the campaign id>_ : then the customer id without its prefix. */
export const campaignMessagePrefix = (campaignId: string) => `msg_${campaignId.slice(campaignId.indexOf('_') + 1, campaignId.indexOf('_') + 17)}_`;

const consentSql = (purpose: Purpose) => (purpose === 'marketing' ? 'u.ch = ANY(a.consent_granted)' : 'NOT (u.ch = ANY(a.consent_withdrawn))');

export async function planCampaign(db: pg.Pool, tenantId: string, input: CampaignPlanInput, settings: OutreachSettings, now: Date): Promise<CampaignPlanStats> {
  const seg = compileSegment(input.rules, now);
  const p0 = seg.params.length + 1; // $1 is the tenant; segment parameters follow

  // 1. Distinct (timezone, window) pairs in the segment, and when each next opens.
  const combos = await queryRows(
    db,
    WindowPair,
    `SELECT DISTINCT coalesce(a.timezone, $${p0 + 1}) AS tz, coalesce(a.contact_window, $${p0 + 2}::jsonb) AS win
       FROM (${audienceSql(input.purpose)}) a WHERE ${seg.where}`,
    [tenantId, ...seg.params, settings.defaultTimezone, JSON.stringify(settings.defaultWindow)],
  );
  const tz: string[] = [],
    win: string[] = [],
    opens: Date[] = [];
  for (const c of combos) {
    tz.push(c.tz);
    win.push(JSON.stringify(c.win));
    opens.push(nextContactTime(now, isTimeZone(c.tz) ? c.tz : settings.defaultTimezone, c.win));
  }

  // 2. One statement: choose, suppress, schedule, cap, insert, count.
  const cap = settings.caps[input.purpose];
  const isPersonal = input.purpose !== 'transactional';
  const P = (i: number) => `$${p0 + i}`;
  const params = [
    tenantId,
    ...seg.params,
    settings.defaultTimezone,
    JSON.stringify(settings.defaultWindow), // P(1), P(2)
    tz,
    win,
    opens, // P(3..5)
    input.templateChannels,
    DEFAULT_CHANNEL_ORDER, // P(6), P(7)
    input.purpose,
    input.templateId,
    input.campaignId,
    input.reason,
    now, // P(8..12)
    COUNTED_STATUSES,
    cap.per_day,
    cap.per_week,
    cap.over_cap, // P(13..16)
    isPersonal ? ['marketing', 'service'] : ['transactional'], // P(17)
    // Message ids follow the customer order of the insert, so every index grows at its right edge.
    campaignMessagePrefix(input.campaignId), // P(18)
    input.skipReason ?? null, // P(19)
  ];
  const planSql = `WITH combos AS (
       SELECT * FROM unnest(${P(3)}::text[], ${P(4)}::jsonb[], ${P(5)}::timestamptz[]) AS x(tz, win, opens_at)
     ), aud AS MATERIALIZED (
       SELECT a.customer_id, a.max_messages_per_week, coalesce(a.timezone, ${P(1)}) AS tz, coalesce(a.contact_window, ${P(2)}::jsonb) AS win,
              (SELECT u.ch FROM unnest(CASE WHEN cardinality(a.channels) > 0 THEN a.channels ELSE ${P(7)}::text[] END) WITH ORDINALITY AS u(ch, ord)
                WHERE u.ch = ANY(${P(6)}::text[]) AND u.ch = ANY(a.addressable) AND ${consentSql(input.purpose)}
                ORDER BY u.ord LIMIT 1) AS channel
         FROM (${audienceSql(input.purpose)}) a
        WHERE ${seg.where}
     ), recent AS (
       SELECT m.customer_id, array_agg(m.scheduled_at) FILTER (WHERE m.purpose = ${P(8)}) AS same, array_agg(m.scheduled_at) AS personal
         FROM outreach_messages m
        WHERE m.tenant_id = $1 AND m.purpose = ANY(${P(17)}::text[]) AND m.status = ANY(${P(13)}::text[])
          AND m.scheduled_at > ${P(12)}::timestamptz - interval '8 days' AND m.scheduled_at < ${P(12)}::timestamptz + interval '30 days'
        GROUP BY m.customer_id
     ), decided AS (
       -- Only customers with recent messages need their cap windows counted.
       SELECT aud.customer_id, aud.channel, x.opens_at,
              ${input.purpose === 'marketing' ? `EXISTS (SELECT 1 FROM outreach_suppressions s WHERE s.tenant_id = $1 AND s.customer_id = aud.customer_id AND s.resolved_at IS NULL)` : 'false'} AS is_suppressed,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT count(*) FROM unnest(r.same) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 86400) ELSE 0 END AS day_n,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT max(t) FROM unnest(r.same) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 86400) END AS day_last,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT count(*) FROM unnest(r.same) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 604800) ELSE 0 END AS week_n,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT max(t) FROM unnest(r.same) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 604800) END AS week_last,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT count(*) FROM unnest(r.personal) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 604800) ELSE 0 END AS personal_n,
              CASE WHEN r.customer_id IS NOT NULL THEN (SELECT max(t) FROM unnest(r.personal) t WHERE abs(extract(epoch FROM t - x.opens_at)) < 604800) END AS personal_last,
              ${isPersonal ? 'aud.max_messages_per_week' : 'NULL::int'} AS personal_max
         FROM aud JOIN combos x ON x.tz = aud.tz AND x.win = aud.win
         LEFT JOIN recent r ON r.customer_id = aud.customer_id
     ), capped AS MATERIALIZED (
       SELECT d.*, CASE
                WHEN ${P(14)}::int IS NOT NULL AND d.day_n >= ${P(14)}::int THEN 'cap_day'
                WHEN ${P(15)}::int IS NOT NULL AND d.week_n >= ${P(15)}::int THEN 'cap_week'
                WHEN d.personal_max IS NOT NULL AND d.personal_n >= d.personal_max THEN 'customer_max_per_week'
              END AS cap
         FROM decided d
     ), ins AS (
       INSERT INTO outreach_messages (tenant_id, id, customer_id, template_id, purpose, channel, status, reason, status_reason, campaign_id, scheduled_at, created_at, updated_at)
       SELECT $1, ${P(18)} || substr(c.customer_id, strpos(c.customer_id, '_') + 1), c.customer_id, ${P(9)}, ${P(8)}, CASE WHEN ${P(19)}::text IS NULL THEN c.channel END,
              CASE WHEN ${P(19)}::text IS NOT NULL THEN 'skipped' WHEN c.channel IS NULL THEN 'dropped' WHEN c.is_suppressed THEN 'suppressed'
                   WHEN c.cap IS NOT NULL AND ${P(16)} = 'drop' THEN 'dropped' ELSE 'queued' END,
              ${P(11)},
              CASE WHEN ${P(19)}::text IS NOT NULL THEN ${P(19)}::text WHEN c.channel IS NULL THEN 'no_channel' WHEN c.is_suppressed THEN 'open_complaint_or_negative_conversation'
                   WHEN c.cap IS NOT NULL AND ${P(16)} = 'drop' THEN c.cap WHEN c.cap IS NOT NULL THEN 'deferred: ' || c.cap END,
              ${P(10)},
              -- Deferred past the blocking message's window; the dispatcher moves it into the contact window.
              CASE WHEN c.cap = 'cap_day' AND ${P(16)} = 'defer' THEN c.day_last + interval '1 day'
                   WHEN c.cap = 'cap_week' AND ${P(16)} = 'defer' THEN c.week_last + interval '7 days'
                   WHEN c.cap = 'customer_max_per_week' AND ${P(16)} = 'defer' THEN c.personal_last + interval '7 days'
                   ELSE c.opens_at END,
              ${P(12)}, ${P(12)}
         FROM capped c
        ORDER BY c.customer_id
       RETURNING status, status_reason, channel
     )
     SELECT status, status_reason, channel, count(*)::int AS n FROM ins GROUP BY 1, 2, 3`;
  // One statement, so a plan is all or nothing; the campaign's draft -> planning claim keeps it from
  // running twice, and the unique (campaign, customer) index would refuse a second copy anyway.
  // Sorting and hashing a million rows wants more than the default work_mem, for this statement only.
  const client = await db.connect();
  let rows: (typeof Planned.row)[];
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL work_mem = '128MB'`);
    rows = await queryRows(client, Planned, planSql, params);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  const stats: CampaignPlanStats = { segment: 0, queued: 0, deferred: 0, suppressed: 0, dropped: {}, by_channel: {} };
  // The plan's CASEs give a queued message its channel, and a skipped or dropped one its reason.
  for (const r of rows) {
    stats.segment += r.n;
    if (r.status === 'queued') {
      stats.queued += r.n;
      if (r.status_reason?.startsWith('deferred')) stats.deferred += r.n;
      stats.by_channel[r.channel!] = (stats.by_channel[r.channel!] ?? 0) + r.n;
    } else if (r.status === 'suppressed') stats.suppressed += r.n;
    else if (r.status === 'skipped') stats.skipped = { ...stats.skipped, [r.status_reason!]: (stats.skipped?.[r.status_reason!] ?? 0) + r.n };
    else stats.dropped[r.status_reason!] = (stats.dropped[r.status_reason!] ?? 0) + r.n;
  }
  return stats;
}

/**
 * A saved segment's members as a subquery (one column, customer_id) for another module's statement whose
 * `$1` is the tenant id: the rules' parameters are appended to `params` and numbered after those already
 * there. The audience and rules are countSegment's, so the members are the ones its count counts.
 */
export function segmentMembersSql(rules: SegmentRule, now: Date, params: unknown[]): string {
  // compileSegment numbers its parameters from $2 over a list without the tenant id.
  const rest = params.slice(1);
  const seg = compileSegment(rules, now, rest);
  params.push(...rest.slice(params.length - 1));
  return `SELECT a.customer_id FROM (${audienceSql('marketing')}) a WHERE ${seg.where}`;
}

export async function countSegment(db: pg.Pool, tenantId: string, rules: SegmentRule, now: Date): Promise<number> {
  const seg = compileSegment(rules, now);
  const r = await queryRow(db, Count, `SELECT count(*)::int AS n FROM (${audienceSql('marketing')}) a WHERE ${seg.where}`, [tenantId, ...seg.params]);
  return r!.n;
}
