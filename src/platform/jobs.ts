// Jobs and timers on pg-boss, in the same database as everything else, so API nodes stay stateless
// and any node's workers can pick up any job.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/** A job's handler; the job's id names one run (pg-boss hands each job to one worker of one node). */
export type JobHandler<T> = (data: T, job: { id: string }) => Promise<void>;

export interface Jobs {
  define<T extends object>(name: string, handler: JobHandler<T>, opts?: { cron?: string }): Promise<void>;
  send<T extends object>(name: string, data: T, opts?: { startAfter?: Date | number; singletonKey?: string }): Promise<string | null>;
  /** Many jobs of one queue in one statement, each as send would make it. */
  sendMany<T extends object>(name: string, jobs: readonly { data: T; startAfter?: Date; singletonKey?: string }[]): Promise<void>;
  readonly isStarted: boolean;
  /** Whether this process fires recurring jobs (config.schedule). */
  readonly isScheduling: boolean;
  /** The PostgreSQL schema holding this node's queues (`pgboss`; a test app has its own). */
  readonly schema: string;
  stop(): Promise<void>;
}

/**
 * With `work` off (the CLI, API-only nodes) nothing is started until the first job is sent: no pg-boss
 * start, no supervisor or cron monitor, and a queue is made only when something is sent to it, so a
 * short-lived command does not pay one round trip per queue its modules define.
 */
export async function startJobs(connectionString: string, log: Logger, opts: { work: boolean; schedule?: boolean; schema?: string }): Promise<Jobs> {
  // pg-boss keeps schedules in the database: a node that must not fire them neither registers them nor
  // runs the cron monitor, or it would fire the ones another process (an earlier `rapport start`) left.
  const isScheduling = opts.work && opts.schedule !== false;
  const schema = opts.schema ?? 'pgboss';
  const boss = new PgBoss({ connectionString, max: 3, schema, supervise: opts.work, schedule: isScheduling });
  boss.on('error', (err) => log.error({ err: err.message }, 'job queue error'));
  let started: Promise<unknown> | undefined;
  const start = () => (started ??= boss.start());
  if (opts.work) await start();
  const queues = new Map<string, Promise<void>>();
  // Nodes started together on a new database create the same queues at the same moment, and pg-boss's
  // create_queue (a row, then a partition table) can deadlock against another node's: PostgreSQL
  // aborts one of them, and creating the queue again finds it made or makes it.
  async function createQueue(name: string, attempt = 1): Promise<void> {
    try {
      await boss.createQueue(name);
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
      await createQueue(name, attempt + 1);
    }
  }
  function ensureQueue(name: string): Promise<void> {
    let q = queues.get(name);
    if (!q) {
      q = start().then(() => createQueue(name));
      queues.set(name, q);
      q.catch(() => queues.delete(name));
    }
    return q;
  }
  return {
    async define(name, handler, defineOpts) {
      if (!opts.work) return;
      await ensureQueue(name);
      await boss.work<object>(name, async (jobs) => {
        for (const job of jobs) await handler(job.data as never, { id: job.id });
      });
      if (defineOpts?.cron && isScheduling) await boss.schedule(name, defineOpts.cron, {}, { tz: 'UTC' });
    },
    async send(name, data, sendOpts) {
      await ensureQueue(name);
      return boss.send(name, data, {
        ...(sendOpts?.startAfter ? { startAfter: sendOpts.startAfter } : {}),
        ...(sendOpts?.singletonKey ? { singletonKey: sendOpts.singletonKey } : {}),
      });
    },
    async sendMany(name, jobs) {
      if (!jobs.length) return;
      await ensureQueue(name);
      await boss.insert(
        jobs.map((j) => ({
          name,
          data: j.data,
          ...(j.startAfter ? { startAfter: j.startAfter } : {}),
          ...(j.singletonKey ? { singletonKey: j.singletonKey } : {}),
        })),
      );
    },
    /** Whether pg-boss was started in this process (tests check that a jobs-off process stays idle). */
    get isStarted() {
      return started !== undefined;
    },
    isScheduling,
    schema,
    async stop() {
      if (started) await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
