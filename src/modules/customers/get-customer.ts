// One customer's whole profile as an agent or API client sees it: profile, identities, preferences,
// current consent, value and activity aggregates.
import { readAll, type Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { customers, customerIdentities, customerPreferences, customerSpend, consentRecords } from './schema.js';

const Customer = rowOf(customers, '*');
const Identity = rowOf(customerIdentities, ['kind', 'value', 'created_at']);
const Prefs = rowOf(customerPreferences, ['channels', 'contact_window', 'max_messages_per_week', 'language', 'updated_at']);
const Spend = rowOf(customerSpend, ['currency', 'amount']);
const Consent = rowOf(consentRecords, ['channel', 'purpose', 'status', 'source', 'recorded_at']);

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function getCustomer(db: Queryable, tenantId: string, id: string) {
  const c = await queryRow(db, Customer, 'SELECT * FROM customers WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!c) return undefined;
  const [identities, prefs, consent, spend] = await readAll(db, [
    () =>
      queryRows(db, Identity, 'SELECT kind, value, created_at FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 ORDER BY kind, value', [
        tenantId,
        id,
      ]),
    () =>
      queryRows(
        db,
        Prefs,
        'SELECT channels, contact_window, max_messages_per_week, language, updated_at FROM customer_preferences WHERE tenant_id = $1 AND customer_id = $2',
        [tenantId, id],
      ),
    () => currentConsent(db, tenantId, id),
    () => queryRows(db, Spend, 'SELECT currency, amount FROM customer_spend WHERE tenant_id = $1 AND customer_id = $2 ORDER BY currency', [tenantId, id]),
  ] as const);
  const p = prefs[0];
  return {
    id: c.id,
    status: c.status,
    given_name: c.given_name,
    family_name: c.family_name,
    display_name: c.display_name,
    locale: c.locale,
    timezone: c.timezone,
    attributes: c.attributes as Record<string, unknown>,
    identities: identities.map((r) => ({ kind: r.kind, value: r.value, created_at: iso(r.created_at)! })),
    preferences: p
      ? {
          channels: p.channels,
          contact_window: p.contact_window as { start: string; end: string; days: number[] } | null,
          max_messages_per_week: p.max_messages_per_week,
          language: p.language,
          updated_at: iso(p.updated_at),
        }
      : null,
    consent,
    activity: {
      first_seen_at: iso(c.first_seen_at),
      last_seen_at: iso(c.last_seen_at),
      event_count: c.event_count,
      order_count: c.order_count,
      last_purchase_at: iso(c.last_purchase_at),
      spend: Object.fromEntries(spend.map((r) => [r.currency, Number(r.amount)])),
    },
    value: {
      recency_score: c.recency_score,
      frequency_score: c.frequency_score,
      monetary_score: c.monetary_score,
      clv: c.clv == null ? null : Number(c.clv),
      is_core: c.is_core,
      computed_at: iso(c.value_computed_at),
    },
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}

export type CustomerProfile = NonNullable<Awaited<ReturnType<typeof getCustomer>>>;

export async function currentConsent(db: Queryable, tenantId: string, customerId: string) {
  const rows = await queryRows(
    db,
    Consent,
    `SELECT DISTINCT ON (channel, purpose) channel, purpose, status, source, recorded_at FROM consent_records
      WHERE tenant_id = $1 AND customer_id = $2 ORDER BY channel, purpose, recorded_at DESC, id DESC`,
    [tenantId, customerId],
  );
  return rows.map((r) => ({ channel: r.channel, purpose: r.purpose, status: r.status, source: r.source, recorded_at: iso(r.recorded_at)! }));
}
