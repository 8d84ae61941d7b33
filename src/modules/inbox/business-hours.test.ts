import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, isOpenAt, Calendar } from './business-hours.js';

const shanghai = Calendar.parse({
  kind: 'business_hours',
  timezone: 'Asia/Shanghai',
  hours: { 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] },
  holidays: ['2026-10-01'],
});

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

  // A desk in New York open round the clock on weekdays: open time runs on across midnight.
  const nightDesk = Calendar.parse({
    kind: 'business_hours',
    timezone: 'America/New_York',
    hours: { 1: ['00:00', '24:00'], 2: ['00:00', '24:00'], 3: ['00:00', '24:00'], 4: ['00:00', '24:00'], 5: ['00:00', '24:00'] },
    holidays: ['2026-12-25'],
  });
  const usOffice = Calendar.parse({
    kind: 'business_hours',
    timezone: 'America/New_York',
    hours: { 1: ['09:00', '17:00'], 2: ['09:00', '17:00'], 3: ['09:00', '17:00'], 4: ['09:00', '17:00'], 5: ['09:00', '17:00'] },
    holidays: ['2026-11-26'],
  });

  it('counts open time across midnight into the next local day', () => {
    // Tuesday 2026-03-03 23:50 in New York (EST, UTC-5) + 30 open minutes = Wednesday 00:20 local.
    expect(addBusinessMinutes(nightDesk, new Date('2026-03-04T04:50:00Z'), 30).toISOString()).toBe('2026-03-04T05:20:00.000Z');
    // Friday 23:50 EST: 10 minutes that night, then nothing until Monday 00:00, by then EDT (04:00 UTC).
    expect(addBusinessMinutes(nightDesk, new Date('2026-03-07T04:50:00Z'), 30).toISOString()).toBe('2026-03-09T04:20:00.000Z');
    expect(isOpenAt(nightDesk, new Date('2026-03-04T05:00:00Z'))).toBe(true); // Wednesday 00:00 local
    expect(isOpenAt(nightDesk, new Date('2026-03-08T05:00:00Z'))).toBe(false); // Sunday 00:00 local
  });

  it("skips a holiday in the team's zone even where it is already the next day in UTC", () => {
    // Thursday 2026-12-24 23:30 New York = Friday 04:30 UTC; Christmas Day is closed there, the weekend too:
    // 30 minutes on Christmas Eve, the other 30 from Monday 00:00 local.
    expect(addBusinessMinutes(nightDesk, new Date('2026-12-25T04:30:00Z'), 60).toISOString()).toBe('2026-12-28T05:30:00.000Z');
    // Thanksgiving (Thursday 26 November): Wednesday 16:30 local + 60 min = Friday 09:30 local (EST).
    expect(addBusinessMinutes(usOffice, new Date('2026-11-25T21:30:00Z'), 60).toISOString()).toBe('2026-11-27T14:30:00.000Z');
  });

  it("keeps local opening hours across a DST change in the team's zone", () => {
    // Friday 2026-03-06 16:30 EST (21:30 UTC) + 60 open minutes: 30 on Friday, 30 on Monday 9 March from
    // 09:00 EDT, which is 13:00 UTC (clocks went forward on Sunday 8 March), not 14:00.
    expect(addBusinessMinutes(usOffice, new Date('2026-03-06T21:30:00Z'), 60).toISOString()).toBe('2026-03-09T13:30:00.000Z');
    // And back: Friday 2026-10-30 16:30 EDT (20:30 UTC) + 60 = Monday 2 November 09:30 EST = 14:30 UTC.
    expect(addBusinessMinutes(usOffice, new Date('2026-10-30T20:30:00Z'), 60).toISOString()).toBe('2026-11-02T14:30:00.000Z');
    // London's spring change happens at 01:00 UTC on Sunday 29 March: a 24x5 desk there reopens Monday 00:00 BST.
    const london = Calendar.parse({ kind: 'business_hours', timezone: 'Europe/London', hours: { 1: ['00:00', '24:00'], 5: ['00:00', '24:00'] } });
    expect(addBusinessMinutes(london, new Date('2026-03-27T23:30:00Z'), 60).toISOString()).toBe('2026-03-29T23:30:00.000Z');
  });
});
