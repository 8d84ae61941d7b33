// How an agent's reply leaves: the outbox makes each attempt through this handler, which reads the
// stored message (so an erased customer's text is never kept a second time in the outbox) and hands it
// to the channel's adapter; every status change comes back here and is told on the message, to the
// agents watching the conversation and on the customer's timeline.
import type { OutboxHandler, StatusChange, OutboxItem } from '../../platform/outbox.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { sendOn, type ChannelAdapter } from './channels/adapter.js';
import type { ChannelKind } from './manage-channels.js';
import type { InboxDeps } from './effects.js';
import { scheduleContinueByEmail } from './continue-by-email.js';
import { inboxConversations, inboxMessages } from './schema.js';

const ReplyToken = rowOf(inboxConversations, ['reply_token']);
const Outgoing = rowOf(inboxMessages, ['channel_id', 'text', 'html', 'subject', 'meta']).and<typeof ReplyToken.row>(['reply_token']);
const Holders = rowOf(inboxConversations, ['team_id', 'assignee_id']);
const StatusTold = rowOf(inboxMessages, ['conversation_id', 'customer_id', 'channel_kind', 'channel_id', 'created_at']).and<typeof Holders.row>([
  'team_id',
  'assignee_id',
]);

export const REPLY_KIND = 'inbox.reply';

export type ReplyPayload = { conversation_id: string };

export function createReplyHandler(deps: InboxDeps, adapters: Record<ChannelKind, ChannelAdapter>): OutboxHandler<ReplyPayload> {
  return {
    async deliver(item) {
      const m = await queryRow(
        deps.pool,
        Outgoing,
        `SELECT m.channel_id, m.text, m.html, m.subject, m.meta, c.reply_token FROM inbox_messages m JOIN inbox_conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
          WHERE m.tenant_id = $1 AND m.id = $2`,
        [item.tenantId, item.id],
      );
      if (!m) return { status: 'failed', error: 'the message no longer exists', isPermanent: true };
      const channel = m.channel_id ? await deps.channels.get(item.tenantId, m.channel_id, { fresh: true }) : undefined;
      if (!channel) return { status: 'failed', error: 'the channel was removed', isPermanent: true };
      if (!channel.isEnabled) return { status: 'failed', error: 'the channel is disabled', isPermanent: false };
      const meta = m.meta as { to?: string; in_reply_to?: string; references?: string[] };
      if (!meta.to) return { status: 'failed', error: 'no recipient (erased?)', isPermanent: true };
      const sent = await sendOn(adapters, channel, {
        messageId: item.id,
        conversationId: item.payload.conversation_id,
        to: meta.to,
        text: m.text,
        html: m.html,
        subject: m.subject,
        inReplyTo: meta.in_reply_to ?? null,
        references: meta.references ?? [],
        replyToken: m.reply_token,
      });
      return { status: 'sent', providerId: sent.externalId ?? null };
    },
    async onStatus(item, change) {
      const m = await recordReplyStatus(deps, item, change);
      // A web chat reply reached the widget's feed, not yet the visitor: mailed later if they never see it.
      if (m && change.status === 'sent' && m.channel_kind === 'webchat') {
        const channel = m.channel_id ? await deps.channels.get(item.tenantId, m.channel_id) : undefined;
        if (channel) await scheduleContinueByEmail(deps, item.tenantId, m.conversation_id, channel, m.created_at);
      }
    },
  };
}

/** A status the outbox or a receipt reports, on the message, the agents' feed and the timeline. */
export async function recordReplyStatus(deps: InboxDeps, item: OutboxItem<ReplyPayload>, change: StatusChange) {
  const m = await queryRow(
    deps.pool,
    StatusTold,
    `UPDATE inbox_messages m SET delivery_status = $3, delivery_error = $4, external_id = coalesce(m.external_id, $5)
       FROM inbox_conversations c WHERE m.tenant_id = $1 AND m.id = $2 AND c.tenant_id = m.tenant_id AND c.id = m.conversation_id
     RETURNING m.conversation_id, m.customer_id, m.channel_kind, m.channel_id, m.created_at, c.team_id, c.assignee_id`,
    [
      item.tenantId,
      item.id,
      change.status,
      change.status === 'sent' || change.status === 'delivered' ? null : (change.error ?? null),
      change.providerId ?? null,
    ],
  );
  if (!m) return undefined;
  const data = {
    message_id: item.id,
    status: change.status,
    error: change.error ?? null,
    attempts: change.attempts,
    next_attempt_at: change.nextAttemptAt?.toISOString() ?? null,
    at: change.at.toISOString(),
  };
  deps.feed.publish([
    { type: 'message.status', tenantId: item.tenantId, conversationId: m.conversation_id, teamId: m.team_id, assigneeId: m.assignee_id, data },
  ]);
  // "Sending" is a moment, not news; the customer's timeline keeps what was settled or is awaited.
  if (change.status === 'sending') return m;
  await deps.events.append(undefined, item.tenantId, [
    {
      id: `inbox:${item.id}:delivery:${change.status}:${change.attempts}`,
      customerId: m.customer_id,
      type: 'message.delivery',
      source: 'inbox',
      occurredAt: change.at,
      properties: { conversation_id: m.conversation_id, channel: m.channel_kind, ...data },
    },
  ]);
  return m;
}
