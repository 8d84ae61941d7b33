import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();

describe.each(databases)('event ingestion on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const post = (events: unknown, headers = t.headers) => r.app.inject({ method: 'POST', url: '/v1/events', headers, payload: { events } });

  it('stores the good events of a batch, reports the bad ones by index and counts a replay once', async () => {
    const batch = [
      {
        id: 'e1',
        type: 'purchase',
        occurred_at: at(1),
        identities: { email: 'Wang.Fang@Example.com' },
        properties: { order_id: 'o1', amount: 120.5, currency: 'CNY' },
      },
      {
        id: 'e2',
        type: 'purchase',
        occurred_at: at(2),
        identities: { email: 'wang.fang@example.com' },
        properties: { order_id: 'o2', amount: 'lots', currency: 'yuan' },
      },
      { id: 'e3', type: 'page_view', occurred_at: 'yesterday', identities: { phone: '13800138000' }, properties: { url: '/' } },
      { id: 'e4', type: 'custom_thing', occurred_at: at(3), identities: { phone: '138 0013 8000' }, properties: { anything: [1, 2] } },
      {
        id: 'e1',
        type: 'purchase',
        occurred_at: at(1),
        identities: { email: 'wang.fang@example.com' },
        properties: { order_id: 'o1', amount: 120.5, currency: 'CNY' },
      },
      { id: 'e5', type: 'sign_up', occurred_at: at(4), identities: { fax: '123' } },
      'not an event',
    ];
    const res = await post(batch);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.results.map((x: { status: string }) => x.status)).toEqual([
      'accepted',
      'rejected',
      'rejected',
      'accepted',
      'duplicate',
      'rejected',
      'rejected',
    ]);
    expect([body.accepted, body.duplicates, body.rejected]).toEqual([2, 1, 4]);
    expect(body.results[1].errors.map((e: { field: string }) => e.field).sort()).toEqual(['properties.amount', 'properties.currency']);
    expect(body.results[2].errors[0].field).toBe('occurred_at');
    expect(body.results[5].errors[0].field).toBe('identities.fax');
    expect(body.results[4].customer_id).toBe(body.results[0].customer_id);

    const again = (await post(batch)).json();
    expect([again.accepted, again.duplicates, again.rejected]).toEqual([0, 3, 4]);
    expect(again.results[0].customer_id).toBe(body.results[0].customer_id);

    const { rows } = await r.db.pool.query('SELECT count(*) AS n FROM customer_events WHERE tenant_id = $1', [t.tenantId]);
    expect(rows[0].n).toBe(2);
    const customer = body.results[0].customer_id;
    const {
      rows: [c],
    } = await r.db.pool.query('SELECT order_count, event_count FROM customers WHERE tenant_id = $1 AND id = $2', [t.tenantId, customer]);
    expect(c).toEqual({ order_count: 1, event_count: 1 });
    const { rows: spend } = await r.db.pool.query('SELECT currency, amount FROM customer_spend WHERE tenant_id = $1 AND customer_id = $2', [
      t.tenantId,
      customer,
    ]);
    expect(spend).toEqual([{ currency: 'CNY', amount: '120.50' }]);
  });

  it('refuses only the events holding a NUL or half a surrogate pair, naming the field, and stores the rest', async () => {
    const event = (id: string, extra: object = {}) => ({ id, type: 'app_opened', occurred_at: at(5), identities: { email: `${id}@example.com` }, ...extra });
    // Sent as JSON text, so the \u escapes reach the server as a client would send them.
    const res = await r.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...t.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        events: [
          event('u-good'),
          event('u-prop', { properties: { note: 'a\ud800b' } }),
          event('u-key', { properties: { 'k\u0000': 1 } }),
          event('u-id\udc00', { identities: { email: 'u-id@example.com' } }),
          event('u-ext', { identities: { external_id: 'x\u0000' } }),
          event('u-deep', { properties: { items: [{ name: 'ok' }, { name: '\udbff' }] } }),
        ],
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 5 });
    expect(body.results.map((x: { status: string; errors?: { field: string }[] }) => [x.status, x.errors?.map((e) => e.field)])).toEqual([
      ['accepted', undefined],
      ['rejected', ['properties.note']],
      ['rejected', ['properties.k\u0000']],
      ['rejected', ['id']],
      ['rejected', ['identities.external_id']],
      ['rejected', ['properties.items[1].name']],
    ]);
    const { rows } = await r.db.pool.query("SELECT id FROM customer_events WHERE tenant_id = $1 AND id LIKE 'u-%'", [t.tenantId]);
    expect(rows.map((x) => x.id)).toEqual(['u-good']);
  });

  it('answers problem+json naming the field when the envelope is wrong', async () => {
    const res = await r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload: { events: 'nope' } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors[0].field).toBe('events');
    const tooMany = await post(Array.from({ length: 1001 }, (_, i) => ({ id: `x${i}` })));
    expect(tooMany.statusCode).toBe(422);
    const notJson = await r.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...t.headers, 'content-type': 'application/json' },
      payload: '{"events": [',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().status).toBe(400);
  });

  it('parses bodies the same whichever JSON parser takes them: escapes, poisoning, a byte-order mark', async () => {
    const raw = (body: string) =>
      r.app.inject({ method: 'POST', url: '/v1/events', headers: { ...t.headers, 'content-type': 'application/json' }, payload: body });
    // \u escapes go to Fastify's own parser; the stored text is the same as written plainly.
    const escaped = await raw(
      '{"events":[{"id":"j1","type":"page_view","occurred_at":"2026-01-01T12:00:00Z","identities":{"email":"j1@example.com"},"properties":{"url":"/\\u4e2d","title":"\\u6587"}}]}',
    );
    const plain = await raw(
      '{"events":[{"id":"j2","type":"page_view","occurred_at":"2026-01-01T12:00:00Z","identities":{"email":"j1@example.com"},"properties":{"url":"/中","title":"文"}}]}',
    );
    expect([escaped.statusCode, escaped.json().accepted, plain.json().accepted]).toEqual([200, 1, 1]);
    const { rows } = await r.db.pool.query(`SELECT id, properties FROM customer_events WHERE tenant_id = $1 AND id IN ('j1', 'j2') ORDER BY id`, [t.tenantId]);
    expect(rows.map((x) => x.properties)).toEqual([
      { url: '/中', title: '文' },
      { url: '/中', title: '文' },
    ]);
    // Prototype poisoning is refused, written plainly or escaped.
    for (const key of ['__proto__', '\\u005f_proto__']) {
      const res = await raw(
        `{"events":[{"id":"j3","type":"custom","occurred_at":"2026-01-01T12:00:00Z","identities":{"email":"j1@example.com"},"properties":{"${key}":{"isAdmin":true}}}]}`,
      );
      expect(res.statusCode, key).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    // "constructor" as an ordinary key is data, as before.
    const ctor = await raw(
      '{"events":[{"id":"j4","type":"custom","occurred_at":"2026-01-01T12:00:00Z","identities":{"email":"j1@example.com"},"properties":{"constructor":"bike"}}]}',
    );
    expect([ctor.statusCode, ctor.json().accepted]).toEqual([200, 1]);
    const bom = await raw('\uFEFF{"events":[{"id":"j5","type":"custom","occurred_at":"2026-01-01T12:00:00Z","identities":{"email":"j1@example.com"}}]}');
    expect([bom.statusCode, bom.json().accepted]).toEqual([200, 1]);
    const broken = await raw('{"events":[{"id":"j6"');
    expect([broken.statusCode, broken.json().detail]).toEqual([400, 'The body is not valid JSON']);
    // An empty body is no body: refused as a missing body, named as the whole body's problem.
    const empty = await raw('');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([{ field: '(root)', message: 'Invalid input: expected object, received null' }]);
  });

  it("keeps each customer's aggregates across batches: first and last seen, events, orders, spend", async () => {
    const ev = (id: string, minute: number, type: string, properties: Record<string, unknown> = {}) => ({
      id,
      type,
      occurred_at: at(minute),
      identities: { external_id: 'agg-1' },
      properties,
    });
    const first = (await post([ev('g1', 50, 'purchase', { order_id: 'g1', amount: 10.25, currency: 'CNY' }), ev('g2', 45, 'page_view', { url: '/' })])).json();
    const customer = first.results[0].customer_id;
    await post([
      ev('g3', 55, 'purchase', { order_id: 'g3', amount: 5, currency: 'CNY' }),
      ev('g4', 40, 'refund', { order_id: 'g1', amount: 2.25, currency: 'CNY' }),
      ev('g1', 50, 'purchase', { order_id: 'g1', amount: 10.25, currency: 'CNY' }),
    ]);
    const {
      rows: [c],
    } = await r.db.pool.query(
      'SELECT first_seen_at, last_seen_at, event_count, order_count, last_purchase_at FROM customers WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, customer],
    );
    expect(c).toEqual({ first_seen_at: new Date(at(40)), last_seen_at: new Date(at(55)), event_count: 4, order_count: 2, last_purchase_at: new Date(at(55)) });
    const { rows: spend } = await r.db.pool.query('SELECT currency, amount FROM customer_spend WHERE tenant_id = $1 AND customer_id = $2', [
      t.tenantId,
      customer,
    ]);
    expect(spend).toEqual([{ currency: 'CNY', amount: '13.00' }]);
  });

  it('refuses a missing or wrong key and a key without the ingest scope', async () => {
    expect((await post([], {})).statusCode).toBe(401);
    expect((await post([], { authorization: 'Bearer rpk.x.y.z' })).statusCode).toBe(401);
    const key = await r.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.headers, payload: { name: 'reader', scopes: ['read'] } });
    const res = await post([{ id: 'r1', type: 'sign_up', occurred_at: at(1), identities: { email: 'a@b.co' } }], {
      authorization: `Bearer ${key.json().token}`,
    });
    expect(res.statusCode).toBe(403);
  });

  it('stores an id exactly once when concurrent batches carry it', async () => {
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: `c${i}`,
      type: 'purchase',
      occurred_at: at(10),
      identities: { external_id: `ext-${i % 5}` },
      properties: { order_id: `c${i}`, amount: 10, currency: 'USD' },
    }));
    const replies = await Promise.all([post(events), post(events), post([...events].reverse())]);
    for (const x of replies) expect(x.statusCode, x.body).toBe(200);
    const accepted = replies.reduce((n, x) => n + x.json().accepted, 0);
    expect(accepted).toBe(50);
    const { rows } = await r.db.pool.query(
      `SELECT sum(c.order_count) AS orders, count(*) AS customers FROM customers c JOIN customer_identities i ON i.tenant_id = c.tenant_id AND i.customer_id = c.id
        WHERE c.tenant_id = $1 AND i.kind = 'external_id' AND i.value LIKE 'ext-%'`,
      [t.tenantId],
    );
    expect(rows[0]).toEqual({ orders: 50, customers: 5 });
  });

  it('merges two known profiles when one event carries both strong identities, and the timeline follows', async () => {
    const a = (await post([{ id: 'm1', type: 'sign_up', occurred_at: at(20), identities: { email: 'li.wei@example.com' } }])).json().results[0].customer_id;
    const b = (await post([{ id: 'm2', type: 'sign_up', occurred_at: at(21), identities: { phone: '+8613911112222' } }])).json().results[0].customer_id;
    expect(a).not.toBe(b);
    const res = (
      await post([
        {
          id: 'm3',
          type: 'app_action',
          occurred_at: at(22),
          identities: { email: 'li.wei@example.com', phone: '13911112222' },
          properties: { action: 'login' },
        },
      ])
    ).json();
    expect(res.results[0].customer_id).toBe(a);
    const tl = await r.app.inject({ method: 'GET', url: `/v1/customers/${b}/timeline?limit=2&sources=api`, headers: t.headers });
    expect(tl.statusCode).toBe(200);
    const page1 = tl.json();
    expect(page1.customer_id).toBe(a);
    expect(page1.merged_from).toBe(b);
    expect(page1.data.map((e: { id: string }) => e.id)).toEqual(['m3', 'm2']);
    const page2 = (
      await r.app.inject({ method: 'GET', url: `/v1/customers/${a}/timeline?limit=2&sources=api&cursor=${page1.next_cursor}`, headers: t.headers })
    ).json();
    expect(page2.data.map((e: { id: string }) => e.id)).toEqual(['m1']);
    expect(page2.next_cursor).toBeNull();
    const filtered = (await r.app.inject({ method: 'GET', url: `/v1/customers/${a}/timeline?types=sign_up`, headers: t.headers })).json();
    expect(filtered.data).toHaveLength(2);
    const { rows } = await r.db.pool.query('SELECT rule FROM customer_merges WHERE tenant_id = $1 AND merged_id = $2', [t.tenantId, b]);
    expect(rows).toEqual([{ rule: 'strong_identifier' }]);
  });

  it('joins an anonymous visitor to the known profile when they identify', async () => {
    const anon = (
      await post([{ id: 'a1', type: 'page_view', occurred_at: at(30), identities: { anonymous_id: 'anon-77' }, properties: { url: '/flights' } }])
    ).json().results[0].customer_id;
    const known = (await post([{ id: 'a2', type: 'sign_up', occurred_at: at(31), identities: { email: 'zhang.min@example.com' } }])).json().results[0]
      .customer_id;
    const login = (
      await post([
        {
          id: 'a3',
          type: 'app_action',
          occurred_at: at(32),
          identities: { anonymous_id: 'anon-77', email: 'zhang.min@example.com' },
          properties: { action: 'login' },
        },
      ])
    ).json();
    expect(login.results[0].customer_id).toBe(known);
    const { rows } = await r.db.pool.query('SELECT status, merged_into FROM customers WHERE tenant_id = $1 AND id = $2', [t.tenantId, anon]);
    expect(rows[0]).toEqual({ status: 'merged', merged_into: known });
    await r.bus.drain();
    const { rows: ev } = await r.db.pool.query(
      'SELECT source, count(*) AS n FROM customer_events WHERE tenant_id = $1 AND customer_id = $2 GROUP BY source ORDER BY source',
      [t.tenantId, known],
    );
    expect(ev).toEqual([
      { source: 'api', n: 3 },
      { source: 'customers', n: 1 },
    ]);
  });

  it('keeps tenants apart: the same event id and identity in two tenants are two events and two customers', async () => {
    const other = await createTestTenant(r);
    const e = [{ id: 'same', type: 'sign_up', occurred_at: at(40), identities: { email: 'shared@example.com' } }];
    const x = (await post(e)).json().results[0];
    const y = (await post(e, other.headers)).json().results[0];
    expect(x.status).toBe('accepted');
    expect(y.status).toBe('accepted');
    expect(x.customer_id).not.toBe(y.customer_id);
    const tl = await r.app.inject({ method: 'GET', url: `/v1/customers/${x.customer_id}/timeline`, headers: other.headers });
    expect(tl.statusCode).toBe(404);
  });
});
