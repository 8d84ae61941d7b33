import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';

describe.each(databases)('customers on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    for (const [key, type] of [
      ['tier_hint', 'string'],
      ['vip_since', 'date'],
      ['seat_pref', 'string'],
      ['miles', 'number'],
    ]) {
      const res = await call('PUT', `/v1/customer-attributes/${key}`, { type });
      expect(res.statusCode).toBe(200);
    }
  });
  afterAll(async () => r?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    r.app.inject({ method, url, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ingest = (events: unknown[]) => call('POST', '/v1/events', { events });

  it('creates a profile with normalised identities and finds it by any of them', async () => {
    const res = await call('POST', '/v1/customers', {
      given_name: '芳',
      family_name: '王',
      locale: 'zh-CN',
      timezone: 'Asia/Shanghai',
      identities: { email: ' Wang.Fang@Example.COM', phone: '138 0013 8001' },
      attributes: { miles: 1200 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`)).toEqual(['email:wang.fang@example.com', 'phone:+8613800138001']);
    expect(c.attributes).toEqual({ miles: 1200 });
    const byPhone = await call('GET', '/v1/customers/lookup?kind=phone&value=%2B86%20138%200013%208001');
    expect(byPhone.json().id).toBe(c.id);
    const dup = await call('POST', '/v1/customers', { identities: { email: 'wang.fang@example.com' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('identities.email');
    const list = await call('GET', '/v1/customers?q=%E7%8E%8B');
    expect(list.json().data.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('finds a customer by email, phone in any format and external id through q, not only by name', async () => {
    const res = await call('POST', '/v1/customers', {
      given_name: 'Oliver',
      family_name: 'Jones',
      identities: { email: 'oliver.jones@example.co.uk', phone: '+86 139 1234 5678', external_id: 'FF-00912' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const search = async (q: string) => (await call('GET', `/v1/customers?q=${encodeURIComponent(q)}`)).json().data.map((x: { id: string }) => x.id);
    for (const q of ['Oliver.Jones@Example.co.uk', '139 1234 5678', '+86-139-1234-5678', '8613912345678', '+8613912345678', 'FF-00912', 'jones']) {
      expect(await search(q), q).toEqual([id]);
    }
    expect(await search('FF-00913')).toEqual([]);
  });

  it('refuses bad fields by name and stores nothing', async () => {
    const res = await call('POST', '/v1/customers', {
      timezone: 'Mars/Olympus',
      locale: 'chinese!',
      identities: { email: 'not-an-email', phone: '12' },
      attributes: { undefined_key: 1 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['locale', 'timezone']);
    const ids = await call('POST', '/v1/customers', { identities: { email: 'not-an-email', phone: '12' } });
    expect(ids.statusCode).toBe(422);
    expect(
      ids
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['identities.email', 'identities.phone']);
    const attrs = await call('POST', '/v1/customers', { identities: { email: 'attrs@example.com' }, attributes: { undefined_key: 1, miles: 'many' } });
    expect(attrs.statusCode).toBe(422);
    expect(
      attrs
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['attributes.miles', 'attributes.undefined_key']);
    expect((await call('GET', '/v1/customers/lookup?kind=email&value=attrs%40example.com')).statusCode).toBe(404);
  });

  it('keeps consent as a history and answers the latest per channel and purpose', async () => {
    const id = (await call('POST', '/v1/customers', { identities: { email: 'consent@example.com' } })).json().id;
    expect(
      (await call('POST', `/v1/customers/${id}/consent`, { channel: 'email', purpose: 'marketing', status: 'granted', source: 'signup_form' })).statusCode,
    ).toBe(201);
    // Three days on by the platform clock, not the database's: each answer is dated by the clock.
    r.clock.advance(3 * 86_400_000);
    expect(
      (await call('POST', `/v1/customers/${id}/consent`, { channel: 'email', purpose: 'marketing', status: 'withdrawn', source: 'unsubscribe_link' }))
        .statusCode,
    ).toBe(201);
    const c = (await call('GET', `/v1/customers/${id}/consent`)).json();
    expect(c.current).toEqual([expect.objectContaining({ channel: 'email', purpose: 'marketing', status: 'withdrawn', source: 'unsubscribe_link' })]);
    expect(c.history.map((h: { status: string }) => h.status)).toEqual(['granted', 'withdrawn']);
    const [granted, withdrawn] = c.history.map((h: { recorded_at: string }) => Date.parse(h.recorded_at));
    expect(withdrawn - granted).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(withdrawn - granted).toBeLessThan(3 * 86_400_000 + 60_000);
    expect(Math.abs(withdrawn - r.clock.now().getTime())).toBeLessThan(60_000);
    const bad = await call('POST', `/v1/customers/${id}/consent`, { channel: 'pigeon', purpose: 'marketing', status: 'maybe' });
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['channel', 'source', 'status']);
  });

  it('merges by hand: identities, consent (most restrictive wins), attributes and aggregates move to the survivor', async () => {
    const a = (
      await ingest([
        {
          id: 'mg-a',
          type: 'purchase',
          occurred_at: '2026-03-01T10:00:00Z',
          identities: { email: 'merge.a@example.com' },
          properties: { order_id: 'A1', amount: 100, currency: 'CNY' },
        },
      ])
    ).json().results[0].customer_id;
    const b = (
      await ingest([
        {
          id: 'mg-b',
          type: 'purchase',
          occurred_at: '2026-03-02T10:00:00Z',
          identities: { phone: '+8613900000099' },
          properties: { order_id: 'B1', amount: 50, currency: 'CNY' },
        },
      ])
    ).json().results[0].customer_id;
    await call('PATCH', `/v1/customers/${b}`, { given_name: 'Lei', attributes: { seat_pref: 'aisle' } });
    await call('PATCH', `/v1/customers/${a}`, { attributes: { seat_pref: 'window' } });
    await call('POST', `/v1/customers/${a}/consent`, { channel: 'sms', purpose: 'marketing', status: 'withdrawn', source: 'call_centre' });
    await call('POST', `/v1/customers/${b}/consent`, { channel: 'sms', purpose: 'marketing', status: 'granted', source: 'app' });
    const m = await call('POST', `/v1/customers/${a}/merge`, { other_id: b });
    expect(m.statusCode, m.body).toBe(200);
    const viaOld = (await call('GET', `/v1/customers/${b}`)).json();
    expect(viaOld.id).toBe(a);
    expect(viaOld.merged_from).toBe(b);
    expect(viaOld.given_name).toBe('Lei');
    expect(viaOld.attributes.seat_pref).toBe('window');
    expect(viaOld.identities.map((i: { kind: string }) => i.kind).sort()).toEqual(['email', 'phone']);
    expect(viaOld.activity.order_count).toBe(2);
    expect(viaOld.activity.spend).toEqual({ CNY: 150 });
    expect(viaOld.consent.find((c: { channel: string }) => c.channel === 'sms').status).toBe('withdrawn');
    const tl = (await call('GET', `/v1/customers/${a}/timeline?types=purchase`)).json();
    expect(tl.data.map((e: { id: string }) => e.id).sort()).toEqual(['mg-a', 'mg-b']);
    expect((await call('POST', `/v1/customers/${a}/merge`, { other_id: a })).statusCode).toBe(409);
  });

  it('does not merge automatically when the tenant turns auto-merge off', async () => {
    const t2 = await createTestTenant(r, { identity_resolution: { auto_merge: false } });
    const post = (events: unknown[]) => r.app.inject({ method: 'POST', url: '/v1/events', headers: t2.headers, payload: { events } });
    const a = (await post([{ id: '1', type: 'sign_up', occurred_at: '2026-03-01T10:00:00Z', identities: { email: 'x@example.com' } }])).json().results[0]
      .customer_id;
    const b = (await post([{ id: '2', type: 'sign_up', occurred_at: '2026-03-01T10:00:00Z', identities: { phone: '+8613900000001' } }])).json().results[0]
      .customer_id;
    const both = (
      await post([{ id: '3', type: 'sign_up', occurred_at: '2026-03-01T10:00:00Z', identities: { email: 'x@example.com', phone: '+8613900000001' } }])
    ).json().results[0].customer_id;
    expect(a).not.toBe(b);
    expect(both).toBe(a); // email outranks phone
    const { rows } = await r.db.pool.query(`SELECT count(*) AS n FROM customers WHERE tenant_id = $1 AND status = 'active'`, [t2.tenantId]);
    expect(rows[0].n).toBe(2);
  });

  it('sets preferences and rejects a malformed contact window', async () => {
    const id = (await call('POST', '/v1/customers', { identities: { email: 'prefs@example.com' } })).json().id;
    const ok = await call('PUT', `/v1/customers/${id}/preferences`, {
      channels: ['wechat', 'email'],
      contact_window: { start: '09:00', end: '21:00', days: [1, 2, 3, 4, 5] },
      max_messages_per_week: 3,
      language: 'zh-CN',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().preferences).toMatchObject({
      channels: ['wechat', 'email'],
      max_messages_per_week: 3,
      language: 'zh-CN',
      contact_window: { start: '09:00', end: '21:00' },
    });
    const bad = await call('PUT', `/v1/customers/${id}/preferences`, { channels: ['email', 'email'], contact_window: { start: '25:00', end: '9pm' } });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['channels', 'contact_window.end', 'contact_window.start']);
  });

  it('exports everything about a customer and erases their personal data but keeps anonymous figures', async () => {
    const id = (
      await ingest([
        {
          id: 'pv-1',
          type: 'purchase',
          occurred_at: '2026-04-01T08:00:00Z',
          identities: { email: 'erase.me@example.com', wechat_openid: 'o_erase' },
          properties: { order_id: 'E1', amount: 88, currency: 'CNY', store_id: 'PEK-T3' },
        },
      ])
    ).json().results[0].customer_id;
    await call('PATCH', `/v1/customers/${id}`, { given_name: 'Min', family_name: 'Zhang' });
    const exp = await call('GET', `/v1/customers/${id}/export`);
    expect(exp.statusCode).toBe(200);
    const doc = exp.json();
    expect(doc.customer.given_name).toBe('Min');
    expect(doc.events.map((e: { id: string }) => e.id)).toContain('pv-1');
    expect(doc.access_log.map((a: { action: string }) => a.action)).toContain('customer.update');
    const er = await call('POST', `/v1/customers/${id}/erase`);
    expect(er.statusCode).toBe(200);
    expect((await call('GET', `/v1/customers/${id}`)).statusCode).toBe(410);
    expect((await call('GET', '/v1/customers/lookup?kind=email&value=erase.me%40example.com')).statusCode).toBe(404);
    const {
      rows: [c],
    } = await r.db.pool.query('SELECT given_name, family_name, order_count, status FROM customers WHERE tenant_id = $1 AND id = $2', [t.tenantId, id]);
    expect(c).toEqual({ given_name: null, family_name: null, order_count: 1, status: 'erased' });
    const {
      rows: [e],
    } = await r.db.pool.query('SELECT identities, properties FROM customer_events WHERE tenant_id = $1 AND id = $2', [t.tenantId, 'pv-1']);
    expect(e).toEqual({ identities: {}, properties: { amount: 88, currency: 'CNY' } });
    const audit = (await call('GET', `/v1/customers/${id}/audit`)).json();
    expect(audit.data.map((a: { action: string }) => a.action)).toContain('customer.erase');
  });

  it('scores RFM by the quintile boundaries, so equal values get equal scores', async () => {
    const t4 = await createTestTenant(r);
    // Order counts 1, 2, 2, 3, 4 at 100 each; the two 2-order customers bought on the same days.
    const counts = [1, 2, 2, 3, 4];
    const events = counts.flatMap((n, i) =>
      Array.from({ length: n }, (_, j) => ({
        id: `q-${i}-${j}`,
        type: 'purchase',
        occurred_at: new Date(Date.UTC(2026, 0, 1 + j + (i === 0 ? 3 : i === 3 ? 1 : 0), 10)).toISOString(),
        identities: { external_id: `q${i}` },
        properties: { order_id: `q-${i}-${j}`, amount: 100, currency: 'CNY' },
      })),
    );
    expect((await r.app.inject({ method: 'POST', url: '/v1/events', headers: t4.headers, payload: { events } })).statusCode).toBeLessThan(300);
    await r.app.inject({ method: 'POST', url: '/v1/customers/value/recompute', headers: t4.headers });
    const scores = [];
    for (let i = 0; i < counts.length; i++) {
      const v = (await r.app.inject({ method: 'GET', url: `/v1/customers/lookup?kind=external_id&value=q${i}`, headers: t4.headers })).json().value;
      scores.push([v.recency_score, v.frequency_score, v.monetary_score]);
    }
    // Boundaries of 1, 2, 2, 3, 4 (20/40/60/80th percentiles): 1.8, 2, 2.4, 3.2; a score is 1 + those exceeded.
    expect(scores.map((x) => x[1])).toEqual([1, 2, 2, 4, 5]);
    expect(scores[1]).toEqual(scores[2]);
  });

  it('does not let one large first purchase outvalue a customer with a long record', async () => {
    const t5 = await createTestTenant(r, { customer_value: { core_percent: 10, lifespan_years: 3 } });
    const now = r.clock.now().getTime();
    const daysAgo = (d: number) => new Date(now - d * 86_400_000 - 3_600_000).toISOString();
    const buy = (who: string, n: number, at: string, amount: number) => ({
      id: `${who}-${n}`,
      type: 'purchase',
      occurred_at: at,
      identities: { external_id: who },
      properties: { order_id: `${who}-${n}`, amount, currency: 'CNY' },
    });
    const events = [
      buy('newcomer', 1, daysAgo(0), 3500),
      // 9 orders over the last year, 19,870 in all.
      ...Array.from({ length: 9 }, (_, j) => buy('regular', j, daysAgo(360 - j * 40), j < 8 ? 2200 : 2270)),
      // Eight ordinary customers: two orders of 300 a year apart.
      ...Array.from({ length: 8 }, (_, i) => [buy(`o${i}`, 1, daysAgo(365), 300), buy(`o${i}`, 2, daysAgo(5), 300)]).flat(),
    ];
    expect((await r.app.inject({ method: 'POST', url: '/v1/events', headers: t5.headers, payload: { events } })).statusCode).toBeLessThan(300);
    expect((await r.app.inject({ method: 'POST', url: '/v1/customers/value/recompute', headers: t5.headers })).json()).toEqual({ customers: 10, core: 1 });
    const value = async (who: string) =>
      (await r.app.inject({ method: 'GET', url: `/v1/customers/lookup?kind=external_id&value=${who}`, headers: t5.headers })).json().value;
    const [newcomer, regular] = [await value('newcomer'), await value('regular')];
    expect(regular.is_core).toBe(true);
    expect(newcomer.is_core).toBe(false);
    expect(regular.clv).toBeGreaterThan(newcomer.clv);
    // The newcomer is worth the tenant's repeat rate (16 repeats over about 9 years of tenure) at an
    // order value pulled toward the average (2 x 1,083 + 3,500) / 3: about 10,000, not 126,000.
    expect(newcomer.clv).toBeGreaterThan(5000);
    expect(newcomer.clv).toBeLessThan(15000);
  });

  it('scores value by quintile and flags the top share as core', async () => {
    const t3 = await createTestTenant(r, { customer_value: { core_percent: 20, lifespan_years: 3 } });
    const events = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: i + 1 }, (_, j) => ({
        id: `v-${i}-${j}`,
        type: 'purchase',
        occurred_at: new Date(Date.UTC(2026, 0, 1 + j, 10)).toISOString(),
        identities: { external_id: `m${i}` },
        properties: { order_id: `v-${i}-${j}`, amount: 100 * (i + 1), currency: 'CNY' },
      })),
    ).flat();
    await r.app.inject({ method: 'POST', url: '/v1/events', headers: t3.headers, payload: { events } });
    const res = await r.app.inject({ method: 'POST', url: '/v1/customers/value/recompute', headers: t3.headers });
    expect(res.json()).toEqual({ customers: 10, core: 2 });
    const top = (await r.app.inject({ method: 'GET', url: '/v1/customers/lookup?kind=external_id&value=m9', headers: t3.headers })).json();
    const bottom = (await r.app.inject({ method: 'GET', url: '/v1/customers/lookup?kind=external_id&value=m0', headers: t3.headers })).json();
    expect(top.value).toMatchObject({ is_core: true, frequency_score: 5, monetary_score: 5 });
    expect(bottom.value).toMatchObject({ is_core: false, frequency_score: 1, monetary_score: 1 });
    expect(top.value.clv).toBeGreaterThan(bottom.value.clv);
  });
});
