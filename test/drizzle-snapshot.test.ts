// drizzle-kit's last snapshot describes every schema.ts as it is, so `npm run db:generate` writes only
// what a change adds. Most migrations are written by hand (partitions, triggers, views, data moves); a
// change to a schema.ts that lands with a hand-written migration must then also refresh the snapshot
// (run db:generate, keep its meta/NNNN_snapshot.json, and replace its SQL with the hand-written one).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-drizzle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("drizzle-kit's snapshot", () => {
  it('finds no change between the schema files and the last migration snapshot', async () => {
    const out = path.join(dir, 'migrations');
    fs.cpSync(path.join(root, 'migrations'), out, { recursive: true });
    // drizzle-kit takes `out` relative to where it runs, so it runs in the copy's folder.
    fs.writeFileSync(
      path.join(dir, 'drizzle.config.json'),
      JSON.stringify({
        dialect: 'postgresql',
        schema: [path.join(root, 'src/platform/schema.ts'), path.join(root, 'src/modules/*/schema.ts')],
        out: './migrations',
      }),
    );
    const before = fs.readdirSync(out).sort();
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', 'drizzle.config.json'], {
      cwd: dir,
      timeout: 120_000,
    });
    expect(fs.readdirSync(out).sort(), stdout).toEqual(before);
    expect(stdout).toMatch(/No schema changes/);
  });
});
