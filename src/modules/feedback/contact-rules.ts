// The customer's own limits on being asked: consent for the channel and the contact window in their
// local hours. Pure functions over the profile the customers service returns.
import { isTimeZone } from '../../platform/validation.js';

export interface ContactWindow {
  start: string;
  end: string;
  days?: number[];
}

function localParts(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** ISO weekdays 1 (Monday) to 7; a window whose end is before its start runs past midnight. */
export function isWithinWindow(window: ContactWindow | null | undefined, timeZone: string | null | undefined, at: Date): boolean {
  if (!window) return true;
  const tz = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const { day, minutes } = localParts(at, tz);
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  const days = window.days?.length ? window.days : [1, 2, 3, 4, 5, 6, 7];
  if (start <= end) return days.includes(day) && minutes >= start && minutes < end;
  // Overnight: the part after midnight belongs to the day the window opened.
  if (minutes >= start) return days.includes(day);
  const previous = day === 1 ? 7 : day - 1;
  return minutes < end && days.includes(previous);
}

/** The first moment at or after `from`, in 5-minute steps over the next 8 days, inside the window. */
export function nextWindowOpening(window: ContactWindow | null | undefined, timeZone: string | null | undefined, from: Date): Date | undefined {
  if (isWithinWindow(window, timeZone, from)) return from;
  const step = 5 * 60_000;
  const first = Math.ceil(from.getTime() / step) * step;
  for (let t = first; t < from.getTime() + 8 * 86_400_000; t += step) {
    if (isWithinWindow(window, timeZone, new Date(t))) return new Date(t);
  }
  return undefined;
}

export interface ConsentState {
  channel: string;
  purpose: string;
  status: string;
}

/** Asking needs the customer's current consent for this channel and purpose: silence is no. */
export function hasConsent(consent: ConsentState[], channel: string, purpose: string): boolean {
  return consent.some((c) => c.channel === channel && c.purpose === purpose && c.status === 'granted');
}
