// The customers API as the console calls it, typed by the customers module's contract.
import type {
  AttributeDef,
  ConsentInput,
  ConsentRecorded,
  ConsentState,
  Customer,
  CustomerList,
  IdentityKind,
  IdentityOut,
  MergeOut,
  PatchCustomer,
  Preferences,
} from '../../../src/modules/customers/contract.js';
import type { TimelineResponse } from '../../../src/modules/events/contract.js';
import { api, get, qs } from '../../shared/api.js';
import { everyOf } from '../../shared/contract.js';

export type { Customer, CustomerListItem, Channel, Purpose, IdentityKind } from '../../../src/modules/customers/contract.js';
export type TimelineItem = TimelineResponse['data'][number];

export const IDENTITY_KINDS = everyOf<IdentityKind>()(['email', 'phone', 'wechat_openid', 'wechat_unionid', 'weibo_uid', 'external_id', 'anonymous_id']);

const path = (id: string) => `/v1/customers/${encodeURIComponent(id)}`;

export const listCustomers = (q: { q?: string; is_core?: string; identity_kind?: string; identity_value?: string; cursor?: string; limit?: number }) =>
  get<CustomerList>(`/v1/customers${qs(q)}`);
export const getCustomer = (id: string) => get<Customer>(path(id));
export const updateCustomer = (id: string, patch: PatchCustomer) => api<Customer>('PATCH', path(id), patch);
export const addIdentity = (id: string, kind: string, value: string) => api<IdentityOut>('POST', `${path(id)}/identities`, { kind, value });
export const removeIdentity = (id: string, kind: string, value: string) => api<void>('DELETE', `${path(id)}/identities/${kind}/${encodeURIComponent(value)}`);
export const setPreferences = (id: string, p: Preferences) => api<Customer>('PUT', `${path(id)}/preferences`, p);
export const getConsent = (id: string) => get<ConsentState>(`${path(id)}/consent`);
export const recordConsent = (id: string, c: ConsentInput) => api<ConsentRecorded>('POST', `${path(id)}/consent`, c);
export const listMerges = (id: string) => get<{ data: MergeOut[] }>(`${path(id)}/merges`);
export const mergeCustomer = (id: string, otherId: string) => api<MergeOut>('POST', `${path(id)}/merge`, { other_id: otherId });
export const listAttributes = () => get<{ data: AttributeDef[] }>('/v1/customer-attributes');
export const defineAttribute = (key: string, body: { type: string; label: string | null }) =>
  api<AttributeDef>('PUT', `/v1/customer-attributes/${encodeURIComponent(key)}`, body);
export const getTimeline = (id: string, q: { limit?: number; cursor?: string; types?: string; sources?: string; from?: string; to?: string }) =>
  get<TimelineResponse>(`${path(id)}/timeline${qs(q)}`);
