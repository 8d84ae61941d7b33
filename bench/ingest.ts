// Ingest 200,000 events over HTTP in batches of 500 into the embedded and the real PostgreSQL, against
// a baseline of plain multi-row INSERTs of the same rows into a bare table of the same database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateDatabase } from '../src/platform/migrate.js';
import { startServer, peakRssMb, dropTenant, cpuSeconds, databaseCpuSeconds, settleDatabase } from './child-server.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 500;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const CUSTOMERS = Math.max(1, Math.floor(TOTAL / 10));

function makeBatches(runId: string): string[][] {
  // Pre-serialised bodies: the load generator must cost as little CPU as possible on a 2-core machine.
  const batches: string[][] = [];
  const base = Date.UTC(2026, 0, 1);
  let batch: string[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const c = (i * 7919) % CUSTOMERS;
    const identities = c % 3 === 0 ? { phone: `+86139${String(c).padStart(8, '0')}` } : { email: `customer${c}@example.com` };
    const occurred = new Date(base + i * 1000).toISOString();
    const kind = i % 10;
    const e =
      kind < 2
        ? {
            id: `${runId}-${i}`,
            type: 'purchase',
            occurred_at: occurred,
            identities,
            properties: {
              order_id: `o-${runId}-${i}`,
              amount: 100 + (i % 900),
              currency: 'CNY',
              store_id: `store-${i % 40}`,
              items: [{ sku: `sku-${i % 300}`, quantity: 1, price: 100 + (i % 900) }],
            },
          }
        : kind < 7
          ? {
              id: `${runId}-${i}`,
              type: 'page_view',
              occurred_at: occurred,
              identities,
              properties: { url: `https://shop.example.com/p/${i % 1000}`, title: 'Product' },
            }
          : { id: `${runId}-${i}`, type: 'app_action', occurred_at: occurred, identities, properties: { action: 'search', screen: 'flights' } };
    batch.push(JSON.stringify(e));
    if (batch.length === BATCH) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length) batches.push(batch);
  return batches;
}

interface HttpRun {
  eventsPerS: number;
  peakRssMb: number;
  memoryMb: Record<string, number>;
  serverCpuUsPerEvent: number;
  dbCpuUsPerEvent: number | null;
  statementsPerEvent: number;
}

async function ingestOverHttp(label: string, env: NodeJS.ProcessEnv): Promise<HttpRun> {
  const server = await startServer(env);
  try {
    const runId = `${label}-${Date.now().toString(36)}`;
    const batches = makeBatches(runId);
    // Warm up JIT, pools and prepared plans with a small batch outside the clock.
    await post(server, makeBatchesWarmup(runId));
    let next = 0,
      accepted = 0;
    const dbCpu0 = env.DATABASE_URL ? await databaseCpuSeconds(env.DATABASE_URL) : 0;
    const server0 = cpuSeconds(server.child.pid!);
    const statements0 = await server.statements();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches.length) {
          const b = batches[next++];
          const r = await post(server, `{"events":[${b.join(',')}]}`);
          accepted += r.accepted;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = cpuSeconds(server.child.pid!) - server0;
    const statements = (await server.statements()) - statements0;
    const dbCpu = env.DATABASE_URL ? (await databaseCpuSeconds(env.DATABASE_URL)) - dbCpu0 : null;
    if (accepted !== TOTAL) throw new Error(`${label}: ${accepted} of ${TOTAL} events accepted`);
    const rss = peakRssMb(server.child.pid!);
    // Where the resident memory is at the end: the V8 heap, or outside it (the embedded database's WebAssembly memory is in arrayBuffers).
    const mem = await server.memory();
    const memoryMb = Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, Math.round(v / 1048576)]));
    const perEvent = (s: number) => Math.round(((s * 1e6) / TOTAL) * 10) / 10;
    return {
      eventsPerS: TOTAL / seconds,
      peakRssMb: rss,
      memoryMb,
      serverCpuUsPerEvent: perEvent(serverCpu),
      dbCpuUsPerEvent: dbCpu === null ? null : perEvent(dbCpu),
      statementsPerEvent: Math.round((statements / TOTAL) * 1000) / 1000,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    if (env.DATABASE_URL && !process.env.BENCH_KEEP)
      await dropTenant(env.DATABASE_URL, server.apiKey.split('.')[1], ['customer_events', 'customers', 'customer_identities', 'customer_spend']);
  }
}

