// What every module service is built from. Plain values, wired by hand in src/app.ts.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { EventBus } from './bus.js';
import type { Jobs } from './jobs.js';
import type { Mailer } from './mailer.js';
import type { Outbox } from './outbox.js';
import type { Egress } from './egress.js';
import type { RateLimiter } from './rate-limit.js';

export interface ModuleContext {
  db: Database;
  bus: EventBus;
  jobs: Jobs;
  config: Config;
  log: Logger;
  mailer: Mailer;
  /** Every server-side request to a URL or host someone configured goes through it (platform/egress.ts). */
  egress: Egress;
  limiter: RateLimiter;
  /** The only source of "now" for product decisions (platform/clock.ts). */
  clock: Clock;
  /** Everything Rapport sends goes through it (platform/outbox.ts). */
  outbox: Outbox;
}
