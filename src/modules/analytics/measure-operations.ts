// Operations: first response and resolution times with SLA attainment, the open backlog, messages per
// channel over time, 7x24 coverage (inbound by hour of week against staffed hours), and the loop:
// closure rate and what a complaint costs in agent time.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { analyticsCases, analyticsConversations, analyticsMessages } from './schema.js';
import { checkApplies, rangeOf, dimFilters, dimValue, notApplied, type MeasureQuery } from './filters.js';

const ConversationSums = rowOf(analyticsConversations, ['channel']).and<{
  opened: number;
  first_responses: number;
  frs: number;
  frt: number;
  frm: number;
  resolved: number;
  rs: number;
  rt: number;
  rm: number;
}>(['opened', 'first_responses', 'frs', 'frt', 'frm', 'resolved', 'rs', 'rt', 'rm']);
// inbound is null for a period and channel with outbound messages only.
const MessageSums = rowOf(analyticsMessages, ['channel']).and<{ period: string; inbound: number | null; outbound: number }>(['period', 'inbound', 'outbound']);
const HourSums = rowOf(analyticsMessages, ['hour']).and<{ weekday: number; inbound: number }>(['weekday', 'inbound']);
const CaseSums = rowOf(analyticsCases, ['touchpoint']).and<{ opened: number; closed: number; told: number; actions: number }>([
  'opened',
  'closed',
  'told',
  'actions',
]);

const NO_TOUCHPOINT = { touchpoint: 'conversations and messages have no touchpoint (complaints do: see loop)' };
/**
 * Conversations, messages and complaints are rolled up by RFM segment, never customer by customer, so a
 * saved segment cannot select them: the measure drops it and says so rather than filtering by nothing.
 */
function withoutSavedSegment(q: MeasureQuery): { q: MeasureQuery; skipped: Record<string, string> } {
  if (!q.members) return { q, skipped: {} };
  return {
    q: { ...q, segment: undefined, members: undefined },
    skipped: { segment: 'a saved segment cannot select conversations, messages or complaints: they are rolled up by RFM segment only' },
  };
}
/** The messages roll-up's grouping: 1 (with the customer's segment, tier and store) when one of those is asked for. */
const messagesDims = (q: MeasureQuery): 0 | 1 => (q.segment !== undefined || q.tier !== undefined || q.store !== undefined ? 1 : 0);
import { frame, ratio, round2, type Measured, type RefreshState } from './measured.js';
import type { AnalyticsSettings } from './settings.js';
import { rollup } from './rollup-tables.js';

/** A channel's sums when no conversation counts in the range. */
const NO_CONVERSATIONS = { opened: 0, first_responses: 0, frs: 0, frt: 0, frm: 0, resolved: 0, rs: 0, rt: 0, rm: 0 };

export async function measureOperations(db: Queryable, tenantId: string, given: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('operations', [], given);
  const { q, skipped: saved } = withoutSavedSegment(given);
  const skipped = { ...notApplied(q, NO_TOUCHPOINT), ...saved };
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId, range.from, range.to];
  const rows = await queryRows(
    db,
    ConversationSums,
    `SELECT channel, sum(opened)::int AS opened, sum(first_responses)::int AS first_responses, sum(first_response_seconds)::float8 AS frs,
            sum(first_response_targets)::int AS frt, sum(first_response_met)::int AS frm, sum(resolved)::int AS resolved,
            sum(resolution_seconds)::float8 AS rs, sum(resolution_targets)::int AS rt, sum(resolution_met)::int AS rm
       FROM analytics_conversations WHERE tenant_id = $1 AND day >= $2 AND day <= $3 ${dimFilters(q, ['channel', 'segment', 'tier', 'store'], params)}
      GROUP BY channel ORDER BY channel`,
    params,
  );
  const backlogs = ((state.snapshot?.backlog ?? []) as { channel: string; segment?: string; tier?: string; store?: string; open: number }[]).filter((b) =>
    (['channel', 'segment', 'tier', 'store'] as const).every((d) => q[d] === undefined || b[d] === dimValue(q, d)),
  );
  const figures = (r: {
    opened: number;
    first_responses: number;
    frs: number;
    frt: number;
    frm: number;
    resolved: number;
    rs: number;
    rt: number;
    rm: number;
  }) => ({
    conversations: r.opened,
    first_responses: r.first_responses,
    first_response_minutes: r.first_responses ? round2(r.frs / r.first_responses / 60) : null,
    first_response_sla: ratio(r.frm, r.frt),
    resolved: r.resolved,
    resolution_hours: r.resolved ? round2(r.rs / r.resolved / 3600) : null,
    resolution_sla: ratio(r.rm, r.rt),
  });
  const total = rows.reduce(
    (a, r) => {
      for (const k of ['opened', 'first_responses', 'frs', 'frt', 'frm', 'resolved', 'rs', 'rt', 'rm'] as const) a[k] += r[k];
      return a;
    },
    { ...NO_CONVERSATIONS },
  );
  const summary = { ...figures(total), backlog: backlogs.reduce((s, b) => s + b.open, 0) };
  // The snapshot counts open conversations per channel and customer dims: a channel's backlog is the sum of its rows.
  const backlogOf = (channel: string) => backlogs.reduce((n, b) => n + (b.channel === channel ? b.open : 0), 0);
  // A channel with open conversations but none opened in the range is listed too, so the rows add up to the total.
  const channelRows = [
    ...rows,
    ...[...new Set(backlogs.map((b) => b.channel))].filter((ch) => !rows.some((r) => r.channel === ch)).map((channel) => ({ channel, ...NO_CONVERSATIONS })),
  ];
  const channels = channelRows.map((r) => ({ channel: r.channel || null, ...figures(r), backlog: backlogOf(r.channel) }));
  return { body: { ...frame(state, q, range, skipped), ...summary, channels }, tables: { summary: [summary], channels } };
}

