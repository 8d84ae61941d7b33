// Scale benchmark: the same closed-loop load (event batches over HTTP, then Twilio-signed SMS webhooks
// into the inbox) against one Rapport node, then split evenly over two nodes serving the same tenant on
// the same PostgreSQL. Prints each rate, the factor from one node to two, and per operation the CPU of
// the app nodes and of the database backends and the statements sent: the inputs of the capacity model
// in docs/capacity.md.
//
// On this machine the two nodes, the database and the load generator share two cores, so the factor is
// bounded by the cores, not by Rapport: the CPU per operation is the figure that carries to a bigger
// machine, and the factor shows that a second node adds no coordination cost of its own (no lock
// contention, no duplicated work), which a factor well under 1 would reveal.
import os from 'node:os';
import { startServer, dropTenant, cpuSeconds, databaseCpuSeconds } from './child-server.js';
import { postTwilioSms } from './lib/twilio.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const EVENT_BATCH = 500;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
// Most messages land in a conversation that is already open, as in a contact centre past its first minutes.
const CUSTOMERS = 1000;
const TOKEN = 'bench-twilio-auth-token';
const SECRET = 'bench-secret-key';

type Node = Awaited<ReturnType<typeof startServer>>;
interface Phase {
  perS: number;
  appCpuMsPerOp: number;
  dbCpuMsPerOp: number;
  statementsPerOp: number;
}

/** Runs `ops` operations with CONCURRENCY in flight, operation k on node k % nodes.length; measures rate and cost. */
async function measure(url: string, nodes: Node[], ops: number, op: (node: Node, k: number) => Promise<number>): Promise<Phase> {
  const db0 = await databaseCpuSeconds(url);
  const app0 = nodes.map((n) => cpuSeconds(n.child.pid!));
  const st0 = await Promise.all(nodes.map((n) => n.statements()));
  let next = 0,
    done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ops) {
        const k = next++;
        done += await op(nodes[k % nodes.length], k);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const app = nodes.reduce((s, n, i) => s + cpuSeconds(n.child.pid!) - app0[i], 0);
  const db = (await databaseCpuSeconds(url)) - db0;
  const st = (await Promise.all(nodes.map((n) => n.statements()))).reduce((s, v, i) => s + v - st0[i], 0);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return { perS: Math.round(done / seconds), appCpuMsPerOp: r3((app * 1000) / done), dbCpuMsPerOp: r3((db * 1000) / done), statementsPerOp: r3(st / done) };
}

function eventBatch(runId: string, b: number): string {
  const events = [];
  for (let j = 0; j < EVENT_BATCH; j++) {
    const i = b * EVENT_BATCH + j;
    const c = (i * 7919) % CUSTOMERS;
    events.push({
      id: `${runId}-${i}`,
      type: i % 5 === 0 ? 'purchase' : 'page_view',
      occurred_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      identities: { email: `customer${c}@example.com` },
      properties: i % 5 === 0 ? { order_id: `o-${runId}-${i}`, amount: 100 + (i % 900), currency: 'CNY' } : { url: `https://shop.example.com/p/${i % 1000}` },
    });
  }
  return JSON.stringify({ events });
}

async function postEvents(node: Node, body: string): Promise<number> {
  const res = await fetch(`${node.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.apiKey}` },
    body,
  });
  const j = (await res.json()) as { accepted?: number };
  if (res.status !== 200) throw new Error(`events answered ${res.status}`);
  return j.accepted ?? 0;
}

/** One Twilio-signed inbound SMS to the node's webhook; 1 when stored. */
async function postSms(node: Node, channelId: string, runId: string, i: number): Promise<number> {
  const hook = `${node.url}/hooks/inbox/${node.apiKey.split('.')[1]}/twilio/${channelId}`;
  const c = i % CUSTOMERS;
  const params = {
    MessageSid: `SM${runId}${i}`,
    AccountSid: 'ACbench',
    From: `+86138${String(c).padStart(8, '0')}`,
    To: '+14155550100',
    Body: `question ${i}`,
    NumMedia: '0',
  };
  const res = await postTwilioSms(hook, TOKEN, params);
  await res.text();
  return res.status === 200 ? 1 : 0;
}

