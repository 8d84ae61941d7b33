// What every measure answers with: the figures, the freshness of the roll-ups they come from, the
// filters they honoured, and the same figures as flat tables for the CSV export.
import type { MeasureQuery, Range } from './filters.js';

export interface RefreshState {
  refreshedAt: Date | null;
  asOf: Date;
  /** What the last refresh was (full or incremental), and when the roll-ups were last rebuilt whole. */
  mode: string | null;
  fullAt: Date | null;
  model: Record<string, unknown> | null;
  snapshot: Record<string, unknown> | null;
}

export type Row = Record<string, unknown>;
export interface Measured {
  body: Record<string, unknown>;
  tables: Record<string, Row[]>;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
/** a / b to four places, or null when b is 0 (a rate of nothing is not 0 %). */
export const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 10000 : null);

/** The answer's head: freshness, the filters honoured, and those given but not applied with why. */
export function frame(state: RefreshState, q: MeasureQuery, range?: Range, skipped: Record<string, string> = {}) {
  const filters: Record<string, string> = {};
  for (const k of ['segment', 'channel', 'touchpoint', 'tier', 'store', 'interval'] as const) if (q[k] !== undefined && !(k in skipped)) filters[k] = q[k]!;
  if (range && !('range' in skipped)) {
    filters.from = range.from;
    filters.to = range.to;
  }
  return {
    refreshed_at: state.refreshedAt?.toISOString() ?? null,
    as_of: state.asOf.toISOString(),
    refresh_mode: state.mode,
    rebuilt_at: state.fullAt?.toISOString() ?? null,
    filters,
    ...(Object.keys(skipped).length ? { filters_not_applied: skipped } : {}),
  };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
