// The delivery of an agent's reply through the outbox: sent again on request, its story read, and a
// provider's receipt recorded.
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { InboxDeps } from './effects.js';
import { messageNotFound } from './errors.js';
import { inboxMessages } from './schema.js';

const MessageId = rowOf(inboxMessages, ['id']);

export function replyDelivery({ pool, outbox }: Pick<InboxDeps, 'pool' | 'outbox'>) {
  return {
    /** A reply that failed (or waits for its next retry) tried again now, with a fresh retry time. */
    async resend(tenantId: string, conversationId: string, messageId: string) {
      const m = await queryRow(
        pool,
        MessageId,
        `SELECT id FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND conversation_id = $3 AND direction = 'out'`,
        [tenantId, messageId, conversationId],
      );
      if (!m) throw messageNotFound();
      const state = await outbox.resend(tenantId, messageId, { inline: true });
      if (!state) throw messageNotFound('This message was not sent through the outbox');
      return state;
    },
    /** The delivery story of an outbound message: its status and every attempt. */
    async deliveryOf(tenantId: string, conversationId: string, messageId: string) {
      const m = await queryRow(
        pool,
        MessageId,
        `SELECT id FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND conversation_id = $3 AND direction = 'out'`,
        [tenantId, messageId, conversationId],
      );
      const state = m ? await outbox.get(tenantId, messageId) : undefined;
      if (!state) throw messageNotFound();
      return state;
    },
    /** A provider's receipt for a message it accepted earlier (Twilio's StatusCallback). */
    recordReceipt: (tenantId: string, providerId: string, receipt: { status: 'delivered' | 'failed'; error?: string }) =>
      outbox.recordReceipt(tenantId, { providerId }, receipt),
  };
}
