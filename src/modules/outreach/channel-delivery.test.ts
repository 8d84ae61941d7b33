// Outreach's SMS, WhatsApp and WeChat leave through the inbox's channel adapters, to a local server answering
// as Twilio's Messages API and WeChat's Official Account API: what is posted, how a 5xx is retried
// through the outbox with backoff and how a refusal or the last failed attempt ends up on the message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, WECHAT_APP_ID, WECHAT_SECRET, type FakeProviders } from '../../../test/fixtures/providers.js';

const system = { type: 'system' as const, id: 'test' };
const MINUTE = 60_000;

// Each send and dispatch names its instant; nothing else dispatches these messages (the app runs no
// workers). Retries are the outbox's, on the app's clock, which the tests advance; it gives up after an hour here.
describe.each(databases)('outreach through inbox channels on $name', ({ url }) => {
  let r: TestApp;
  let providers: FakeProviders;
  beforeAll(async () => {
    providers = await startFakeProviders();
    r = await startTestApp(url, { jobs: false, outboxRetryHours: 1 });
  });
  afterAll(async () => {
    await r?.close();
    await providers?.close();
  });

  async function tenant(): Promise<TestTenant> {
    const t = await createTestTenant(r);
    const api = (path: string, payload: object, method: 'POST' | 'PUT' = 'POST') => r.app.inject({ method, url: path, headers: t.headers, payload });
    expect((await api('/v1/outreach/settings', { default_timezone: 'Asia/Shanghai' }, 'PUT')).statusCode).toBe(200);
    const sms = await api('/v1/inbox/channels', {
      kind: 'sms',
      name: 'SMS',
      settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base },
      secrets: { auth_token: TWILIO_TOKEN },
    });
    expect(sms.statusCode, sms.body).toBe(201);
    const wechat = await api('/v1/inbox/channels', {
      kind: 'wechat',
      name: 'WeChat',
      settings: { app_id: WECHAT_APP_ID, api_base: providers.base },
      secrets: { token: 'wechatToken1', app_secret: WECHAT_SECRET },
    });
    expect(wechat.statusCode, wechat.body).toBe(201);
    return t;
  }

  async function template(t: TestTenant, content: object) {
    const res = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/templates',
      headers: t.headers,
      payload: {
        name: 'notice',
        purpose: 'service',
        default_locale: 'en',
        variables: [
          { name: 'order', required: false },
          { name: 'day', required: false },
        ],
        content: { en: content },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }

  const customer = (t: TestTenant, identities: Record<string, string>, channel: string) =>
    r.customers.createCustomer(t.tenantId, { timezone: 'Asia/Shanghai', identities }, system).then(async (id) => {
      await r.customers.setPreferences(
        t.tenantId,
        id,
        { channels: [channel] as never, contact_window: null, max_messages_per_week: null, language: null },
        system,
      );
      return id;
    });

  const row = async (t: TestTenant, id: string) =>
    (
      await r.db.pool.query('SELECT status, attempts, provider_message_id, last_error FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [
        t.tenantId,
        id,
      ])
    ).rows[0];

  const retryDue = async (t: TestTenant, ms: number) => {
    r.clock.advance(ms);
    await r.outbox.runDue({ tenantId: t.tenantId });
  };

  it('posts an SMS to Twilio with Basic auth, and retries a 503 after the backoff', async () => {
    const t = await tenant();
    const tpl = await template(t, { sms: { text: 'Order {order} ships today' } });
    const c = await customer(t, { phone: '+8613800138111' }, 'sms');
    const at = new Date('2026-03-31T03:00:00Z');
    const m = await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl, reason: 'shipping', variables: { order: 'A-17' } }, at);
    const before = providers.twilio.length;
    providers.failTwilio(503);
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ queued: 1 });
    expect(await row(t, m.id)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'Twilio answered 503' });
    expect(await r.outreach.dispatch(t.tenantId, new Date(at.getTime() + MINUTE))).toEqual({}); // the outbox holds it
    await retryDue(t, 15_000); // the first retry comes within 15 s
    const [post] = providers.twilio.slice(before);
    // Twilio is asked to report delivery to the channel's status hook.
    expect(Object.fromEntries(post.form!)).toEqual({
      From: '+14155550100',
      To: '+8613800138111',
      Body: 'Order A-17 ships today',
      StatusCallback: expect.stringMatching(/\/twilio\/chn_[0-9a-z]+\/status$/),
    });
    const sent = await row(t, m.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sent.provider_message_id).toMatch(/^SM\d{32}$/);
  });

  it('marks an SMS failed at once when Twilio refuses the request, and after the last 5xx retry', async () => {
    const t = await tenant();
    const tpl = await template(t, { sms: { text: 'Your code' } });
    const refused = await customer(t, { phone: '+8613800138112' }, 'sms');
    const at = new Date('2026-04-01T03:00:00Z');
    const a = await r.outreach.send(t.tenantId, { customerId: refused, templateId: tpl, reason: 'code' }, at);
    providers.failTwilio(400);
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ failed: 1 });
    expect(await row(t, a.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await row(t, a.id)).last_error).toContain('21211');

    const down = await customer(t, { phone: '+8613800138113' }, 'sms');
    const b = await r.outreach.send(t.tenantId, { customerId: down, templateId: tpl, reason: 'code' }, at);
    providers.failTwilio(502);
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ queued: 1 });
    // Twenty minutes apart, every wait is over (they stay under two minutes here); the fourth attempt is at the hour.
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      providers.failTwilio(502);
      await retryDue(t, 20 * MINUTE);
      statuses.push((await row(t, b.id)).status);
    }
    expect(statuses).toEqual(['queued', 'queued', 'failed']);
    expect(await row(t, b.id)).toMatchObject({ status: 'failed', attempts: 4, last_error: 'gave up after 4 attempts: Twilio answered 502' });
  });

  it('sends WhatsApp through the Twilio adapter with whatsapp: numbers: free text, or an approved content template', async () => {
    const t = await tenant();
    // The sender number is configured bare here: the adapter writes it whatsapp:+E164 as Twilio requires.
    const wa = await r.app.inject({
      method: 'POST',
      url: '/v1/inbox/channels',
      headers: t.headers,
      payload: {
        kind: 'whatsapp',
        name: 'WhatsApp',
        settings: { account_sid: TWILIO_SID, from: '+14155550199', api_base: providers.base },
        secrets: { auth_token: TWILIO_TOKEN },
      },
    });
    expect(wa.statusCode, wa.body).toBe(201);
    const text = await template(t, { sms: { text: 'SMS: order {order}' }, whatsapp: { text: 'WhatsApp: order {order} ships today' } });
    const templated = await template(t, {
      whatsapp: { text: 'Order {order} ships {day}', content_sid: 'HX0123456789abcdef0123456789abcdef', variables: { 1: '{order}', 2: '{day}' } },
    });
    const onWhatsapp = await customer(t, { phone: '+8613800138121' }, 'whatsapp');
    const onSms = await customer(t, { phone: '+8613800138122' }, 'sms');
    const at = new Date('2026-04-03T03:00:00Z');
    const before = providers.twilio.length;
    const m1 = await r.outreach.send(t.tenantId, { customerId: onWhatsapp, templateId: text, reason: 'shipping', variables: { order: 'W-1' } }, at);
    const m2 = await r.outreach.send(t.tenantId, { customerId: onSms, templateId: text, reason: 'shipping', variables: { order: 'W-2' } }, at);
    const m3 = await r.outreach.send(
      t.tenantId,
      { customerId: onWhatsapp, templateId: templated, reason: 'shipping', variables: { order: 'W-3', day: 'Friday' } },
      at,
    );
    expect([m1.channel, m2.channel, m3.channel]).toEqual(['whatsapp', 'sms', 'whatsapp']);
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ sent: 3 });
    const posts = providers.twilio.slice(before).map((p) => {
      const { StatusCallback: _, ...rest } = Object.fromEntries(p.form!);
      return rest;
    });
    expect(posts).toEqual(
      expect.arrayContaining([
        { From: 'whatsapp:+14155550199', To: 'whatsapp:+8613800138121', Body: 'WhatsApp: order W-1 ships today' },
        { From: '+14155550100', To: '+8613800138122', Body: 'SMS: order W-2' },
        {
          From: 'whatsapp:+14155550199',
          To: 'whatsapp:+8613800138121',
          ContentSid: 'HX0123456789abcdef0123456789abcdef',
          ContentVariables: JSON.stringify({ 1: 'W-3', 2: 'Friday' }),
        },
      ]),
    );
    expect(posts).toHaveLength(3);
    for (const m of [m1, m3]) expect((await row(t, m.id)).provider_message_id).toMatch(/^SM\d{32}$/);

    // Variables without a content template, or a malformed SID, are refused when the template is saved.
    const bad = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/templates',
      headers: t.headers,
      payload: {
        name: 'x',
        purpose: 'service',
        default_locale: 'en',
        content: { en: { whatsapp: { text: 'hi', content_sid: 'HX12', variables: { 1: 'a' } } } },
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(['content.en.whatsapp.content_sid']);
  });

  it('sends a WeChat template message with an access token fetched once and reused', async () => {
    const t = await tenant();
    const tpl = await template(t, {
      wechat: { template_id: 'TM0001', url: 'https://shop.example.com/orders/{order}', fields: { first: '订单 {order} 已发货', remark: '谢谢' } },
    });
    const one = await customer(t, { wechat_openid: 'oOPENID_customer_1' }, 'wechat');
    const two = await customer(t, { wechat_openid: 'oOPENID_customer_2' }, 'wechat');
    const at = new Date('2026-04-02T03:00:00Z');
    const tokensBefore = providers.tokensIssued;
    const before = providers.wechat.length;
    await r.outreach.send(t.tenantId, { customerId: one, templateId: tpl, reason: 'shipping', variables: { order: 'B-1' } }, at);
    const m2 = await r.outreach.send(t.tenantId, { customerId: two, templateId: tpl, reason: 'shipping', variables: { order: 'B-2' } }, at);
    providers.failWechat(500);
    expect(await r.outreach.dispatch(t.tenantId, at)).toEqual({ sent: 1, queued: 1 });
    await retryDue(t, 15_000);
    const posts = providers.wechat.slice(before);
    expect(posts.map((p) => p.path)).toEqual(['/cgi-bin/message/template/send', '/cgi-bin/message/template/send']);
    expect(posts.map((p) => p.json.touser).sort()).toEqual(['oOPENID_customer_1', 'oOPENID_customer_2']);
    expect(posts.find((p) => p.json.touser === 'oOPENID_customer_2')!.json).toEqual({
      touser: 'oOPENID_customer_2',
      template_id: 'TM0001',
      url: 'https://shop.example.com/orders/B-2',
      data: { first: { value: '订单 B-2 已发货' }, remark: { value: '谢谢' } },
    });
    expect(providers.tokensIssued - tokensBefore).toBe(1);
    expect(await row(t, m2.id)).toMatchObject({ status: 'sent' });
  });
});
