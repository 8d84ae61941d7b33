// docs/architecture.md is the map a newcomer reads, so it must stay true when code moves: every module
// folder, every flow, every platform file and every console screen folder is named in it, and every
// source file it names in backquotes still exists somewhere in the tree.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const doc = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
const list = (dir: string) => fs.readdirSync(path.join(root, dir));
const sources = (dir: string) => list(dir).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));

/** Every file name under a directory, for checking that what the document names exists. */
function allFiles(dir: string, out = new Set<string>()): Set<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    if (e.isDirectory()) allFiles(path.join(dir, e.name), out);
    else out.add(e.name);
  }
  return out;
}

describe('docs/architecture.md', () => {
  it('names every module, flow, platform file and console screen', () => {
    const missing = [
      ...list('src/modules').filter((m) => !doc.includes(`| \`${m}\` |`)),
      ...sources('src/flows').filter((f) => !doc.includes(f)),
      ...sources('src/platform').filter((f) => !doc.includes(f.replace(/\.ts$/, ''))),
      ...list('web/console/pages')
        .filter((p) => fs.statSync(path.join(root, 'web/console/pages', p)).isDirectory())
        .filter((p) => !doc.includes(p)),
    ];
    expect(missing).toEqual([]);
  });

  it('names only source files that exist', () => {
    const files = new Set([...allFiles(path.join(root, 'src')), ...allFiles(path.join(root, 'web')), ...allFiles(path.join(root, 'test'))]);
    const named = [...doc.matchAll(/[`/(\s]([a-z0-9-]+\.tsx?)\b/gi)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(50);
    expect([...new Set(named.filter((f) => !files.has(f)))]).toEqual([]);
  });
});
