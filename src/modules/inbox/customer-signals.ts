// What other modules tell the inbox about a customer (open cases, last feedback, tier), kept in
// inbox_customer_signals for routing and agent hints.
import { perTenant, type BusMessage } from '../../platform/bus.js';
import { prepared } from '../../platform/db.js';
import type { InboxDeps } from './effects.js';

/** One upsert per column for a batch of customers (prepared: one runs for every batch of cases or responses). */
const upsertMany = (column: 'open_cases' | 'last_feedback', merge: string) =>
  prepared(
    `inbox_signals_${column}`,
    `INSERT INTO inbox_customer_signals (tenant_id, customer_id, ${column}) SELECT $1, s.customer_id, s.value::jsonb FROM unnest($2::text[], $3::text[]) AS s(customer_id, value)
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET ${column} = ${merge}, updated_at = now()`,
  );
const UPSERT_OPEN_CASES = upsertMany('open_cases', 'inbox_customer_signals.open_cases || excluded.open_cases');
const UPSERT_LAST_FEEDBACK = upsertMany('last_feedback', 'excluded.last_feedback');

export function recordCustomerSignals({ pool, bus }: Pick<InboxDeps, 'pool' | 'bus'>) {
  // What other modules tell us about a customer, for routing and agent hints. Each handler is keyed
  // on the source id, so a replay changes nothing.
  const upsertSignals = (tenantId: string, customerId: string, set: string, args: unknown[]) =>
    pool
      .query(`INSERT INTO inbox_customer_signals (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;`, [tenantId, customerId])
      .then(() =>
        pool.query(`UPDATE inbox_customer_signals SET ${set}, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, customerId, ...args]),
      );
  // Cases and responses arrive in batches (many submissions commit together): one upsert per batch,
  // rows in customer order so two batches lock them in the same order.
  const upsertSignalsMany = (tenantId: string, byCustomer: Map<string, unknown>, upsert: typeof UPSERT_OPEN_CASES) => {
    const rows = [...byCustomer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pool.query(upsert([tenantId, rows.map(([c]) => c), rows.map(([, v]) => JSON.stringify(v))]));
  };
  bus.subscribeBatch('case.opened', (msgs) =>
    perTenant(msgs, (tenantId, list) => {
      const byCustomer = new Map<string, Record<string, { type: string }>>();
      for (const { payload: p } of list as BusMessage<{ caseId: string; customerId?: string; type: string }>[]) {
        if (p.customerId) byCustomer.set(p.customerId, { ...byCustomer.get(p.customerId), [p.caseId]: { type: p.type } });
      }
      return byCustomer.size ? upsertSignalsMany(tenantId, byCustomer, UPSERT_OPEN_CASES) : Promise.resolve();
    }),
  );
  bus.subscribe('case.resolved', async (msg) => {
    const p = msg.payload as { caseId: string; customerId?: string };
    if (p.customerId) await upsertSignals(msg.tenantId, p.customerId, 'open_cases = open_cases - $3::text', [p.caseId]);
  });
  bus.subscribeBatch('feedback.response.submitted', (msgs) =>
    perTenant(msgs, (tenantId, list) => {
      // A customer's latest response in the batch is their last feedback.
      const byCustomer = new Map<string, unknown>();
      for (const { payload: p } of list as BusMessage<{ responseId: string; customerId: string; kind: string; score: number; text?: string }>[]) {
        if (p.customerId) byCustomer.set(p.customerId, { response_id: p.responseId, kind: p.kind, score: p.score, text: p.text?.slice(0, 500) ?? null });
      }
      return byCustomer.size ? upsertSignalsMany(tenantId, byCustomer, UPSERT_LAST_FEEDBACK) : Promise.resolve();
    }),
  );
  bus.subscribe('loyalty.tier.changed', async (msg) => {
    const p = msg.payload as { customerId: string; to: string };
    if (p.customerId) await upsertSignals(msg.tenantId, p.customerId, 'tier = $3', [p.to]);
  });
}
