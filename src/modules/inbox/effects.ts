// What a use case does after its transaction commits: feed events for agents, bus messages for other
// modules, SLA timers. Collected while the transaction runs, released only once it has committed,
// so nobody hears of a conversation that was rolled back.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Mailer } from '../../platform/mailer.js';
import type { Outbox } from '../../platform/outbox.js';
import type { EventBus, BusMessage } from '../../platform/bus.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Clock } from '../../platform/clock.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { AgentFeed, FeedEvent } from './agent-feed.js';
import type { ChannelStore } from './manage-channels.js';

export interface SlaTimer {
  tenantId: string;
  conversationId: string;
  target: SlaTarget;
  stage: 'warning' | 'breach';
  due: string;
  at: Date;
}
export type SlaTarget = 'first_response' | 'next_response' | 'resolution';

export interface Effects {
  feed: FeedEvent[];
  bus: BusMessage[];
  timers: SlaTimer[];
  after: (() => Promise<void>)[];
}

export const newEffects = (): Effects => ({ feed: [], bus: [], timers: [], after: [] });

export interface InboxDeps {
  pool: pg.Pool;
  customers: CustomersService;
  events: EventsService;
  bus: EventBus;
  jobs: Jobs;
  feed: AgentFeed;
  channels: ChannelStore;
  log: Logger;
  /** The platform clock: SLA due times, sweeps and every recorded instant read it. */
  clock: Clock;
  /** The platform mailer: SLA escalations mail the team's manager when a relay is configured. */
  mailer?: Mailer;
  /** Every reply leaves through it, retried until delivered or refused. */
  outbox: Outbox;
  /** The customer's open cases, from the loop module's door: read when an agent opens a conversation. */
  openCasesOf: (tenantId: string, customerId: string) => Promise<{ id: string; type: string }[]>;
  /** The customer's latest complete survey response, from the feedback module's door. */
  lastFeedbackOf: (tenantId: string, customerId: string) => Promise<LastFeedback | null>;
}

export interface LastFeedback {
  response_id: string;
  kind: string;
  score: number | null;
  text: string | null;
}

export const SLA_QUEUE = 'inbox-sla';

export async function releaseEffects(deps: InboxDeps, fx: Effects): Promise<void> {
  if (fx.feed.length) deps.feed.publish(fx.feed);
  if (fx.bus.length) deps.bus.publish(fx.bus);
  if (fx.timers.length) {
    // One job per (conversation, target, stage, due): a re-sent timer for the same due time is one job.
    // All of a batch's timers go in one statement.
    await deps.jobs
      .sendMany(
        SLA_QUEUE,
        fx.timers.map((t) => ({
          data: { tenantId: t.tenantId, conversationId: t.conversationId, target: t.target, stage: t.stage, due: t.due },
          startAfter: t.at,
          singletonKey: `${t.conversationId}:${t.target}:${t.stage}:${t.due}`,
        })),
      )
      .catch((err) => deps.log.warn({ err: (err as Error).message }, 'SLA timers not scheduled; the sweep will catch them'));
  }
  for (const f of fx.after) await f().catch((err) => deps.log.warn({ err: (err as Error).message }, 'after-commit step failed'));
}
