import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';
import type { OutboundSender } from './senders.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

const system = { type: 'system' as const, id: 'test' };

// Every test names its instants. The app's clock stands at a Monday morning for the use cases that
// read it (campaign plans, segment counts, journeys); sends and dispatches pass their own instants.
describe.each(databases)('outreach on $name', ({ url }) => {
  const clock = createTestClock('2026-03-09T03:00:00Z', { frozen: true }); // Monday 11:00 in Shanghai
  let r: Rapport;
  let smtp: SmtpListener;
  const received = () => smtp.messages.map((m) => m.mail);
  // SMS goes through a sender the test can make fail, to see retries and backoff.
  let smsFailures = 0;
  const smsSent: string[] = [];
  const sms: OutboundSender = {
    async send(m) {
      if (smsFailures > 0) {
        smsFailures--;
        return { status: 'failed', providerMessageId: null, error: 'gateway timeout' };
      }
      smsSent.push(`${m.to}:${m.content.channel === 'sms' ? m.content.text : ''}`);
      return { status: 'sent', providerMessageId: `sms-${smsSent.length}` };
    },
  };

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { jobs: false, clock, outreach: { senders: { sms } } });
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  async function tenantWithSmtp(caps?: Record<string, unknown>): Promise<TestTenant> {
    const t = await createTestTenant(r);
    const res = await r.app.inject({
      method: 'PUT',
      url: '/v1/outreach/settings',
      headers: t.headers,
      payload: {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: 'not-used-but-stored', from: 'hello@shop.example.com' },
        public_base_url: 'https://rapport.example.com',
        default_timezone: 'Asia/Shanghai',
        ...(caps ? { caps } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('not-used-but-stored');
    expect(res.json().smtp.has_password).toBe(true);
    return t;
  }

  async function customer(
    t: TestTenant,
    p: {
      email?: string;
      phone?: string;
      locale?: string;
      timezone?: string;
      given_name?: string;
      channels?: string[];
      consent?: [string, string][];
      window?: object | null;
    },
  ) {
    const id = await r.customers.createCustomer(
      t.tenantId,
      {
        given_name: p.given_name ?? null,
        locale: p.locale ?? null,
        timezone: p.timezone ?? null,
        identities: { ...(p.email ? { email: p.email } : {}), ...(p.phone ? { phone: p.phone } : {}) },
      },
      system,
    );
    await r.customers.setPreferences(
      t.tenantId,
      id,
      { channels: (p.channels ?? []) as never, contact_window: (p.window ?? null) as never, max_messages_per_week: null, language: null },
      system,
    );
    for (const [channel, purpose] of p.consent ?? [])
      await r.customers.recordConsent(t.tenantId, id, { channel: channel as never, purpose: purpose as never, status: 'granted', source: 'signup' }, system);
    return id;
  }

  const template = async (t: TestTenant, body: object) => {
    const res = await r.app.inject({ method: 'POST', url: '/v1/outreach/templates', headers: t.headers, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const offer = (t: TestTenant, channels: ('email' | 'sms')[] = ['email', 'sms'], purpose = 'marketing') =>
    template(t, {
      name: `offer ${channels.join('+')}`,
      purpose,
      default_locale: 'en',
      variables: [{ name: 'points', required: false }],
      content: {
        en: {
          ...(channels.includes('email')
            ? {
                email: {
                  subject: 'Hello {customer_given_name}',
                  html: '<p>{points, plural, one {# point} other {# points}} for you</p>',
                  text: '{points, plural, one {# point} other {# points}} for you',
                },
              }
            : {}),
          ...(channels.includes('sms') ? { sms: { text: 'Offer: {points} points' } } : {}),
        },
        'zh-CN': {
          ...(channels.includes('email')
            ? {
                email: {
                  subject: '{customer_given_name}，您好',
                  html: '<p>送您{points, plural, other {#积分}}</p>',
                  text: '送您{points, plural, other {#积分}}',
                },
              }
            : {}),
          ...(channels.includes('sms') ? { sms: { text: '优惠：{points}积分' } } : {}),
        },
      },
    });

  it("waits for each customer's contact window in their own timezone, on a controlled clock", async () => {
    const t = await tenantWithSmtp();
    const tpl = await offer(t, ['email']);
    const shanghai = await customer(t, { email: 'sh@example.com', timezone: 'Asia/Shanghai', channels: ['email'], consent: [['email', 'marketing']] });
    const newYork = await customer(t, { email: 'ny@example.com', timezone: 'America/New_York', channels: ['email'], consent: [['email', 'marketing']] });
    const now = new Date('2026-03-09T15:00:00Z'); // 23:00 in Shanghai, 11:00 in New York
    const a = await r.outreach.send(t.tenantId, { customerId: shanghai, templateId: tpl, reason: 'test', variables: { points: 2 } }, now);
    const b = await r.outreach.send(t.tenantId, { customerId: newYork, templateId: tpl, reason: 'test', variables: { points: 2 } }, now);
    expect(a).toMatchObject({ status: 'queued', channel: 'email', scheduledAt: '2026-03-10T01:00:00.000Z' }); // 09:00 Shanghai
    expect(b).toMatchObject({ status: 'queued', scheduledAt: now.toISOString() });
    const before = received().length;
    expect(await r.outreach.dispatch(t.tenantId, now)).toEqual({ sent: 1 });
    expect(
      received()
        .slice(before)
        .map((m) => (m.to && 'text' in m.to ? m.to.text : '')),
    ).toEqual(['ny@example.com']);
    expect(await r.outreach.dispatch(t.tenantId, new Date('2026-03-10T00:59:00Z'))).toEqual({});
    expect(await r.outreach.dispatch(t.tenantId, new Date('2026-03-10T01:00:00Z'))).toEqual({ sent: 1 });
    // An urgent transactional message goes at once, at night.
    const alert = await template(t, {
      name: 'security',
      purpose: 'transactional',
      default_locale: 'en',
      content: { en: { email: { subject: 'New sign-in', html: '<p>New sign-in</p>', text: 'New sign-in' } } },
    });
    const night = new Date('2026-03-10T17:00:00Z'); // 01:00 Shanghai
    expect(await r.outreach.send(t.tenantId, { customerId: shanghai, templateId: alert, reason: 'login', isUrgent: true }, night)).toMatchObject({
      status: 'queued',
      scheduledAt: night.toISOString(),
    });
    const urgentMarketing = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/messages',
      headers: t.headers,
      payload: { customer_id: shanghai, template_id: tpl, reason: 'x', is_urgent: true },
    });
    expect(urgentMarketing.statusCode).toBe(422);
    expect(urgentMarketing.json().code).toBe('OUTREACH_URGENT_NOT_TRANSACTIONAL');
  });

  it('caps messages per customer across channels, dropping or deferring by rule with the reason', async () => {
    const t = await tenantWithSmtp({ marketing: { per_day: 1, per_week: 2, over_cap: 'drop' }, service: { per_day: 1, per_week: 5, over_cap: 'defer' } });
    const emailOnly = await offer(t, ['email']);
    const smsOnly = await offer(t, ['sms']);
    const c = await customer(t, {
      email: 'cap@example.com',
      phone: '+8613800000001',
      timezone: 'Asia/Shanghai',
      channels: ['email', 'sms'],
      consent: [
        ['email', 'marketing'],
        ['sms', 'marketing'],
      ],
    });
    const at = new Date('2026-03-09T03:00:00Z'); // 11:00 Shanghai
    expect((await r.outreach.send(t.tenantId, { customerId: c, templateId: emailOnly, reason: 'a', variables: { points: 1 } }, at)).channel).toBe('email');
    const second = await r.outreach.send(
      t.tenantId,
      { customerId: c, templateId: smsOnly, reason: 'b', variables: { points: 1 } },
      new Date(at.getTime() + 3600_000),
    );
    expect(second).toMatchObject({ status: 'dropped', statusReason: 'cap_day', channel: 'sms' });
    // The next day is under the daily cap; the third in a week is over the weekly one.
    expect(
      (await r.outreach.send(t.tenantId, { customerId: c, templateId: smsOnly, reason: 'c', variables: { points: 1 } }, new Date(at.getTime() + 86_400_000)))
        .status,
    ).toBe('queued');
    expect(
      await r.outreach.send(
        t.tenantId,
        { customerId: c, templateId: emailOnly, reason: 'd', variables: { points: 1 } },
        new Date(at.getTime() + 2 * 86_400_000),
      ),
    ).toMatchObject({ status: 'dropped', statusReason: 'cap_week' });
    // Service messages defer: the second one waits a day after the first, inside the window.
    const svc = await offer(t, ['email'], 'service');
    await r.outreach.send(t.tenantId, { customerId: c, templateId: svc, reason: 's1', variables: { points: 1 } }, at);
    const deferred = await r.outreach.send(t.tenantId, { customerId: c, templateId: svc, reason: 's2', variables: { points: 1 } }, at);
    expect(deferred).toMatchObject({ status: 'queued', statusReason: 'deferred: cap_day', scheduledAt: '2026-03-10T03:00:00.000Z' });
    const listed = await r.app.inject({ method: 'GET', url: `/v1/outreach/messages?customer_id=${c}`, headers: t.headers });
    expect(listed.json().data.map((m: { status_reason: string | null }) => m.status_reason)).toContain('cap_week');
  });

  it('suppresses marketing while a complaint case is open, not transactional, and resumes when resolved', async () => {
    const t = await tenantWithSmtp();
    const tpl = await offer(t, ['email']);
    const receipt = await template(t, {
      name: 'receipt',
      purpose: 'transactional',
      default_locale: 'en',
      content: { en: { email: { subject: 'Receipt', html: '<p>Thanks</p>', text: 'Thanks' } } },
    });
    const c = await customer(t, { email: 'angry@example.com', channels: ['email'], consent: [['email', 'marketing']] });
    const at = new Date('2026-03-09T03:00:00Z');
    r.bus.publish({ type: 'case.opened', tenantId: t.tenantId, payload: { caseId: 'case_1', customerId: c, type: 'complaint' } });
    r.bus.publish({ type: 'case.opened', tenantId: t.tenantId, payload: { caseId: 'case_1', customerId: c, type: 'complaint' } }); // replayed
    await r.bus.drain();
    expect(await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl, reason: 'offer', variables: { points: 1 } }, at)).toMatchObject({
      status: 'suppressed',
      statusReason: 'open complaint case case_1',
    });
    expect((await r.outreach.send(t.tenantId, { customerId: c, templateId: receipt, reason: 'order' }, at)).status).toBe('queued');
    r.bus.publish({ type: 'case.resolved', tenantId: t.tenantId, payload: { caseId: 'case_1', customerId: c, type: 'complaint' } });
    await r.bus.drain();
    expect(
      (
        await r.outreach.send(
          t.tenantId,
          { customerId: c, templateId: tpl, reason: 'offer', variables: { points: 1 } },
          new Date(at.getTime() + 86_400_000 * 2),
        )
      ).status,
    ).toBe('queued');
    // A negative message in a conversation suppresses until the conversation is resolved; a queued offer is held at send time.
    r.bus.publish({
      type: 'message.received',
      tenantId: t.tenantId,
      payload: { conversationId: 'cnv_1', messageId: 'm1', customerId: c, channel: 'wechat', text: '你们的服务太差了，我要投诉' },
    });
    await r.bus.drain();
    const res = await r.outreach.dispatch(t.tenantId, new Date(at.getTime() + 86_400_000 * 3));
    expect(res.suppressed).toBe(1);
    expect(res.sent).toBe(1); // the receipt
  });

  it('withdraws consent through one-click unsubscribe on a real message received over SMTP', async () => {
    const t = await tenantWithSmtp();
    const tpl = await offer(t, ['email']);
    const c = await customer(t, {
      email: 'li.wei@example.com',
      given_name: '伟',
      locale: 'zh-CN',
      channels: ['email'],
      consent: [
        ['email', 'marketing'],
        ['email', 'service'],
      ],
    });
    const at = new Date('2026-03-09T03:00:00Z');
    const planned = await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl, reason: 'spring sale', variables: { points: 300 } }, at);
    const before = received().length;
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ sent: 1 });
    const mail = received()[before];
    expect(mail.subject).toBe('伟，您好');
    expect(mail.text).toContain('送您300积分');
    const raw = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '');
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = new URL(raw('list-unsubscribe')!.replace(/^<|>$/g, ''));
    expect(link.origin).toBe('https://rapport.example.com');
    // A tampered link is refused and changes nothing.
    const forged = await r.app.inject({
      method: 'POST',
      url: `${link.pathname}x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(404);
    const res = await r.app.inject({
      method: 'POST',
      url: link.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode, res.body).toBe(200);
    // Providers may post it as multipart (RFC 8058 section 3.1); any other form is refused.
    const multipart = await r.app.inject({
      method: 'POST',
      url: link.pathname,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      payload: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
    });
    expect(multipart.statusCode, multipart.body).toBe(200);
    expect(
      (await r.app.inject({ method: 'POST', url: link.pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'scopes=admin' }))
        .statusCode,
    ).toBe(415);
    const history = (await r.customers.consentHistory(t.tenantId, c)).slice(0, -1);
    expect(history.at(-1)).toMatchObject({
      channel: 'email',
      purpose: 'marketing',
      status: 'withdrawn',
      source: 'outreach:one_click_unsubscribe',
      details: { message_id: planned.id },
    });
    // Service consent is untouched; the next offer finds no channel.
    expect(history.filter((h) => h.purpose === 'service').map((h) => h.status)).toEqual(['granted']);
    expect(
      await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl, reason: 'again', variables: { points: 1 } }, new Date(at.getTime() + 7 * 86_400_000)),
    ).toMatchObject({ status: 'dropped', statusReason: 'no_channel: email no_consent' });
    // The preference page shows the state, in the customer's language, and saves a change.
    const page = await r.app.inject({ method: 'GET', url: link.pathname.replace('/unsubscribe/', '/preferences/') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('消息偏好设置');
    expect(page.body).toMatch(/name="marketing" value="on">/);
    const saved = await r.app.inject({
      method: 'POST',
      url: link.pathname.replace('/unsubscribe/', '/preferences/'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'marketing=on&service=on',
    });
    expect(saved.statusCode).toBe(200);
    expect((await r.customers.consentHistory(t.tenantId, c)).at(-1)).toMatchObject({
      purpose: 'marketing',
      status: 'granted',
      source: 'outreach:preference_page',
    });
    // The timeline says what was sent and why.
    const timeline = await r.app.inject({ method: 'GET', url: `/v1/customers/${c}/timeline`, headers: t.headers });
    const sent = timeline.json().data.find((e: { type: string }) => e.type === 'outreach.message.sent');
    expect(sent.properties).toMatchObject({ message_id: planned.id, channel: 'email', reason: 'spring sale', purpose: 'marketing' });
  });

  it('retries a failing channel through the outbox with backoff, and a hard bounce report withdraws consent', async () => {
    const t = await tenantWithSmtp();
    const tpl = await offer(t, ['sms'], 'service');
    const c = await customer(t, { phone: '+8613800000009', channels: ['sms'] });
    const at = new Date('2026-03-09T03:00:00Z');
    const m = await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl, reason: 'reminder', variables: { points: 5 } }, at);
    smsFailures = 2;
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ queued: 1 });
    // The outbox holds it now: outreach does not hand it over again, the outbox retries it with backoff.
    expect(await r.outreach.dispatch(t.tenantId, new Date(at.getTime() + 60_000))).toEqual({});
    expect(await r.outbox.get(t.tenantId, m.id)).toMatchObject({ kind: 'outreach.message', status: 'queued', attempts: 1, last_error: 'gateway timeout' });
    try {
      clock.advance(15_000); // the first retry comes within 15 s
      await r.outbox.runDue({ tenantId: t.tenantId });
      expect((await r.app.inject({ method: 'GET', url: `/v1/outreach/messages/${m.id}`, headers: t.headers })).json()).toMatchObject({
        status: 'queued',
        attempts: 2,
      });
      clock.advance(30_000);
      await r.outbox.runDue({ tenantId: t.tenantId });
    } finally {
      clock.set('2026-03-09T03:00:00Z');
    }
    expect(smsSent.at(-1)).toBe('+8613800000009:Offer: 5 points');
    const msg = await r.app.inject({ method: 'GET', url: `/v1/outreach/messages/${m.id}`, headers: t.headers });
    expect(msg.json()).toMatchObject({ status: 'sent', attempts: 3, provider_message_id: expect.stringMatching(/^sms-/) });
    const report = { provider_message_id: msg.json().provider_message_id, status: 'bounced', bounce_type: 'hard', event_id: 'evt-1' };
    expect((await r.app.inject({ method: 'POST', url: '/v1/outreach/delivery-reports', headers: t.headers, payload: report })).json()).toEqual({
      id: m.id,
      status: 'bounced',
    });
    expect((await r.app.inject({ method: 'POST', url: '/v1/outreach/delivery-reports', headers: t.headers, payload: report })).statusCode).toBe(200); // replay
    const consent = (await r.customers.consentHistory(t.tenantId, c)).filter((h) => h.source === 'outreach:hard_bounce');
    expect(consent.map((h) => `${h.channel}:${h.purpose}:${h.status}`).sort()).toEqual([
      'sms:marketing:withdrawn',
      'sms:service:withdrawn',
      'sms:transactional:withdrawn',
    ]);
  });

  it('previews a template for a customer in zh-CN and en, with the SMS segment count', async () => {
    const t = await tenantWithSmtp();
    const tpl = await offer(t, ['email', 'sms']);
    const zh = await customer(t, {
      email: 'zh@example.com',
      phone: '+8613800000010',
      given_name: '芳',
      locale: 'zh-CN',
      channels: ['sms', 'email'],
      consent: [['sms', 'marketing']],
    });
    const en = await customer(t, { email: 'en@example.com', given_name: 'Anna', locale: 'en-GB' });
    const pz = await r.app.inject({
      method: 'POST',
      url: `/v1/outreach/templates/${tpl}/preview`,
      headers: t.headers,
      payload: { customer_id: zh, variables: { points: 1200 } },
    });
    expect(pz.statusCode, pz.body).toBe(200);
    expect(pz.json()).toMatchObject({
      locale: 'zh-CN',
      channel: 'sms',
      rendered: { email: { subject: '芳，您好', text: '送您1,200积分' }, sms: { text: '优惠：1200积分', sms: { encoding: 'UCS-2', segments: 1 } } },
    });
    const pe = await r.app.inject({
      method: 'POST',
      url: `/v1/outreach/templates/${tpl}/preview`,
      headers: t.headers,
      payload: { customer_id: en, variables: { points: 1 } },
    });
    expect(pe.json()).toMatchObject({
      locale: 'en',
      channel: null,
      rendered: { email: { subject: 'Hello Anna', html: '<p>1 point for you</p>' }, sms: { text: 'Offer: 1 points', sms: { encoding: 'GSM-7' } } },
    });
    const missing = await r.app.inject({ method: 'POST', url: `/v1/outreach/templates/${tpl}/preview`, headers: t.headers, payload: { customer_id: en } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].field).toBe('variables.points');
    const broken = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/templates',
      headers: t.headers,
      payload: { name: 'x', purpose: 'marketing', default_locale: 'en', content: { en: { sms: { text: '{n, plural, one {#}' } } } },
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errors[0].field).toBe('content.en.sms.text');
  });

  it('refuses a template using a variable it does not declare, and skips a message missing a required one instead of queuing it', async () => {
    const t = await tenantWithSmtp();
    const flight = (text: string, variables?: object[]) => ({
      name: 'flight change',
      purpose: 'transactional',
      default_locale: 'en',
      ...(variables ? { variables } : {}),
      content: {
        en: {
          sms: { text },
          email: {
            subject: 'Flight {flight}',
            text: 'Dear {customer_given_name}, your flight {flight} now leaves at {departs, time, short}.',
            html: '<p>{flight}</p>',
          },
        },
      },
    });
    const post = (body: object) => r.app.inject({ method: 'POST', url: '/v1/outreach/templates', headers: t.headers, payload: body });
    // A misspelt name would render empty: "Your flight  has changed".
    const typo = await post(flight('Your flight {fligth} has changed', [{ name: 'flight' }, { name: 'departs' }]));
    expect(typo.statusCode).toBe(422);
    expect(typo.headers['content-type']).toContain('application/problem+json');
    expect(typo.json().errors).toEqual([{ field: 'content.en.sms.text', message: expect.stringContaining('unknown variable fligth') }]);
    // Nothing declared: each undeclared name is named where it is used; built-in ones (customer_…) pass.
    const undeclared = await post(flight('Your flight {flight} has changed'));
    expect(undeclared.statusCode).toBe(422);
    expect(
      undeclared
        .json()
        .errors.map((e: { field: string; message: string }) => `${e.field} ${e.message.split(':')[0]}`)
        .sort(),
    ).toEqual([
      'content.en.email.html uses the unknown variable flight',
      'content.en.email.subject uses the unknown variable flight',
      'content.en.email.text uses the unknown variable departs',
      'content.en.email.text uses the unknown variable flight',
      'content.en.sms.text uses the unknown variable flight',
    ]);
    const ok = await post(flight('Your flight {flight} has changed', [{ name: 'flight' }, { name: 'departs', required: false }]));
    expect(ok.statusCode, ok.body).toBe(201);
    const tpl = ok.json().id as string;
    expect(ok.json().variables).toEqual([
      { name: 'flight', required: true },
      { name: 'departs', required: false },
    ]);
    // A replacement that leaves variables out keeps the declared ones; one with a new unknown name is refused.
    const put = (body: object) => r.app.inject({ method: 'PUT', url: `/v1/outreach/templates/${tpl}`, headers: t.headers, payload: body });
    expect((await put(flight('Flight {flight} changed'))).json().variables).toHaveLength(2);
    const badPut = await put(flight('Flight {flight} changed at {gate}'));
    expect(badPut.statusCode).toBe(422);
    expect(badPut.json().errors).toEqual([{ field: 'content.en.sms.text', message: expect.stringContaining('unknown variable gate') }]);

    const c = await customer(t, { phone: '+8613800000077', given_name: 'Li', channels: ['sms'] });
    const send = (variables?: object) =>
      r.app.inject({
        method: 'POST',
        url: '/v1/outreach/messages',
        headers: t.headers,
        payload: { customer_id: c, template_id: tpl, reason: 'flight change', ...(variables ? { variables } : {}) },
      });
    const missing = await send({ departs: '2026-03-09T08:00:00Z' });
    expect(missing.statusCode, missing.body).toBe(201);
    expect(missing.json()).toMatchObject({ status: 'skipped', status_reason: 'missing_variables: flight', channel: null });
    const blank = await send({ flight: '' });
    expect(blank.json()).toMatchObject({ status: 'skipped', status_reason: 'missing_variables: flight' });
    const given = await send({ flight: 'MU5101' });
    expect(given.json()).toMatchObject({ status: 'queued', channel: 'sms' });

    // A campaign passes no variables: every member's message is skipped, and the plan counts them.
    const seg = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/segments',
      headers: t.headers,
      payload: { name: 'everyone', rules: { field: 'profile.locale', op: 'not_exists' } },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const cmp = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/campaigns',
      headers: t.headers,
      payload: { name: 'rebooking', segment_id: seg.json().id, template_id: tpl },
    });
    expect(cmp.statusCode, cmp.body).toBe(201);
    const plan = await r.outreach.planCampaign(t.tenantId, cmp.json().id);
    expect(plan.stats).toMatchObject({ segment: 1, queued: 0, skipped: { 'missing_variables: flight': 1 }, by_channel: {} });
    const msgs = (await r.app.inject({ method: 'GET', url: `/v1/outreach/messages?campaign_id=${cmp.json().id}`, headers: t.headers })).json().data;
    expect(msgs.map((m: { status: string; status_reason: string }) => `${m.status} ${m.status_reason}`)).toEqual(['skipped missing_variables: flight']);
  });

  it('compiles segments to SQL matching hand-counted customers, and plans a campaign from one', async () => {
    const t = await tenantWithSmtp();
    await r.customers.defineAttribute(t.tenantId, 'vip_level', 'number', null);
    const day = 86_400_000;
    const mk = async (n: number, locale: string, vip: number | null, purchasesDaysAgo: number[], extra: Partial<Parameters<typeof customer>[1]> = {}) => {
      const email = `seg${n}@example.com`;
      const id = await customer(t, { email, locale, ...extra });
      if (vip != null) await r.customers.updateCustomer(t.tenantId, id, { attributes: { vip_level: vip } }, system);
      if (purchasesDaysAgo.length) {
        const res = await r.events.ingest(
          t.tenantId,
          purchasesDaysAgo.map((d, i) => ({
            id: `p-${n}-${i}`,
            type: 'purchase',
            occurred_at: new Date(clock.now().getTime() - d * day).toISOString(),
            identities: { email },
            properties: { order_id: `o-${n}-${i}`, amount: 100, currency: 'CNY' },
          })),
          { source: 'api', actor: system },
        );
        expect(res.accepted).toBe(purchasesDaysAgo.length);
      }
      return id;
    };
    const c1 = await mk(1, 'zh-CN', 3, [10, 12], { channels: ['email'], consent: [['email', 'marketing']] });
    const c2 = await mk(2, 'zh-CN', 1, [100]);
    const c3 = await mk(3, 'en', 5, []);
    const _c4 = await mk(4, 'en', null, [5]);
    const c5 = await mk(5, 'zh-TW', 2, [1, 2, 3], { phone: '+8613800000055', channels: ['sms'], consent: [['sms', 'marketing']] });
    for (const [c, tier] of [
      [c1, 'gold'],
      [c2, 'silver'],
      [c3, 'gold'],
      [c5, 'gold'],
    ])
      r.bus.publish({ type: 'loyalty.tier.changed', tenantId: t.tenantId, payload: { customerId: c, from: null, to: tier } });
    // This tenant holds back marketing for complaints only (by default detractor cases, such as c1's, do too).
    const only = await r.app.inject({ method: 'PATCH', url: '/v1/settings/outreach', headers: t.headers, payload: { suppress_case_types: ['complaint'] } });
    expect(only.statusCode, only.body).toBe(200);
    for (const [c, score, i] of [
      [c1, 3, 1],
      [c2, 9, 2],
      [c3, 5, 3],
      [c5, 2, 5],
    ] as const)
      r.bus.publish({
        type: 'feedback.response.submitted',
        tenantId: t.tenantId,
        payload: { responseId: `rsp${i}`, surveyId: 's', customerId: c, kind: 'nps', score },
      });
    await r.bus.drain();
    const count = async (rules: unknown) => {
      const res = await r.app.inject({ method: 'POST', url: '/v1/outreach/segments/preview', headers: t.headers, payload: { rules } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().count;
    };
    expect(await count({ field: 'profile.locale', op: 'eq', value: 'zh-CN' })).toBe(2);
    expect(await count({ event: { type: 'purchase', within_days: 30 } })).toBe(3);
    expect(await count({ event: { type: 'purchase', within_days: 30, min_count: 2 } })).toBe(2);
    expect(await count({ all: [{ tier: { in: ['gold'] } }, { feedback: { kind: 'nps', max_score: 6, within_days: 90 } }] })).toBe(3);
    expect(
      await count({
        any: [
          { field: 'attribute.vip_level', op: 'gte', value: 3 },
          { field: 'profile.locale', op: 'in', value: ['zh-TW'] },
        ],
      }),
    ).toBe(3);
    expect(await count({ not: { field: 'attribute.vip_level', op: 'exists' } })).toBe(1);
    expect(await count({ all: [{ field: 'value.order_count', op: 'gte', value: 1 }, { not: { event: { type: 'purchase', within_days: 30 } } }] })).toBe(1);
    const bad = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/segments/preview',
      headers: t.headers,
      payload: { rules: { field: 'profile.password; DROP TABLE customers', op: 'eq', value: 1 } },
    });
    expect(bad.statusCode).toBe(422);

    // A campaign to recent buyers: c1 by email, c4 has no consent, c5 is suppressed by a complaint.
    r.bus.publish({ type: 'case.opened', tenantId: t.tenantId, payload: { caseId: 'case_c5', customerId: c5, type: 'complaint' } });
    await r.bus.drain();
    const seg = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/segments',
      headers: t.headers,
      payload: { name: 'recent buyers', rules: { event: { type: 'purchase', within_days: 30 } } },
    });
    const tpl = await offer(t, ['email', 'sms']);
    const cmp = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/campaigns',
      headers: t.headers,
      payload: { name: 'spring', segment_id: seg.json().id, template_id: tpl },
    });
    expect(cmp.statusCode, cmp.body).toBe(201);
    const plan = await r.outreach.planCampaign(t.tenantId, cmp.json().id);
    expect(plan.stats).toEqual({ segment: 3, queued: 1, deferred: 0, suppressed: 1, dropped: { no_channel: 1 }, by_channel: { email: 1 } });
    expect((await r.app.inject({ method: 'POST', url: `/v1/outreach/campaigns/${cmp.json().id}/plan`, headers: t.headers })).statusCode).toBe(409);
    const msgs = (await r.app.inject({ method: 'GET', url: `/v1/outreach/messages?campaign_id=${cmp.json().id}`, headers: t.headers })).json().data;
    expect(msgs).toHaveLength(3);
    // Nothing dispatches but this test (its app runs no workers, and no other app sees its jobs): still queued.
    expect(msgs.find((m: { customer_id: string }) => m.customer_id === c1)).toMatchObject({
      channel: 'email',
      reason: 'campaign: spring',
      status: 'queued',
      scheduled_at: clock.now().toISOString(),
    });
    expect(msgs.find((m: { customer_id: string }) => m.customer_id === c5)).toMatchObject({ status: 'suppressed', channel: 'sms' });
    // The campaign counts its messages by status as they stand.
    const delivery = (await r.app.inject({ method: 'GET', url: `/v1/outreach/campaigns/${cmp.json().id}`, headers: t.headers })).json().delivery as Record<
      string,
      number
    >;
    expect(delivery).toEqual({ queued: 1, suppressed: 1, dropped: 1 });
  });

  it('runs a journey: purchase, then a review request days later, unless the customer reviewed first', async () => {
    const t = await tenantWithSmtp();
    const review = await template(t, {
      name: 'review request',
      purpose: 'service',
      default_locale: 'en',
      content: { en: { email: { subject: 'How was order {event_order_id}?', html: '<p>Review</p>', text: 'Review' } } },
    });
    const j = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/journeys',
      headers: t.headers,
      payload: { name: 'review', trigger: 'event.purchase', steps: [{ delay_minutes: 3 * 24 * 60, template_id: review }], exit_on: ['event.review_submitted'] },
    });
    expect(j.statusCode, j.body).toBe(201);
    // Any hour will do for these two, so the step is sent the moment it is due.
    const allDay = { start: '00:00', end: '00:00', days: [1, 2, 3, 4, 5, 6, 7] };
    const a = await customer(t, { email: 'buyer.a@example.com', timezone: 'UTC', window: allDay });
    const b = await customer(t, { email: 'buyer.b@example.com', timezone: 'UTC', window: allDay });
    // The purchases happen a minute before the app's clock; the step is due three days later.
    const at = clock.now().getTime() - 60_000;
    const purchase = (who: string, n: number) => ({
      id: `jp-${n}`,
      type: 'purchase',
      occurred_at: new Date(at).toISOString(),
      identities: { email: who },
      properties: { order_id: `ORD-${n}`, amount: 10, currency: 'CNY' },
    });
    await r.events.ingest(t.tenantId, [purchase('buyer.a@example.com', 1), purchase('buyer.b@example.com', 2)], { source: 'api', actor: system });
    await r.bus.drain();
    await r.events.ingest(t.tenantId, [purchase('buyer.a@example.com', 1)], { source: 'api', actor: system }); // replay enrols nobody twice
    await r.events.ingest(
      t.tenantId,
      [{ id: 'rv-2', type: 'review_submitted', occurred_at: new Date(at + 86_400_000).toISOString(), identities: { email: 'buyer.b@example.com' } }],
      { source: 'api', actor: system },
    );
    await r.bus.drain();
    expect(await r.outreach.runJourneys(t.tenantId, new Date(at + 2 * 86_400_000))).toBe(0);
    expect(await r.outreach.runJourneys(t.tenantId, new Date(at + 3 * 86_400_000))).toBe(1);
    const msgs = (await r.app.inject({ method: 'GET', url: `/v1/outreach/messages?customer_id=${a}`, headers: t.headers })).json().data;
    expect(msgs).toHaveLength(1);
    expect(msgs[0].reason).toBe('journey: review (step 1 of 1)');
    const before = received().length;
    await r.outreach.dispatch(t.tenantId, new Date(at + 3 * 86_400_000));
    expect(
      received()
        .slice(before)
        .map((m) => m.subject),
    ).toEqual(['How was order ORD-1?']);
    expect((await r.app.inject({ method: 'GET', url: `/v1/outreach/messages?customer_id=${b}`, headers: t.headers })).json().data).toEqual([]);
    expect((await r.app.inject({ method: 'GET', url: `/v1/outreach/journeys/${j.json().id}`, headers: t.headers })).json().enrollments).toEqual({
      completed: 1,
      exited: 1,
    });
    // The list counts them as the read does (the console's journeys table shows them).
    const listed = (await r.app.inject({ method: 'GET', url: '/v1/outreach/journeys', headers: t.headers })).json().data;
    expect(listed.find((x: { id: string }) => x.id === j.json().id).enrollments).toEqual({ completed: 1, exited: 1 });
  });
});
