// The generic signed API channel: Weibo and other social direct messages, phone-call logs and any
// other system post JSON signed with the channel's secret; replies are posted to the channel's
// outbound URL signed the same way.
import { z } from '../../../platform/validation.js';
import type { Channel } from '../manage-channels.js';
import type { InboundMessage } from '../receive-message.js';
import type { ChannelAdapter } from './adapter.js';
import { apiSignature } from '../verify-signatures.js';
import type { Clock } from '../../../platform/clock.js';
import type { Egress } from '../../../platform/egress.js';
import { ProviderError, isRetryableStatus, configurationError } from './adapter.js';
import { sendHttp, retryAfterMs } from '../../../platform/send-http.js';

export const ApiInbound = z
  .object({
    id: z.string().min(1).max(255),
    identities: z.record(z.string(), z.string().max(254)),
    text: z.string().max(100_000).default(''),
    subject: z.string().max(1000).optional(),
    sender_name: z.string().max(200).optional(),
    language: z.string().max(16).optional(),
    // What kind of contact this was: weibo_dm, phone_call, ...
    type: z.string().max(64).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
    reply_to: z.string().max(254).optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ApiInbound = z.infer<typeof ApiInbound>;

export function apiToInbound(channel: Channel, b: ApiInbound): InboundMessage {
  const address = b.reply_to ?? Object.values(b.identities)[0] ?? '';
  return {
    channel,
    externalId: b.id,
    identities: b.identities,
    senderName: b.sender_name,
    text: b.text,
    subject: b.subject ?? null,
    language: b.language ?? null,
    replyAddress: address,
    meta: { source: channel.settings.source ?? 'api', type: b.type ?? null, ...(b.properties ? { properties: b.properties } : {}) },
    occurredAt: b.occurred_at ? new Date(b.occurred_at) : undefined,
  };
}

/** Outbound posts are signed with the clock's time; the receiver checks it against its own. */
export const createApiAdapter = (clock: Clock, egress: Egress): ChannelAdapter => ({
  async send(channel, msg) {
    const url = channel.settings.outbound_url as string | undefined;
    if (!url) throw configurationError('this API channel has no outbound URL');
    const body = JSON.stringify({ id: msg.messageId, conversation_id: msg.conversationId, to: msg.to, text: msg.text });
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const res = await sendHttp(egress, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rapport-timestamp': ts, 'x-rapport-signature': apiSignature(channel.secrets.signing_secret, ts, body) },
      body,
    });
    if (!res.ok) throw new ProviderError(`outbound URL answered ${res.status}`, !isRetryableStatus(res.status), res.status, retryAfterMs(res));
    return {};
  },
});
