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
  /** Idempotency key; defaults to a fresh id. */
  clientId?: string;
}

export async function appendCustomerEvents(db: Queryable, tenantId: string, entries: TimelineEntry[]): Promise<number> {
  if (!entries.length) return 0;
  const ids = entries.map(() => newId('evt'));
  const r = await db.query(
    `INSERT INTO customer_events (tenant_id, id, client_id, type, occurred_at, customer_id, source, properties)
       SELECT $1, t.id, t.client_id, t.type, t.occurred_at, t.customer_id, t.source, t.properties::jsonb
         FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
              AS t(id, client_id, type, occurred_at, customer_id, source, properties)
     ON CONFLICT (tenant_id, client_id) DO NOTHING`,
    [tenantId, ids, entries.map((e, i) => e.clientId ?? `${e.source}:${ids[i]}`), entries.map((e) => e.type), entries.map((e) => e.occurredAt ?? new Date()),
      entries.map((e) => e.customerId), entries.map((e) => e.source), entries.map((e) => JSON.stringify(e.properties ?? {}))],
  );
  return r.rowCount ?? 0;
}
