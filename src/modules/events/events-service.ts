// The events service: ingestion, the timeline, and the hooks that keep events with their customer
// through merges and erasure.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db.js';
import type { RetentionCompanion } from '../../platform/partitions.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomersService } from '../customers/index.js';
import { ingestEvents } from './ingest-events.js';
import { readTimeline, type TimelineQuery } from './read-timeline.js';
import { appendCustomerEvents, type TimelineEntry } from './append-customer-events.js';
import { customerEvents } from './schema.js';

// The types listReceivedSince serves, as listed in the partial index customer_events_received_idx.
export const RECONCILED_TYPES = ['purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed'] as const;

const ExportedEvent = rowOf(customerEvents, ['id', 'type', 'occurred_at', 'received_at', 'source', 'identities', 'properties']);
const ReceivedEvent = rowOf(customerEvents, ['id', 'type', 'occurred_at', 'received_at', 'customer_id', 'properties']);

export function createEventsService(ctx: ModuleContext & { customers: CustomersService }) {
  const { db, customers, bus } = ctx;

  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE customer_events SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });

  // Erasure keeps what anonymous figures need (type, time, amount, currency) and drops the rest.
  customers.onErase(async (tx, tenantId, customerIds) => {
    await tx.query(
      `UPDATE customer_events SET identities = '{}',
              properties = jsonb_strip_nulls(jsonb_build_object('amount', properties->'amount', 'currency', properties->'currency'))
        WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`,
      [tenantId, customerIds],
    );
  });

  customers.addExportSection('events', async (tenantId, customerIds) => {
    const rows = await queryRows(
      db.pool,
      ExportedEvent,
      'SELECT id, type, occurred_at, received_at, source, identities, properties FROM customer_events WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY occurred_at, id',
      [tenantId, customerIds],
    );
    return rows.map((r) => ({ ...r, occurred_at: r.occurred_at.toISOString(), received_at: r.received_at.toISOString() }));
  });

  // Profile, preference and consent changes join the timeline.
  bus.subscribe('customer.changed', async (msg) => {
    const c = msg.payload as { customerId: string; change: string; details?: Record<string, unknown> };
    await appendCustomerEvents(
      db.pool,
      msg.tenantId,
      [{ customerId: c.customerId, type: `customer.${c.change}`, source: 'customers', properties: c.details ?? {} }],
      ctx.clock.now(),
    );
  });
  bus.subscribe('customer.merged', async (msg) => {
    const m = msg.payload as { id: string; survivorId: string; mergedId: string; rule: string };
    await appendCustomerEvents(
      db.pool,
      msg.tenantId,
      [
        {
          id: `customers:${m.id}`,
          customerId: m.survivorId,
          type: 'customer.merged',
          source: 'customers',
          properties: { merged_id: m.mergedId, rule: m.rule },
        },
      ],
      ctx.clock.now(),
    );
  });

  return {
    /** The event ids kept for idempotency go with their month when retention drops it (migration 0041). */
    retentionCompanions: [
      { partitioned: 'customer_events', table: 'customer_event_ids', column: 'occurred_at' },
    ] as const satisfies readonly RetentionCompanion[],
    ingest: (tenantId: string, raw: unknown[], opts: { source: string; actor: Actor }) =>
      ingestEvents({ pool: db.pool, customers, bus, now: ctx.clock.now() }, tenantId, raw, opts),
    readTimeline: (tenantId: string, customerId: string, q: TimelineQuery) => readTimeline(db.pool, tenantId, customerId, q),
    append: (tx: Queryable | undefined, tenantId: string, entries: TimelineEntry[]) => appendCustomerEvents(tx ?? db.pool, tenantId, entries, ctx.clock.now()),
    /**
     * Stored events of some types received after a time, oldest first: for modules that must not miss
     * an event their bus subscriber lost to a crash (a reconciliation pass re-reads and applies them
     * idempotently by event id).
     */
    async listReceivedSince(tenantId: string, types: string[], since: Date, limit: number) {
      const rows = await queryRows(
        db.pool,
        ReceivedEvent,
        `SELECT id, type, occurred_at, received_at, customer_id, properties FROM customer_events
          WHERE tenant_id = $1 AND type = ANY($2::text[]) AND received_at > $3 AND customer_id IS NOT NULL
            AND type IN (${RECONCILED_TYPES.map((t) => `'${t}'`).join(', ')})
          ORDER BY received_at, id LIMIT $4`,
        [tenantId, types, since, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        type: r.type,
        occurredAt: r.occurred_at,
        receivedAt: r.received_at,
        // The WHERE takes only events with a customer.
        customerId: r.customer_id!,
        properties: r.properties as Record<string, unknown>,
      }));
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
