// Concurrent earn and spend over the HTTP API against 100,000 members on the real PostgreSQL, with 32
// clients, against pgbench's built-in TPC-B-like script (one account update and one history insert per
// transaction, the physical floor of a ledger write) on the same server and database. Afterwards a
// balance check looks for anomalies: balances that differ from their postings or lots, negative
// balances, unbalanced transactions, and acknowledged writes missing or taking effect twice.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';
import { startServer, dropTenant, cpuSeconds, databaseCpuSeconds, processCpuMs } from './child-server.js';
import { LeanConnection } from './lib/lean-http.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PGBENCH_SCALE = Number(process.env.BENCH_PGBENCH_SCALE ?? 32);
const INITIAL_POINTS = 1_000;
const exec = promisify(execFile);

function pgbenchArgs(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  return {
    args: ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1)],
    env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) },
  };
}

/** pgbench's TPC-B-like script with as many clients, in its own pgbench_* tables, dropped afterwards: tps, and the database server's CPU per transaction. */
async function pgbench(url: string, seconds: number): Promise<{ tps: number; dbCpuMs: number }> {
  const { args, env } = pgbenchArgs(url);
  await exec('pgbench', ['-i', '-q', '-s', String(PGBENCH_SCALE), ...args], { env, maxBuffer: 16 << 20 });
  try {
    const cpu0 = await databaseCpuSeconds(url);
    const { stdout } = await exec('pgbench', ['-n', '-c', String(CLIENTS), '-j', String(Math.min(CLIENTS, os.cpus().length)), '-T', String(seconds), ...args], {
      env,
      maxBuffer: 16 << 20,
    });
    const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(stdout);
    if (!m) throw new Error(`no tps in pgbench output: ${stdout}`);
    const done = /number of transactions actually processed: (\d+)/.exec(stdout);
    return { tps: Number(m[1]), dbCpuMs: done ? (((await databaseCpuSeconds(url)) - cpu0) * 1000) / Number(done[1]) : NaN };
  } finally {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query('DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history');
    await pool.end();
  }
}

/** 100,000 members, each with a customer profile and an opening earn of 1,000 points, written as the ledger writes them. */
async function seedMembers(pool: pg.Pool, tenantId: string, runId: string) {
  await pool.query(`INSERT INTO customers (tenant_id, id) SELECT $1, 'cus_' || $2 || '_' || i FROM generate_series(0, $3 - 1) i`, [tenantId, runId, MEMBERS]);
  await pool.query(
    `INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, result)
     SELECT $1, 'ltx_' || $2 || '_' || i, 'cus_' || $2 || '_' || i, 'earn', 'opening', 'seed:' || $2 || ':' || i, '-', $3, '{}' FROM generate_series(0, $4 - 1) i`,
    [tenantId, runId, INITIAL_POINTS, MEMBERS],
  );
  await pool.query(
    `INSERT INTO loyalty_lots (tenant_id, id, customer_id, transaction_id, amount, remaining, available_at, is_released)
     SELECT $1, 'lot_' || $2 || '_' || i, 'cus_' || $2 || '_' || i, 'ltx_' || $2 || '_' || i, $3, $3, now(), true FROM generate_series(0, $4 - 1) i`,
    [tenantId, runId, INITIAL_POINTS, MEMBERS],
  );
  await pool.query(
    `INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, lot_id, amount)
     SELECT $1, 'ltx_' || $2 || '_' || i, 'cus_' || $2 || '_' || i, x.account, CASE WHEN x.account = 'available' THEN 'lot_' || $2 || '_' || i END, x.amount
       FROM generate_series(0, $4 - 1) i, (VALUES ('issued', -$3::int), ('available', $3::int)) AS x(account, amount)`,
    [tenantId, runId, INITIAL_POINTS, MEMBERS],
  );
  await pool.query(
    `INSERT INTO loyalty_accounts (tenant_id, customer_id, available) SELECT $1, 'cus_' || $2 || '_' || i, $3 FROM generate_series(0, $4 - 1) i`,
    [tenantId, runId, INITIAL_POINTS, MEMBERS],
  );
  await pool.query('VACUUM (ANALYZE) customers, loyalty_accounts, loyalty_lots, loyalty_transactions, loyalty_entries');
}

interface Tally {
  ok: number;
  earned: number;
  spent: number;
  refused: number;
  errors: number;
  latencies: number[];
  keys: Map<string, string>;
}

