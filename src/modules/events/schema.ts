// The customer timeline: one append-only table of customer events. Ingestion writes here, and other
// modules add their items (message, case, points...) through the events door with their own source.
// The table is partitioned by month of occurred_at (migration 0041, kept by platform/partitions.ts): its
// primary key must include occurred_at, so the id's uniqueness lives in customer_event_ids.
import { sql } from 'drizzle-orm';
import { pgTable, pgView, text, timestamp, jsonb, primaryKey, index } from 'drizzle-orm/pg-core';

export const customerEvents = pgTable(
  'customer_events',
  {
    tenantId: text('tenant_id').notNull(),
    // The client's own id for the event, which is also its idempotency key: a replayed id is a
    // duplicate and never counts twice. Items other modules add carry ids they make up themselves.
    id: text('id').notNull(),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    customerId: text('customer_id'),
    // api | import | system | <module name>
    source: text('source').notNull(),
    identities: jsonb('identities').notNull().default({}),
    properties: jsonb('properties').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id, t.occurredAt] }),
    // Without the id: a narrower index is cheaper to insert into, and ties on occurred_at are rare and
    // sorted in memory (incremental sort) when a page needs them.
    index('customer_events_timeline_idx').on(t.tenantId, t.customerId, t.occurredAt),
    // For passes that re-read recent events of a few types (loyalty's reconciliation of purchases,
    // refunds, locations and engagement); partial, so page views and the like cost ingestion nothing.
    index('customer_events_received_idx')
      .on(t.tenantId, t.receivedAt)
      .where(sql`${t.type} IN ('purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed')`),
  ],
);

// Published for other modules' set-based reads (analytics' roll-up refresh): the timeline without the
// identities an event arrived with, and its purchases alone (the partial index on received_at serves
// purchases_v's recent rows). Migration 0043 creates them; a column is added here and there together,
// and never removed while a reader uses it.
const timelineColumns = () => ({
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  type: text('type').notNull(),
  customerId: text('customer_id'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  properties: jsonb('properties').notNull(),
});
export const timelineView = pgView('timeline_v', timelineColumns()).existing();
export const purchasesView = pgView('purchases_v', timelineColumns()).existing();

// Every stored event's id, one row each whatever its month: the idempotency key across partitions. The
// trigger customer_events_claim_id fills it before a row is stored and skips a row whose id is here.
export const customerEventIds = pgTable(
  'customer_event_ids',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
