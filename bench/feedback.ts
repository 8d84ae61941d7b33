// Feedback dashboards and submissions on the real PostgreSQL: 1,000,000 responses of 100,000
// customers over 52 weeks; the NPS-by-touchpoint-by-week and detractor-topic queries over HTTP (p50
// and p95 of 50 runs each) against the same SQL sent straight to the database; then the response
// submission rate over HTTP against plain single-row INSERTs of the same rows on as many connections,
// measured in the same run just before.
import os from 'node:os';
import pg from 'pg';
import { rebuildRollups } from '../src/modules/feedback/index.js';
import { startServer, dropTenant, cpuSeconds, databaseCpuSeconds, processCpuMs } from './child-server.js';
import { LeanConnection } from './lib/lean-http.js';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const RUNS = 50;
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 20_000);
/** Submissions sent before the measured ones, at the same concurrency. */
const WARMUP = 1_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** The server's pool on a real PostgreSQL (openDatabase's default): the baseline gets as many connections. */
const SERVER_POOL = 16;
const TOUCHPOINTS = ['app', 'web', 'store', 'call_center', 'billing', 'delivery', 'onboarding', 'checkout'];
const TOPICS = ['price', 'app', 'timeout', 'staff', 'delivery', 'login', 'refund', 'quality', 'wait_time', 'billing', 'search', 'cannot_find_answer'];
const END = Date.UTC(2026, 10, 23); // a Monday
const WEEKS = 52;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function timeRuns(fn: () => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm caches and plans off the clock
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function load(pool: pg.Pool, tenantId: string, surveyId: string) {
  // Customers as bare rows (the dashboards never read them; submissions need them to exist).
  await pool.query(`INSERT INTO customers (tenant_id, id) SELECT $1, 'cus_bench' || lpad(g::text, 8, '0') FROM generate_series(1, $2) g`, [
    tenantId,
    CUSTOMERS,
  ]);
  const chunk = 100_000;
  for (let start = 0; start < RESPONSES; start += chunk) {
    // Scores skewed like real NPS answers; a third of the answers carry one or two topics.
    await pool.query(
      `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, answers, status, channel, touchpoint, journey_stage, trigger, topics, started_at, submitted_at, updated_at)
       SELECT $1, 'rsp_bench' || lpad(g::text, 9, '0'), $2, 1, 'cus_bench' || lpad((1 + g % $3)::text, 8, '0'), 'nps', s.score,
              jsonb_build_object('nps', s.score), 'complete', 'email', ($6::text[])[1 + g % 8], 'use', 'event',
              CASE WHEN g % 3 = 0 THEN ARRAY[($7::text[])[1 + (g / 3) % 12]] || CASE WHEN g % 2 = 0 THEN ARRAY[($7::text[])[1 + (g / 7) % 12]] ELSE '{}' END ELSE '{}' END,
              t.at, t.at, t.at
         FROM generate_series($4::int, $5::int) g
         CROSS JOIN LATERAL (SELECT (ARRAY[0,1,2,3,4,5,6,6,7,7,8,8,8,9,9,9,10,10,10,10])[1 + (g::bigint * 7919) % 20] AS score) s
         CROSS JOIN LATERAL (SELECT to_timestamp($8::float8 / 1000 - ((g::bigint * 104729) % ($9::bigint * 604800))) AS at) t`,
      [tenantId, surveyId, CUSTOMERS, start + 1, Math.min(RESPONSES, start + chunk), TOUCHPOINTS, TOPICS, END, WEEKS],
    );
    process.stdout.write(`\rloaded ${Math.min(RESPONSES, start + chunk)} responses`);
  }
  process.stdout.write('\n');
  // Loaded past the application, so the daily sums the dashboards read are built once, as after an import.
  await rebuildRollups(pool, tenantId);
  await pool.query('VACUUM (ANALYZE) survey_responses, customers, feedback_rollups, feedback_topic_rollups');
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('Set TEST_DATABASE_URL to the real PostgreSQL to benchmark against');
  console.log(
    `feedback: ${RESPONSES} responses of ${CUSTOMERS} customers over ${WEEKS} weeks; ${RUNS} runs per query; ${SUBMISSIONS} submissions (after ${WARMUP} off the clock) with ${CONCURRENCY} in flight; ${os.cpus().length} cores (shared: figures are noisy)`,
  );
  const server = await startServer({ DATABASE_URL: url });
  const tenantId = server.apiKey.split('.')[1];
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` };
  try {
    const created = await fetch(`${server.url}/v1/surveys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Bench NPS',
        kind: 'nps',
        definition: {
          title: { en: 'How are we doing?', 'zh-CN': '我们做得怎么样？' },
          questions: [
            { key: 'nps', type: 'nps', required: true, text: { en: 'Recommend us?' } },
            { key: 'why', type: 'text', text: { en: 'Why?' } },
          ],
        },
      }),
    });
    if (created.status !== 201) throw new Error(`survey: ${created.status} ${await created.text()}`);
    const surveyId = (await created.json()).id as string;
    const t0 = performance.now();
    await load(pool, tenantId, surveyId);
    console.log(`load: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const from = new Date(END - WEEKS * 604800_000).toISOString();
    const to = new Date(END + 86_400_000).toISOString();
    const get = async (q: string) => {
      const res = await fetch(`${server.url}${q}`, { headers });
      if (res.status !== 200) throw new Error(`${q}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const npsUrl = `/v1/feedback/measures?kind=nps&group_by=touchpoint&bucket=week&from=${from}&to=${to}`;
    const topicsUrl = `/v1/feedback/topics?from=${from}&to=${to}`;
    const nps = await timeRuns(() => get(npsUrl));
    const topics = await timeRuns(() => get(topicsUrl));
    const rows = (await (await fetch(`${server.url}${npsUrl}`, { headers })).json()) as { data: unknown[] };
    console.log(
      `NPS by touchpoint by week (${rows.data.length} rows over ${RESPONSES} responses, whole year), HTTP: p50 ${r1(nps.p50)} ms, p95 ${r1(nps.p95)} ms`,
    );
    console.log(`detractor vs promoter topics (whole year), HTTP: p50 ${r1(topics.p50)} ms, p95 ${r1(topics.p95)} ms`);

    // Baseline: the same aggregate straight over the raw responses, as it would be without daily sums.
    const baseNps = await timeRuns(async () => {
      await pool.query(
        `SELECT touchpoint, date_trunc('week', submitted_at, 'UTC') AS w, count(*), count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score <= 6) FROM survey_responses WHERE tenant_id = $1 AND kind = 'nps' AND submitted_at >= $2 AND submitted_at < $3 GROUP BY 1, 2`,
        [tenantId, from, to],
      );
    });
    console.log(
      `baseline: the NPS aggregate as direct SQL over the raw responses: p50 ${r1(baseNps.p50)} ms, p95 ${r1(baseNps.p95)} ms (HTTP over daily sums is ${(baseNps.p95 / nps.p95).toFixed(1)}x faster at p95)`,
    );

    // Submissions over HTTP with the loaded score mix: the 35% detractors each open a case in the loop, as in production.
    const SCORES = [0, 1, 2, 3, 4, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10, 10];
    const bodies = Array.from({ length: WARMUP + SUBMISSIONS }, (_, i) =>
      JSON.stringify({
        survey_id: surveyId,
        customer_id: `cus_bench${String(1 + ((i * 7919) % CUSTOMERS)).padStart(8, '0')}`,
        answers: { nps: SCORES[(i * 7) % 20], ...(i % 4 === 0 ? { why: '等待时间太长' } : {}) },
        touchpoint: TOUCHPOINTS[i % 8],
      }),
    );

    // Baseline, in the same run and on the same loaded table just before: each response as one plain
    // single-row INSERT of the same shape into survey_responses (same indexes), with as many requests
    // in flight as the HTTP run over as many connections as the server's pool has.
    const basePool = new pg.Pool({ connectionString: url, max: SERVER_POOL });
    let bn = 0;
    const b0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (bn < SUBMISSIONS) {
          const i = bn++;
          const score = SCORES[(i * 7) % 20];
          await basePool.query(
            `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, answers, status, channel, touchpoint, trigger, started_at, submitted_at, updated_at)
           VALUES ($1,$2,$3,1,$4,'nps',$5,$6,'complete','email',$7,'api',now(),now(),now())`,
            [
              tenantId,
              `rsp_baseline${String(i).padStart(9, '0')}`,
              surveyId,
              `cus_bench${String(1 + ((i * 7919) % CUSTOMERS)).padStart(8, '0')}`,
              score,
              JSON.stringify({ nps: score }),
              TOUCHPOINTS[i % 8],
            ],
          );
        }
      }),
    );
    const baseRate = SUBMISSIONS / ((performance.now() - b0) / 1000);
    await basePool.query(`DELETE FROM survey_responses WHERE tenant_id = $1 AND id LIKE 'rsp_baseline%'`, [tenantId]);
    await basePool.end();
    console.log(`baseline: single-row INSERTs into survey_responses, ${CONCURRENCY} in flight on ${SERVER_POOL} connections: ${Math.round(baseRate)}/s`);

    // One keep-alive connection per request in flight, each sending the next body when answered.
    const connections = Array.from({ length: CONCURRENCY }, () => new LeanConnection(server));
    let next = 0,
      ok = 0;
    const submitUntil = (end: number) =>
      Promise.all(
        connections.map(async (connection) => {
          while (next < end) {
            const res = await connection.post('/v1/survey-responses', bodies[next++]);
            if (res.status === 201) ok++;
            else throw new Error(`submission: ${res.status} ${res.text}`);
          }
        }),
      );
    // Off the clock, as the dashboard queries' first runs: the server's code warms up (JIT) and each of
    // its connections prepares the hot statements once.
    await submitUntil(WARMUP);
    ok = 0;
    const cpu0 = cpuSeconds(server.child.pid!);
    const loadCpu0 = processCpuMs();
    const dbCpu0 = await databaseCpuSeconds(url);
    const statements0 = await server.statements();
    const s0 = performance.now();
    await submitUntil(bodies.length);
    const statementsPerSubmission = ((await server.statements()) - statements0) / ok;
    const submissionsPerS = ok / ((performance.now() - s0) / 1000);
    // CPU the server spent per submission: on a shared machine a steadier figure than the rate.
    const serverCpuMs = ((cpuSeconds(server.child.pid!) - cpu0) * 1000) / ok;
    const loadCpuMs = (processCpuMs() - loadCpu0) / ok;
    const dbCpuMs = (((await databaseCpuSeconds(url)) - dbCpu0) * 1000) / ok;
    for (const c of connections) c.close();
    console.log(
      `submissions over HTTP: ${Math.round(submissionsPerS)}/s (${ok} stored; ${(submissionsPerS / baseRate).toFixed(2)}x the single-row INSERT baseline); server CPU ${serverCpuMs.toFixed(2)} ms, database server ${dbCpuMs.toFixed(2)} ms (load generator ${loadCpuMs.toFixed(2)} ms) and ${statementsPerSubmission.toFixed(2)} SQL statements per submission`,
    );

    const worst = nps.p95 >= topics.p95 ? nps : topics;
    console.log(
      JSON.stringify({
        bench: 'feedback',
        p50_ms: r1(worst.p50),
        p95_ms: r1(worst.p95),
        submissions_per_s: Math.round(submissionsPerS),
        nps_by_touchpoint_week: { p50_ms: r1(nps.p50), p95_ms: r1(nps.p95) },
        detractor_topics: { p50_ms: r1(topics.p50), p95_ms: r1(topics.p95) },
        baseline_sql_p95_ms: r1(baseNps.p95),
        baseline_inserts_per_s: Math.round(baseRate),
        server_cpu_ms_per_submission: Math.round(serverCpuMs * 100) / 100,
        db_cpu_ms_per_submission: Math.round(dbCpuMs * 100) / 100,
        load_cpu_ms_per_submission: Math.round(loadCpuMs * 100) / 100,
        statements_per_submission: Math.round(statementsPerSubmission * 100) / 100,
        responses: RESPONSES,
        customers: CUSTOMERS,
      }),
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    if (!process.env.BENCH_KEEP) await dropTenant(url, tenantId, ['survey_responses', 'customers', 'customer_events']);
    await pool.end();
  }
}
