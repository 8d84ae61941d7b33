import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { startSmtpListener, signInCodeOf, mailText, type SmtpListener } from '../../../test/fixtures/smtp.js';

describe.each(databases)('customer portal on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let smtp: SmtpListener;
  // Each run signs in from its own address, so throttling in one test does not spill into another.
  const client = () => `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { clock: createTestClock('2027-03-01T10:00:00Z'), smtpUrl: smtp.url, publicUrl: 'http://portal.test' });
    t = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  const api = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const portal = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, cookie?: string, payload?: unknown, remoteAddress = '10.0.0.1') =>
    r.app.inject({
      method,
      url: path,
      remoteAddress,
      headers: cookie ? { cookie: `rapport_portal=${cookie}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function newCustomer(name: string) {
    const email = `${name}.${randomBytes(3).toString('hex')}@example.com`;
    const res = await api('POST', '/v1/events', {
      events: [
        {
          id: `${email}-buy`,
          type: 'purchase',
          occurred_at: '2026-03-01T10:00:00Z',
          identities: { email },
          properties: { order_id: `${email}-o`, amount: 42, currency: 'CNY' },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    return { email, id: res.json().results[0].customer_id as string };
  }

  async function requestCode(email: string, from = client()) {
    const since = smtp.messages.length;
    const res = await portal('POST', '/v1/portal/sign-in', undefined, { tenant: t.slug, email }, from);
    expect(res.statusCode, res.body).toBe(202);
    return signInCodeOf(await smtp.waitFor(email, since));
  }

  async function signIn(email: string) {
    const { code } = await requestCode(email);
    const res = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email, code });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rapport_portal')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.path).toBe('/v1/portal');
    return cookie.value;
  }

  it('mails a code and a link to a known address; the code signs in once', async () => {
    const c = await newCustomer('mei');
    const since = smtp.messages.length;
    const res = await portal('POST', '/v1/portal/sign-in', undefined, { tenant: t.slug, email: c.email.toUpperCase() }, client());
    expect(res.statusCode).toBe(202);
    const mail = await smtp.waitFor(c.email, since);
    const { code, token } = signInCodeOf(mail);
    expect(mailText(mail)).toContain(`http://portal.test/portal/${t.slug}/sign-in#token=`);
    // Only hashes are stored.
    const { rows } = await r.db.pool.query('SELECT code_hash, link_hash FROM portal_sign_ins WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, c.id]);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(JSON.stringify(rows)).not.toContain(token.split('.')[1]);

    const ok = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().customer_id).toBe(c.id);
    const again = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('PORTAL_SIGN_IN_FAILED');
    const link = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, token });
    expect(link.statusCode).toBe(401);
  });

  it('lets a code sign in for ten minutes and a session last seven days, by the app clock', async () => {
    r.clock.set('2027-01-31T23:55:00Z');
    const c = await newCustomer('expiry');
    const stale = await requestCode(c.email);
    r.clock.advance(10 * 60_000 + 1_000);
    expect((await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code: stale.code })).statusCode).toBe(401);
    expect((await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, token: stale.token })).statusCode).toBe(401);
    const fresh = await requestCode(c.email);
    r.clock.advance(9 * 60_000);
    const res = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code: fresh.code });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((x) => x.name === 'rapport_portal')!;
    // Signed in at 2027-02-01T00:14: the session ends seven days later, on 02-08.
    expect(res.json().expires_at.slice(0, 16)).toBe('2027-02-08T00:14');
    r.clock.set('2027-02-08T00:13:00Z');
    expect((await portal('GET', '/v1/portal/me', cookie.value)).statusCode).toBe(200);
    r.clock.set('2027-02-08T00:16:00Z');
    expect((await portal('GET', '/v1/portal/me', cookie.value)).statusCode).toBe(401);
  });

  it('signs in with the link token alone', async () => {
    const c = await newCustomer('link');
    const { token } = await requestCode(c.email);
    const res = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, token });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().customer_id).toBe(c.id);
    const tampered = token.slice(0, -2) + (token.endsWith('aa') ? 'bb' : 'aa');
    expect((await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, token: tampered })).statusCode).toBe(401);
  });

  it('answers an unknown address exactly like a known one and mails nothing', async () => {
    const since = smtp.messages.length;
    const res = await portal('POST', '/v1/portal/sign-in', undefined, { tenant: t.slug, email: 'nobody-here@example.com' }, client());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'sent' });
    await new Promise((ok) => setTimeout(ok, 300));
    expect(smtp.messages.slice(since).some((m) => m.to.includes('nobody-here@example.com'))).toBe(false);
    const unknownTenant = await portal('POST', '/v1/portal/sign-in', undefined, { tenant: 'no-such-tenant', email: 'x@example.com' }, client());
    expect(unknownTenant.statusCode).toBe(202);
  });

  it('spends a sign-in after five wrong codes, so guessing cannot go on', async () => {
    const c = await newCustomer('guess');
    const { code } = await requestCode(c.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code: wrong })).statusCode).toBe(401);
    expect((await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code })).statusCode).toBe(401);
  });

  it('throttles sign-in requests per client, and a stranger asking for codes never locks the customer out', async () => {
    const c = await newCustomer('flood');
    const stranger = client();
    for (let i = 0; i < 3; i++) await requestCode(c.email, stranger);
    const res = await portal('POST', '/v1/portal/sign-in', undefined, { tenant: t.slug, email: c.email }, stranger);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('PORTAL_SIGN_IN_THROTTLED');
    // The customer, from their own device, still gets a code, and it still works after another
    // stranger asks for one more.
    const own = client();
    const { code } = await requestCode(c.email, own);
    await requestCode(c.email, client());
    const res2 = await portal('POST', '/v1/portal/sign-in/verify', undefined, { tenant: t.slug, email: c.email, code }, own);
    expect(res2.statusCode, res2.body).toBe(200);
  });

  it('shows a customer only their own data, and takes no API key or console session', async () => {
    const a = await newCustomer('anna');
    const b = await newCustomer('bo');
    const cookie = await signIn(a.email);
    const me = await portal('GET', '/v1/portal/me', cookie);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().id).toBe(a.id);
    expect(me.body).not.toContain(b.email);
    const timeline = await portal('GET', '/v1/portal/me/timeline', cookie);
    expect(timeline.json().data.map((e: { id: string }) => e.id)).toContain(`${a.email}-buy`);
    expect(timeline.body).not.toContain(b.email);
    const exported = await portal('GET', '/v1/portal/me/export', cookie);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain(a.id);
    expect(exported.body).not.toContain(b.id);

    // The tenant's admin API key is not a portal session, and a portal cookie opens no console route.
    expect((await r.app.inject({ method: 'GET', url: '/v1/portal/me', headers: t.headers })).statusCode).toBe(401);
    expect((await r.app.inject({ method: 'GET', url: `/v1/customers/${b.id}`, headers: { cookie: `rapport_portal=${cookie}` } })).statusCode).toBe(401);
    // A forged cookie naming another customer's session id with a wrong secret gets nothing.
    const [tenantId, sessionId] = cookie.split('.');
    expect((await portal('GET', '/v1/portal/me', `${tenantId}.${sessionId}.forged`)).statusCode).toBe(401);
  });

  it('shows a member their points and rewards and redeems with their own points only, once per key', async () => {
    const a = await newCustomer('ada');
    const b = await newCustomer('ben');
    for (const [c, points] of [
      [a, 400],
      [b, 900],
    ] as const) {
      expect((await api('POST', '/v1/loyalty/earn', { customer_id: c.id, points, idempotency_key: `gift-${c.id}` })).statusCode).toBeLessThan(300);
    }
    const cheap = (await api('POST', '/v1/loyalty/rewards', { name: 'Coffee', cost_points: 150 })).json();
    const dear = (await api('POST', '/v1/loyalty/rewards', { name: 'Flight', cost_points: 5000 })).json();
    const cookie = await signIn(a.email);
    const start = await portal('GET', '/v1/portal/me/loyalty', cookie);
    expect(start.statusCode, start.body).toBe(200);
    const points = start.json().points.available as number;
    expect(points).toBeGreaterThanOrEqual(400);
    expect(
      start
        .json()
        .rewards.filter((x: { id: string }) => [cheap.id, dear.id].includes(x.id))
        .map((x: { name: string; is_affordable: boolean }) => [x.name, x.is_affordable]),
    ).toEqual([
      ['Coffee', true],
      ['Flight', false],
    ]);

    const redeem = (reward: string, key: string) => portal('POST', '/v1/portal/me/redemptions', cookie, { reward_id: reward, idempotency_key: key });
    const first = await redeem(cheap.id, 'click-0001');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().loyalty.points.available).toBe(points - 150);
    const again = await redeem(cheap.id, 'click-0001');
    expect(again.statusCode).toBe(200);
    expect(again.json().voucher_code).toBe(first.json().voucher_code);
    expect(again.json().loyalty.points.available).toBe(points - 150);
    // Beyond the balance: a problem naming why, and nothing spent.
    const tooDear = await redeem(dear.id, 'click-0002');
    expect(tooDear.statusCode).toBeGreaterThanOrEqual(400);
    expect(tooDear.statusCode).toBeLessThan(500);
    expect(tooDear.headers['content-type']).toContain('application/problem+json');
    // B's points are untouched: the session names the customer, never the body.
    expect((await api('GET', `/v1/loyalty/customers/${b.id}/balance`)).json().available).toBeGreaterThanOrEqual(900);
    expect(
      (await portal('POST', '/v1/portal/me/redemptions', cookie, { reward_id: cheap.id, idempotency_key: 'click-0003', customer_id: b.id })).statusCode,
    ).toBe(422);
    expect((await portal('POST', '/v1/portal/me/redemptions', undefined, { reward_id: cheap.id, idempotency_key: 'click-0004' })).statusCode).toBe(401);
  });

  it('shows a member every voucher they redeemed and where their points came from and went, newest first', async () => {
    const a = await newCustomer('cai');
    const b = await newCustomer('dan');
    for (const c of [a, b])
      expect((await api('POST', '/v1/loyalty/earn', { customer_id: c.id, points: 500, idempotency_key: `welcome-${c.id}` })).statusCode).toBeLessThan(300);
    const tea = (await api('POST', '/v1/loyalty/rewards', { name: 'Longjing tea', cost_points: 200, voucher_valid_days: 30 })).json();
    const cookie = await signIn(a.email);
    const empty = await portal('GET', '/v1/portal/me/vouchers', cookie);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json().data).toEqual([]);
    const redeemed = await portal('POST', '/v1/portal/me/redemptions', cookie, { reward_id: tea.id, idempotency_key: 'tea-0001' });
    expect(redeemed.statusCode, redeemed.body).toBe(201);
    const vouchers = (await portal('GET', '/v1/portal/me/vouchers', cookie)).json().data;
    expect(vouchers).toHaveLength(1);
    expect(vouchers[0]).toMatchObject({
      reward_id: tea.id,
      reward_name: 'Longjing tea',
      code: redeemed.json().voucher_code,
      points: 200,
      status: 'issued',
      expires_at: redeemed.json().expires_at,
      used_at: null,
    });
    const history = (await portal('GET', '/v1/portal/me/points', cookie)).json().data;
    expect(history[0]).toMatchObject({ movement: 'spent', reason: 'redemption', points: -200, pending: 0 });
    expect(history.find((l: { reason: string }) => l.reason === 'manual')).toMatchObject({ movement: 'earned', points: 500 });
    // The other member sees none of it.
    const other = await signIn(b.email);
    expect((await portal('GET', '/v1/portal/me/vouchers', other)).json().data).toEqual([]);
    expect((await portal('GET', '/v1/portal/me/points', other)).json().data.map((l: { movement: string }) => l.movement)).not.toContain('spent');
    expect((await portal('GET', '/v1/portal/me/vouchers')).statusCode).toBe(401);
  });

  it('changes preferences, consent and profile, recorded as the customer through the portal', async () => {
    const c = await newCustomer('pref');
    const cookie = await signIn(c.email);
    const prefs = await portal('PUT', '/v1/portal/me/preferences', cookie, {
      channels: ['wechat', 'email'],
      contact_window: { start: '09:00', end: '20:00' },
      max_messages_per_week: 2,
      language: 'zh-CN',
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect(prefs.json().preferences).toMatchObject({ channels: ['wechat', 'email'], max_messages_per_week: 2, language: 'zh-CN' });
    const consent = await portal('POST', '/v1/portal/me/consent', cookie, { channel: 'email', purpose: 'marketing', status: 'granted' });
    expect(consent.statusCode, consent.body).toBe(200);
    const bad = await portal('PATCH', '/v1/portal/me', cookie, { given_name: '', locale: 'klingon!' });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['given_name', 'locale']);
    const patched = await portal('PATCH', '/v1/portal/me', cookie, { given_name: '美', family_name: '李', locale: 'zh-CN' });
    expect(patched.json()).toMatchObject({ given_name: '美', family_name: '李', locale: 'zh-CN' });

    const history = await api('GET', `/v1/customers/${c.id}/consent`);
    expect(history.json().history.at(-1)).toMatchObject({ channel: 'email', purpose: 'marketing', status: 'granted', source: 'portal' });
    const { rows } = await r.db.pool.query(
      `SELECT actor_type, actor_id FROM audit_log WHERE tenant_id = $1 AND subject_id = $2 AND action = 'customer.preferences.set'`,
      [t.tenantId, c.id],
    );
    expect(rows).toEqual([{ actor_type: 'customer', actor_id: c.id }]);
  });

  it('follows a merge to the surviving profile, and erasure ends every session', async () => {
    const c = await newCustomer('merge');
    const other = await newCustomer('survivor');
    const cookie = await signIn(c.email);
    expect((await api('POST', `/v1/customers/${other.id}/merge`, { other_id: c.id })).statusCode).toBe(200);
    const me = await portal('GET', '/v1/portal/me', cookie);
    expect(me.json().id).toBe(other.id);

    const refused = await portal('POST', '/v1/portal/me/erase', cookie, { confirm: false });
    expect(refused.statusCode).toBe(422);
    const erased = await portal('POST', '/v1/portal/me/erase', cookie, { confirm: true });
    expect(erased.statusCode, erased.body).toBe(200);
    expect((await portal('GET', '/v1/portal/me', cookie)).statusCode).toBe(401);
    expect((await api('GET', `/v1/customers/${other.id}`)).statusCode).toBe(410);
  });
});
