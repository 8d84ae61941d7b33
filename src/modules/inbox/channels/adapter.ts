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
}

export interface SendResult {
  /** The provider's id for the sent message (Message-ID, MessageSid, msgid). */
  externalId?: string;
}

export interface ChannelAdapter {
  send(channel: Channel, msg: OutboundMessage): Promise<SendResult>;
}
