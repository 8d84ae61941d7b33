// How other modules put their items on the customer timeline (message sent, case opened, points
// earned...): inside their own transaction, idempotent by client id.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';

export interface TimelineEntry {
  customerId: string;
  type: string;
  /** Module name: inbox, loop, loyalty... */
  source: string;
  occurredAt?: Date;
  properties?: Record<string, unknown>;
  /** The item's id and idempotency key; defaults to a fresh id. */
  id?: string;
}

/**
 * The timeline insert as one part of a writer's own statement (a data-modifying WITH), so a module
 * stores its rows and their timeline items in one statement: one round trip, no open transaction.
 * `items` is a query yielding (id, type, occurred_at, customer_id, source, properties jsonb), usually
 * over the statement's other parts; the tenant is the statement's $1. Idempotent by item id: the
 * table's trigger skips an item whose id customer_event_ids already holds (migration 0041).
 */
export function timelineInsertSql(items: string): string {
  return `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
       SELECT $1, t.id, t.type, t.occurred_at, t.customer_id, t.source, t.properties FROM (${items}) AS t(id, type, occurred_at, customer_id, source, properties)`;
}

/** `now` dates the entries that carry no time of their own. */
export async function appendCustomerEvents(db: Queryable, tenantId: string, entries: TimelineEntry[], now: Date): Promise<number> {
  if (!entries.length) return 0;
  const r = await db.query(
    timelineInsertSql(`SELECT id, type, occurred_at, customer_id, source, properties::jsonb
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[]) AS u(id, type, occurred_at, customer_id, source, properties)`),
    [
      tenantId,
      entries.map((e) => e.id ?? newId(e.source)),
      entries.map((e) => e.type),
      entries.map((e) => e.occurredAt ?? now),
      entries.map((e) => e.customerId),
      entries.map((e) => e.source),
      entries.map((e) => JSON.stringify(e.properties ?? {})),
    ],
  );
  return r.rowCount ?? 0;
}
