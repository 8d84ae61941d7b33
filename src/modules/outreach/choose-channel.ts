// Channel choice: the customer's ranked channels, kept only where the customer consents to this
// purpose, the template has a variant and the customer has an address; the first one left wins.
import type { ContactProfile, Purpose } from '../customers/index.js';
import { CONTACT_CHANNELS, type Channel } from './render-template.js';

/** When a customer ranked no channels: the order most customers in China answer in. */
export const DEFAULT_CHANNEL_ORDER: Channel[] = ['wechat', 'sms', 'email'];

/**
 * Marketing needs an explicit, current opt-in (PIPL art. 13/14, GDPR art. 6(1)(a), CAN-SPAM/PECR
 * soft opt-in aside). Transactional and service messages serve a contract the customer entered,
 * so they go unless the customer withdrew them on that channel.
 */
export function hasConsent(purpose: Purpose, status: 'granted' | 'withdrawn' | undefined): boolean {
  return purpose === 'marketing' ? status === 'granted' : status !== 'withdrawn';
}

export interface ChannelChoice {
  channel: Channel | null;
  /** Why each ranked channel was passed over, for the record. */
  skipped: { channel: string; why: 'no_template_variant' | 'no_consent' | 'no_address' | 'not_supported' }[];
}

export function chooseChannel(
  profile: Pick<ContactProfile, 'channels' | 'consent' | 'addresses'>,
  purpose: Purpose,
  templateChannels: readonly Channel[],
): ChannelChoice {
  const ranked = profile.channels.length ? profile.channels : DEFAULT_CHANNEL_ORDER;
  const skipped: ChannelChoice['skipped'] = [];
  for (const ch of ranked) {
    if (!(CONTACT_CHANNELS as readonly string[]).includes(ch)) {
      skipped.push({ channel: ch, why: 'not_supported' });
      continue;
    }
    const c = ch as Channel;
    if (!templateChannels.includes(c)) {
      skipped.push({ channel: ch, why: 'no_template_variant' });
      continue;
    }
    if (!hasConsent(purpose, profile.consent[`${c}:${purpose}`])) {
      skipped.push({ channel: ch, why: 'no_consent' });
      continue;
    }
    if (!profile.addresses[c]) {
      skipped.push({ channel: ch, why: 'no_address' });
      continue;
    }
    return { channel: c, skipped };
  }
  return { channel: null, skipped };
}
