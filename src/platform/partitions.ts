// Monthly range partitions of the big append-only tables, kept by Rapport itself (pg_partman is not
// assumed): the tables are found in the catalogue (every table of the schema partitioned by range on one
// column), each gets a partition per calendar month (UTC) from the current month to `monthsAhead` months
// ahead, and, where a retention is configured for it, the months older than the retention are dropped
// whole. A migration makes a table partitioned (0041, 0042); this file only keeps it so.
//
// A row whose month has no partition lands in the table's default partition (an import of old history,
// a clock far ahead in a test). Making that month's partition later moves those rows into it first:
// PostgreSQL refuses to create a partition whose range the default partition already holds rows of.
// Past months found waiting there are made too, back to five years (older rows stay in the default).
import type pg from 'pg';
import type { Logger } from 'pino';
import { computedRow, queryRows } from './query-rows.js';
import type { Clock } from './clock.js';
import type { Jobs } from './jobs.js';

export const PARTITIONS_QUEUE = 'partitions-maintain';
const LOCK_KEY = 72_616_571; // 'rapport' partitions, beside the migrations' 72_616_570
/** How far back months are made for rows waiting in a default partition, as the converting migrations do. */
const BACKFILL_MONTHS = 60;

/**
 * A table whose rows belong with a partitioned table's rows by time and must go when they go (an
 * idempotency key table that is not partitioned, because its key cannot include the time): rows with
 * `column` before the retention cutoff of `partitioned` are deleted from `table` with its partitions.
 */
export interface RetentionCompanion {
  partitioned: string;
  table: string;
  column: string;
}

export interface PartitionOptions {
  /** Months kept per table (`RAPPORT_RETENTION_MONTHS`); a table not named keeps everything. */
  retentionMonths?: Readonly<Record<string, number>>;
  /** Partitions made ahead of the current month. */
  monthsAhead?: number;
  companions?: readonly RetentionCompanion[];
  schema?: string;
}

export interface MaintenanceReport {
  /** Partitions made, by name. */
  created: string[];
  /** Rows moved out of a default partition into a month made for them. */
  moved: number;
  /** Partitions dropped by retention, by name. */
  dropped: string[];
  /** Rows deleted by retention from default partitions and companion tables. */
  deleted: number;
}

/** Parses `customer_events=36,listening_mentions=24` (months); throws naming the bad entry. */
export function parseRetentionMonths(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z_][a-z0-9_]*)\s*=\s*(\d+)$/.exec(part);
    if (!m || Number(m[2]) < 1) throw new Error(`RAPPORT_RETENTION_MONTHS: "${part}" is not table=months (a whole number of months, at least 1)`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** The first instant of the UTC month `offset` months from the one holding `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

export function partitionName(table: string, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (d: Date) => `'${d.toISOString()}'`;

/** The tables of `schema` partitioned by range on one column, with that column. */
export async function partitionedTables(db: pg.Pool | pg.PoolClient, schema = 'public'): Promise<{ table: string; column: string }[]> {
  return queryRows(
    db,
    computedRow<{ table: string; column: string }>(['table', 'column']),
    `SELECT c.relname AS table, a.attname AS column
       FROM pg_partitioned_table p
       JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
      WHERE n.nspname = $1 AND p.partstrat = 'r' AND p.partnatts = 1 AND NOT c.relispartition
      ORDER BY 1`,
    [schema],
  );
}

/** A partitioned table's partitions: the monthly ones by their month, and the default one. */
async function partitionsOf(db: pg.PoolClient, schema: string, table: string) {
  const rows = await queryRows(
    db,
    computedRow<{ name: string; is_default: boolean }>(['name', 'is_default']),
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = (quote_ident($1) || '.' || quote_ident($2))::regclass`,
    [schema, table],
  );
  const months = new Map<string, Date>();
  let defaultPartition: string | undefined;
  const pattern = new RegExp(`^${table}_p(\\d{4})_(\\d{2})$`);
  for (const r of rows) {
    if (r.is_default) {
      defaultPartition = r.name;
      continue;
    }
    const m = pattern.exec(r.name);
    if (m) months.set(r.name, new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
  }
  return { months, defaultPartition };
}

/**
 * Makes this month's and the next `monthsAhead` months' partitions of every partitioned table (and past
 * months whose rows wait in its default partition) and drops what retention no longer keeps, as of `now`. Safe to run again and from several nodes at once (one
 * runs, under an advisory lock; the others wait and then find nothing to do).
 */
