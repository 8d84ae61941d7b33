// What the knowledge module does when something happens elsewhere: a chat that starts after a visitor's
// searches links them (those searches did not answer the question), and a customer's merge, erasure
// and export take their searches along.
import type pg from 'pg';
import { perTenant, type EventBus } from '../../platform/bus.js';
import type { Clock } from '../../platform/clock.js';
import type { CustomersService } from '../customers/index.js';
import { customerSearches, linkVisitorSearches, recentVisitorIds } from './record-search.js';

/** What the inbox publishes for every inbound message (see the brief's cross-module contracts). */
export interface MessageReceived {
  conversationId: string;
  messageId: string;
  customerId: string;
  channel: string;
  text: string;
  isNewConversation?: boolean;
}

type Customers = Pick<CustomersService, 'lookupMany' | 'onMerge' | 'onErase' | 'addExportSection'>;

export function subscribeKnowledge(ctx: { bus: EventBus; clock: Clock }, pool: pg.Pool, customers: Customers) {
  // A chat started shortly after a visitor's searches: those searches did not answer the question.
  // The widget's anonymous id is a customer identity, so the searches are matched through it.
  // Idempotent: searches already linked to a conversation are left alone. Chats start by the hundred a
  // second on a busy inbox, so they are taken a tenant's share of a published batch at a time: the
  // recent visitors are read once for all of them, and most batches (no recent searches) end there.
  async function linkStartedChats(tenantId: string, chats: MessageReceived[]) {
    const visitors = await recentVisitorIds(pool, tenantId, ctx.clock.now());
    if (!visitors.length) return;
    const owners = await customers.lookupMany(tenantId, 'anonymous_id', visitors);
    for (const m of chats) {
      const mine = visitors.filter((v) => owners.get(v) === m.customerId);
      if (!mine.length) continue;
      // A conversation reopened or re-announced (isNewConversation unknown) and already linked ends here.
      const { rowCount } = await pool.query('SELECT 1 FROM knowledge_searches WHERE tenant_id = $1 AND conversation_id = $2 LIMIT 1', [
        tenantId,
        m.conversationId,
      ]);
      if (rowCount) continue;
      await linkVisitorSearches(pool, tenantId, mine, m.conversationId, m.customerId, ctx.clock.now());
    }
  }
  ctx.bus.subscribeBatch('message.received', (msgs) =>
    perTenant(msgs, async (tenantId, list) => {
      // Only the message that starts a chat links searches: later messages of the conversation (most
      // of the inbox's traffic) cost nothing here.
      const chats = list.map((msg) => msg.payload as MessageReceived).filter((m) => m?.conversationId && m.customerId && m.isNewConversation !== false);
      if (chats.length) await linkStartedChats(tenantId, chats);
    }),
  );

  // What a known visitor typed is their personal data: it follows merges, leaves with erasure and
  // is part of their export.
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE knowledge_searches SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId, survivorId]);
  });
  // Searches are the customer's own words; those not yet linked to them are found by their visitor id.
  customers.onErase(async (tx, tenantId, customerIds, subject) => {
    const visitors = subject.identities.filter((i) => i.kind === 'anonymous_id').map((i) => i.value);
    await tx.query('DELETE FROM knowledge_searches WHERE tenant_id = $1 AND (customer_id = ANY($2::text[]) OR anonymous_id = ANY($3::text[]))', [
      tenantId,
      customerIds,
      visitors,
    ]);
  });
  customers.addExportSection('knowledge_searches', (tenantId, customerIds) => customerSearches(pool, tenantId, customerIds));
}
