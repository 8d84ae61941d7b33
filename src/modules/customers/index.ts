// Customers: one profile per person across every channel — identities, preferences, consent, value.
export { createCustomersService, type CustomersService, type CustomerErased } from './customers-service.js';
export { customersRoutes } from './routes.js';
export { IDENTITY_KINDS, STRONG_KINDS, type Identities, type IdentityKind } from './normalize-identity.js';
export type { MergeHook, MergeRecord } from './merge-customers.js';
export type { Activity } from './record-activity.js';
export type { CustomerRow } from './import-customers.js';
export { audienceSql, CHANNEL_IDENTITY, type ContactProfile, type ContactWindow, type ContactChannel, type Purpose } from './read-contact-profiles.js';
export { PURPOSES } from './record-consent.js';
export { CHANNELS, CHANNEL_ALIASES, canonicalChannel, channelName, type ChannelName } from './channel-names.js';
export { formatName } from './format-name.js';
export { customerNotFound, customerErased } from './errors.js';
export { activeCustomersSql } from './find-customer.js';
