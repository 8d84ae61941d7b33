// The inbox bench's load: messages sent on schedule at a steady rate (open loop), each followed until every
// agent of its team has it on their WebSocket feed; and the same load through a bare relay with no
// database, the floor the machine sets.
import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

/** The load: `rate` messages a second for `seconds`, to `agents` agents in `teams` teams. */
export interface FeedLoad {
  rate: number;
  seconds: number;
  agents: number;
  teams: number;
}

export function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export interface Run {
  sent: number;
  accepted: number;
  seconds: number;
  latencies: number[];
  lost: number;
  duplicated: number;
  refused: number;
}

/** Drives the load and watches the feeds; `post(i, team)` sends message i, `sockets[a]` is agent a of team a % teams. */
export async function drive(load: FeedLoad, post: (i: number) => Promise<boolean>, sockets: WebSocket[], teamOf: (i: number) => number): Promise<Run> {
  const { rate: RATE, seconds: SECONDS, agents: AGENTS, teams: TEAMS } = load;
  const total = RATE * SECONDS;
  const sentAt = new Float64Array(total);
  const firstSeen = new Float64Array(total);
  const perMessage = new Uint16Array(total);
  const isAccepted = new Uint8Array(total);
  let duplicated = 0;
  sockets.forEach((ws, a) => {
    const seen = new Set<number>();
    ws.on('message', (d) => {
      const s = d.toString();
      if (!s.includes('"message.created"')) return;
      const m = /#bench(\d+)#/.exec(s);
      if (!m) return;
      const i = Number(m[1]);
      if (seen.has(i)) {
        duplicated++;
        return;
      }
      seen.add(i);
      if (a % TEAMS !== teamOf(i)) return;
      perMessage[i]++;
      if (!firstSeen[i]) firstSeen[i] = performance.now();
    });
  });
  let accepted = 0,
    sent = 0;
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  // Open loop: messages leave on schedule whatever the server's answer time, as real webhooks would.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      while (sent < due) {
        const i = sent++;
        sentAt[i] = performance.now();
        const p = post(i)
          .then(
            (ok) => {
              if (ok) {
                accepted++;
                isAccepted[i] = 1;
              }
            },
            () => undefined,
          )
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  // Stragglers have five seconds to reach the feeds.
  const perTeam = AGENTS / TEAMS;
  for (let w = 0; w < 50; w++) {
    let missing = 0;
    for (let i = 0; i < total; i++) if (isAccepted[i] && perMessage[i] < perTeam) missing++;
    if (!missing) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const latencies: number[] = [];
  // Lost: a webhook the server accepted (200) whose message did not reach every agent of its team.
  // A webhook refused or timed out is not lost: the provider retries it (counted as refused).
  let lost = 0;
  for (let i = 0; i < total; i++) {
    if (isAccepted[i] && perMessage[i] < perTeam) lost++;
    if (firstSeen[i]) latencies.push(firstSeen[i] - sentAt[i]);
  }
  if (process.env.BENCH_TRACE) {
    // Where in the run the slow ones were: the worst latency of each five-second slice.
    const slices: string[] = [];
    for (let s0 = 0; s0 < SECONDS; s0 += 5) {
      let worst = 0;
      for (let i = s0 * RATE; i < Math.min(total, (s0 + 5) * RATE); i++) if (firstSeen[i]) worst = Math.max(worst, firstSeen[i] - sentAt[i]);
      slices.push(`${s0}s:${worst.toFixed(0)}`);
    }
    console.log(`worst latency per 5 s slice (ms): ${slices.join(' ')}`);
  }
  latencies.sort((x, y) => x - y);
  return { sent: total, accepted, seconds, latencies, lost, duplicated, refused: total - accepted };
}

export function report(label: string, r: Run) {
  console.log(
    `${label}: ${r.accepted}/${r.sent} accepted in ${r.seconds.toFixed(1)} s = ${(r.accepted / r.seconds).toFixed(0)} msg/s; webhook sent -> first agent of the team has it: p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms, max ${percentile(r.latencies, 100).toFixed(1)} ms; lost ${r.lost}, duplicated ${r.duplicated}, refused or failed webhooks ${r.refused}`,
  );
}

/** The same load and fan-out through a bare HTTP + WebSocket relay with no database. */
export async function baselineRelay(load: FeedLoad, customers: number): Promise<Run> {
  const { agents: AGENTS, teams: TEAMS } = load;
  const wss = new WebSocketServer({ noServer: true });
  const clients: { ws: WebSocket; team: number }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = new URLSearchParams(body);
      const team = Number(p.get('Team'));
      const frame = JSON.stringify({ type: 'message.created', text: p.get('Body') });
      for (const c of clients) if (c.team === team) c.ws.send(frame);
      res.end('<Response></Response>');
    });
  });
  server.on('upgrade', (req, sock, head) =>
    wss.handleUpgrade(req, sock, head, (ws) => clients.push({ ws, team: Number(new URL(req.url!, 'http://x').searchParams.get('team')) })),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const sockets = await Promise.all(
    Array.from(
      { length: AGENTS },
      (_, a) =>
        new Promise<WebSocket>((res, rej) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/?team=${a % TEAMS}`);
          ws.once('open', () => res(ws));
          ws.once('error', rej);
        }),
    ),
  );
  const teamOf = (i: number) => (i % customers) % TEAMS;
  const run = await drive(
    load,
    async (i) => {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: new URLSearchParams({ Team: String(teamOf(i)), Body: `team${teamOf(i)} #bench${i}#` }).toString(),
      });
      await res.text();
      return res.ok;
    },
    sockets,
    teamOf,
  );
  for (const s of sockets) s.close();
  await new Promise<void>((r) => server.close(() => r()));
  return run;
}
