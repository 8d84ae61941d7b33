// The console's number and date helpers follow the language a person chose, not the browser's, and
// keep one formatter per language and style without mixing styles up.
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber } from '../web/shared/format.js';

describe('web formatting helpers', () => {
  it('formats numbers in the chosen language and style', () => {
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatNumber(0.123, 'en', { style: 'percent', maximumFractionDigits: 1 })).toBe('12.3%');
    // The same language with another style is another formatter: a percent never leaks into a plain number.
    expect(formatNumber(0.5, 'en')).toBe('0.5');
    expect(formatNumber(1234.5, 'en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe('1,234.50');
    expect(formatNumber(-25, 'zh-CN')).toBe('-25');
    expect(formatNumber(null, 'en')).toBe('—');
    expect(formatNumber(undefined, 'zh-CN')).toBe('—');
  });

  it('formats date and time in the chosen language', () => {
    // Local noon, so the day is the 4th in whatever time zone the test runs.
    const at = new Date(2026, 2, 4, 12, 0).toISOString();
    const en = formatDateTime(at, 'en');
    const zh = formatDateTime(at, 'zh-CN');
    expect(en).toMatch(/^Mar 4, 2026/);
    expect(zh).toMatch(/^2026年3月4日/);
    expect(formatDateTime(null, 'en')).toBe('—');
  });
});
