// What the loop module's use cases share: the context, the doors of the modules it calls, its
// settings, rules and routing (kept briefly), and the deliveries that carry notices by channel.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { LoopCaches } from './loop-settings.js';
import type { Delivery } from './notify-customer.js';

export type LoopDeps = ModuleContext & {
  customers: CustomersService;
  events: EventsService;
  pool: pg.Pool;
  caches: LoopCaches;
  /** Notice delivery by channel: email when a relay is configured; flows add SMS, WhatsApp and WeChat. */
  deliveries: Map<string, Delivery>;
  /** The SLA timers this process already set (tenant|second): cases opened in the same second share one. */
  slaTimers: Map<string, number>;
};

/** The loop itself, as the actor of what it does on its own (escalations, notices, erasure). */
export const SYSTEM: Actor = { type: 'system', id: 'loop' };
/** The resolution of a case closed because its customer was erased. */
export const ERASED_RESOLUTION = 'Closed by the system: the customer was erased';
