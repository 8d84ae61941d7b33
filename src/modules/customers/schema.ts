// Tables the customers module owns: profiles, identities, preferences, consent history, merges,
// custom attribute definitions and per-currency spend. Other modules keep customer_id as text.
import { pgTable, pgView, text, timestamp, jsonb, integer, numeric, boolean, primaryKey, index, foreignKey, bigserial } from 'drizzle-orm/pg-core';

export const customers = pgTable(
  'customers',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    givenName: text('given_name'),
    familyName: text('family_name'),
    displayName: text('display_name'),
    locale: text('locale'),
    timezone: text('timezone'),
    attributes: jsonb('attributes').notNull().default({}),
    // active | merged | erased
    status: text('status').notNull().default('active'),
    mergedInto: text('merged_into'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // Aggregates kept by event ingestion in the same transaction as the event.
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    eventCount: integer('event_count').notNull().default(0),
    orderCount: integer('order_count').notNull().default(0),
    lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
    // Value, recomputed by the customer-value job.
    recencyScore: integer('recency_score'),
    frequencyScore: integer('frequency_score'),
    monetaryScore: integer('monetary_score'),
    clv: numeric('clv', { precision: 14, scale: 2 }),
    isCore: boolean('is_core').notNull().default(false),
    valueComputedAt: timestamp('value_computed_at', { withTimezone: true }),
  },
  (t) => [
    // No other index led by tenant_id: no query reads customers by updated_at, and such an index drew
    // the planner, for a tenant its statistics had not yet seen, to scan all of the tenant's customers
    // for each foreign-key check of a new identity or spend row (a quadratic first import).
    primaryKey({ columns: [t.tenantId, t.id] }),
  ],
);

export const customerIdentities = pgTable(
  'customer_identities',
  {
    tenantId: text('tenant_id').notNull(),
    // email | phone | wechat_openid | wechat_unionid | weibo_uid | external_id | anonymous_id
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    customerId: text('customer_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.kind, t.value] }),
    // Customer ids are unique across tenants, so the customer leads this index: with tenant_id first it
    // also served "every identity of the tenant", and the planner, whose statistics had not yet seen a
    // new tenant, walked all of that tenant's identities for each identity looked up during ingestion
    // (a quadratic import) instead of probing the primary key.
    index('customer_identities_customer_idx').on(t.customerId, t.tenantId),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

export const customerPreferences = pgTable(
  'customer_preferences',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    channels: text('channels').array().notNull().default([]),
    // { "start": "09:00", "end": "21:00", "days": [1,2,3,4,5] } in the customer's own timezone
    contactWindow: jsonb('contact_window'),
    maxMessagesPerWeek: integer('max_messages_per_week'),
    language: text('language'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

// Append-only: the current consent for (channel, purpose) is the latest row.
export const consentRecords = pgTable(
  'consent_records',
  {
    tenantId: text('tenant_id').notNull(),
    id: bigserial('id', { mode: 'number' }).notNull(),
    customerId: text('customer_id').notNull(),
    channel: text('channel').notNull(),
    purpose: text('purpose').notNull(),
    // granted | withdrawn
    status: text('status').notNull(),
    source: text('source').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('consent_records_customer_idx').on(t.tenantId, t.customerId, t.channel, t.purpose, t.recordedAt),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

export const customerMerges = pgTable(
  'customer_merges',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    survivorId: text('survivor_id').notNull(),
    mergedId: text('merged_id').notNull(),
    rule: text('rule').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('customer_merges_merged_idx').on(t.tenantId, t.mergedId),
    index('customer_merges_survivor_idx').on(t.tenantId, t.survivorId),
  ],
);

export const attributeDefinitions = pgTable(
  'customer_attribute_definitions',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    // string | number | boolean | date
    type: text('type').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const customerSpend = pgTable(
  'customer_spend',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    currency: text('currency').notNull(),
    amount: numeric('amount', { precision: 16, scale: 2 }).notNull().default('0'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.currency] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

// Published for other modules' set-based reads (analytics' roll-up refresh): a customer's lifecycle and
// value without personal data (no names, attributes or identities). Migration 0043 creates it; a column
// is added here and there together, and never removed while a reader uses it.
export const customersView = pgView('customers_v', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  status: text('status').notNull(),
  mergedInto: text('merged_into'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  eventCount: integer('event_count').notNull(),
  orderCount: integer('order_count').notNull(),
  lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }),
  recencyScore: integer('recency_score'),
  frequencyScore: integer('frequency_score'),
  monetaryScore: integer('monetary_score'),
  clv: numeric('clv', { precision: 14, scale: 2 }),
  isCore: boolean('is_core').notNull(),
  valueComputedAt: timestamp('value_computed_at', { withTimezone: true }),
}).existing();
