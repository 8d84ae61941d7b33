// The customers module's HTTP contract: the request and response schemas of routes.ts, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { isTimeZone, z } from '../../platform/validation.js';
import { IDENTITY_KINDS } from './normalize-identity.js';

/** A contact window in the customer's local hours (days 1 = Monday … 7). */
export const ContactWindow = z
  .object({ start: z.string(), end: z.string(), days: z.array(z.number()) })
  .loose()
  .nullable();
export const CustomerId = z.object({ id: z.string().min(1).max(64) });
export const Name = z.string().trim().min(1).max(200).nullable();
export const TimeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').nullable();
export const Locale = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as zh-CN')
  .nullable();
export const Attributes = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'attribute keys are lower_snake_case'), z.unknown());
export const Identities = z.object(Object.fromEntries(IDENTITY_KINDS.map((k) => [k, z.union([z.string(), z.number()]).optional()]))).strict();
export const ProfileInput = z.object({
  given_name: Name.optional(),
  family_name: Name.optional(),
  display_name: Name.optional(),
  locale: Locale.optional(),
  timezone: TimeZone.optional(),
  attributes: Attributes.optional(),
});
export const CreateCustomer = ProfileInput.extend({ identities: Identities.default({}) }).strict();
export type CreateCustomer = z.infer<typeof CreateCustomer>;
export const PatchCustomer = ProfileInput.strict();
export type PatchCustomer = z.infer<typeof PatchCustomer>;
export const Profile = z
  .object({
    id: z.string(),
    status: z.string(),
    merged_from: z.string().optional(),
    given_name: z.string().nullable(),
    family_name: z.string().nullable(),
    display_name: z.string().nullable(),
    locale: z.string().nullable(),
    timezone: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    identities: z.array(z.object({ kind: z.string(), value: z.string(), created_at: z.string() })),
    preferences: z
      .object({
        channels: z.array(z.string()),
        contact_window: ContactWindow,
        max_messages_per_week: z.number().nullable(),
        language: z.string().nullable(),
        updated_at: z.string().nullable(),
      })
      .nullable(),
    consent: z.array(z.object({ channel: z.string(), purpose: z.string(), status: z.string(), source: z.string(), recorded_at: z.string() })),
    activity: z.object({
      first_seen_at: z.string().nullable(),
      last_seen_at: z.string().nullable(),
      event_count: z.number(),
      order_count: z.number(),
      last_purchase_at: z.string().nullable(),
      spend: z.record(z.string(), z.number()),
    }),
    value: z.object({
      recency_score: z.number().nullable(),
      frequency_score: z.number().nullable(),
      monetary_score: z.number().nullable(),
      clv: z.number().nullable(),
      is_core: z.boolean(),
      computed_at: z.string().nullable(),
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Customer' });
export type Profile = z.infer<typeof Profile>;
/** A customer as the API answers it. */
export type Customer = Profile;
export const ConsentRecord = z.object({
  id: z.number(),
  channel: z.string(),
  purpose: z.string(),
  status: z.string(),
  source: z.string(),
  recorded_at: z.string(),
  details: z.unknown(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;
export const AttributeDef = z.object({ key: z.string(), type: z.string(), label: z.string().nullable() });
export type AttributeDef = z.infer<typeof AttributeDef>;
export const MergeOut = z.object({
  id: z.string(),
  survivor_id: z.string(),
  merged_id: z.string(),
  rule: z.string(),
  actor: z.string().optional(),
  at: z.string().optional(),
});
export type MergeOut = z.infer<typeof MergeOut>;
export const CustomerListItem = z.object({
  id: z.string(),
  given_name: z.string().nullable(),
  family_name: z.string().nullable(),
  display_name: z.string().nullable(),
  locale: z.string().nullable(),
  is_core: z.boolean(),
  order_count: z.number(),
  last_seen_at: z.string().nullable(),
  created_at: z.string(),
});
export type CustomerListItem = z.infer<typeof CustomerListItem>;
export const CustomerList = z.object({ data: z.array(CustomerListItem), next_cursor: z.string().nullable() });
export type CustomerList = z.infer<typeof CustomerList>;
export const ConsentState = z.object({ current: Profile.shape.consent, history: z.array(ConsentRecord) });
export type ConsentState = z.infer<typeof ConsentState>;
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  is_core: z.enum(['true', 'false']).optional(),
  identity_kind: z.enum(IDENTITY_KINDS).optional(),
  identity_value: z.string().max(254).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export { Preferences, PreferencesPatch } from './set-preferences.js';
export { CHANNELS, channelName } from './channel-names.js';
export { ConsentInput, PURPOSES } from './record-consent.js';
export { IDENTITY_KINDS, type IdentityKind } from './normalize-identity.js';
export { ATTRIBUTE_TYPES } from './validate-attributes.js';

import type { CHANNELS } from './channel-names.js';
import type { PURPOSES } from './record-consent.js';
/** A channel a customer may prefer or consent on. */
export type Channel = (typeof CHANNELS)[number];
/** Why a message is sent, which decides the consent it needs. */
export type Purpose = (typeof PURPOSES)[number];

// The settings areas the customers module declares (GET/PATCH /v1/settings/customer_value, identity_resolution).
/** Which share of customers (by CLV) is core, and over how many years CLV is projected. */
export const CustomerValueArea = z
  .object({
    core_percent: z.number().min(0.1).max(100).default(20),
    lifespan_years: z.number().min(0.25).max(50).default(3),
  })
  .strict();
/** Whether two profiles that turn out to share a strong identity (email, phone, external id) merge by themselves. */
export const IdentityResolutionArea = z.object({ auto_merge: z.boolean().default(true) }).strict();
export type CustomerValueSettings = z.infer<typeof CustomerValueArea>;
export type IdentityResolutionSettings = z.infer<typeof IdentityResolutionArea>;

/** POST /v1/customers/{id}/identities. */
export const NewIdentity = z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string().min(1).max(254) });
export type NewIdentity = z.infer<typeof NewIdentity>;
export const IdentityOut = z.object({ kind: z.string(), value: z.string() });
export type IdentityOut = z.infer<typeof IdentityOut>;
/** POST /v1/customers/{id}/consent: the consent answer's id in the history and when it was recorded. */
export const ConsentRecorded = z.object({ id: z.number(), recorded_at: z.string() });
export type ConsentRecorded = z.infer<typeof ConsentRecorded>;
