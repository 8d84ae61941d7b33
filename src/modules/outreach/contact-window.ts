// Quiet hours: when a message may reach a customer, in the customer's own timezone. A window is
// { start: 'HH:MM', end: 'HH:MM', days: ISO weekdays 1 (Monday) .. 7 }; an end before the start
// runs past midnight (22:00-02:00), and the day named is the day the window opens.
import type { ContactWindow } from '../customers/index.js';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

interface LocalTime {
  year: number;
  month: number;
  day: number;
  minute: number;
  isoWeekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    isoWeekday: wd,
  };
}

/** The instant at which the wall clock in timeZone reads the given local date and minute. */
function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  // Guess as if UTC, then correct by the zone's offset at that instant (twice, for DST edges).
  let t = Date.UTC(year, month - 1, day, 0, minute);
  for (let i = 0; i < 2; i++) {
    const l = localTime(new Date(t), timeZone);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, 0, l.minute);
    t += Date.UTC(year, month - 1, day, 0, minute) - asUtc;
  }
  return new Date(t);
}

/** Whether `at` falls inside the window in timeZone. */
export function isInContactWindow(at: Date, timeZone: string, w: ContactWindow): boolean {
  const l = localTime(at, timeZone);
  const s = minutes(w.start),
    e = minutes(w.end);
  if (s === e) return w.days.includes(l.isoWeekday);
  if (s < e) return w.days.includes(l.isoWeekday) && l.minute >= s && l.minute < e;
  // Past midnight: either the evening part of an allowed day, or the early part after one.
  const yesterday = l.isoWeekday === 1 ? 7 : l.isoWeekday - 1;
  return (w.days.includes(l.isoWeekday) && l.minute >= s) || (w.days.includes(yesterday) && l.minute < e);
}

/** The first instant at or after `now` inside the window: now itself when it already is. */
export function nextContactTime(now: Date, timeZone: string, w: ContactWindow): Date {
  if (!w.days.length) return now;
  if (isInContactWindow(now, timeZone, w)) return now;
  const l = localTime(now, timeZone);
  const s = minutes(w.start);
  for (let d = 0; d <= 7; d++) {
    const date = new Date(Date.UTC(l.year, l.month - 1, l.day + d));
    const wd = ((l.isoWeekday - 1 + d) % 7) + 1;
    if (!w.days.includes(wd)) continue;
    const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), s, timeZone);
    if (at.getTime() >= now.getTime()) return at;
  }
  return now;
}
