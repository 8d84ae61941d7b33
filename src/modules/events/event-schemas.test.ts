import { describe, expect, it } from 'vitest';
import { BUILT_IN_EVENT_TYPES, EventEnvelope, hasValidPropertiesFast, parseEnvelopeFast, propertiesFromText } from './event-schemas.js';

const good = {
  id: 'e-1',
  type: 'purchase',
  occurred_at: '2026-01-01T12:00:00Z',
  identities: { email: 'a@b.co' },
  properties: { order_id: 'o1', amount: 1, currency: 'CNY' },
};

// Inputs near every rule of the envelope: the hand-written path must never accept what Zod refuses,
// and must answer exactly what Zod answers when it accepts.
const tricky: unknown[] = [
  good,
  { ...good, properties: undefined },
  { ...good, extra: 'dropped', another: { nested: true } },
  { ...good, id: '' },
  { ...good, id: 'x'.repeat(255) },
  { ...good, id: 'x'.repeat(256) },
  { ...good, id: '😀'.repeat(127) },
  { ...good, id: '😀'.repeat(128) },
  { ...good, id: 42 },
  { ...good, id: null },
  { ...good, id: undefined },
  { ...good, type: '' },
  { ...good, type: 'a'.repeat(100) },
  { ...good, type: 'a'.repeat(101) },
  { ...good, type: '1abc' },
  { ...good, type: 'page view' },
  { ...good, type: 'a.b:c-d_e' },
  { ...good, type: 'ä' },
  { ...good, type: 'abc\n' },
  { ...good, type: ['purchase'] },
  { ...good, occurred_at: '2026-01-01T12:00:00+08:00' },
  { ...good, occurred_at: '2026-01-01T12:00:00.123456Z' },
  { ...good, occurred_at: '2026-01-01T12:00:00' },
  { ...good, occurred_at: '2026-01-01T12:00:00+0800' },
  { ...good, occurred_at: '2026-01-01T12:00Z' },
  { ...good, occurred_at: '2026-01-01 12:00:00Z' },
  { ...good, occurred_at: '2026-01-01T12:00:00z' },
  { ...good, occurred_at: '2026-02-29T00:00:00Z' },
  { ...good, occurred_at: '2024-02-29T00:00:00Z' },
  { ...good, occurred_at: '2026-13-01T00:00:00Z' },
  { ...good, occurred_at: '2026-01-01T24:00:00Z' },
  { ...good, occurred_at: '2026-01-01T12:00:60Z' },
  { ...good, occurred_at: '2026-01-01T12:00:00Z\n' },
  { ...good, occurred_at: ' 2026-01-01T12:00:00Z' },
  { ...good, occurred_at: 1767268800000 },
  { ...good, occurred_at: 'yesterday' },
  { ...good, identities: {} },
  { ...good, identities: [] },
  { ...good, identities: null },
  { ...good, identities: 'a@b.co' },
  { ...good, identities: undefined },
  { ...good, identities: Object.create(null) },
  { ...good, identities: new Date(0) },
  { ...good, identities: { email: 5, fax: null } },
  { ...good, properties: null },
  { ...good, properties: [] },
  { ...good, properties: 'x' },
  { ...good, properties: {} },
  { ...good, properties: Object.create(null) },
  {},
  [],
  null,
  'not an event',
  7,
  Object.assign(Object.create(null), good),
  JSON.parse('{"id":"p","type":"t","occurred_at":"2026-01-01T12:00:00Z","identities":{"__proto__":{"x":1}},"properties":{"__proto__":{"y":2}}}'),
];

