// Both languages are complete: zh-CN.ts is typed by en.ts's shape, and every literal key the web code
// asks for exists in both, so no screen falls back to a raw key or to the other language.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../web/shared/locales/en.js';
import { zhCN } from '../web/shared/locales/zh-CN.js';

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const lookup = (messages: unknown, key: string) =>
  key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), messages);

function leaves(o: unknown, prefix = ''): string[] {
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));
}

describe('web translations', () => {
  it('has every literal key the console and portal use, in English and Chinese', () => {
    const used = new Set<string>();
    for (const f of files(path.resolve('web'))) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => typeof lookup(en, k) !== 'string' || typeof lookup(zhCN, k) !== 'string');
    expect(missing).toEqual([]);
  });

  it('translates every English string, keeping the same placeholders', () => {
    const keys = leaves(en);
    expect(leaves(zhCN)).toEqual(keys);
    for (const k of keys) {
      const vars = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(lookup(zhCN, k)), k).toEqual(vars(lookup(en, k)));
      if (!/^(channel\.whatsapp|identity\.(wechat_|weibo_)|settings\.tab\.api-keys|settings\.apiKeys|settings\.tab\.sla)/.test(k)) {
        expect(lookup(zhCN, k), `${k} is not translated`).not.toBe(lookup(en, k));
      }
    }
  });
});
