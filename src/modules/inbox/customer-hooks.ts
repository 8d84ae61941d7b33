// What the inbox does when the customers module merges, erases or exports a customer: conversations
// follow a merged profile, an erased customer's words go (the skeleton stays for reports) and their open
// conversations are resolved, and an export carries their conversations.
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomerErased } from '../customers/index.js';
import { newEffects, type InboxDeps } from './effects.js';
import { updateConversation } from './update-conversation.js';
import { mergeInto } from './merge-conversations.js';
import { ConversationRow } from './read-conversations.js';
import { inboxConversations, inboxMessages } from './schema.js';

const MessageId = rowOf(inboxMessages, ['id']);
const ConversationId = rowOf(inboxConversations, ['id']);
const ExportedConversation = rowOf(inboxConversations, ['id', 'status', 'priority', 'subject', 'last_channel_kind', 'created_at', 'resolved_at']);
const ExportedMessage = rowOf(inboxMessages, ['id', 'conversation_id', 'direction', 'channel_kind', 'text', 'subject', 'created_at']);

export function registerCustomerHooks(deps: InboxDeps) {
  const { customers, bus, pool, outbox } = deps;
  // Customer merges: the merged profile's conversations and messages follow it to the survivor; if
  // both had an open conversation they become one.
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    const rows = await queryRows(
      tx,
      ConversationRow,
      `SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status <> 'resolved' ORDER BY created_at FOR UPDATE`,
      [tenantId, [survivorId, mergedId]],
    );
    const survivorOpen = rows.find((r) => r.customer_id === survivorId);
    const mergedOpen = rows.find((r) => r.customer_id === mergedId);
    if (survivorOpen && mergedOpen) await mergeInto(tx, tenantId, survivorOpen, mergedOpen, 'system:customer_merge', newEffects(), deps.clock.now());
    await tx.query('UPDATE inbox_conversations SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE inbox_messages SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query(
      `INSERT INTO inbox_customer_signals (tenant_id, customer_id, tier)
       SELECT tenant_id, $2, tier FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $3
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET tier = coalesce(inbox_customer_signals.tier, excluded.tier)`,
      [tenantId, survivorId, mergedId],
    );
    await tx.query('DELETE FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  });

  // Erasure: message contents, subjects, addresses and attachments go; the conversation skeleton
  // (times, statuses, SLA figures) stays for the operations reports.
  customers.onErase(async (tx, tenantId, customerIds) => {
    await tx.query(
      `DELETE FROM inbox_attachments WHERE tenant_id = $1 AND message_id IN (SELECT id FROM inbox_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]))`,
      [tenantId, customerIds],
    );
    // A provider's message id often carries the sender's address (a Message-ID's local part, a chat's
    // anonymous id): it is kept only as a hash, which still recognises a late retry of the same message.
    // A failed reply's reason can name the recipient ("invalid 'To' number +86…"), here and in the outbox.
    const messages = await queryRows(
      tx,
      MessageId,
      `UPDATE inbox_messages SET text = '', html = NULL, subject = NULL, meta = '{}', delivery_error = NULL,
              external_id = CASE WHEN external_id IS NULL OR external_id LIKE 'erased:%' THEN external_id ELSE 'erased:' || md5(external_id) END
        WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, customerIds],
    );
    await outbox.forget(
      tx,
      tenantId,
      messages.map((m) => m.id),
    );
    const conversations = await queryRows(
      tx,
      ConversationId,
      `UPDATE inbox_conversations SET subject = NULL, tags = '{}' WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, customerIds],
    );
    await tx.query('DELETE FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, customerIds]);
    return conversations.map((c) => c.id);
  });

  // An erased customer is no longer someone to answer: their open conversations are resolved (no CSAT),
  // which frees the agents holding them and stops the SLA timers.
  bus.subscribe('customer.erased', async (msg) => {
    const { customerIds } = msg.payload as CustomerErased;
    const rows = await queryRows(
      pool,
      ConversationId,
      `SELECT id FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status <> 'resolved'`,
      [msg.tenantId, customerIds],
    );
    for (const c of rows) await updateConversation(deps, msg.tenantId, c.id, { status: 'resolved', request_csat: false }, { type: 'system', id: 'erasure' });
  });

  customers.addExportSection('conversations', async (tenantId, customerIds) => {
    const convs = await queryRows(
      pool,
      ExportedConversation,
      'SELECT id, status, priority, subject, last_channel_kind, created_at, resolved_at FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at',
      [tenantId, customerIds],
    );
    const msgs = await queryRows(
      pool,
      ExportedMessage,
      `SELECT id, conversation_id, direction, channel_kind, text, subject, created_at FROM inbox_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND direction <> 'note' ORDER BY created_at`,
      [tenantId, customerIds],
    );
    return convs.map((c) => ({ ...c, messages: msgs.filter((m) => m.conversation_id === c.id) }));
  });
}
