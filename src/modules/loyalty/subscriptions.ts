// What the loyalty module reacts to: ingested purchases, refunds, locations and engagement events;
// answered surveys; positive mentions about the company; and the customers module's merge, erasure and
// export of a customer.
import { perTenant, type BusMessage } from '../../platform/bus.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { applyEventLogged, engagementFromEvent, APPLIED_EVENT_TYPES, type IngestedEvent } from './apply-event.js';
import { mergeAccounts } from './merge-accounts.js';
import { eraseAccounts, exportAccounts } from './erase-accounts.js';

export function subscribeLoyalty(lc: LoyaltyContext) {
  const { bus, customers, log, pool } = lc;
  // One customer's events are applied one after another in the order they arrived, so a refund
  // ingested with its purchase finds the purchase's points, and one customer's writes never wait on
  // each other's locks.
  const lanes = new Map<string, Promise<void>>();
  function inCustomerOrder(tenantId: string, customerId: string, fn: () => Promise<void>): Promise<void> {
    const key = `${tenantId}\u0000${customerId}`;
    const next = (lanes.get(key) ?? Promise.resolve()).then(fn);
    lanes.set(key, next);
    return next.finally(() => {
      if (lanes.get(key) === next) lanes.delete(key);
    });
  }
  for (const type of APPLIED_EVENT_TYPES) {
    bus.subscribe(`event.${type}`, async (msg) => {
      const e = msg.payload as IngestedEvent;
      // Without a programme (the common case of an ingest-only tenant) nothing is queued.
      if (e.customerId && (await lc.programOf(msg.tenantId)).isConfigured)
        await inCustomerOrder(msg.tenantId, e.customerId, () => applyEventLogged(lc, msg.tenantId, e));
    });
  }
  // Answered surveys, a batch at a time: a tenant without a programme costs one cached look-up per batch.
  bus.subscribeBatch('feedback.response.submitted', (msgs) =>
    perTenant(msgs, async (tenantId, list) => {
      if (!(await lc.programOf(tenantId)).isConfigured) return;
      for (const { payload: r } of list as BusMessage<{ responseId: string; customerId?: string; kind?: string }>[]) {
        if (!r.customerId) continue;
        // A review-kind response counts as a review; every other answered survey as a survey.
        await engagementFromEvent(lc, tenantId, r.kind === 'review' ? 'review' : 'survey', r.customerId, `response:${r.responseId}`).catch((err) =>
          log.warn({ err: err.message }, 'survey points not given'),
        );
      }
    }),
  );
  bus.subscribe('mention.created', async (msg) => {
    const m = msg.payload as { mentionId: string; customerId?: string; sentiment?: string; aboutCompany?: boolean };
    if (!m.customerId || m.sentiment !== 'positive' || !m.aboutCompany) return;
    await engagementFromEvent(lc, msg.tenantId, 'share', m.customerId, `mention:${m.mentionId}`).catch((err) =>
      log.warn({ err: err.message }, 'share points not given'),
    );
  });

  customers.onMerge((tx, tenantId, survivorId, mergedId) => mergeAccounts(lc, tx, tenantId, survivorId, mergedId));
  customers.onErase((tx, tenantId, ids) => eraseAccounts(tx, tenantId, ids));
  customers.addExportSection('loyalty', (tenantId, ids) => exportAccounts(pool, tenantId, ids));
}
