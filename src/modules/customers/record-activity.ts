// Keeps each customer's aggregates (first/last seen, event and order counts, spend per currency,
// last purchase) in step with stored events, inside the ingesting transaction.
import type pg from 'pg';

export interface Activity {
  customerId: string;
  occurredAt: Date;
  /** A purchase adds an order and its amount; a refund subtracts its amount. */
  purchase?: { amount: number; currency: string };
  refund?: { amount: number; currency: string };
}

export async function recordActivity(tx: pg.PoolClient, tenantId: string, activity: Activity[]): Promise<void> {
  if (!activity.length) return;
  const per = new Map<string, { first: number; last: number; events: number; orders: number; lastPurchase: number | null }>();
  const spend = new Map<string, number>();
  for (const a of activity) {
    const t = a.occurredAt.getTime();
    const c = per.get(a.customerId) ?? { first: t, last: t, events: 0, orders: 0, lastPurchase: null };
    c.first = Math.min(c.first, t);
    c.last = Math.max(c.last, t);
    c.events++;
    if (a.purchase) {
      c.orders++;
      c.lastPurchase = Math.max(c.lastPurchase ?? t, t);
      const k = `${a.customerId}\u0000${a.purchase.currency}`;
      spend.set(k, (spend.get(k) ?? 0) + Math.round(a.purchase.amount * 100));
    }
    if (a.refund) {
      const k = `${a.customerId}\u0000${a.refund.currency}`;
      spend.set(k, (spend.get(k) ?? 0) - Math.round(a.refund.amount * 100));
    }
    per.set(a.customerId, c);
  }
  // Sorted ids: concurrent batches touching the same customers take row locks in one order.
  const ids = [...per.keys()].sort();
  const rows = ids.map((id) => per.get(id)!);
  // Timestamps travel as epoch milliseconds in one JSON document (cheaper to build than text arrays).
  // An upsert on the primary key rather than an UPDATE ... FROM: its arbiter finds each row by a
  // primary-key probe whatever the planner's statistics say, where the join planned for the UPDATE
  // scanned all of the tenant's customers for every batch whenever the statistics predate the tenant's
  // growth (a new tenant's first import, a benchmark). Every id names an existing row (identities
  // reference their customer, and customer rows are never deleted), so the insert arm never runs.
  const doc = JSON.stringify(ids.map((id, i) => [id, rows[i].first, rows[i].last, rows[i].events, rows[i].orders, rows[i].lastPurchase]));
  await tx.query(
    `INSERT INTO customers AS c (tenant_id, id, first_seen_at, last_seen_at, event_count, order_count, last_purchase_at)
       SELECT $1, r->>0, to_timestamp((r->>1)::float8 / 1000), to_timestamp((r->>2)::float8 / 1000),
              (r->>3)::int, (r->>4)::int, to_timestamp((r->>5)::float8 / 1000)
         FROM jsonb_array_elements($2::jsonb) AS r
     ON CONFLICT (tenant_id, id) DO UPDATE SET
        first_seen_at = least(c.first_seen_at, excluded.first_seen_at), last_seen_at = greatest(c.last_seen_at, excluded.last_seen_at),
        event_count = c.event_count + excluded.event_count, order_count = c.order_count + excluded.order_count,
        last_purchase_at = greatest(c.last_purchase_at, excluded.last_purchase_at)`,
    [tenantId, doc],
  );
  if (spend.size) {
    const keys = [...spend.keys()].sort();
    await tx.query(
      `INSERT INTO customer_spend (tenant_id, customer_id, currency, amount)
         SELECT $1, t.id, t.currency, t.cents / 100.0 FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(id, currency, cents)
       ON CONFLICT (tenant_id, customer_id, currency) DO UPDATE SET amount = customer_spend.amount + excluded.amount`,
      [tenantId, keys.map((k) => k.split('\u0000')[0]), keys.map((k) => k.split('\u0000')[1]), keys.map((k) => spend.get(k)!)],
    );
  }
}