/** Each run leaves the shared database as it found it, so runs do not slow each other down. */

function makeBatchesWarmup(runId: string): string {
  const events = Array.from({ length: 200 }, (_, i) => ({
    id: `warm-${runId}-${i}`,
    type: 'page_view',
    occurred_at: new Date().toISOString(),
    identities: { email: `warm${i}@example.com` },
    properties: { url: '/' },
  }));
  return JSON.stringify({ events });
}

async function post(server: { url: string; apiKey: string }, body: string): Promise<{ accepted: number }> {
  const res = await fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
    body,
  });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json() as Promise<{ accepted: number }>;
}

/** Where a baseline stores the rows: made before the clock starts, cleared after. */
interface BaselineTarget {
  prepare(pool: pg.Pool): Promise<unknown>;
  /** The INSERT up to VALUES. */
  insert: string;
  /** One event's row: its parameters, and its tuple with the first parameter numbered `o + 1`. */
  row(e: { id: string; type: string; occurred_at: string; identities: unknown; properties: unknown }, i: number, o: number): { params: unknown[]; sql: string };
  clear(pool: pg.Pool): Promise<unknown>;
}

/** A table with only a primary key: the floor the ratio uses. */
const BARE: BaselineTarget = {
  prepare: async (pool) => {
    await pool.query(`DROP TABLE IF EXISTS bench_baseline_events`);
    await pool.query(`CREATE TABLE bench_baseline_events (tenant_id text NOT NULL, id text NOT NULL, client_id text NOT NULL, type text NOT NULL, occurred_at timestamptz NOT NULL,
      customer_id text, source text NOT NULL, identities jsonb NOT NULL, properties jsonb NOT NULL, PRIMARY KEY (tenant_id, id))`);
  },
  insert: 'INSERT INTO bench_baseline_events',
  row: (e, i, o) => ({
    params: [`evt_${e.id}`, e.id, e.type, e.occurred_at, `cus_${i}`, JSON.stringify(e.identities), JSON.stringify(e.properties)],
    sql: `('bench', $${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, 'api', $${o + 6}, $${o + 7})`,
  }),
  clear: (pool) => pool.query(`DROP TABLE IF EXISTS bench_baseline_events`),
};

/**
 * customer_events itself, with its monthly partitions, its indexes and the trigger that claims each id
 * (migration 0041), for a tenant of its own and customer ids given, without identity resolution or
 * aggregates: what storing the rows alone costs.
 */
function storingAlone(): BaselineTarget {
  const tenant = `bench-floor-${Date.now().toString(36)}`;
  return {
    prepare: async () => undefined,
    insert: 'INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, identities, properties)',
    row: (e, i, o) => ({
      params: [tenant, e.id, e.type, e.occurred_at, `cus_${i}`, JSON.stringify(e.identities), JSON.stringify(e.properties)],
      sql: `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::timestamptz, $${o + 5}, 'api', $${o + 6}::jsonb, $${o + 7}::jsonb)`,
    }),
    clear: async (pool) => {
      await pool.query(`DELETE FROM customer_events WHERE tenant_id = $1`, [tenant]);
      await pool.query(`DELETE FROM customer_event_ids WHERE tenant_id = $1`, [tenant]);
    },
  };
}

