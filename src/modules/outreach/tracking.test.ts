import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

const system = { type: 'system' as const, id: 'test' };

// Campaign emails on a real SMTP exchange: their one-click unsubscribe works (campaign message ids
// are longer than other messages'), opens and clicks are recorded through signed links, and no link
// can be forged or re-aimed.
describe.each(databases)('email tracking and campaign links on $name', ({ url }) => {
  let r: Rapport;
  let smtp: SmtpListener;
  let t: TestTenant;
  const clock = createTestClock('2026-05-31T10:00:00Z', { frozen: true });

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { jobs: false, clock });
    t = await createTestTenant(r);
    const res = await r.app.inject({
      method: 'PUT',
      url: '/v1/outreach/settings',
      headers: t.headers,
      payload: {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'news@shop.example.com' },
        public_base_url: 'https://rapport.example.com',
        default_timezone: 'UTC',
        default_locale: 'en',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  it('sends a campaign whose unsubscribe, open pixel and tracked links all work, and refuses forged ones', async () => {
    const email = `reader-${Date.now()}@example.com`;
    const c = await r.customers.createCustomer(t.tenantId, { given_name: 'Rita', locale: 'en', identities: { email } }, system);
    await r.customers.setPreferences(
      t.tenantId,
      c,
      { channels: ['email'], contact_window: { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] }, max_messages_per_week: null, language: null },
      system,
    );
    await r.customers.recordConsent(t.tenantId, c, { channel: 'email', purpose: 'marketing', status: 'granted', source: 'signup' }, system);
    const tpl = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/templates',
      headers: t.headers,
      payload: {
        name: 'winter',
        purpose: 'marketing',
        default_locale: 'en',
        content: {
          en: {
            email: {
              subject: 'Winter offers',
              text: 'See https://shop.example.com/winter',
              html: '<p><a href="https://shop.example.com/winter?utm=mail&amp;x=1">Winter</a> <a href="http://shop.example.com/faq">FAQ</a></p>',
            },
          },
        },
      },
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const seg = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/segments',
      headers: t.headers,
      payload: { name: 'readers', rules: { field: 'profile.locale', op: 'eq', value: 'en' } },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const cmp = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/campaigns',
      headers: t.headers,
      payload: { name: 'winter', segment_id: seg.json().id, template_id: tpl.json().id },
    });
    const plan = await r.outreach.planCampaign(t.tenantId, cmp.json().id);
    expect(plan.stats).toMatchObject({ segment: 1, queued: 1 });
    // Planned and dispatched at the app's clock; nothing else dispatches it.
    const since = smtp.messages.length;
    expect(await r.outreach.dispatch(t.tenantId)).toEqual({ sent: 1 });
    const mail = (await smtp.waitFor(email, since)).mail;
    const {
      rows: [m],
    } = await r.db.pool.query('SELECT id FROM outreach_messages WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, c]);
    expect(m.id.length).toBeGreaterThan(40); // msg_<campaign>_<customer>

    // Opens: the pixel answers a GIF and records the first open only.
    const html = String(mail.html);
    const pixel = new URL(html.match(/<img src="([^"]+)"/)![1]);
    expect(pixel.origin).toBe('https://rapport.example.com');
    const open = await r.app.inject({ method: 'GET', url: pixel.pathname });
    expect(open.statusCode, open.body).toBe(200);
    expect(open.headers['content-type']).toBe('image/gif');
    expect((await r.app.inject({ method: 'GET', url: pixel.pathname })).statusCode).toBe(200);
    let msg = (await r.app.inject({ method: 'GET', url: `/v1/outreach/messages/${m.id}`, headers: t.headers })).json();
    expect(msg.status).toBe('opened');
    expect(msg.history.filter((h: { status: string }) => h.status === 'opened')).toHaveLength(1);

    // Clicks: both links go through the redirect, which lands on the original URL.
    const links = [...html.matchAll(/href=["']([^"']+)["']/g)].map((x) => x[1].replace(/&amp;/g, '&'));
    const tracked = links.filter((l) => l.includes('/v1/outreach/click/'));
    expect(tracked).toHaveLength(2);
    const click = new URL(tracked[0]);
    const res = await r.app.inject({ method: 'GET', url: `${click.pathname}${click.search}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://shop.example.com/winter?utm=mail&x=1');
    msg = (await r.app.inject({ method: 'GET', url: `/v1/outreach/messages/${m.id}`, headers: t.headers })).json();
    expect(msg.status).toBe('clicked');
    expect(msg.clicked_at).not.toBeNull();
    expect(msg.history.find((h: { status: string }) => h.status === 'clicked').details).toEqual({ url: 'https://shop.example.com/winter?utm=mail&x=1' });
    const timeline = await r.db.pool.query(
      `SELECT type FROM customer_events WHERE tenant_id = $1 AND customer_id = $2 AND type LIKE 'outreach.message.%' ORDER BY type`,
      [t.tenantId, c],
    );
    expect(timeline.rows.map((x) => x.type)).toEqual(['outreach.message.clicked', 'outreach.message.opened', 'outreach.message.sent']);

    // The redirect cannot be re-aimed, and a token cannot be forged or moved to another kind of link.
    const reaimed = await r.app.inject({ method: 'GET', url: `${click.pathname}?u=${encodeURIComponent('https://evil.example.net/')}` });
    expect(reaimed.statusCode).toBe(404);
    expect(reaimed.headers.location).toBeUndefined();
    expect((await r.app.inject({ method: 'GET', url: `${pixel.pathname.slice(0, -2)}xx` })).statusCode).toBe(404);
    const clickToken = click.pathname.split('/').pop()!;
    expect((await r.app.inject({ method: 'GET', url: `/v1/outreach/open/${clickToken}` })).statusCode).toBe(404);
    const notUrl = await r.app.inject({ method: 'GET', url: `${click.pathname}?u=javascript:alert(1)` });
    expect(notUrl.statusCode).toBe(400);
    expect(notUrl.json().errors[0].field).toContain('u');

    // The one-click unsubscribe of a campaign message (its token is over 100 characters) works.
    const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/^[^:]+:\s*/, '');
    const unsubscribe = new URL(header.replace(/^<|>$/g, ''));
    expect(unsubscribe.pathname.length).toBeGreaterThan(100);
    const un = await r.app.inject({
      method: 'POST',
      url: unsubscribe.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(un.statusCode, un.body).toBe(200);
    expect((await r.customers.consentHistory(t.tenantId, c)).at(-1)).toMatchObject({ channel: 'email', purpose: 'marketing', status: 'withdrawn' });
    // Links to Rapport itself (the preference page) are not wrapped.
    expect(links.some((l) => l.startsWith('https://rapport.example.com/v1/outreach/preferences/'))).toBe(true);
  });

  it('leaves emails untouched when the tenant turns tracking off', async () => {
    const res = await r.app.inject({ method: 'PUT', url: '/v1/outreach/settings', headers: t.headers, payload: { track_email: false } });
    expect(res.json().track_email).toBe(false);
    const email = `plain-${Date.now()}@example.com`;
    const c = await r.customers.createCustomer(t.tenantId, { given_name: 'Pat', identities: { email } }, system);
    const tpl = await r.app.inject({
      method: 'POST',
      url: '/v1/outreach/templates',
      headers: t.headers,
      payload: {
        name: 'receipt',
        purpose: 'transactional',
        default_locale: 'en',
        content: { en: { email: { subject: 'Receipt', text: 'Thanks', html: '<p><a href="https://shop.example.com/orders/1">Order</a></p>' } } },
      },
    });
    const at = clock.now();
    await r.outreach.send(t.tenantId, { customerId: c, templateId: tpl.json().id, reason: 'order 1', isUrgent: true }, at);
    const since = smtp.messages.length;
    await r.outreach.dispatch(t.tenantId, at);
    const html = String((await smtp.waitFor(email, since)).mail.html);
    expect(html).toContain('href="https://shop.example.com/orders/1"');
    expect(html).not.toContain('/v1/outreach/open/');
  });
});
