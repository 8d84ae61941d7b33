// Inbox benchmark: 200 agents connected over WebSockets to a server process on the real PostgreSQL,
// Twilio-signed SMS webhooks injected at a steady rate (500/s for 60 s by default), each message
// followed from the moment its webhook is sent until the agents of its team have it on their feed.
// Baseline in the same run: the same load and fan-out through a bare HTTP + WebSocket relay with no
// database, the floor this machine sets.
// Then the other way: agents reply to conversations over SMS through the outbox, to a local server
// answering as Twilio's Messages API where one reply in ten meets a 503 once; every reply must arrive
// exactly once, and the time from the agent's reply to Twilio's acceptance is measured.
import WebSocket from 'ws';
import { startServer, peakRssMb, dropTenant, cpuSeconds, settleDatabase } from './child-server.js';
import { baselineRelay, drive, percentile, report, type FeedLoad, type Run } from './lib/drive-feed-load.js';
import { postTwilioSms, twilioStub } from './lib/twilio.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const AGENTS = 200;
const TEAMS = 10;
const CUSTOMERS = 5000;
const TOKEN = 'bench-twilio-auth-token';
const REPLIES = Number(process.env.BENCH_REPLIES ?? 200);
const OUTBOUND_WAIT_S = Number(process.env.BENCH_OUTBOUND_WAIT_S ?? 90);
const LOAD: FeedLoad = { rate: RATE, seconds: SECONDS, agents: AGENTS, teams: TEAMS };

interface Outbound {
  replies: number;
  delivered: number;
  lost: number;
  duplicated: number;
  latencies: number[];
  failedOnce: number;
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL must name the real PostgreSQL database to benchmark against');
  console.log(`inbox bench: ${AGENTS} agent sockets in ${TEAMS} teams, ${RATE} msg/s for ${SECONDS} s over Twilio-signed webhooks, ${CUSTOMERS} customers`);

  const base = await baselineRelay(LOAD, CUSTOMERS);
  report('baseline (bare HTTP + WebSocket relay, no database)', base);

