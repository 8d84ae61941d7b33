// The server under benchmark runs in its own process, as in production (bench/serve-child.ts), so its
// CPU and peak RSS are its own and not the load generator's. BENCH_PROF=DIR writes a CPU profile.
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { serverNodeFlags } from '../bin/node-flags.js';

export async function startServer(env: NodeJS.ProcessEnv): Promise<{
  child: ChildProcess;
  url: string;
  apiKey: string;
  statements(): Promise<number>;
  roundTrips(): Promise<number>;
  memory(): Promise<NodeJS.MemoryUsage>;
}> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []),
      // As `rapport start` runs it (bin/node-flags.js).
      ...serverNodeFlags({ ...process.env, ...env }),
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'serve-child.ts'),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const rl = readline.createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Statements the server has sent to the database so far (serve-child answers SIGUSR2 with a line).
  const counters = () =>
    new Promise<{ statements: number; roundTrips: number; memory: NodeJS.MemoryUsage }>((resolve) => {
      rl.once('line', (l) => resolve(JSON.parse(l)));
      child.kill('SIGUSR2');
    });
  return {
    child,
    ...JSON.parse(line),
    statements: async () => Number((await counters()).statements),
    roundTrips: async () => Number((await counters()).roundTrips),
    memory: async () => (await counters()).memory,
  };
}

/** Peak resident set of a running process, from /proc (VmHWM). */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time a running process has used so far (user + system), in seconds, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last parenthesis): utime and stime are the 12th and 13th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * CPU seconds the whole database server has used so far: every process of its postmaster (backends,
 * WAL writer, checkpointer...) and, through the postmaster's children's totals, those that exited.
 * A pool connection opened or closed during the run is counted too.
 */
export async function databaseCpuSeconds(url: string): Promise<number> {
  const fields = (pid: number | string) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let postmaster: number;
  try {
    // The parent of this connection's backend, read while the backend lives.
    postmaster = Number(fields((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid)[1]);
  } finally {
    await client.end();
  }
  const own = fields(postmaster);
  // utime, stime, cutime, cstime are fields 14-17 (indexes 11-14 after the command name).
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fields(entry);
      if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile: its time is in the postmaster's children's totals
    }
  }
  return ticks / 100;
}

/**
 * Brings a shared benchmark database back to what a fresh one is before a run: earlier runs' deleted
 * tenants leave dead rows that autovacuum would otherwise be clearing, and dirty pages a checkpoint
 * would be writing, in the middle of the measured run. Statistics are refreshed only when asked.
 */
export async function settleDatabase(url: string, tables: string[], opts: { analyze?: boolean } = {}) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`VACUUM ${opts.analyze ? '(ANALYZE) ' : ''}${tables.join(', ')}`);
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/**
 * Deletes a benchmark's tenant from every table that has a tenant_id (found in the catalogue, so a new
 * or dropped table never breaks the clean-up), children before parents, then vacuums the named tables.
 */
export async function dropTenant(url: string, tenantId: string, vacuum: string[] = []) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query(
      `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'tenants'`,
    );
    // Retry the tables a foreign key still holds once their children are gone.
    let pending = rows.map((r) => r.table_name as string);
    for (let round = 0; pending.length && round < 5; round++) {
      const next: string[] = [];
      for (const t of pending) {
        try {
          await pool.query(`DELETE FROM "${t}" WHERE tenant_id = $1`, [tenantId]);
        } catch {
          next.push(t);
        }
      }
      pending = next;
    }
    await pool.query('DELETE FROM tenants WHERE tenant_id = $1', [tenantId]);
    if (vacuum.length) await pool.query(`VACUUM (ANALYZE) ${vacuum.join(', ')}`);
  } finally {
    await pool.end();
  }
}

/** CPU this process has used so far (user + system), in milliseconds. */
export const processCpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