async function drive(server: { url: string; apiKey: string }, runId: string, seconds: number, tally: Tally | undefined) {
  const connections = Array.from({ length: CLIENTS }, () => new LeanConnection(server));
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (performance.now() < end) {
        const i = n++;
        const customer = `cus_${runId}_${Math.floor(Math.random() * MEMBERS)}`;
        const isEarn = Math.random() < 0.5;
        const points = 1 + Math.floor(Math.random() * 50);
        const key = `b-${tally ? 'm' : 'w'}-${client}-${i}`;
        const t0 = performance.now();
        const res = await connections[client].post(
          isEarn ? '/v1/loyalty/earn' : '/v1/loyalty/spend',
          JSON.stringify({ customer_id: customer, points, idempotency_key: key }),
        );
        if (!tally) continue;
        tally.latencies.push(performance.now() - t0);
        if (res.status === 201) {
          tally.ok++;
          if (isEarn) tally.earned += points;
          else tally.spent += points;
          tally.keys.set(key, JSON.parse(res.text).transaction_id);
        } else if (res.status === 422) tally.refused++;
        else {
          tally.errors++;
          if (tally.errors <= 3) console.error(`unexpected ${res.status}: ${res.text.slice(0, 200)}`);
        }
      }
    }),
  );
  for (const c of connections) c.close();
}