export async function maintainPartitions(pool: pg.Pool, now: Date, opts: PartitionOptions = {}): Promise<MaintenanceReport> {
  const schema = opts.schema ?? 'public';
  const monthsAhead = opts.monthsAhead ?? 3;
  const report: MaintenanceReport = { created: [], moved: 0, dropped: [], deleted: 0 };
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      for (const { table, column } of await partitionedTables(client, schema)) {
        const { months, defaultPartition } = await partitionsOf(client, schema, table);
        const keep = opts.retentionMonths?.[table];
        // Whole months are kept: with 12, on any day of December 2026 the months from December 2025 on.
        const cutoff = keep ? monthStart(now, -keep) : undefined;
        const make = async (from: Date) => {
          const name = partitionName(table, from);
          if (months.has(name)) return;
          report.moved += await createMonth(client, schema, table, column, name, from, monthStart(from, 1), defaultPartition);
          report.created.push(name);
          months.set(name, from);
        };
        for (let i = 0; i <= monthsAhead; i++) await make(monthStart(now, i));
        // Past months waiting in the default partition (history imported after the table was
        // partitioned) get their own, back to five years or the retention, whichever is nearer.
        if (defaultPartition) {
          const floor = cutoff ?? monthStart(now, -BACKFILL_MONTHS);
          const rows = await queryRows(
            client,
            computedRow<{ month: string }>(['month']),
            `SELECT DISTINCT to_char(${ident(column)} AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM ${ident(schema)}.${ident(defaultPartition)}
              WHERE ${ident(column)} >= $1 AND ${ident(column)} < $2 ORDER BY 1`,
            [floor, monthStart(now)],
          );
          for (const r of rows) await make(new Date(`${r.month}-01T00:00:00Z`));
        }
        if (!cutoff) continue;
        for (const [name, month] of [...months].sort(([a], [b]) => a.localeCompare(b))) {
          if (monthStart(month, 1) > cutoff) continue;
          await client.query(`DROP TABLE ${ident(schema)}.${ident(name)}`);
          report.dropped.push(name);
        }
        if (defaultPartition) {
          report.deleted += (await client.query(`DELETE FROM ${ident(schema)}.${ident(defaultPartition)} WHERE ${ident(column)} < $1`, [cutoff])).rowCount ?? 0;
        }
        for (const c of opts.companions ?? []) {
          if (c.partitioned !== table) continue;
          report.deleted += (await client.query(`DELETE FROM ${ident(schema)}.${ident(c.table)} WHERE ${ident(c.column)} < $1`, [cutoff])).rowCount ?? 0;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return report;
}

/**
 * One month's partition: made beside the table, filled with the default partition's rows of that month,
 * then attached, in one transaction, so no row is ever in neither place. Attaching gives it the
 * table's indexes, keys and row triggers. Returns the rows moved.
 */
async function createMonth(
  client: pg.PoolClient,
  schema: string,
  table: string,
  column: string,
  name: string,
  from: Date,
  to: Date,
  defaultPartition: string | undefined,
): Promise<number> {
  const s = ident(schema);
  await client.query('BEGIN');
  try {
    let moved = 0;
    if (defaultPartition) {
      // Rows arriving for this month while it is made wait for the default partition, then go to the new one.
      await client.query(`LOCK TABLE ${s}.${ident(defaultPartition)} IN ACCESS EXCLUSIVE MODE`);
      await client.query(`CREATE TABLE ${s}.${ident(name)} (LIKE ${s}.${ident(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      moved =
        (
          await client.query(
            `WITH moved AS (DELETE FROM ${s}.${ident(defaultPartition)} WHERE ${ident(column)} >= $1 AND ${ident(column)} < $2 RETURNING *)
         INSERT INTO ${s}.${ident(name)} SELECT * FROM moved`,
            [from, to],
          )
        ).rowCount ?? 0;
      await client.query(`ALTER TABLE ${s}.${ident(table)} ATTACH PARTITION ${s}.${ident(name)} FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`);
    } else {
      await client.query(`CREATE TABLE ${s}.${ident(name)} PARTITION OF ${s}.${ident(table)} FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`);
    }
    await client.query('COMMIT');
    return moved;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

export interface PartitionKeeper {
  /** Makes and drops partitions as of the clock's now. */
  maintain(): Promise<MaintenanceReport>;
  /** Defines the monthly job, and on a scheduling node asks for one run now (a node started mid-month on
   * a database migrated long ago still finds its months made). */
  start(): Promise<void>;
}

export function createPartitionKeeper(deps: { pool: pg.Pool; jobs: Jobs; clock: Clock; log: Logger } & PartitionOptions): PartitionKeeper {
  const keeper: PartitionKeeper = {
    async maintain() {
      const report = await maintainPartitions(deps.pool, deps.clock.now(), deps);
      if (report.created.length || report.dropped.length || report.deleted) deps.log.info(report, 'partitions maintained');
      return report;
    },
    async start() {
      // Monthly, early on the 1st (UTC): the months ahead are already there, so a missed run loses nothing.
      await deps.jobs.define(
        PARTITIONS_QUEUE,
        async () => {
          await keeper.maintain();
        },
        { cron: '11 0 1 * *' },
      );
      if (deps.jobs.isScheduling) await deps.jobs.send(PARTITIONS_QUEUE, {}, { singletonKey: 'start' });
    },
  };
  return keeper;
}
