// The event envelope and the properties of built-in event types. Any other type is accepted as a
// custom event with free-form properties; built-in types must carry what their consumers rely on.
import { z } from '../../platform/validation.js';

const CURRENCY = /^[A-Z]{3}$/;
const Currency = z.string().regex(CURRENCY, 'must be an ISO 4217 code such as CNY');
const Money = z.number().finite().min(0).max(1e12);

const LineItem = z
  .object({
    sku: z.string().max(200).optional(),
    name: z.string().max(500).optional(),
    category: z.string().max(200).optional(),
    quantity: z.number().int().min(0).max(1e6).optional(),
    price: Money.optional(),
  })
  .loose();

export const BUILT_IN_EVENT_TYPES = {
  purchase: z
    .object({
      order_id: z.string().min(1).max(200),
      amount: Money,
      currency: Currency,
      items: z.array(LineItem).max(1000).optional(),
      store_id: z.string().max(200).optional(),
    })
    .loose(),
  refund: z.object({ order_id: z.string().min(1).max(200), amount: Money, currency: Currency, reason: z.string().max(2000).optional() }).loose(),
  page_view: z.object({ url: z.string().min(1).max(4000), title: z.string().max(1000).optional(), referrer: z.string().max(4000).optional() }).loose(),
  app_action: z.object({ action: z.string().min(1).max(200), screen: z.string().max(200).optional() }).loose(),
  sign_up: z.object({ method: z.string().max(100).optional() }).loose(),
  bill_issued: z
    .object({
      bill_id: z.string().min(1).max(200),
      amount: Money.optional(),
      currency: Currency.optional(),
      due_at: z.iso.datetime({ offset: true }).optional(),
    })
    .loose(),
  application_started: z.object({ application_id: z.string().min(1).max(200), product: z.string().max(200).optional() }).loose(),
  application_completed: z.object({ application_id: z.string().min(1).max(200), product: z.string().max(200).optional() }).loose(),
  location: z
    .object({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      accuracy_m: z.number().min(0).optional(),
      store_id: z.string().max(200).optional(),
    })
    .loose(),
} as const;

export type BuiltInType = keyof typeof BUILT_IN_EVENT_TYPES;

export const EventEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'must start with a letter and use letters, digits, _ . : -'),
  occurred_at: z.iso.datetime({ offset: true }),
  identities: z.record(z.string(), z.unknown()),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
// The very pattern Zod checks occurred_at against, so both paths accept exactly the same strings.
const DATETIME_PATTERN = z.regexes.datetime({ offset: true });

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

const isString = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
const isOptionalString = (v: unknown, max: number) => v === undefined || isString(v, 0, max);
const isMoney = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e12;
const isLineItem = (v: unknown) =>
  isRecord(v) &&
  isOptionalString(v.sku, 200) &&
  isOptionalString(v.name, 500) &&
  isOptionalString(v.category, 200) &&
  (v.quantity === undefined || (typeof v.quantity === 'number' && Number.isInteger(v.quantity) && v.quantity >= 0 && v.quantity <= 1e6)) &&
  (v.price === undefined || isMoney(v.price));

// The most frequent built-in types checked by hand, rule for rule as their schemas above.
const FAST_PROPERTIES: Partial<Record<BuiltInType, (p: Record<string, unknown>) => boolean>> = {
  page_view: (p) => isString(p.url, 1, 4000) && isOptionalString(p.title, 1000) && isOptionalString(p.referrer, 4000),
  app_action: (p) => isString(p.action, 1, 200) && isOptionalString(p.screen, 200),
  purchase: (p) =>
    isString(p.order_id, 1, 200) &&
    isMoney(p.amount) &&
    typeof p.currency === 'string' &&
    CURRENCY.test(p.currency) &&
    isOptionalString(p.store_id, 200) &&
    (p.items === undefined || (Array.isArray(p.items) && p.items.length <= 1000 && p.items.every(isLineItem))),
};

/**
 * True when a built-in type's properties certainly pass its schema, whose answer would then be an equal
 * copy of them (the schemas are loose: nothing is dropped, nothing is coerced). False means "ask Zod".
 */
export function hasValidPropertiesFast(type: string, properties: Record<string, unknown>): boolean {
  const check = FAST_PROPERTIES[type as BuiltInType];
  return !!check && isRecord(properties) && check(properties);
}

// Limits of a stored event: a timeline row is not a file store.
export const MAX_PROPERTIES_BYTES = 32 * 1024;

// What a property's schema expects underneath optional/nullable/default wrappers ('number', 'string', …).
function expectedKind(schema: z.ZodType | undefined): string | undefined {
  let s = schema as { _zod: { def: { type: string; innerType?: z.ZodType } } } | undefined;
  while (s && (s._zod.def.type === 'optional' || s._zod.def.type === 'nullable' || s._zod.def.type === 'default')) s = s._zod.def.innerType as typeof s;
  return s?._zod.def.type;
}

/**
 * Properties from text cells (a CSV row), typed by what the event type's schema declares, never by
 * what the text looks like: an order id 20261205000123 or a store "007" stays a string, an amount
 * "120" becomes 120. A cell the schema wants as a number but that does not read as one is left as
 * text so validation names the field. Custom types and undeclared keys have no schema: they stay text.
 */
export function propertiesFromText(type: string, cells: Record<string, string>): Record<string, unknown> {
  const shape = (BUILT_IN_EVENT_TYPES as Record<string, z.ZodObject | undefined>)[type]?.shape as Record<string, z.ZodType> | undefined;
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(cells)) {
    const kind = Object.hasOwn(shape ?? {}, key) ? expectedKind(shape![key]) : undefined;
    if (kind === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) out[key] = Number(text);
    else if (kind === 'boolean' && (text === 'true' || text === 'false')) out[key] = text === 'true';
    else out[key] = text;
  }
  return out;
}
