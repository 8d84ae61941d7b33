// What the feedback module's use cases share: the context, the doors of the modules it calls, its
// caches and link keys, and the text analyzer the text module plugs in.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { SurveyCaches } from './survey-caches.js';
import type { LinkKeys } from './sign-link.js';
import type { TextAnalyzer } from './analyze-responses.js';
import type { ObservedEvent } from './run-triggers.js';

export type FeedbackDeps = ModuleContext & {
  customers: CustomersService;
  events: EventsService;
  publicUrl: string;
  pool: pg.Pool;
  caches: SurveyCaches;
  linkKeys: LinkKeys;
  /** Records an event's first and last time per customer, a batch at a time (run-triggers.ts). */
  recordMark: (tenantId: string, e: ObservedEvent) => Promise<string>;
  /** The text module's reader, once plugged in; until then open text stays raw and waits for re-processing. */
  analyzer(): TextAnalyzer | undefined;
};
