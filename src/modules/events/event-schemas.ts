// The event envelope and the properties of built-in event types. Any other type is accepted as a
// custom event with free-form properties; built-in types must carry what their consumers rely on.
import { z } from '../../platform/validation.js';

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY');
const Money = z.number().finite().min(0).max(1e12);

const LineItem = z.object({
  sku: z.string().max(200).optional(),
  name: z.string().max(500).optional(),
  category: z.string().max(200).optional(),
  quantity: z.number().int().min(0).max(1e6).optional(),
  price: Money.optional(),
}).loose();

export const BUILT_IN_EVENT_TYPES = {
  purchase: z.object({ order_id: z.string().min(1).max(200), amount: Money, currency: Currency, items: z.array(LineItem).max(1000).optional(), store_id: z.string().max(200).optional() }).loose(),
  refund: z.object({ order_id: z.string().min(1).max(200), amount: Money, currency: Currency, reason: z.string().max(2000).optional() }).loose(),
  page_view: z.object({ url: z.string().min(1).max(4000), title: z.string().max(1000).optional(), referrer: z.string().max(4000).optional() }).loose(),
  app_action: z.object({ action: z.string().min(1).max(200), screen: z.string().max(200).optional() }).loose(),
  sign_up: z.object({ method: z.string().max(100).optional() }).loose(),
  bill_issued: z.object({ bill_id: z.string().min(1).max(200), amount: Money.optional(), currency: Currency.optional(), due_at: z.iso.datetime({ offset: true }).optional() }).loose(),
  application_started: z.object({ application_id: z.string().min(1).max(200), product: z.string().max(200).optional() }).loose(),
  application_completed: z.object({ application_id: z.string().min(1).max(200), product: z.string().max(200).optional() }).loose(),
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), accuracy_m: z.number().min(0).optional(), store_id: z.string().max(200).optional() }).loose(),
} as const;

export type BuiltInType = keyof typeof BUILT_IN_EVENT_TYPES;

export const EventEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'must start with a letter and use letters, digits, _ . : -'),
  occurred_at: z.iso.datetime({ offset: true }),
  identities: z.record(z.string(), z.unknown()),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

// Limits of a stored event: a timeline row is not a file store.
export const MAX_PROPERTIES_BYTES = 32 * 1024;