export async function measureMessages(db: Queryable, tenantId: string, given: MeasureQuery, state: RefreshState): Promise<Measured> {
  checkApplies('messages', ['interval'], given);
  const { q, skipped: saved } = withoutSavedSegment(given);
  const skipped = { ...notApplied(q, NO_TOUCHPOINT), ...saved };
  const range = rangeOf(q, state.asOf);
  const interval = q.interval ?? 'day';
  const params: unknown[] = [tenantId, range.from, range.to, interval];
  const rows = await queryRows(
    db,
    MessageSums,
    `SELECT to_char(date_trunc($4, day), 'YYYY-MM-DD') AS period, channel, sum(n) FILTER (WHERE direction = 'in')::int AS inbound,
            coalesce(sum(n) FILTER (WHERE direction = 'out'), 0)::int AS outbound
       FROM ${rollup('analytics_messages', messagesDims(q))} WHERE tenant_id = $1 AND day >= $2 AND day <= $3 ${dimFilters(q, ['channel', 'segment', 'tier', 'store'], params)}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  const series = rows.map((r) => ({ period: r.period, channel: r.channel || null, inbound: r.inbound ?? 0, outbound: r.outbound }));
  return { body: { ...frame(state, q, range, skipped), interval, series }, tables: { series } };
}

/** Whether an hour (0-23) of an ISO weekday (1-7) falls inside the staffed span of that day. */
export function isStaffed(settings: Pick<AnalyticsSettings, 'staffed_hours'>, isoDay: number, hour: number): boolean {
  const span = settings.staffed_hours[String(isoDay) as keyof AnalyticsSettings['staffed_hours']];
  if (!span) return false;
  const [start, end] = span.map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  // An hour counts as staffed when someone is there for all of it.
  return hour * 60 >= start && (hour + 1) * 60 <= (end === 0 ? 1440 : end);
}

export async function measureCoverage(
  db: Queryable,
  tenantId: string,
  given: MeasureQuery,
  state: RefreshState,
  settings: AnalyticsSettings,
): Promise<Measured> {
  checkApplies('coverage', [], given);
  const { q, skipped: saved } = withoutSavedSegment(given);
  const skipped = { ...notApplied(q, NO_TOUCHPOINT), ...saved };
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId, range.from, range.to];
  const rows = await queryRows(
    db,
    HourSums,
    `SELECT extract(isodow FROM day)::int AS weekday, hour, sum(n)::int AS inbound
       FROM ${rollup('analytics_messages', messagesDims(q))} WHERE tenant_id = $1 AND direction = 'in' AND day >= $2 AND day <= $3 ${dimFilters(q, ['channel', 'segment', 'tier', 'store'], params)}
      GROUP BY 1, 2`,
    params,
  );
  const hours = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      hours.push({
        weekday,
        hour,
        inbound: rows.find((r) => r.weekday === weekday && r.hour === hour)?.inbound ?? 0,
        staffed: isStaffed(settings, weekday, hour),
      });
    }
  }
  const inbound = hours.reduce((s, h) => s + h.inbound, 0);
  const covered = hours.filter((h) => h.staffed).reduce((s, h) => s + h.inbound, 0);
  const summary = {
    inbound,
    inbound_in_staffed_hours: covered,
    coverage: ratio(covered, inbound),
    staffed_hours_per_week: hours.filter((h) => h.staffed).length,
    timezone: settings.timezone,
  };
  return { body: { ...frame(state, q, range, skipped), ...summary, hours }, tables: { hours, summary: [summary] } };
}

export async function measureLoop(db: Queryable, tenantId: string, given: MeasureQuery, state: RefreshState, settings: AnalyticsSettings): Promise<Measured> {
  checkApplies('loop closure', [], given);
  const { q, skipped } = withoutSavedSegment(given);
  const range = rangeOf(q, state.asOf);
  const params: unknown[] = [tenantId, range.from, range.to];
  const rows = await queryRows(
    db,
    CaseSums,
    `SELECT touchpoint, sum(opened)::int AS opened, sum(closed)::int AS closed, sum(told)::int AS told, sum(agent_actions)::int AS actions
       FROM analytics_cases WHERE tenant_id = $1 AND day >= $2 AND day <= $3 ${dimFilters(q, ['touchpoint', 'channel', 'segment', 'tier', 'store'], params)}
      GROUP BY touchpoint ORDER BY touchpoint`,
    params,
  );
  // Agent time = actions on the case by people (notes, contacts, status changes) x minutes per action.
  const figures = (r: { opened: number; closed: number; told: number; actions: number }) => {
    const hours = (r.actions * settings.minutes_per_action) / 60;
    return {
      cases: r.opened,
      closed: r.closed,
      customers_told: r.told,
      loop_closure_rate: ratio(r.told, r.opened),
      agent_hours: round2(hours),
      cost_per_complaint: r.opened ? round2((hours * settings.hourly_cost) / r.opened) : null,
    };
  };
  const total = rows.reduce((a, r) => ({ opened: a.opened + r.opened, closed: a.closed + r.closed, told: a.told + r.told, actions: a.actions + r.actions }), {
    opened: 0,
    closed: 0,
    told: 0,
    actions: 0,
  });
  const summary = { ...figures(total), hourly_cost: settings.hourly_cost, minutes_per_action: settings.minutes_per_action };
  const touchpoints = rows.map((r) => ({ touchpoint: r.touchpoint || null, ...figures(r) }));
  return { body: { ...frame(state, q, range, skipped), ...summary, touchpoints }, tables: { summary: [summary], touchpoints } };
}