/** Multi-row INSERTs of the same rows into `target`, on `connections` connections: rows per second. */
async function baseline(url: string, connections: number, target: BaselineTarget = BARE): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  try {
    await target.prepare(pool);
    // Statements and parameters are built before the clock starts: the baseline measures the database.
    const statements = makeBatches('base').map((batch) => {
      const values: unknown[] = [];
      const rows = batch.map((text, i) => {
        const r = target.row(JSON.parse(text), i, values.length);
        values.push(...r.params);
        return r.sql;
      });
      return { text: `${target.insert} VALUES ${rows.join(',')}`, values };
    });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < statements.length) {
          const st = statements[next++];
          await pool.query(st.text, st.values);
        }
      }),
    );
    return TOTAL / ((performance.now() - t0) / 1000);
  } finally {
    await target.clear(pool);
    await pool.end();
  }
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('Set TEST_DATABASE_URL to the real PostgreSQL to benchmark against (e.g. postgres://postgres@127.0.0.1:5432/test)');
  console.log(`ingest: ${TOTAL} events, batches of ${BATCH}, ${CONCURRENCY} requests in flight, ${CUSTOMERS} customers, ${os.cpus().length} cores`);
  // BENCH_SKIP_EMBEDDED runs only the real PostgreSQL; BENCH_SKIP_REAL only the embedded database (and no baseline).
  let base: number | null = null,
    baseParallel: number | null = null,
    floor: number | null = null,
    real: HttpRun | null = null;
  if (!process.env.BENCH_SKIP_REAL) {
    // The baseline the ratio uses is the floor a parallel loader reaches: multi-row INSERTs of the same rows
    // on as many connections as the HTTP run has requests in flight. One connection is printed beside it.
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await migrateDatabase(admin);
    await admin.end();
    await settleDatabase(url, ['customer_events', 'customers', 'customer_identities', 'customer_spend'], { analyze: true });
    base = await baseline(url, 1);
    baseParallel = await baseline(url, CONCURRENCY);
    console.log(
      `baseline multi-row INSERT of the same rows into a bare table (real PostgreSQL): ${Math.round(base)} rows/s on 1 connection, ${Math.round(baseParallel)} rows/s on ${CONCURRENCY}`,
    );
    floor = await baseline(url, CONCURRENCY, storingAlone());
    console.log(
      `storing alone: multi-row INSERT of the same rows into customer_events (partitions, indexes, id claims; no identities, no aggregates) on ${CONCURRENCY} connections: ${Math.round(floor)} rows/s`,
    );
    await settleDatabase(url, ['customer_events', 'customer_event_ids'], { analyze: false });
    real = await ingestOverHttp('pg', { DATABASE_URL: url });
    console.log(
      `HTTP ingest, real PostgreSQL: ${Math.round(real.eventsPerS)} events/s, ratio to the ${CONCURRENCY}-connection baseline ${(real.eventsPerS / baseParallel).toFixed(2)} (${(real.eventsPerS / base).toFixed(2)} of the 1-connection one, ${(real.eventsPerS / floor).toFixed(2)} of storing alone), server peak RSS ${real.peakRssMb} MB; CPU per event: server ${real.serverCpuUsPerEvent} µs, database backends ${real.dbCpuUsPerEvent} µs; ${real.statementsPerEvent} SQL statements per event`,
    );
  }
  let embedded: HttpRun | null = null;
  if (!process.env.BENCH_SKIP_EMBEDDED) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-'));
    try {
      embedded = await ingestOverHttp('embedded', { DATABASE_URL: '', RAPPORT_DATA_DIR: dataDir });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    console.log(
      `HTTP ingest, embedded PGlite: ${Math.round(embedded.eventsPerS)} events/s, server peak RSS ${embedded.peakRssMb} MB (at the end: ${JSON.stringify(embedded.memoryMb)} MB); server CPU ${embedded.serverCpuUsPerEvent} µs and ${embedded.statementsPerEvent} SQL statements per event`,
    );
  }
  const round = (x: number | null | undefined) => (x == null ? null : Math.round(x));
  console.log(
    JSON.stringify({
      bench: 'ingest',
      events_per_s: round(real?.eventsPerS),
      embedded_events_per_s: round(embedded?.eventsPerS),
      baseline_rows_per_s: round(base),
      baseline_parallel_rows_per_s: round(baseParallel),
      ratio: real && baseParallel ? Number((real.eventsPerS / baseParallel).toFixed(3)) : null,
      ratio_single_connection: real && base ? Number((real.eventsPerS / base).toFixed(3)) : null,
      storing_alone_rows_per_s: round(floor),
      ratio_to_storing_alone: real && floor ? Number((real.eventsPerS / floor).toFixed(3)) : null,
      peak_rss_mb: real?.peakRssMb ?? null,
      server_cpu_us_per_event: real?.serverCpuUsPerEvent ?? null,
      db_cpu_us_per_event: real?.dbCpuUsPerEvent ?? null,
      statements_per_event: real?.statementsPerEvent ?? null,
      embedded_peak_rss_mb: embedded?.peakRssMb ?? null,
      // The embedded database runs in the server's process: its CPU is the database's too.
      embedded_server_cpu_us_per_event: embedded?.serverCpuUsPerEvent ?? null,
      embedded_statements_per_event: embedded?.statementsPerEvent ?? null,
    }),
  );
}
