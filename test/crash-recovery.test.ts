// Kills the server with SIGKILL while events stream in, restarts it on the same database, and proves
// that every event acknowledged as accepted is stored exactly once and the aggregates agree.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { databases } from './helpers.js';

const BATCHES = 40;
const PER_BATCH = 100;
const CUSTOMERS = 50;

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'serve.ts')], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  return { child, url };
}

describe.each(databases)('crash recovery on $name', ({ name, url: dbUrl }) => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('stores every acknowledged event exactly once after a SIGKILL mid-stream', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-crash-'));
    dirs.push(dataDir);
    const env = {
      ...(name === 'embedded' ? { DATABASE_URL: '', RAPPORT_DATA_DIR: dataDir } : { DATABASE_URL: dbUrl }),
      CRASH_SLUG: `crash-${randomBytes(4).toString('hex')}`,
      CRASH_KEY: randomBytes(24).toString('base64url'),
    };
    const run = randomBytes(3).toString('hex');
    const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: PER_BATCH }, (_, i) => ({
      id: `${run}-${b}-${i}`, type: 'purchase', occurred_at: new Date(Date.UTC(2026, 0, 1, 0, b, i)).toISOString(),
      identities: { external_id: `${run}-c${(b * PER_BATCH + i) % CUSTOMERS}` }, properties: { order_id: `${run}-${b}-${i}`, amount: 1, currency: 'CNY' },
    })));
    const post = (server: string, events: unknown[]) => fetch(`${server}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${env.CRASH_KEY}` }, body: JSON.stringify({ events }) });

    let server = await startServer(env);
    const acknowledged = new Set<string>();
    let next = 0;
    let killed = false;
    await Promise.all(Array.from({ length: 3 }, async () => {
      while (next < BATCHES && !killed) {
        const batch = batches[next++];
        try {
          const res = await post(server.url, batch);
          if (res.status !== 200) continue;
          for (const r of (await res.json()).results) if (r.status === 'accepted') acknowledged.add(r.id);
        } catch {
          // the connection died with the server: this batch was never acknowledged
        }
        if (!killed && acknowledged.size >= 10 * PER_BATCH) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    }));
    expect(killed).toBe(true);
    await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode ? r(null) : server.child.once('exit', r)));
    expect(acknowledged.size).toBeGreaterThanOrEqual(10 * PER_BATCH);
    expect(acknowledged.size).toBeLessThan(BATCHES * PER_BATCH);

    server = await startServer(env);
    try {
      let acceptedNow = 0;
      for (const batch of batches) {
        const body = await (await post(server.url, batch)).json();
        for (const r of body.results) {
          if (acknowledged.has(r.id)) expect(r.status, `${r.id} was acknowledged before the crash`).toBe('duplicate');
          if (r.status === 'accepted') acceptedNow++;
        }
      }
      // Everything is there once: acknowledged before plus accepted now is the whole stream...
      expect(acknowledged.size + acceptedNow).toBe(BATCHES * PER_BATCH);
      // ...and a third sending finds nothing new.
      const again = await (await post(server.url, batches[0])).json();
      expect(again.duplicates).toBe(PER_BATCH);
      // The aggregates moved with the events, in the same transactions.
      let orders = 0;
      for (let c = 0; c < CUSTOMERS; c++) {
        const res = await fetch(`${server.url}/v1/customers/lookup?kind=external_id&value=${run}-c${c}`, { headers: { authorization: `Bearer ${env.CRASH_KEY}` } });
        const profile = await res.json();
        orders += profile.activity.order_count;
        expect(profile.activity.spend.CNY).toBe(profile.activity.order_count);
      }
      expect(orders).toBe(BATCHES * PER_BATCH);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  }, 120_000);
});