/** Everything the ledger promises, checked on the whole tenant after the run. */
async function countAnomalies(pool: pg.Pool, tenantId: string, tally: Tally, balanceBefore: number): Promise<{ anomalies: number; details: string[] }> {
  const details: string[] = [];
  const {
    rows: [mismatch],
  } = await pool.query(
    `SELECT count(*)::int AS n FROM loyalty_accounts a
       LEFT JOIN (SELECT customer_id, coalesce(sum(amount) FILTER (WHERE account = 'available'), 0) AS available, coalesce(sum(amount) FILTER (WHERE account = 'pending'), 0) AS pending,
                         coalesce(-sum(amount) FILTER (WHERE account = 'debt'), 0) AS debt FROM loyalty_entries WHERE tenant_id = $1 GROUP BY customer_id) e ON e.customer_id = a.customer_id
       LEFT JOIN (SELECT customer_id, coalesce(sum(remaining) FILTER (WHERE is_released), 0) AS available FROM loyalty_lots WHERE tenant_id = $1 GROUP BY customer_id) l ON l.customer_id = a.customer_id
      WHERE a.tenant_id = $1 AND (a.available <> coalesce(e.available, 0) OR a.pending <> coalesce(e.pending, 0) OR a.debt <> coalesce(e.debt, 0) OR a.available <> coalesce(l.available, 0))`,
    [tenantId],
  );
  if (mismatch.n) details.push(`${mismatch.n} balances differ from their postings or lots`);
  const {
    rows: [negative],
  } = await pool.query('SELECT count(*)::int AS n FROM loyalty_accounts WHERE tenant_id = $1 AND (available < 0 OR pending < 0 OR debt < 0)', [tenantId]);
  if (negative.n) details.push(`${negative.n} negative balances`);
  const {
    rows: [unbalanced],
  } = await pool.query(
    'SELECT count(*)::int AS n FROM (SELECT 1 FROM loyalty_entries WHERE tenant_id = $1 GROUP BY transaction_id HAVING sum(amount) <> 0) x',
    [tenantId],
  );
  if (unbalanced.n) details.push(`${unbalanced.n} unbalanced transactions`);
  // Every acknowledged write is exactly one transaction, the one it answered with, and nothing else ran.
  const { rows: written } = await pool.query(`SELECT idempotency_key, id FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key LIKE 'b-m-%'`, [
    tenantId,
  ]);
  let missing = tally.keys.size;
  let foreign = 0;
  for (const w of written) {
    if (tally.keys.get(w.idempotency_key) === w.id) missing--;
    else foreign++;
  }
  if (missing) details.push(`${missing} acknowledged writes not in the ledger`);
  if (foreign) details.push(`${foreign} ledger transactions nobody was told about`);
  const {
    rows: [total],
  } = await pool.query(`SELECT coalesce(sum(available), 0)::bigint AS n FROM loyalty_accounts WHERE tenant_id = $1`, [tenantId]);
  const expected = balanceBefore + tally.earned - tally.spent;
  if (Number(total.n) !== expected) details.push(`total balance ${total.n}, expected ${expected} from the acknowledged writes`);
  return { anomalies: mismatch.n + negative.n + unbalanced.n + missing + foreign + (Number(total.n) !== expected ? 1 : 0), details };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export async function run() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('Set TEST_DATABASE_URL to the real PostgreSQL to benchmark against');
  console.log(
    `loyalty: ${MEMBERS} members, ${CLIENTS} clients, ${SECONDS} s of earn+spend over HTTP; pgbench TPC-B-like at scale ${PGBENCH_SCALE}, ${CLIENTS} clients, ${SECONDS} s; ${os.cpus().length} cores (shared: figures are noisy)`,
  );
  const { tps: pgbenchTps, dbCpuMs: pgbenchDbCpuMs } = await pgbench(url, SECONDS);
  console.log(`pgbench (TPC-B-like, ${CLIENTS} clients): ${pgbenchTps.toFixed(1)} tps, database server CPU ${pgbenchDbCpuMs.toFixed(2)} ms per transaction`);

  const server = await startServer({ DATABASE_URL: url });
  const tenantId = server.apiKey.split('.')[1];
  const runId = Date.now().toString(36);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await seedMembers(pool, tenantId, runId);
    // Warm up JIT, pools and plans outside the clock.
    await drive(server, runId, Math.min(3, SECONDS), undefined);
    const {
      rows: [before],
    } = await pool.query('SELECT sum(available)::bigint AS n FROM loyalty_accounts WHERE tenant_id = $1', [tenantId]);
    const tally: Tally = { ok: 0, earned: 0, spent: 0, refused: 0, errors: 0, latencies: [], keys: new Map() };
    const cpu0 = cpuSeconds(server.child.pid!);
    const dbCpu0 = await databaseCpuSeconds(url);
    const loadCpu0 = processCpuMs();
    const statements0 = await server.statements();
    const roundTrips0 = await server.roundTrips();
    const t0 = performance.now();
    await drive(server, runId, SECONDS, tally);
    const elapsed = (performance.now() - t0) / 1000;
    const answered = Math.max(1, tally.ok + tally.refused);
    const cpuMsPerTx = ((cpuSeconds(server.child.pid!) - cpu0) * 1000) / answered;
    const dbCpuMsPerTx = (((await databaseCpuSeconds(url)) - dbCpu0) * 1000) / answered;
    const loadCpuMsPerTx = (processCpuMs() - loadCpu0) / answered;
    const statementsPerTx = ((await server.statements()) - statements0) / Math.max(1, tally.ok + tally.refused);
    const roundTripsPerTx = ((await server.roundTrips()) - roundTrips0) / Math.max(1, tally.ok + tally.refused);
    const tps = tally.ok / elapsed;
    const p99 = percentile(tally.latencies, 99);
    const { anomalies, details } = await countAnomalies(pool, tenantId, tally, Number(before.n));
    console.log(
      `HTTP earn+spend: ${tally.ok} transactions in ${elapsed.toFixed(1)} s = ${tps.toFixed(1)} tps (${tally.refused} refused for insufficient points, ${tally.errors} errors), p50 ${percentile(tally.latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );
    console.log(
      `CPU per request: server ${cpuMsPerTx.toFixed(2)} ms, database server ${dbCpuMsPerTx.toFixed(2)} ms, load generator ${loadCpuMsPerTx.toFixed(2)} ms; server sent ${statementsPerTx.toFixed(2)} SQL statements in ${roundTripsPerTx.toFixed(2)} round trips per request; ratio to pgbench: ${(tps / pgbenchTps).toFixed(3)}; balance check: ${anomalies} anomalies${details.length ? ` (${details.join('; ')})` : ''}`,
    );
    console.log(
      JSON.stringify({
        bench: 'loyalty',
        tps: Math.round(tps * 10) / 10,
        pgbench_tps: Math.round(pgbenchTps * 10) / 10,
        ratio: Number((tps / pgbenchTps).toFixed(3)),
        p99_ms: Math.round(p99 * 10) / 10,
        anomalies: anomalies + tally.errors,
        server_cpu_ms_per_tx: Math.round(cpuMsPerTx * 100) / 100,
        db_cpu_ms_per_tx: Math.round(dbCpuMsPerTx * 100) / 100,
        pgbench_db_cpu_ms_per_tx: Math.round(pgbenchDbCpuMs * 100) / 100,
        load_cpu_ms_per_tx: Math.round(loadCpuMsPerTx * 100) / 100,
        statements_per_tx: Math.round(statementsPerTx * 100) / 100,
        round_trips_per_tx: Math.round(roundTripsPerTx * 100) / 100,
      }),
    );
  } finally {
    await pool.end();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    if (!process.env.BENCH_KEEP) await dropTenant(url, tenantId, ['loyalty_entries', 'loyalty_lots', 'loyalty_transactions', 'loyalty_accounts', 'customers']);
  }
}
