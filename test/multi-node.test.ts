// Two Rapport processes on one PostgreSQL, as behind a load balancer without sticky sessions: jobs run
// once whichever node's workers take them, a change made through one node is seen by the other at once,
// limits count across both, agents and web chat visitors are served by either node, and the same mail
// delivered to both SMTP listeners is stored once. Needs the real PostgreSQL: PGlite is one process's.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../src/platform/tenancy.js';
import { apiSignature } from './fixtures/provider-signatures.js';
import { Socket } from './socket.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
// The children's clock: a fixed instant, so nothing here depends on the day the suite runs.
const NOW = new Date('2026-03-10T09:00:00Z');
const DELAYED = 6;

interface Node {
  child: ChildProcess;
  url: string;
  smtpPort: number;
  name: string;
}

function startNode(name: string, env: NodeJS.ProcessEnv): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'serve-node.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_NAME: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, name, ...JSON.parse(line) }));
    child.once('exit', (code, signal) => reject(new Error(`node ${name} exited (${code ?? signal}) before listening: ${stderr.slice(-2000)}`)));
  });
}

const stopNode = (n: Node) =>
  new Promise<void>((resolve) => {
    if (n.child.exitCode !== null || n.child.signalCode !== null) return resolve();
    const force = setTimeout(() => n.child.kill('SIGKILL'), 15_000);
    n.child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    n.child.kill('SIGTERM');
  });

