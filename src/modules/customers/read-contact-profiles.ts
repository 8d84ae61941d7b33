// How other modules (outreach first) read what they need to contact customers without reading the
// customers tables themselves: per customer, a contact profile; per tenant, an audience query that
// set-based planners embed as a subquery. The SQL over customers' tables stays in this module.
import { readAll, type Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { PURPOSES } from './record-consent.js';
import { customers as customersTable, customerIdentities, consentRecords } from './schema.js';

// The preferences come through a LEFT JOIN: null for a customer who never gave any.
const Profile = rowOf(customersTable, [
  'id',
  'status',
  'given_name',
  'family_name',
  'display_name',
  'locale',
  'timezone',
  'attributes',
  'is_core',
  'clv',
  'order_count',
  'last_purchase_at',
]).and<{ channels: string[] | null; contact_window: ContactWindow | null; max_messages_per_week: number | null; language: string | null }>([
  'channels',
  'contact_window',
  'max_messages_per_week',
  'language',
]);
const Address = rowOf(customerIdentities, ['customer_id', 'kind', 'value']);
const Consent = rowOf(consentRecords, ['customer_id', 'channel', 'purpose', 'status']);

/** Which identity carries the address for a contact channel. */
export const CHANNEL_IDENTITY = { email: 'email', sms: 'phone', whatsapp: 'phone', wechat: 'wechat_openid' } as const;
export type ContactChannel = keyof typeof CHANNEL_IDENTITY;
export type Purpose = (typeof PURPOSES)[number];

export interface ContactWindow {
  start: string;
  end: string;
  days: number[];
}

export interface ContactProfile {
  id: string;
  status: string;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  locale: string | null;
  timezone: string | null;
  attributes: Record<string, unknown>;
  /** The customer's ranked channels, most preferred first (empty: no preference given). */
  channels: string[];
  contactWindow: ContactWindow | null;
  maxMessagesPerWeek: number | null;
  language: string | null;
  /** Current consent answer per `${channel}:${purpose}` (latest record wins). */
  consent: Record<string, 'granted' | 'withdrawn'>;
  addresses: Partial<Record<ContactChannel, string>>;
  value: { isCore: boolean; clv: number | null; orderCount: number; lastPurchaseAt: string | null };
}

export async function readContactProfiles(db: Queryable, tenantId: string, ids: string[]): Promise<Map<string, ContactProfile>> {
  const out = new Map<string, ContactProfile>();
  if (!ids.length) return out;
  const [customers, identities, consent] = await readAll(db, [
    () =>
      queryRows(
        db,
        Profile,
        `SELECT c.id, c.status, c.given_name, c.family_name, c.display_name, c.locale, c.timezone, c.attributes, c.is_core, c.clv, c.order_count, c.last_purchase_at,
              p.channels, p.contact_window, p.max_messages_per_week, p.language
         FROM customers c LEFT JOIN customer_preferences p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
        WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])`,
        [tenantId, ids],
      ),
    () =>
      queryRows(
        db,
        Address,
        `SELECT customer_id, kind, value FROM customer_identities WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND kind = ANY($3::text[]) ORDER BY customer_id, kind, created_at, value`,
        [tenantId, ids, [...new Set(Object.values(CHANNEL_IDENTITY))]],
      ),
    () =>
      queryRows(
        db,
        Consent,
        `SELECT DISTINCT ON (customer_id, channel, purpose) customer_id, channel, purpose, status FROM consent_records
               WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY customer_id, channel, purpose, recorded_at DESC, id DESC`,
        [tenantId, ids],
      ),
  ] as const);
  for (const c of customers) {
    out.set(c.id, {
      id: c.id,
      status: c.status,
      givenName: c.given_name,
      familyName: c.family_name,
      displayName: c.display_name,
      locale: c.locale,
      timezone: c.timezone,
      attributes: (c.attributes ?? {}) as Record<string, unknown>,
      channels: c.channels ?? [],
      contactWindow: c.contact_window ?? null,
      maxMessagesPerWeek: c.max_messages_per_week ?? null,
      language: c.language ?? null,
      consent: {},
      addresses: {},
      value: {
        isCore: c.is_core,
        clv: c.clv == null ? null : Number(c.clv),
        orderCount: c.order_count,
        lastPurchaseAt: c.last_purchase_at ? new Date(c.last_purchase_at).toISOString() : null,
      },
    });
  }
  // One identity can address several channels (a phone number takes SMS and WhatsApp).
  const channelsOf = new Map<string, ContactChannel[]>();
  for (const [ch, kind] of Object.entries(CHANNEL_IDENTITY)) channelsOf.set(kind, [...(channelsOf.get(kind) ?? []), ch as ContactChannel]);
  for (const r of identities) {
    const p = out.get(r.customer_id);
    for (const ch of channelsOf.get(r.kind) ?? []) if (p && !p.addresses[ch]) p.addresses[ch] = r.value;
  }
  for (const r of consent) {
    const p = out.get(r.customer_id);
    if (p) p.consent[`${r.channel}:${r.purpose}`] = r.status as 'granted' | 'withdrawn';
  }
  return out;
}

/**
 * The audience read model: one row per active customer of tenant `$1` with the columns segment rules
 * and channel choice need. Embed it as a subquery (`FROM (${audienceSql('marketing')}) a`); `$1` must be
 * the tenant id in the embedding statement. Columns: customer_id, locale, timezone, language,
 * attributes, is_core, clv, order_count, last_purchase_at, first_seen_at, last_seen_at, created_at,
 * recency_score, frequency_score, monetary_score, channels (ranked), contact_window,
 * max_messages_per_week, consent_granted / consent_withdrawn (channels whose latest answer for the
 * purpose is that), addressable (contact channels with an address).
 */
export function audienceSql(purpose: Purpose): string {
  if (!PURPOSES.includes(purpose)) throw new Error(`unknown purpose ${purpose}`);
  return `SELECT c.id AS customer_id, c.locale, c.timezone, p.language, c.attributes, c.is_core, c.clv, c.order_count,
            c.last_purchase_at, c.first_seen_at, c.last_seen_at, c.created_at, c.recency_score, c.frequency_score, c.monetary_score,
            coalesce(p.channels, '{}') AS channels, p.contact_window, p.max_messages_per_week,
            coalesce(cs.granted, '{}') AS consent_granted, coalesce(cs.withdrawn, '{}') AS consent_withdrawn,
            coalesce(ad.addressable, '{}') AS addressable
       FROM customers c
       LEFT JOIN customer_preferences p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
       LEFT JOIN (
         SELECT customer_id, array_agg(channel) FILTER (WHERE status = 'granted') AS granted, array_agg(channel) FILTER (WHERE status = 'withdrawn') AS withdrawn
           FROM (SELECT DISTINCT ON (customer_id, channel) customer_id, channel, status FROM consent_records
                  WHERE tenant_id = $1 AND purpose = '${purpose}' ORDER BY customer_id, channel, recorded_at DESC, id DESC) latest
          GROUP BY customer_id) cs ON cs.customer_id = c.id
       LEFT JOIN (
         SELECT customer_id, array_remove(ARRAY[${Object.entries(CHANNEL_IDENTITY)
           .map(([ch, kind]) => `CASE WHEN bool_or(kind = '${kind}') THEN '${ch}' END`)
           .join(', ')}], NULL) AS addressable
           FROM customer_identities WHERE tenant_id = $1 AND kind IN (${[...new Set(Object.values(CHANNEL_IDENTITY))].map((k) => `'${k}'`).join(',')})
          GROUP BY customer_id) ad ON ad.customer_id = c.id
      WHERE c.tenant_id = $1 AND c.status = 'active'`;
}
