// Jobs and timers on pg-boss, in the same database as everything else, so API nodes stay stateless
// and any node's workers can pick up any job.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

export type JobHandler<T> = (data: T) => Promise<void>;

export interface Jobs {
  define<T extends object>(name: string, handler: JobHandler<T>, opts?: { cron?: string }): Promise<void>;
  send<T extends object>(name: string, data: T, opts?: { startAfter?: Date | number; singletonKey?: string }): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startJobs(connectionString: string, log: Logger, opts: { work: boolean }): Promise<Jobs> {
  const boss = new PgBoss({ connectionString, max: 3, schema: 'pgboss' });
  boss.on('error', (err) => log.error({ err: err.message }, 'job queue error'));
  await boss.start();
  return {
    async define(name, handler, defineOpts) {
      await boss.createQueue(name);
      if (opts.work) {
        await boss.work<object>(name, async (jobs) => {
          for (const job of jobs) await handler(job.data as never);
        });
      }
      if (defineOpts?.cron) await boss.schedule(name, defineOpts.cron, {}, { tz: 'UTC' });
    },
    async send(name, data, sendOpts) {
      return boss.send(name, data, {
        ...(sendOpts?.startAfter ? { startAfter: sendOpts.startAfter instanceof Date ? sendOpts.startAfter : sendOpts.startAfter } : {}),
        ...(sendOpts?.singletonKey ? { singletonKey: sendOpts.singletonKey } : {}),
      });
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
