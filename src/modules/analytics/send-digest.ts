// The weekly digest for managers: the key figures of the last whole week (Monday to Sunday, UTC) next
// to the week before, sent through whatever mail transport the composition root gives.
import type { Queryable } from '../../platform/db.js';
import type { MeasureQuery } from './filters.js';
import type { RefreshState } from './measured.js';
import type { AnalyticsSettings } from './settings.js';
import { measureExperience } from './measure-experience.js';
import { measureOperations, measureLoop } from './measure-operations.js';
import { measureReputation } from './measure-reputation.js';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}
export type SendMail = (mail: Mail) => Promise<void>;

export interface DigestFigure {
  name: string;
  this_week: number | null;
  last_week: number | null;
  change: number | null;
}

const DAY = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The last whole ISO week before `asOf` and the one before it. */
export function digestWeeks(asOf: Date) {
  const midnight = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  const monday = midnight - ((asOf.getUTCDay() + 6) % 7) * DAY;
  const thisWeek = { from: day(new Date(monday - 7 * DAY)), to: day(new Date(monday - DAY)) };
  const lastWeek = { from: day(new Date(monday - 14 * DAY)), to: day(new Date(monday - 8 * DAY)) };
  return { thisWeek, lastWeek };
}

async function weekFigures(db: Queryable, tenantId: string, state: RefreshState, settings: AnalyticsSettings, w: { from: string; to: string }) {
  const q: MeasureQuery = { from: w.from, to: w.to };
  const [exp, ops, loop, rep] = await Promise.all([
    measureExperience(db, tenantId, { ...q, interval: 'week' }, state),
    measureOperations(db, tenantId, q, state),
    measureLoop(db, tenantId, q, state, settings),
    measureReputation(db, tenantId, q, state),
  ]);
  const total = (kind: string) => (exp.body.totals as { kind: string; score: number | null }[]).find((t) => t.kind === kind)?.score ?? null;
  const pct = (x: unknown) => (typeof x === 'number' ? Math.round(x * 1000) / 10 : null);
  return {
    NPS: total('nps'),
    'CSAT %': total('csat'),
    CES: total('ces'),
    Conversations: ops.body.conversations as number,
    'First response (min)': ops.body.first_response_minutes as number | null,
    'First response SLA %': pct(ops.body.first_response_sla),
    'Resolution (h)': ops.body.resolution_hours as number | null,
    'Cases opened': loop.body.cases as number,
    'Loop closure %': pct(loop.body.loop_closure_rate),
    'Cost per complaint': loop.body.cost_per_complaint as number | null,
    Mentions: rep.body.mentions as number,
    'Negative mentions %': pct(rep.body.negative_share),
  };
}

export async function composeDigest(db: Queryable, tenantId: string, tenantName: string, state: RefreshState, settings: AnalyticsSettings) {
  const { thisWeek, lastWeek } = digestWeeks(state.asOf);
  const [now, before] = await Promise.all([weekFigures(db, tenantId, state, settings, thisWeek), weekFigures(db, tenantId, state, settings, lastWeek)]);
  const figures: DigestFigure[] = Object.entries(now).map(([name, v]) => {
    const prev = before[name as keyof typeof before];
    return { name, this_week: v, last_week: prev, change: v !== null && prev !== null ? Math.round((v - prev) * 100) / 100 : null };
  });
  const show = (v: number | null) => (v === null ? '-' : String(v));
  const sign = (v: number | null) => (v === null ? '' : v > 0 ? `+${v}` : String(v));
  const width = Math.max(...figures.map((f) => f.name.length));
  const text = [
    `${tenantName}: the week of ${thisWeek.from} to ${thisWeek.to}, against ${lastWeek.from} to ${lastWeek.to}.`,
    '',
    ...figures.map(
      (f) => `${f.name.padEnd(width)}  ${show(f.this_week).padStart(8)}  (last week ${show(f.last_week)}${f.change === null ? '' : `, ${sign(f.change)}`})`,
    ),
    '',
    `Figures as of ${state.refreshedAt?.toISOString() ?? 'never refreshed'}.`,
  ].join('\n');
  return { subject: `${tenantName} weekly figures, ${thisWeek.from} to ${thisWeek.to}`, text, figures, week: thisWeek, previous_week: lastWeek };
}
