// The one channel interface: every channel turns a provider's inbound format into an InboundMessage
// (in its webhook or listener) and sends an agent's reply through send().
import type { Channel, ChannelKind } from '../manage-channels.js';

export interface OutboundMessage {
  messageId: string;
  conversationId: string;
  to: string;
  text: string;
  html?: string | null;
  subject?: string | null;
  /** Email threading: the Message-ID this reply answers and the chain before it. */
  inReplyTo?: string | null;
  references?: string[];
  /** The reply+token address token of the conversation. */
  replyToken: string;
  /** WeChat: a template message (reaches followers outside the 48-hour service window) instead of text. */
  wechatTemplate?: { templateId: string; url?: string; data: Record<string, { value: string }> };
  /** WhatsApp: an approved content template (Twilio Content SID) with its numbered variables, instead of free text. */
  whatsappTemplate?: { contentSid: string; variables: Record<string, string> };
}

/**
 * A provider refused or failed a message. `isPermanent`: no retry will change the answer (a 4xx on
 * the request, an address or template refused); otherwise (5xx, 429, timeouts) it is worth retrying.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly isPermanent: boolean,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A channel whose settings lack what sending needs: permanent until an admin fixes it and resends. */
export const configurationError = (what: string) => new ProviderError(`configuration: ${what}`, true);

/** 5xx and 429 are the provider's trouble or load, worth another try; other 4xx are the request's fault. */
export const isRetryableStatus = (status: number) => status >= 500 || status === 429 || status === 408;

export interface SendResult {
  /** The provider's id for the sent message (Message-ID, MessageSid, msgid). */
  externalId?: string;
}

export interface ChannelAdapter {
  send(channel: Channel, msg: OutboundMessage): Promise<SendResult>;
}

/**
 * Sends through the channel's adapter. A sandbox channel contacts no provider: the message stays as
 * stored, sent under a `sandbox:` provider id, so the demo and a channel being tried out show the
 * whole story of a reply without reaching anyone. Web chat has no provider: its replies reach the
 * visitor's widget either way.
 */
export function sendOn(adapters: Record<ChannelKind, ChannelAdapter>, channel: Channel, msg: OutboundMessage): Promise<SendResult> {
  if (channel.isSandbox && channel.kind !== 'webchat') return Promise.resolve({ externalId: `sandbox:${msg.messageId}` });
  return adapters[channel.kind].send(channel, msg);
}