  // The provider stub listens on loopback, which the egress guard refuses unless told otherwise.
  const server = await startServer({ DATABASE_URL: url, RAPPORT_SECRET_KEY: 'bench-secret-key', BENCH_JOBS: 'true', RAPPORT_EGRESS_ALLOW: '127.0.0.0/8, ::1' });
  let result: Run | undefined;
  let outbound: Outbound | undefined;
  let rss = NaN;
  let cpuMsPerMessage = NaN,
    statementsPerMessage = NaN;
  try {
    const headers = { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' };
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${server.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${method} ${p} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    // A fresh database has no dead rows of earlier runs' tenants for autovacuum to clear mid-run.
    await settleDatabase(url, [
      'inbox_messages',
      'inbox_conversations',
      'inbox_assignments',
      'inbox_agents',
      'inbox_teams',
      'customer_events',
      'customers',
      'customer_identities',
    ]);
    const teams: string[] = [];
    for (let k = 0; k < TEAMS; k++) {
      const team = await call('POST', '/v1/inbox/teams', { name: `Team ${k}`, assignment: 'least_loaded' });
      teams.push(team.id);
      await call('POST', '/v1/inbox/routing-rules', { name: `team${k}`, position: k, conditions: { keywords: [`team${k}:`] }, team_id: team.id });
    }
    const agents: string[] = [];
    for (let a = 0; a < AGENTS; a++)
      agents.push((await call('POST', '/v1/inbox/agents', { name: `Agent ${a}`, status: 'online', capacity: 1000, team_ids: [teams[a % TEAMS]] })).id);
    const channel = await call('POST', '/v1/inbox/channels', {
      kind: 'sms',
      name: 'Bench SMS',
      settings: { account_sid: 'ACbench', from: '+14155550100' },
      secrets: { auth_token: TOKEN },
    });
    const hook = `${server.url}/hooks/inbox/${server.apiKey.split('.')[1]}/twilio/${channel.id}`;
    const wsUrl = server.url.replace('http', 'ws');
    const sockets = await Promise.all(
      agents.map(
        (id) =>
          new Promise<WebSocket>((res, rej) => {
            const ws = new WebSocket(`${wsUrl}/v1/inbox/feed?agent_id=${id}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
            ws.once('message', () => res(ws));
            ws.once('error', rej);
          }),
      ),
    );
    const runId = Date.now().toString(36);
    const teamOf = (i: number) => (i % CUSTOMERS) % TEAMS;
    // Why webhooks were not accepted, by HTTP status (or the client's error), for the report.
    const refusals = new Map<string, number>();
    const post = async (i: number) => {
      const c = i % CUSTOMERS;
      const params = {
        MessageSid: `SM${runId}${i}`,
        AccountSid: 'ACbench',
        From: `+86138${String(c).padStart(8, '0')}`,
        To: '+14155550100',
        Body: `team${teamOf(i)}: question #bench${i}#`,
        NumMedia: '0',
      };
      try {
        const res = await postTwilioSms(hook, TOKEN, params);
        await res.text();
        if (res.status !== 200) refusals.set(String(res.status), (refusals.get(String(res.status)) ?? 0) + 1);
        return res.status === 200;
      } catch (err) {
        const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
        refusals.set(why, (refusals.get(why) ?? 0) + 1);
        return false;
      }
    };
    // Warm-up outside the clock: JIT, pools, every customer's first conversation is not the steady state.
    for (let i = 0; i < 50; i++) await post(CUSTOMERS * 1000 + i);
    refusals.clear();
    const cpu0 = cpuSeconds(server.child.pid!);
    const statements0 = await server.statements();
    result = await drive(LOAD, post, sockets, teamOf);
    const cpu = cpuSeconds(server.child.pid!) - cpu0;
    const statements = (await server.statements()) - statements0;
    rss = peakRssMb(server.child.pid!);
    cpuMsPerMessage = (cpu * 1000) / Math.max(1, result.accepted);
    statementsPerMessage = statements / Math.max(1, result.accepted);
    for (const s of sockets) s.close();
    report('inbox (Rapport, real PostgreSQL)', result);
    outbound = await replyOutbound(call);
    console.log(
      `outbound: ${outbound.replies} replies over SMS, ${outbound.failedOnce} met a 503 once; delivered ${outbound.delivered}, lost ${outbound.lost}, duplicated ${outbound.duplicated}; reply -> accepted by the provider: p50 ${percentile(outbound.latencies, 50).toFixed(0)} ms, p99 ${percentile(outbound.latencies, 99).toFixed(0)} ms`,
    );
    // CPU per message holds still when the machine is shared and the latencies do not.
    console.log(
      `server peak RSS ${rss} MB; server CPU ${cpu.toFixed(1)} s = ${((cpu * 1000) / Math.max(1, result.accepted)).toFixed(2)} ms and ${(statements / Math.max(1, result.accepted)).toFixed(2)} SQL statements per accepted message; p99 vs baseline p99: ${(percentile(result.latencies, 99) / percentile(base.latencies, 99)).toFixed(1)}x${refusals.size ? `; not accepted: ${JSON.stringify(Object.fromEntries(refusals))}` : ''}`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    // A failed clean-up is reported, and never takes the figures with it.
    if (!process.env.BENCH_KEEP)
      await dropTenant(url, server.apiKey.split('.')[1]).catch((err) => console.error(`inbox bench: tenant clean-up failed: ${(err as Error).message}`));
  }
  const r = result!;
  // The last line printed: the figures as one JSON object.
  console.log(
    JSON.stringify({
      bench: 'inbox',
      messages_per_s: Math.round(r.accepted / r.seconds),
      p50_ms: Math.round(percentile(r.latencies, 50) * 10) / 10,
      p99_ms: Math.round(percentile(r.latencies, 99) * 10) / 10,
      lost: r.lost,
      duplicated: r.duplicated,
      peak_rss_mb: rss,
      server_cpu_ms_per_message: Math.round(cpuMsPerMessage * 100) / 100,
      statements_per_message: Math.round(statementsPerMessage * 100) / 100,
      outbound_delivered: outbound?.delivered ?? null,
      outbound_lost: outbound?.lost ?? null,
      outbound_duplicated: outbound?.duplicated ?? null,
      outbound_p99_reply_to_delivered_ms: outbound ? Math.round(percentile(outbound.latencies, 99)) : null,
    }),
  );
}

/** Agents answer REPLIES conversations over an SMS channel whose provider is the local stub. */
async function replyOutbound(call: (method: string, p: string, body?: unknown) => Promise<any>): Promise<Outbound> {
  const sentAt: number[] = [];
  const deliveredAt = new Map<number, number>();
  let duplicated = 0;
  const stub = await twilioStub((j) => {
    if (deliveredAt.has(j)) duplicated++;
    else deliveredAt.set(j, performance.now());
  });
  try {
    const channel = await call('POST', '/v1/inbox/channels', {
      kind: 'sms',
      name: 'Bench SMS out',
      settings: { account_sid: 'ACbench', from: '+14155550101', api_base: stub.base },
      secrets: { auth_token: TOKEN },
    });
    const conversations: string[] = [];
    for (let cursor: string | undefined; conversations.length < REPLIES; ) {
      const page = await call('GET', `/v1/conversations?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      conversations.push(...page.data.map((c: { id: string }) => c.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const replies = Math.min(REPLIES, conversations.length);
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let j = w; j < replies; j += 8) {
          sentAt[j] = performance.now();
          await call('POST', `/v1/conversations/${conversations[j]}/messages`, { text: `answer #out${j}#`, channel_id: channel.id });
        }
      }),
    );
    // Retries come on the outbox's schedule (the first within 30 s): wait for them, up to a bound.
    const until = performance.now() + OUTBOUND_WAIT_S * 1000;
    while (deliveredAt.size < replies && performance.now() < until) await new Promise((r) => setTimeout(r, 250));
    const latencies = [...deliveredAt].map(([j, at]) => at - sentAt[j]).sort((a, b) => a - b);
    return { replies, delivered: deliveredAt.size, lost: replies - deliveredAt.size, duplicated, latencies, failedOnce: stub.failedOnce() };
  } finally {
    await stub.close();
  }
}
