// The filters every measure takes and the time range. Every measure accepts all six filters (range,
// segment, channel, touchpoint, tier, store). Where one cannot mean anything for a measure (a store on
// public mentions) the answer says so in `filters_not_applied`, with why, and lists only the filters it
// honoured in `filters`: a manager who filters by store must never read an unfiltered figure believing
// it filtered. Parameters that are not filters (interval, limit, table) are refused (422) where they
// do not apply.
import { z } from '../../platform/validation.js';
import { AppError } from '../../platform/errors.js';
import { canonicalChannel } from '../customers/index.js';

const Dim = z.string().min(1).max(200);
/** The RFM segments the roll-ups file customers under (refresh-rollups' segment rule). */
export const RFM_SEGMENTS = ['champions', 'loyal', 'new', 'potential', 'at_risk', 'lost', 'unscored', 'prospect'] as const;
export const MeasureQuery = z.object({
  from: z.iso.date().optional().describe('First day of the range (UTC), inclusive; default one year before `to`'),
  to: z.iso.date().optional().describe('Last day of the range (UTC), inclusive; default the day of the last refresh'),
  segment: Dim.optional().describe(
    `The customer's RFM segment (${RFM_SEGMENTS.join(', ')}), or the id of one of the tenant's saved outreach segments (GET /v1/outreach/segments): its members as its rules select them now, read customer by customer (slower than an RFM segment). Measures that cannot select customers one by one (operations, messages, coverage, loop) list a saved segment in filters_not_applied; anything else answers 422`,
  ),
  channel: Dim.transform(canonicalChannel)
    .optional()
    .describe(
      "The channel of the answer, conversation, message, complaint or mention; for measures of customers, the channel of the customer's last NPS or CSAT answer. '-' for none; `web_chat` is read as `webchat`",
    ),
  touchpoint: Dim.optional().describe(
    "The touchpoint of the answer or complaint; for measures of customers, the touchpoint of the customer's last NPS or CSAT answer. '-' for none",
  ),
  tier: Dim.optional().describe("The customer's loyalty tier; '-' for customers without one"),
  store: Dim.optional().describe("The store of the customer's first purchase; '-' for none"),
  interval: z.enum(['week', 'month', 'day']).optional().describe('Bucket of a trend'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Rows of a customer list'),
  format: z.enum(['json', 'csv']).optional().describe('csv: one table of the answer as text/csv'),
  table: z.string().min(1).max(50).optional().describe('Which table of the answer a CSV export holds; default the first'),
});
/**
 * A saved segment's members as a subquery (one column, customer_id): it appends its parameters to
 * `params`, whose $1 must be the tenant id, and returns the SQL. Resolved through the outreach door.
 */
export type MembersSql = (params: unknown[]) => string;
/** members: set by the service when `segment` names a saved segment rather than an RFM one. */
export type MeasureQuery = z.infer<typeof MeasureQuery> & { members?: MembersSql };

export const isRfmSegment = (v: string) => (RFM_SEGMENTS as readonly string[]).includes(v);

export const DIMS = ['segment', 'channel', 'touchpoint', 'tier', 'store'] as const;
export type DimName = (typeof DIMS)[number];
export type Param = 'interval' | 'limit';
/** Filters a measure does not apply, each with the reason the answer gives. */
export type NotApplied = Partial<Record<DimName | 'range', string>>;

/** months: the span the month buckets fromMonth..toMonth cover, in months (the last one up to the as-of day). */
export interface Range {
  from: string;
  to: string;
  fromMonth: string;
  toMonth: string;
  months: number;
}

/** Refuses every non-filter parameter the measure does not take, each named with why. */
export function checkApplies(measure: string, allowed: Param[], q: MeasureQuery) {
  const given: [keyof MeasureQuery, Param][] = [
    ['interval', 'interval'],
    ['limit', 'limit'],
  ];
  const bad: { field: string; message: string }[] = given
    .filter(([field, p]) => q[field] !== undefined && !allowed.includes(p))
    .map(([field]) => ({ field, message: `does not apply to ${measure}` }));
  if (q.table !== undefined && q.format !== 'csv') bad.push({ field: 'table', message: 'applies only with format=csv' });
  // A misspelt segment would match no customer and read as a page of zeros.
  if (q.segment !== undefined && !isRfmSegment(q.segment) && !q.members) throw unknownSegment();
  if (bad.length) throw new AppError(422, 'FILTER_NOT_APPLICABLE', `Some parameters do not apply to ${measure}`, bad);
}

export const unknownSegment = () =>
  new AppError(422, 'VALIDATION_FAILED', 'Unknown segment', [
    { field: 'segment', message: `must be one of ${RFM_SEGMENTS.join(', ')} or the id of a saved segment of this tenant` },
  ]);

/** The filters given that a measure does not apply, with why (for the answer's `filters_not_applied`). */
export function notApplied(q: MeasureQuery, reasons: NotApplied): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, why] of Object.entries(reasons) as [DimName | 'range', string][]) {
    const given = k === 'range' ? q.from !== undefined || q.to !== undefined : q[k] !== undefined;
    if (given) out[k] = why;
  }
  return out;
}

