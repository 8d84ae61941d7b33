// The console's number and date helpers follow the language a person chose, not the browser's, and
// keep one formatter per language and style without mixing styles up.
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber } from '../web/shared/format.js';
import { customerName } from '../web/shared/customer-name.js';
import { formatName } from '../src/modules/customers/index.js';

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

  // The browser keeps its own copy of the name rule (a value imported from a module would bundle server
  // code into the console); this holds the two to the same answers.
  it("writes a customer's name as the server's formatName does", () => {
    const names = [
      { given_name: 'Oliver', family_name: 'Jones', display_name: null },
      { given_name: '芳', family_name: '王', display_name: null },
      { given_name: 'Fang', family_name: 'Wang', display_name: null },
      { given_name: null, family_name: 'Jones', display_name: null },
      { given_name: 'Oliver', family_name: 'Jones', display_name: ' Ollie ' },
    ];
    for (const lng of ['en', 'zh-CN']) {
      for (const n of names) {
        expect(customerName(n, lng)).toBe(formatName({ givenName: n.given_name, familyName: n.family_name, displayName: n.display_name }, lng));
      }
    }
    expect(customerName(names[1], 'en')).toBe('王芳');
    expect(customerName(names[2], 'zh-CN')).toBe('Wang Fang');
    expect(customerName({ id: 'cus_1', given_name: null, family_name: null, display_name: null, identities: [{ value: 'a@x.cn' }] }, 'en')).toBe('a@x.cn');
  });
});