describe('the hand-written envelope check', () => {
  it('accepts the common shape with what Zod answers', () => {
    expect(parseEnvelopeFast(good)).toEqual(EventEnvelope.parse(good));
    expect(parseEnvelopeFast({ ...good, properties: undefined })).toEqual({ ...good, properties: {} });
  });

  // Valid inputs the fast path leaves to Zod: an id over 255 UTF-16 units that Zod counts as 128
  // characters, and objects without a prototype or with a "__proto__" key.
  const validButDeclined = new Set([7, 41, 48, 54, 55]);
  it.each(tricky.map((input, i) => [i, input] as const))('answers as Zod does on tricky input #%i', (i, input) => {
    const fast = parseEnvelopeFast(input);
    const zod = EventEnvelope.safeParse(input);
    if (fast === undefined) {
      // Declining is allowed (ingestion then asks Zod): for what Zod refuses, and the valid shapes named above.
      expect(zod.success).toBe(validButDeclined.has(i));
    } else {
      // Accepting must give Zod's own answer.
      expect(zod.success).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      expect(fast).toEqual(zod.data);
    }
  });

  it('handles the shapes clients send without asking Zod', () => {
    const common = [good, tricky[1], tricky[2], tricky[4], tricky[16], tricky[20], tricky[21], tricky[36], tricky[47]];
    for (const input of common) expect(parseEnvelopeFast(input), JSON.stringify(input)).toBeDefined();
  });

  it('never accepts what Zod refuses among many generated variants', () => {
    const ids = ['', 'a', 'x'.repeat(255), 'x'.repeat(256), 5];
    const types = ['purchase', '', '9x', 'a b', 'a'.repeat(101), null];
    const dates = ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5+05:30', '2026-01-01', '2026-02-30T00:00:00Z', '2026-01-01T00:00:00-24:00', undefined];
    const identities = [{ email: 'a@b.co' }, {}, [], null, 'x'];
    const properties = [undefined, {}, { a: 1 }, null, [1]];
    let accepted = 0;
    for (const id of ids)
      for (const type of types)
        for (const occurred_at of dates)
          for (const ident of identities)
            for (const props of properties) {
              const input = { id, type, occurred_at, identities: ident, properties: props };
              const fast = parseEnvelopeFast(input);
              const zod = EventEnvelope.safeParse(input);
              if (fast) {
                accepted++;
                expect(zod.success).toBe(true);
                expect(fast).toEqual(zod.data);
              } else {
                // Within these limits every input Zod accepts is accepted by the fast path too.
                expect(zod.success).toBe(false);
              }
            }
    expect(accepted).toBe(24);
  });
});