/** Polls until check returns a value, for what travels between processes (NOTIFY, job workers). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!databaseUrl)('two nodes on one PostgreSQL (skipped without TEST_DATABASE_URL: an embedded PGlite cannot be shared by two processes)', () => {
  let pool: pg.Pool;
  let a: Node;
  let b: Node;
  let tenant: { tenantId: string; slug: string; headers: Record<string, string> };
  const probe = `probe_${randomBytes(5).toString('hex')}`;
  const jobsSchema = `pgboss_${randomBytes(6).toString('hex')}`;
  let startedAt: Date;

  const call = async (n: Node, method: string, route: string, body?: unknown) => {
    const res = await fetch(new URL(route, n.url), {
      method,
      headers: { ...tenant.headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : await res.text() };
  };
  const ws = (n: Node, route: string, headers: Record<string, string> = {}) => Socket.open(`${n.url.replace('http', 'ws')}${route}`, headers);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await pool.query(
      `CREATE SCHEMA ${probe}; CREATE TABLE ${probe}.runs (job text NOT NULL, key text NOT NULL, node text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    startedAt = (await pool.query('SELECT now() AS t')).rows[0].t;
    // One secret key for every node: channel secrets sealed by one must open on the other, and a web
    // chat visitor's token signed by one must hold on the other.
    const env = {
      DATABASE_URL: databaseUrl,
      RAPPORT_SECRET_KEY: randomBytes(24).toString('base64url'),
      NODE_PROBE_SCHEMA: probe,
      NODE_JOBS_SCHEMA: jobsSchema,
      RAPPORT_TEST_NOW: NOW.toISOString(),
    };
    // Started together: migrations and pg-boss's own schema are created under locks either may take first.
    [a, b] = await Promise.all([startNode('a', { ...env, NODE_DELAYED: String(DELAYED) }), startNode('b', env)]);
    const slug = `multi-${randomBytes(4).toString('hex')}`;
    const made = await createTenant(pool, {
      slug,
      name: 'Two nodes',
      admin: { email: 'admin@multi.example.com', name: 'Admin', password: 'correct horse battery staple' },
    });
    tenant = { tenantId: made.tenantId, slug, headers: { authorization: `Bearer ${made.apiKey}` } };
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopNode));
    await pool?.query(`DROP SCHEMA IF EXISTS ${probe} CASCADE; DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`);
    await pool?.end();
  });

  it('runs each delayed job once, though both nodes work the queue', async () => {
    const runs = await eventually(
      async () => {
        const { rows } = await pool.query(`SELECT key, node FROM ${probe}.runs WHERE job = 'delayed' ORDER BY key`);
        return rows.length >= DELAYED ? rows : undefined;
      },
      30_000,
      'the delayed jobs',
    );
    // A job taken twice would show up late, after the first run: give the other node time to do it.
    await new Promise((r) => setTimeout(r, 3000));
    const { rows } = await pool.query(`SELECT key, count(*)::int AS n FROM ${probe}.runs WHERE job = 'delayed' GROUP BY key ORDER BY key`);
    expect(rows).toEqual(Array.from({ length: DELAYED }, (_, i) => ({ key: `a-${i}`, n: 1 })));
    expect(runs.every((r) => ['a', 'b'].includes(r.node))).toBe(true);
  });

  it("shows a channel change made through node A on node B at once, not when B's cache expires", async () => {
    const channel = (await call(a, 'POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat', settings: { welcome: 'Hello' } })).body;
    // B reads the channel and keeps it (for 30 seconds unless told otherwise).
    const first = await ws(b, `/hooks/inbox/${tenant.tenantId}/webchat/${channel.id}`);
    expect((await first.next((f) => f.type === 'welcome')).text).toBe('Hello');
    first.close();
    expect((await call(a, 'PATCH', `/v1/inbox/channels/${channel.id}`, { settings: { welcome: 'Bonjour' } })).status).toBe(200);
    const changedAt = performance.now();
    const welcome = await eventually(
      async () => {
        const s = await ws(b, `/hooks/inbox/${tenant.tenantId}/webchat/${channel.id}`);
        const w = await s.next((f) => f.type === 'welcome');
        s.close();
        return w.text === 'Bonjour' ? w : undefined;
      },
      10_000,
      'node B to see the new welcome',
    );
    expect(welcome.text).toBe('Bonjour');
    // Well inside the cache's 30 seconds: B was told, it did not wait for the entry to expire.
    expect(performance.now() - changedAt).toBeLessThan(10_000);
  });

  it('locks a login out after ten failures counted on both nodes together', async () => {
    const login = (n: Node, password: string) =>
      fetch(new URL('/v1/auth/login', n.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: tenant.slug, email: 'admin@multi.example.com', password }),
      });
    for (let i = 0; i < 5; i++) {
      expect((await login(a, `wrong ${i}`)).status).toBe(401);
      expect((await login(b, `wrong ${i}`)).status).toBe(401);
    }
    // Five failures on each node: neither alone reached ten, together they did.
    expect((await login(a, 'correct horse battery staple')).status).toBe(429);
    expect((await login(b, 'correct horse battery staple')).status).toBe(429);
  });

  it('shows an agent connected to node B a message that arrived on node A', async () => {
    const channel = (await call(a, 'POST', '/v1/inbox/channels', { kind: 'api', name: 'Weibo DMs' })).body;
    const agent = await ws(b, '/v1/inbox/feed', tenant.headers);
    await agent.next((f) => f.type === 'ready');
    const body = JSON.stringify({ id: 'weibo-1', identities: { weibo_uid: '1234567' }, text: '快递到哪了？' });
    const ts = String(Math.floor(NOW.getTime() / 1000));
    const res = await fetch(new URL(`/hooks/inbox/${tenant.tenantId}/api/${channel.id}`, a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rapport-timestamp': ts, 'x-rapport-signature': apiSignature(channel.secrets.signing_secret, ts, body) },
      body,
    });
    expect(res.status).toBe(201);
    const stored = (await res.json()) as { message_id: string; conversation_id: string };
    const frame = await agent.next((f) => f.type === 'message.created' && f.message_id === stored.message_id);
    expect(frame).toMatchObject({ conversation_id: stored.conversation_id, direction: 'in', text: '快递到哪了？' });
    agent.close();
  });

  it('gives a web chat visitor who comes back through the other node their conversation and the replies sent meanwhile', async () => {
    const channel = (await call(a, 'POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Shop chat' })).body;
    const route = `/hooks/inbox/${tenant.tenantId}/webchat/${channel.id}`;
    const onA = await ws(a, route);
    const welcome = await onA.next((f) => f.type === 'welcome');
    onA.send({ type: 'message', text: 'Where is my parcel?', client_id: 'c1' });
    const ack = await onA.next((f) => f.type === 'ack');
    onA.close();

    // The agent answers through node B while the visitor is away.
    const reply = (await call(b, 'POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'It left the warehouse today' })).body;
    expect(reply.delivery_status).toBe('sent');

    const onB = await ws(b, `${route}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`);
    expect((await onB.next((f) => f.type === 'welcome')).anonymous_id).toBe(welcome.anonymous_id);
    expect(await onB.next((f) => f.type === 'message' && f.message_id === reply.id)).toMatchObject({
      text: 'It left the warehouse today',
      conversation_id: ack.conversation_id,
    });
    onB.send({ type: 'message', text: 'Thanks!', client_id: 'c2' });
    // The same conversation continues on node B.
    expect((await onB.next((f) => f.type === 'ack' && f.client_id === 'c2')).conversation_id).toBe(ack.conversation_id);
    onB.close();
    // Sorted: each node stamps messages with its own clock, and the children's test clocks are not in step.
    const texts = (await call(a, 'GET', `/v1/conversations/${ack.conversation_id}/messages`)).body.data.map((m: any) => m.text);
    expect(texts.sort()).toEqual(['It left the warehouse today', 'Thanks!', 'Where is my parcel?']);
  });

  it("stores a mail delivered to both nodes' SMTP listeners once", async () => {
    const address = `support@${tenant.slug}.example.com`;
    expect((await call(a, 'POST', '/v1/inbox/channels', { kind: 'email', name: 'Support', settings: { address } })).status).toBe(201);
    const raw = [
      `From: li.na@example.cn`,
      `To: ${address}`,
      'Subject: Invoice missing',
      'Message-ID: <twice-0001@example.cn>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Where is my invoice?',
      '',
    ].join('\r\n');
    // A sending server that timed out on one MX retries on the other: both get the same message, here at the same moment.
    const send = (n: Node) =>
      nodemailer
        .createTransport({ host: '127.0.0.1', port: n.smtpPort, secure: false, ignoreTLS: true })
        .sendMail({ envelope: { from: 'li.na@example.cn', to: [address] }, raw });
    const sent = await Promise.all([send(a), send(b)]);
    expect(sent.map((s) => s.accepted)).toEqual([[address], [address]]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inbox_messages WHERE tenant_id = $1 AND external_id = '<twice-0001@example.cn>'`, [
      tenant.tenantId,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('fires the recurring job once per minute, though both nodes schedule it', async () => {
    // pg-boss checks schedules every 30 seconds on one node at a time: the first run comes within a minute.
    await eventually(
      async () => ((await pool.query(`SELECT 1 FROM ${probe}.runs WHERE job = 'cron'`)).rowCount ? true : undefined),
      90_000,
      'the recurring job',
    );
    // Another 35 seconds: both nodes' schedulers have had their turn since.
    await new Promise((r) => setTimeout(r, 35_000));
    const {
      rows: [w],
    } = await pool.query(
      `SELECT count(*)::int AS runs, count(DISTINCT key)::int AS jobs,
              (extract(epoch FROM date_trunc('minute', now())) - extract(epoch FROM date_trunc('minute', $1::timestamptz)))::int / 60 + 1 AS minutes
         FROM ${probe}.runs WHERE job = 'cron'`,
      [startedAt],
    );
    // Each job once (keys are pg-boss job ids), and never two jobs for one minute.
    expect(w.runs).toBe(w.jobs);
    expect(w.runs).toBeGreaterThanOrEqual(1);
    expect(w.runs).toBeLessThanOrEqual(w.minutes);
  }, 180_000);
});
