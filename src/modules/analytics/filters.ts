// The filters every measure takes, which of them each measure can honour, and the time range. A filter
// a measure cannot apply is refused by name (422), never silently ignored: a manager who filters by
// channel must not read an unfiltered figure believing it filtered.
import { z } from '../../platform/validation.js';
import { AppError } from '../../platform/errors.js';

const Dim = z.string().min(1).max(200);
export const MeasureQuery = z.object({
  from: z.iso.date().optional().describe('First day of the range (UTC), inclusive; default one year before `to`'),
  to: z.iso.date().optional().describe('Last day of the range (UTC), inclusive; default the day of the last refresh'),
  segment: Dim.optional().describe('RFM segment: champions, loyal, new, potential, at_risk, lost, unscored, prospect'),
  channel: Dim.optional(),
  touchpoint: Dim.optional(),
  tier: Dim.optional().describe("Loyalty tier; '-' for customers without one"),
  store: Dim.optional().describe("The store of the customer's first purchase"),
  interval: z.enum(['week', 'month', 'day']).optional().describe('Bucket of a trend'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Rows of a customer list'),
  format: z.enum(['json', 'csv']).optional().describe('csv: one table of the answer as text/csv'),
  table: z.string().min(1).max(50).optional().describe('Which table of the answer a CSV export holds; default the first'),
});
export type MeasureQuery = z.infer<typeof MeasureQuery>;

export type Param = 'range' | 'segment' | 'channel' | 'touchpoint' | 'tier' | 'store' | 'interval' | 'limit';

export interface Range { from: string; to: string; fromMonth: string; toMonth: string; months: number }

/** Refuses every given parameter the measure does not take, each named with why. */
export function checkApplies(measure: string, allowed: Param[], q: MeasureQuery) {
  const given: [keyof MeasureQuery, Param][] = [['from', 'range'], ['to', 'range'], ['segment', 'segment'], ['channel', 'channel'], ['touchpoint', 'touchpoint'],
    ['tier', 'tier'], ['store', 'store'], ['interval', 'interval'], ['limit', 'limit']];
  const bad = given.filter(([field, p]) => q[field] !== undefined && !allowed.includes(p));
  if (q.table !== undefined && q.format !== 'csv') bad.push(['table', 'range']);
  if (bad.length) {
    throw new AppError(422, 'FILTER_NOT_APPLICABLE', `Some filters do not apply to ${measure}`, bad.map(([field]) => ({
      field, message: field === 'table' ? 'applies only with format=csv' : `does not apply to ${measure}; it takes ${allowed.length ? allowed.join(', ') : 'no filters'}`,
    })));
  }
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
  if (from > to) throw new AppError(422, 'VALIDATION_FAILED', 'The range ends before it starts', [{ field: 'from', message: `must be on or before to (${to})` }]);
  const fromMonth = monthOf(from), toMonth = monthOf(to);
  const months = (Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4))) * 12 + Number(toMonth.slice(5, 7)) - Number(fromMonth.slice(5, 7)) + 1;
  return { from, to, fromMonth, toMonth, months };
}

/** `AND col = $n` for each dimension filter given; '-' stands for "none" (stored as ''). */
export function dimFilters(q: MeasureQuery, dims: ('segment' | 'channel' | 'touchpoint' | 'tier' | 'store')[], params: unknown[], alias = ''): string {
  let sql = '';
  for (const d of dims) {
    const v = q[d];
    if (v === undefined) continue;
    params.push(v === '-' ? '' : v);
    sql += ` AND ${alias}${d} = $${params.length}`;
  }
  return sql;
}