describe('the hand-written checks of built-in properties', () => {
  const item = { sku: 'sku-1', quantity: 1, price: 9.5 };
  const cases: Record<string, Record<string, unknown>[]> = {
    purchase: [
      { order_id: 'o1', amount: 100, currency: 'CNY' },
      { order_id: 'o1', amount: 0, currency: 'CNY', store_id: 's', items: [item, { name: 'n', category: 'c', extra: [1] }], note: 'kept' },
      { order_id: '', amount: 1, currency: 'CNY' },
      { order_id: 'x'.repeat(200), amount: 1, currency: 'CNY' },
      { order_id: 'x'.repeat(201), amount: 1, currency: 'CNY' },
      { order_id: 'o', amount: -0.01, currency: 'CNY' },
      { order_id: 'o', amount: 1e12, currency: 'CNY' },
      { order_id: 'o', amount: 1e12 + 1, currency: 'CNY' },
      { order_id: 'o', amount: '100', currency: 'CNY' },
      { order_id: 'o', amount: null, currency: 'CNY' },
      { order_id: 'o', currency: 'CNY' },
      { order_id: 'o', amount: 1, currency: 'cny' },
      { order_id: 'o', amount: 1, currency: 'CNYX' },
      { order_id: 'o', amount: 1, currency: 'CN' },
      { order_id: 'o', amount: 1 },
      { order_id: 'o', amount: 1, currency: 'CNY', store_id: null },
      { order_id: 'o', amount: 1, currency: 'CNY', store_id: 5 },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: {} },
      { order_id: 'o', amount: 1, currency: 'CNY', items: null },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [null] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [[]] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: ['x'] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ quantity: 1.5 }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ quantity: -1 }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ quantity: 1e6 }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ quantity: 1e6 + 1 }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ price: -1 }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: [{ sku: 'x'.repeat(201) }] },
      { order_id: 'o', amount: 1, currency: 'CNY', items: Array.from({ length: 1000 }, () => item) },
      { order_id: 'o', amount: 1, currency: 'CNY', items: Array.from({ length: 1001 }, () => item) },
      JSON.parse('{"order_id":"o","amount":1,"currency":"CNY","items":[{"__proto__":{"price":-1}}]}'),
    ],
    page_view: [
      { url: '/' },
      { url: '' },
      { url: 'x'.repeat(4000) },
      { url: 'x'.repeat(4001) },
      { url: '/', title: 't', referrer: 'r' },
      { url: '/', title: null },
      { url: '/', title: 'x'.repeat(1001) },
      { url: '😀'.repeat(2001) },
      { url: 7 },
      {},
      { url: '/', anything: { deep: [1, null] } },
    ],
    app_action: [
      { action: 'search' },
      { action: '' },
      { action: 'search', screen: 'x'.repeat(200) },
      { action: 'search', screen: 'x'.repeat(201) },
      { screen: 's' },
      { action: ['a'] },
    ],
    refund: [{ order_id: 'o', amount: 1, currency: 'CNY' }],
    custom_thing: [{ anything: 1 }],
  };

  // Valid properties the fast path leaves to Zod: a "__proto__" key, a URL of 2001 emoji (4002 UTF-16
  // units, 2001 characters for Zod), and refunds, which have no hand-written check.
  const validButDeclined: Record<string, number[]> = { purchase: [31], page_view: [7], refund: [0] };
  for (const [type, inputs] of Object.entries(cases)) {
    it.each(inputs.map((input, i) => [i, input] as const))(`answers as Zod does for ${type} #%i`, (i, input) => {
      const schema = BUILT_IN_EVENT_TYPES[type as keyof typeof BUILT_IN_EVENT_TYPES];
      const isFast = hasValidPropertiesFast(type, input);
      if (!schema) {
        // A type of the tenant's own has no schema: nothing to check, by either path.
        expect(isFast).toBe(false);
        return;
      }
      const zod = schema.safeParse(input);
      if (!isFast) {
        // Declining is allowed (Zod then answers): for what Zod refuses, and the valid inputs named above.
        expect(zod.success).toBe((validButDeclined[type] ?? []).includes(i));
        return;
      }
      expect(zod.success).toBe(true);
      // Loose schemas answer an equal copy, so the stored JSON (jsonb) is the same either way.
      expect(zod.data).toEqual(input);
    });
  }

  it('handles the common shapes without asking Zod, and refuses every bad one listed', () => {
    expect(cases.purchase.slice(0, 2).every((p) => hasValidPropertiesFast('purchase', p))).toBe(true);
    expect(hasValidPropertiesFast('page_view', { url: '/', title: 't' })).toBe(true);
    expect(hasValidPropertiesFast('app_action', { action: 'search', screen: 'flights' })).toBe(true);
    for (const [type, inputs] of Object.entries(cases)) {
      const schema = BUILT_IN_EVENT_TYPES[type as keyof typeof BUILT_IN_EVENT_TYPES];
      for (const input of inputs)
        if (schema && !schema.safeParse(input).success) expect(hasValidPropertiesFast(type, input), JSON.stringify(input)).toBe(false);
    }
  });
});

describe('properties read from text cells', () => {
  it('types each cell by the event schema, so digit-only ids stay strings with their zeros', () => {
    expect(propertiesFromText('purchase', { order_id: '20261205000123', amount: '120.50', currency: 'CNY', store_id: '007' })).toEqual({
      order_id: '20261205000123',
      amount: 120.5,
      currency: 'CNY',
      store_id: '007',
    });
    expect(BUILT_IN_EVENT_TYPES.purchase.safeParse(propertiesFromText('purchase', { order_id: '20261205000123', amount: '1', currency: 'CNY' })).success).toBe(
      true,
    );
  });

  it('leaves a cell that should be a number but is not one as text, and custom or undeclared keys as text', () => {
    expect(propertiesFromText('purchase', { order_id: 'O1', amount: 'abc', coupon: '0042' })).toEqual({ order_id: 'O1', amount: 'abc', coupon: '0042' });
    expect(propertiesFromText('location', { lat: '31.2', lng: '121.5', store_id: '007' })).toEqual({ lat: 31.2, lng: 121.5, store_id: '007' });
    expect(propertiesFromText('boarding', { seat: '007', flight: '1234' })).toEqual({ seat: '007', flight: '1234' });
  });
});
