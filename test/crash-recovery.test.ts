// Kills the server with SIGKILL while batches of events stream in, restarts it on the same database
// (for the embedded one: the same data directory, opened again after an unclean stop), and proves
// with SQL that every event acknowledged as accepted is stored exactly once, that a batch is stored
// whole or not at all, and that the customers' aggregates count exactly the stored events.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databases } from './helpers.js';

const BATCHES = 40;
const PER_BATCH = 100;
const CUSTOMERS = 50;
/** Kill once this many batches are acknowledged and at least one more is on the wire. */
const KILL_AFTER = 10;
const SENDERS = 3;

interface Server {
  child: ChildProcess;
  url: string;
  databaseUrl: string;
}

const children = new Set<ChildProcess>();

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'serve.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr.slice(-2000)}`)));
  });
  return { child, ...JSON.parse(line) };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((res) => (child.exitCode !== null || child.signalCode !== null ? res() : child.once('exit', () => res())));

describe.each(databases)('crash recovery on $name', ({ name, url: dbUrl }) => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('stores every acknowledged event exactly once after a SIGKILL mid-stream, and the rest on resending', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-crash-'));
    dirs.push(dataDir);
    const slug = `crash-${randomBytes(4).toString('hex')}`;
    const env = {
      ...(name === 'embedded' ? { DATABASE_URL: '', RAPPORT_DATA_DIR: dataDir } : { DATABASE_URL: dbUrl }),
      CRASH_SLUG: slug,
      CRASH_KEY: randomBytes(24).toString('base64url'),
    };
    const run = randomBytes(3).toString('hex');
    const batches = Array.from({ length: BATCHES }, (_, b) =>
      Array.from({ length: PER_BATCH }, (_, i) => ({
        id: `${run}-${b}-${i}`,
        type: 'purchase',
        occurred_at: new Date(Date.UTC(2026, 0, 1, 0, b, i)).toISOString(),
        identities: { external_id: `${run}-c${(b * PER_BATCH + i) % CUSTOMERS}` },
        properties: { order_id: `${run}-${b}-${i}`, amount: 1, currency: 'CNY' },
      })),
    );
    const post = (server: Server, events: unknown[]) =>
      fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${env.CRASH_KEY}` },
        body: JSON.stringify({ events }),
      });

    // 1. Stream with several senders; SIGKILL while requests are in flight.
    let server = await startServer(env);
    const acknowledged = new Set<string>();
    const unexpected: string[] = [];
    let next = 0;
    let inFlight = 0;
    let inFlightAtKill = 0;
    let killed = false;
    const senders = Array.from({ length: SENDERS }, async () => {
      while (!killed && next < BATCHES) {
        const b = next++;
        inFlight++;
        try {
          const res = await post(server, batches[b]);
          const body = await res.json();
          if (res.status !== 200 || body.accepted !== PER_BATCH) unexpected.push(`batch ${b}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
          else for (const r of body.results) acknowledged.add(r.id);
        } catch {
          // The connection died with the server: this batch was never acknowledged.
        } finally {
          inFlight--;
        }
      }
    });
    const killer = (async () => {
      while (!(acknowledged.size >= KILL_AFTER * PER_BATCH && inFlight > 0) && next < BATCHES) await new Promise((res) => setImmediate(res));
      inFlightAtKill = inFlight;
      killed = true;
      server.child.kill('SIGKILL');
    })();
    await Promise.all([...senders, killer]);
    await exited(server.child);
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(unexpected).toEqual([]);
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER * PER_BATCH);
    expect(acknowledged.size).toBeLessThan(BATCHES * PER_BATCH);

    // 2. Restart on the same database and look at what survived.
    server = await startServer(env);
    const db = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
    // The embedded server dies with its process when the test ends; an idle client's error then is expected.
    db.on('error', () => undefined);
    try {
      const {
        rows: [tenant],
      } = await db.query('SELECT tenant_id FROM tenants WHERE slug = $1', [slug]);
      const tenantId: string = tenant.tenant_id;

      async function storedConsistently(): Promise<Set<string>> {
        const { rows } = await db.query('SELECT id FROM customer_events WHERE tenant_id = $1', [tenantId]);
        const ids = rows.map((r) => r.id as string);
        const stored = new Set(ids);
        expect(stored.size, 'an event id is stored more than once').toBe(ids.length);
        // A batch commits in one transaction: all of it is there, or none.
        const perBatch = new Map<string, number>();
        for (const id of ids) perBatch.set(id.split('-')[1], (perBatch.get(id.split('-')[1]) ?? 0) + 1);
        expect([...perBatch.values()].filter((n) => n !== PER_BATCH)).toEqual([]);
        // Identity resolution under concurrent batches made each customer once.
        const {
          rows: [{ n }],
        } = await db.query('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [tenantId]);
        expect(n).toBe(CUSTOMERS);
        // Each customer's counters count exactly its stored events (every event is a purchase of 1 CNY).
        const { rows: drift } = await db.query(
          `SELECT c.id, c.event_count, c.order_count, coalesce(e.n, 0) AS stored, coalesce(s.amount, 0)::float8 AS spend
             FROM customers c
             LEFT JOIN (SELECT customer_id, count(*)::int AS n FROM customer_events WHERE tenant_id = $1 GROUP BY customer_id) e ON e.customer_id = c.id
             LEFT JOIN customer_spend s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id AND s.currency = 'CNY'
            WHERE c.tenant_id = $1 AND (c.event_count <> coalesce(e.n, 0) OR c.order_count <> coalesce(e.n, 0) OR coalesce(s.amount, 0) <> coalesce(e.n, 0))`,
          [tenantId],
        );
        expect(drift).toEqual([]);
        const {
          rows: [sum],
        } = await db.query('SELECT sum(event_count)::int AS events FROM customers WHERE tenant_id = $1', [tenantId]);
        expect(sum.events).toBe(stored.size);
        return stored;
      }

      const survived = await storedConsistently();
      expect(
        [...acknowledged].filter((id) => !survived.has(id)),
        'acknowledged events lost in the crash',
      ).toEqual([]);
      // At most the batches that were on the wire when the server died were stored unacknowledged.
      expect(survived.size - acknowledged.size).toBeLessThanOrEqual(inFlightAtKill * PER_BATCH);

      // 3. Resend everything: what was stored is a duplicate, the rest is accepted, all exactly once.
      const answers = new Map<string, string>();
      let resendNext = 0;
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (resendNext < BATCHES) {
            const res = await post(server, batches[resendNext++]);
            expect(res.status).toBe(200);
            for (const r of (await res.json()).results) answers.set(r.id, r.status);
          }
        }),
      );
      expect(answers.size).toBe(BATCHES * PER_BATCH);
      const wrong = [...answers].filter(([id, status]) => status !== (survived.has(id) ? 'duplicate' : 'accepted'));
      expect(wrong.slice(0, 5)).toEqual([]);
      expect([...acknowledged].every((id) => answers.get(id) === 'duplicate')).toBe(true);

      const all = await storedConsistently();
      expect(all.size).toBe(BATCHES * PER_BATCH);
    } finally {
      await db.end();
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 240_000);
});
