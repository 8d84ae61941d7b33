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

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
// The very pattern Zod checks occurred_at against, so both paths accept exactly the same strings.
const DATETIME_PATTERN = (EventEnvelope.shape.occurred_at as unknown as { _zod: { pattern: RegExp } })._zod.pattern;

// A plain object without an own "__proto__" key (Zod's copy would turn that key into a prototype).
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype && !Object.hasOwn(v, '__proto__');

/**
 * The envelope of a well-formed event, checked by hand: Zod costs about a microsecond per event, which
 * at ingestion rates is a good share of the server's work. It answers only when every rule of
 * EventEnvelope holds, with what Zod would answer; anything else (a bad event, an unusual one such as
 * an id over 255 UTF-16 units that Zod may still accept by code points) returns undefined and goes
 * through Zod, which decides and words the problems.
 */
export function parseEnvelopeFast(raw: unknown): EventEnvelope | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, type, occurred_at: occurredAt, identities, properties } = raw;
  if (typeof id !== 'string' || id.length < 1 || id.length > 255) return undefined;
  if (typeof type !== 'string' || type.length < 1 || type.length > 100 || !TYPE_PATTERN.test(type)) return undefined;
  if (typeof occurredAt !== 'string' || !DATETIME_PATTERN.test(occurredAt)) return undefined;
  if (!isRecord(identities)) return undefined;
  if (properties !== undefined && !isRecord(properties)) return undefined;
  return { id, type, occurred_at: occurredAt, identities, properties: properties ?? {} };
}

// Limits of a stored event: a timeline row is not a file store.
export const MAX_PROPERTIES_BYTES = 32 * 1024;
