// The customer as feedback needs them to decide whether, where and in which language to ask.
import type { FeedbackDeps } from './feedback-deps.js';
import type { ContactProfile } from './issue-invitation.js';

/** An active customer's contact profile (a merged id gives its survivor's), or undefined. */
export async function readContactProfile(deps: Pick<FeedbackDeps, 'customers'>, tenantId: string, customerId: string): Promise<ContactProfile | undefined> {
  const found = await deps.customers.findCustomerId(tenantId, customerId);
  if (!found || found.status !== 'active') return undefined;
  // Deciding whether to ask is processing, not someone viewing the profile: the unaudited contact read.
  const p = (await deps.customers.readContactProfiles(tenantId, [found.id])).get(found.id);
  if (!p) return undefined;
  return {
    id: p.id,
    timezone: p.timezone,
    locale: p.locale,
    language: p.language,
    contactWindow: p.contactWindow as ContactProfile['contactWindow'],
    channels: p.channels,
    addresses: p.addresses,
    consent: Object.entries(p.consent).map(([key, status]) => {
      const [channel, purpose] = key.split(':');
      return { channel, purpose, status };
    }),
  };
}
