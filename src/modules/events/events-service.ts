// The events service: ingestion, the timeline, and the hooks that keep events with their customer
// through merges and erasure.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db.js';
import type { CustomersService } from '../customers/index.js';
import { ingestEvents } from './ingest-events.js';
import { readTimeline, type TimelineQuery } from './read-timeline.js';
import { appendCustomerEvents, type TimelineEntry } from './append-customer-events.js';

export function createEventsService(ctx: ModuleContext & { customers: CustomersService }) {
  const { db, customers, bus } = ctx;

  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE customer_events SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });

  return {
    ingest: (tenantId: string, raw: unknown[], opts: { source: string; actor: Actor }) =>
      ingestEvents({ pool: db.pool, customers, bus }, tenantId, raw, opts),
    readTimeline: (tenantId: string, customerId: string, q: TimelineQuery) => readTimeline(db.pool, tenantId, customerId, q),
    append: (tx: Queryable | undefined, tenantId: string, entries: TimelineEntry[]) => appendCustomerEvents(tx ?? db.pool, tenantId, entries),
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
