import { describe, expect, it } from 'vitest';
import { EventEnvelope, parseEnvelopeFast } from './event-schemas.js';

const good = { id: 'e-1', type: 'purchase', occurred_at: '2026-01-01T12:00:00Z', identities: { email: 'a@b.co' }, properties: { order_id: 'o1', amount: 1, currency: 'CNY' } };

// Inputs near every rule of the envelope: the hand-written path must never accept what Zod refuses,
// and must answer exactly what Zod answers when it accepts.
const tricky: unknown[] = [
  good,
  { ...good, properties: undefined },
  { ...good, extra: 'dropped', another: { nested: true } },
  { ...good, id: '' }, { ...good, id: 'x'.repeat(255) }, { ...good, id: 'x'.repeat(256) }, { ...good, id: '😀'.repeat(127) }, { ...good, id: '😀'.repeat(128) },
  { ...good, id: 42 }, { ...good, id: null }, { ...good, id: undefined },
  { ...good, type: '' }, { ...good, type: 'a'.repeat(100) }, { ...good, type: 'a'.repeat(101) }, { ...good, type: '1abc' }, { ...good, type: 'page view' },
  { ...good, type: 'a.b:c-d_e' }, { ...good, type: 'ä' }, { ...good, type: 'abc\n' }, { ...good, type: ['purchase'] },
  { ...good, occurred_at: '2026-01-01T12:00:00+08:00' }, { ...good, occurred_at: '2026-01-01T12:00:00.123456Z' }, { ...good, occurred_at: '2026-01-01T12:00:00' },
  { ...good, occurred_at: '2026-01-01T12:00:00+0800' }, { ...good, occurred_at: '2026-01-01T12:00Z' }, { ...good, occurred_at: '2026-01-01 12:00:00Z' },
  { ...good, occurred_at: '2026-01-01T12:00:00z' }, { ...good, occurred_at: '2026-02-29T00:00:00Z' }, { ...good, occurred_at: '2024-02-29T00:00:00Z' },
  { ...good, occurred_at: '2026-13-01T00:00:00Z' }, { ...good, occurred_at: '2026-01-01T24:00:00Z' }, { ...good, occurred_at: '2026-01-01T12:00:60Z' },
  { ...good, occurred_at: '2026-01-01T12:00:00Z\n' }, { ...good, occurred_at: ' 2026-01-01T12:00:00Z' }, { ...good, occurred_at: 1767268800000 }, { ...good, occurred_at: 'yesterday' },
  { ...good, identities: {} }, { ...good, identities: [] }, { ...good, identities: null }, { ...good, identities: 'a@b.co' }, { ...good, identities: undefined },
  { ...good, identities: Object.create(null) }, { ...good, identities: new Date(0) }, { ...good, identities: { email: 5, fax: null } },
  { ...good, properties: null }, { ...good, properties: [] }, { ...good, properties: 'x' }, { ...good, properties: {} }, { ...good, properties: Object.create(null) },
  {}, [], null, 'not an event', 7, Object.assign(Object.create(null), good),
  JSON.parse('{"id":"p","type":"t","occurred_at":"2026-01-01T12:00:00Z","identities":{"__proto__":{"x":1}},"properties":{"__proto__":{"y":2}}}'),
];

describe('the hand-written envelope check', () => {
  it('accepts the common shape with what Zod answers', () => {
    expect(parseEnvelopeFast(good)).toEqual(EventEnvelope.parse(good));
    expect(parseEnvelopeFast({ ...good, properties: undefined })).toEqual({ ...good, properties: {} });
  });

  it.each(tricky.map((input, i) => [i, input]))('answers as Zod does on tricky input #%i', (_i, input) => {
    const fast = parseEnvelopeFast(input);
    const zod = EventEnvelope.safeParse(input);
    // Declining is always allowed (ingestion then asks Zod); accepting must give Zod's own answer.
    if (fast !== undefined) {
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
    for (const id of ids) for (const type of types) for (const occurred_at of dates) for (const ident of identities) for (const props of properties) {
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
