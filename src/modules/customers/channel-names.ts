// The names of the channels a customer is reached on, one spelling everywhere: preferences, consent,
// survey channels and answers, case contacts, analytics filters, and the inbox's channel kinds.
// `web_chat`, the spelling the first API versions used outside the inbox, is still accepted on input
// and read as `webchat` at the validation boundary, so clients written against it keep working; it is
// never stored or returned (migration 0043 rewrote the stored values).
import { z } from '../../platform/validation.js';

export const CHANNELS = ['email', 'sms', 'wechat', 'weibo', 'webchat', 'phone', 'whatsapp', 'app_push'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Old spellings accepted on input → the one stored and returned. */
export const CHANNEL_ALIASES: Readonly<Record<string, string>> = { web_chat: 'webchat' };

/** The stored spelling of a channel name a client sent (unknown names are returned as they are). */
export const canonicalChannel = (name: string): string => (Object.hasOwn(CHANNEL_ALIASES, name) ? CHANNEL_ALIASES[name] : name);

/**
 * A Zod enum of channel names that also accepts the old spelling of any of them and gives the stored
 * one: `channelName(['phone', 'webchat'])` parses "web_chat" as "webchat" and refuses "fax".
 */
export function channelName<const T extends readonly [string, ...string[]]>(names: T) {
  const aliases = Object.keys(CHANNEL_ALIASES).filter((a) => names.includes(CHANNEL_ALIASES[a]));
  return z.enum([...names, ...aliases] as unknown as [T[number], ...T[number][]]).transform((v) => canonicalChannel(v) as T[number]);
}
