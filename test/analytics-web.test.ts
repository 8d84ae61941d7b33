// The analytics dashboard's own strings (web/console/pages/analytics/locales.ts, its own i18next
// namespace): every key it asks for exists in both languages, translated, with the same placeholders.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../web/console/pages/analytics/locales.js';

describe('analytics dashboard translations', () => {
  it('has every key the page and chart use, in English and Chinese, each translated', () => {
    const dir = 'web/console/pages/analytics';
    const used = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tsx'))) {
      for (const m of fs.readFileSync(`${dir}/${f}`, 'utf8').matchAll(/\bt\((?:'(\w+)'|k\))/g)) if (m[1]) used.add(m[1]);
    }
    for (const k of ['nps', 'csat', 'ces']) used.add(k); // t(k) over the three kinds
    expect(used.size).toBeGreaterThan(25);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
    expect(Object.keys(zhCN)).toEqual(Object.keys(en));
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[k], k).not.toBe(en[k]);
      expect(vars(zhCN[k]), k).toEqual(vars(en[k]));
    }
  });
});
