// The customer's activity chart: one bar a month from the first item to the last, a quiet month shown
// as an empty bar rather than left out, and across a year's end.
import { describe, expect, it } from 'vitest';
import { activityOption } from './overview.js';

const at = (occurred_at: string) => ({ occurred_at }) as Parameters<typeof activityOption>[0][number];

describe('activityOption', () => {
  it('counts items by month and keeps the months with none', () => {
    const o = activityOption([at('2026-10-03T10:00:00Z'), at('2026-10-20T10:00:00Z'), at('2026-12-01T00:00:00Z'), at('2027-01-31T23:00:00Z')], 'Timeline');
    expect(o.xAxis.data).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(o.series[0].data).toEqual([2, 0, 1, 1]);
  });

  it('draws nothing for no items', () => {
    expect(activityOption([], 'Timeline').xAxis.data).toEqual([]);
  });
});
