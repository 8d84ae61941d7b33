// A message that starts outside any conversation (an outreach campaign, a journey step) leaves through
// the same channel adapters as an agent's reply, on the tenant's enabled channel of that kind, so one
// set of provider credentials serves both. The answer says whether a retry could help.
import type { ChannelKind, ChannelStore } from './manage-channels.js';
import { ProviderError, sendOn, type ChannelAdapter, type OutboundMessage } from './channels/adapter.js';
import { EgressError } from '../../platform/egress.js';

export interface OutboundRequest {
  /** The caller's message id: the provider sees it as ours. */
  messageId: string;
  /** E.164 phone or WeChat openid. */
  to: string;
  text: string;
  wechatTemplate?: OutboundMessage['wechatTemplate'];
  whatsappTemplate?: OutboundMessage['whatsappTemplate'];
}

export interface OutboundResult {
  status: 'sent' | 'failed';
  providerMessageId: string | null;
  error?: string;
  /** No retry will help: the provider refused this message for good. */
  isPermanent?: boolean;
}

export type OutboundKind = Extract<ChannelKind, 'sms' | 'whatsapp' | 'wechat'>;

export async function sendOutbound(
  deps: { channels: ChannelStore; adapters: Record<ChannelKind, ChannelAdapter> },
  tenantId: string,
  kind: OutboundKind,
  req: OutboundRequest,
): Promise<OutboundResult> {
  const channel = (await deps.channels.list(tenantId)).find((c) => c.kind === kind && c.isEnabled);
  // A tenant may add the channel later: not permanent, so the message waits through its retries.
  if (!channel) return { status: 'failed', providerMessageId: null, error: `no enabled ${kind} channel`, isPermanent: false };
  try {
    const sent = await sendOn(deps.adapters, channel, {
      messageId: req.messageId,
      conversationId: '',
      to: req.to,
      text: req.text,
      replyToken: '',
      ...(req.wechatTemplate ? { wechatTemplate: req.wechatTemplate } : {}),
      ...(req.whatsappTemplate ? { whatsappTemplate: req.whatsappTemplate } : {}),
    });
    return { status: 'sent', providerMessageId: sent.externalId ?? null };
  } catch (err) {
    return {
      status: 'failed',
      providerMessageId: null,
      error: (err as Error).message.slice(0, 500),
      isPermanent: (err instanceof ProviderError && err.isPermanent) || err instanceof EgressError,
    };
  }
}