async function phase(url: string, nodes: Node[], channelId: string, label: string) {
  const runId = `${label}${Date.now().toString(36)}`;
  // Warm-up off the clock on every node: JIT, pools, prepared plans.
  for (const n of nodes) {
    await postEvents(n, eventBatch(`warm-${runId}`, nodes.indexOf(n)));
    await postSms(n, channelId, `warm${runId}`, nodes.indexOf(n));
  }
  const batches = Math.ceil(EVENTS / EVENT_BATCH);
  const bodies = Array.from({ length: batches }, (_, b) => eventBatch(runId, b));
  const events = await measure(url, nodes, batches, (n, k) => postEvents(n, bodies[k]));
  const messages = await measure(url, nodes, MESSAGES, (n, k) => postSms(n, channelId, runId, k));
  console.log(
    `${label}: events ${events.perS}/s (app CPU ${events.appCpuMsPerOp} ms, database CPU ${events.dbCpuMsPerOp} ms, ${events.statementsPerOp} statements per event); inbound SMS ${messages.perS}/s (app CPU ${messages.appCpuMsPerOp} ms, database CPU ${messages.dbCpuMsPerOp} ms, ${messages.statementsPerOp} statements per message)`,
  );
  return { events, messages };
}

async function stop(node: Node) {
  node.child.kill('SIGTERM');
  await new Promise((r) => node.child.once('exit', r));
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL must name the real PostgreSQL database to benchmark against');
  console.log(
    `scale: ${EVENTS} events in batches of ${EVENT_BATCH}, then ${MESSAGES} inbound SMS, ${CONCURRENCY} requests in flight, one node then two; ${os.cpus().length} cores shared by the nodes, PostgreSQL and this generator`,
  );
  const env = { DATABASE_URL: url, RAPPORT_SECRET_KEY: SECRET, BENCH_JOBS: 'true' };
  const a = await startServer(env);
  let b: Node | undefined;
  try {
    const res = await fetch(`${a.url}/v1/inbox/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'sms', name: 'Bench SMS', settings: { account_sid: 'ACbench', from: '+14155550100' }, secrets: { auth_token: TOKEN } }),
    });
    const channel = (await res.json()) as { id: string };
    const one = await phase(url, [a], channel.id, 'one node');
    b = await startServer({ ...env, BENCH_API_KEY: a.apiKey });
    const two = await phase(url, [a, b], channel.id, 'two nodes');
    const factor = (x: number, y: number) => Math.round((y / x) * 100) / 100;
    console.log(
      `factor from one node to two: events ${factor(one.events.perS, two.events.perS)}, inbound SMS ${factor(one.messages.perS, two.messages.perS)} (bounded by ${os.cpus().length} shared cores)`,
    );
    console.log(
      JSON.stringify({
        bench: 'scale',
        cores: os.cpus().length,
        one_node_events_per_s: one.events.perS,
        two_nodes_events_per_s: two.events.perS,
        factor: factor(one.events.perS, two.events.perS),
        one_node_messages_per_s: one.messages.perS,
        two_nodes_messages_per_s: two.messages.perS,
        messages_factor: factor(one.messages.perS, two.messages.perS),
        app_cpu_ms_per_event: one.events.appCpuMsPerOp,
        db_cpu_ms_per_event: one.events.dbCpuMsPerOp,
        statements_per_event: one.events.statementsPerOp,
        app_cpu_ms_per_message: one.messages.appCpuMsPerOp,
        db_cpu_ms_per_message: one.messages.dbCpuMsPerOp,
        statements_per_message: one.messages.statementsPerOp,
      }),
    );
  } finally {
    if (b) await stop(b);
    await stop(a);
    if (!process.env.BENCH_KEEP)
      await dropTenant(url, a.apiKey.split('.')[1]).catch((err) => console.error(`scale bench: tenant clean-up failed: ${(err as Error).message}`));
  }
}
