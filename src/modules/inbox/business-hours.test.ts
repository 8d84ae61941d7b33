import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, isOpenAt, Calendar } from './business-hours.js';

const shanghai = Calendar.parse({ kind: 'business_hours', timezone: 'Asia/Shanghai', hours: { 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] }, holidays: ['2026-10-01'] });

describe('business-hours calendars', () => {
  it('adds plain minutes on a 24x7 calendar', () => {
    expect(addBusinessMinutes({ kind: '24x7' }, new Date('2026-03-06T23:50:00Z'), 30).toISOString()).toBe('2026-03-07T00:20:00.000Z');
  });

  it('carries time left at Friday close over the weekend to Monday morning, in the calendar zone', () => {
    // Friday 2026-03-06 17:55 in Shanghai = 09:55 UTC; 5 minutes left that day, 25 on Monday from 09:00.
    expect(addBusinessMinutes(shanghai, new Date('2026-03-06T09:55:00Z'), 30).toISOString()).toBe('2026-03-09T01:25:00.000Z');
  });

  it('starts counting at opening time when the message arrives at night', () => {
    // Tuesday 2026-03-03 02:00 Shanghai -> counting from 09:00 local (01:00 UTC).
    expect(addBusinessMinutes(shanghai, new Date('2026-03-02T18:00:00Z'), 60).toISOString()).toBe('2026-03-03T02:00:00.000Z');
  });

  it('skips holidays', () => {
    // Wednesday 2026-09-30 17:30 local, 60 minutes: 30 that day, Thursday 1 October is a holiday, 30 on Friday.
    expect(addBusinessMinutes(shanghai, new Date('2026-09-30T09:30:00Z'), 60).toISOString()).toBe('2026-10-02T01:30:00.000Z');
  });

  it('tells open from closed', () => {
    expect(isOpenAt(shanghai, new Date('2026-03-04T03:00:00Z'))).toBe(true); // Wed 11:00 local
    expect(isOpenAt(shanghai, new Date('2026-03-04T11:00:00Z'))).toBe(false); // Wed 19:00 local
    expect(isOpenAt(shanghai, new Date('2026-03-07T03:00:00Z'))).toBe(false); // Saturday
  });
});