const monthOf = (d: string) => `${d.slice(0, 7)}-01`;

export function rangeOf(q: MeasureQuery, asOf: Date): Range {
  const to = q.to ?? asOf.toISOString().slice(0, 10);
  let from = q.from;
  if (!from) {
    const d = new Date(`${to}T00:00:00Z`);
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    d.setUTCDate(d.getUTCDate() + 1);
    from = d.toISOString().slice(0, 10);
  }
  if (from > to)
    throw new AppError(422, 'VALIDATION_FAILED', 'The range ends before it starts', [{ field: 'from', message: `must be on or before to (${to})` }]);
  const fromMonth = monthOf(from),
    toMonth = monthOf(to);
  const buckets = (Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4))) * 12 + Number(toMonth.slice(5, 7)) - Number(fromMonth.slice(5, 7)) + 1;
  // Monthly figures sum whole month buckets, and the last one holds only the days up to the as-of day:
  // the default year (the 16th to the 15th) sums 13 buckets but covers 12 months and a half, not 13.
  const lastStart = Date.parse(`${toMonth}T00:00:00Z`);
  const lastDays = new Date(Date.UTC(Number(toMonth.slice(0, 4)), Number(toMonth.slice(5, 7)), 0)).getUTCDate();
  const elapsed = Math.floor((Date.parse(`${asOf.toISOString().slice(0, 10)}T00:00:00Z`) - lastStart) / 86_400_000) + 1;
  const months = buckets - 1 + Math.min(1, Math.max(0, elapsed / lastDays));
  return { from, to, fromMonth, toMonth, months };
}

/**
 * `AND col = $n` for each dimension filter given; '-' stands for "none" (stored as ''). A saved segment
 * becomes `AND customer_id IN (its members)`: only relations with a customer_id (analytics_customers)
 * take it, which is why customerCube sends a saved segment to the per-customer reads.
 */
export function dimFilters(q: MeasureQuery, dims: readonly DimName[], params: unknown[], alias = ''): string {
  let sql = '';
  for (const d of dims) {
    const v = q[d];
    if (v === undefined) continue;
    if (d === 'segment' && q.members) {
      sql += ` AND ${alias}customer_id IN (${q.members(params)})`;
      continue;
    }
    params.push(v === '-' ? '' : v);
    sql += ` AND ${alias}${d} = $${params.length}`;
  }
  return sql;
}

/** The value a dimension filter compares with ('-' is stored as ''), or undefined when not given. */
export const dimValue = (q: MeasureQuery, d: DimName) => (q[d] === undefined ? undefined : q[d] === '-' ? '' : q[d]);

/** Pushes a parameter and returns its placeholder. */
export const param = (params: unknown[], v: unknown) => `$${params.push(v)}`;

/**
 * Which grouping of a customer roll-up (dims column) answers the filters: 0, by store, segment and
 * tier (the default dashboards); 1, by channel, touchpoint, segment and tier; or null when a store comes
 * with a channel or touchpoint, or a saved segment is asked for, which no grouping holds: then the
 * measure reads the customers of that store or segment (indexed) instead.
 */
export function customerCube(q: MeasureQuery): 0 | 1 | null {
  // The roll-ups are summed by RFM segment: a saved segment's members are read one by one.
  if (q.members) return null;
  if (q.channel === undefined && q.touchpoint === undefined) return 0;
  return q.store === undefined ? 1 : null;
}
