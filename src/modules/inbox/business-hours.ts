// SLA calendars: 24x7, or business hours per weekday in a time zone with holidays. Targets count only
// open time, so a message at 17:55 on Friday with a 30-minute target is due on Monday at 09:25.
import { isTimeZone, z } from '../../platform/validation.js';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
export const Calendar = z.discriminatedUnion('kind', [
  // A 24x7 calendar may still name its zone (for display); it plays no part in the arithmetic.
  z.object({ kind: z.literal('24x7'), timezone: z.string().max(64).optional() }).strict(),
  z
    .object({
      kind: z.literal('business_hours'),
      timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone'),
      // ISO weekday (1 = Monday ... 7 = Sunday) -> [open, close]
      hours: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.tuple([HHMM, HHMM])),
      holidays: z.array(z.iso.date()).max(1000).default([]),
    })
    .strict(),
]);
export type Calendar = z.infer<typeof Calendar>;

const DAY_MS = 86_400_000;

/** Offset of a time zone at an instant, in ms (Asia/Shanghai -> +8 h). */
function tzOffset(tz: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of a local wall-clock time in a zone (two passes settle DST edges). */
function zonedInstant(tz: string, localMs: number): number {
  let t = localMs - tzOffset(tz, localMs);
  t = localMs - tzOffset(tz, t);
  return t;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Open intervals [start, end) in UTC ms for the local day containing `localDayStart` (UTC-midnight form). */
function openIntervalOfDay(cal: Extract<Calendar, { kind: 'business_hours' }>, localDayStart: number): [number, number] | undefined {
  const iso = new Date(localDayStart).toISOString().slice(0, 10);
  if (cal.holidays.includes(iso)) return undefined;
  const weekday = ((new Date(localDayStart).getUTCDay() + 6) % 7) + 1;
  const h = cal.hours[String(weekday) as keyof typeof cal.hours];
  if (!h) return undefined;
  const open = zonedInstant(cal.timezone, localDayStart + minutesOf(h[0]) * 60_000);
  const close = zonedInstant(cal.timezone, localDayStart + minutesOf(h[1]) * 60_000);
  return close > open ? [open, close] : undefined;
}

/** The instant `minutes` of open time after `from`. */
export function addBusinessMinutes(cal: Calendar, from: Date, minutes: number): Date {
  if (cal.kind === '24x7') return new Date(from.getTime() + minutes * 60_000);
  let remaining = minutes * 60_000;
  const t = from.getTime();
  let day = Math.floor((t + tzOffset(cal.timezone, t)) / DAY_MS) * DAY_MS;
  // Bounded: a calendar with no open day at all would otherwise loop for ever.
  for (let i = 0; i < 3 * 366; i++, day += DAY_MS) {
    const iv = openIntervalOfDay(cal, day);
    if (!iv) continue;
    const start = Math.max(iv[0], t);
    if (start >= iv[1]) continue;
    if (start + remaining <= iv[1]) return new Date(start + remaining);
    remaining -= iv[1] - start;
  }
  return new Date(t + minutes * 60_000);
}

export function isOpenAt(cal: Calendar, at: Date): boolean {
  if (cal.kind === '24x7') return true;
  const t = at.getTime();
  const day = Math.floor((t + tzOffset(cal.timezone, t)) / DAY_MS) * DAY_MS;
  const iv = openIntervalOfDay(cal, day);
  return !!iv && t >= iv[0] && t < iv[1];
}
