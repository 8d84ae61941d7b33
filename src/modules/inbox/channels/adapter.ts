// The one channel interface: every channel turns a provider's inbound format into an InboundMessage
// (in its webhook or listener) and sends an agent's reply through send().
import type { Channel } from '../manage-channels.js';

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
