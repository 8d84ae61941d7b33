// Outreach sends through the platform outbox, over a real SMTP exchange with a local server: every
// attempt is the outbox's, statuses come back onto the outreach message, a recipient the server refuses
// marks the message failed with the server's reply, a delivery status notification returned to the
// inbox marks the email it names failed with its diagnostic, and the second hard bounce of an address
// stops outreach writing to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import { bounceReport } from '../../../test/fixtures/dsn.js';
import { createTestClock } from '../../platform/clock.js';

const system = { type: 'system' as const, id: 'test' };
const REFUSED = /^gone\d*@example\.org$/;

const dsn = (to: string, bouncedId: string, recipient: string) =>
  bounceReport({ to, bouncedId, recipient, reportId: `dsn-${bouncedId.slice(1, 20)}@mx.example.net`, senderName: 'Shop', subject: 'Spring' });

describe.each(databases)('outreach through the outbox on $name', ({ url }) => {
  // Tuesday 11:00 in Shanghai: inside the default contact window.
  const clock = createTestClock('2026-03-10T03:00:00Z', { frozen: true });
  let r: TestApp;
  let sink: SmtpListener;
  let inboxPort: number;

  beforeAll(async () => {
    sink = await startSmtpListener({ refuse: (a) => REFUSED.test(a) });
    r = await startTestApp(url, { jobs: false, clock });
    inboxPort = (await r.inbox.startSmtp({ port: 0, host: '127.0.0.1' })).port;
  });
  afterAll(async () => {
    await r?.close();
    await sink?.close();
  });

  /** A tenant whose outreach mail leaves from its inbox's support address, so that bounces come back to the inbox. */
  async function tenant(): Promise<TestTenant & { address: string; template: string }> {
    const t = await createTestTenant(r);
    const address = `support@${t.slug}.example.com`;
    const api = (method: 'POST' | 'PUT', path: string, payload: object) => r.app.inject({ method, url: path, headers: t.headers, payload });
    const ch = await api('POST', '/v1/inbox/channels', {
      kind: 'email',
      name: 'Support',
      settings: { address, smtp: { host: sink.host, port: sink.port, secure: false } },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    const s = await api('PUT', '/v1/outreach/settings', {
      smtp: { host: sink.host, port: sink.port, secure: false, user: null, password: null, from: address },
      default_timezone: 'Asia/Shanghai',
    });
    expect(s.statusCode, s.body).toBe(200);
    const tpl = await api('POST', '/v1/outreach/templates', {
      name: 'notice',
      purpose: 'service',
      default_locale: 'en',
      content: { en: { email: { subject: 'Your order', text: 'It ships today', html: '<p>It ships today</p>' } } },
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    return { ...t, address, template: tpl.json().id };
  }
  const customer = (t: TestTenant, email: string) =>
    r.customers.createCustomer(t.tenantId, { timezone: 'Asia/Shanghai', identities: { email } }, system).then(async (id) => {
      await r.customers.setPreferences(t.tenantId, id, { channels: ['email'], contact_window: null, max_messages_per_week: null, language: null }, system);
      return id;
    });
  const row = async (t: TestTenant, id: string) =>
    (
      await r.db.pool.query('SELECT status, attempts, provider_message_id, last_error, to_address FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [
        t.tenantId,
        id,
      ])
    ).rows[0];
  const emailConsent = async (t: TestTenant, c: string) =>
    (await r.customers.consentHistory(t.tenantId, c))
      .filter((h) => h.channel === 'email' && h.source === 'outreach:hard_bounce')
      .map((h) => `${h.purpose}:${h.status}`)
      .sort();

  it('sends an outreach email as an outbox message, with its attempt recorded and its status back on the message', async () => {
    const t = await tenant();
    const c = await customer(t, 'li@example.org');
    const m = await r.outreach.send(t.tenantId, { customerId: c, templateId: t.template, reason: 'shipping' });
    const before = sink.messages.length;
    expect(await r.outreach.dispatch(t.tenantId)).toEqual({ sent: 1 });
    // Handed over once: a second dispatch finds nothing to hand over again.
    expect(await r.outreach.dispatch(t.tenantId)).toEqual({});
    const mail = await sink.waitFor('li@example.org', before);
    expect(mail.mail.subject).toBe('Your order');
    const state = await r.outbox.get(t.tenantId, m.id);
    expect(state).toMatchObject({ kind: 'outreach.message', status: 'sent', attempts: 1, provider_id: mail.mail.messageId });
    expect(state!.attempt_log.map((a) => a.outcome)).toEqual(['sent']);
    expect(await row(t, m.id)).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: mail.mail.messageId, to_address: 'li@example.org' });
    // The rendered text lives on the outreach side only: erasure has nothing to chase in the outbox.
    expect(
      JSON.stringify((await r.db.pool.query('SELECT payload FROM outbox_messages WHERE tenant_id = $1 AND id = $2', [t.tenantId, m.id])).rows[0].payload),
    ).not.toContain('ships');
  });

  it("marks a message failed with the server's reply when the recipient is refused, and the second refusal of the address withdraws email", async () => {
    const t = await tenant();
    const c = await customer(t, 'gone@example.org');
    const first = await r.outreach.send(t.tenantId, { customerId: c, templateId: t.template, reason: 'shipping' });
    expect(await r.outreach.dispatch(t.tenantId)).toEqual({ failed: 1 });
    const failed = await row(t, first.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.last_error).toMatch(/550 5\.1\.1 <gone@example\.org>: Recipient address rejected: User unknown/);
    expect(await r.outbox.get(t.tenantId, first.id)).toMatchObject({ status: 'failed', attempts: 1 }); // a refusal is never retried
    expect(await emailConsent(t, c)).toEqual([]);

    const second = await r.outreach.send(t.tenantId, { customerId: c, templateId: t.template, reason: 'shipping again' });
    expect(await r.outreach.dispatch(t.tenantId)).toEqual({ failed: 1 });
    expect((await row(t, second.id)).status).toBe('failed');
    expect(await emailConsent(t, c)).toEqual(['marketing:withdrawn', 'service:withdrawn', 'transactional:withdrawn']);
  });

  it('marks the outreach email a returned DSN names failed with its diagnostic, and withdraws email at the second hard bounce', async () => {
    const t = await tenant();
    const c = await customer(t, 'moved@example.org');
    const other = await customer(t, 'stays@example.org');
    const returnDsn = (bouncedId: string, recipient: string) =>
      nodemailer
        .createTransport({ host: '127.0.0.1', port: inboxPort, ignoreTLS: true })
        .sendMail({ envelope: { from: '', to: [t.address] }, raw: dsn(t.address, bouncedId, recipient) });

    const sendOne = async (customerId: string, to: string) => {
      const m = await r.outreach.send(t.tenantId, { customerId, templateId: t.template, reason: `order for ${to}` });
      const before = sink.messages.length;
      expect(await r.outreach.dispatch(t.tenantId)).toEqual({ sent: 1 });
      return { id: m.id, messageId: (await sink.waitFor(to, before)).mail.messageId! };
    };
    const a = await sendOne(c, 'moved@example.org');
    const kept = await sendOne(other, 'stays@example.org');
    await returnDsn(a.messageId, 'moved@example.org');
    await r.bus.drain();
    expect(await row(t, a.id)).toMatchObject({
      status: 'failed',
      last_error: 'bounced 5.1.1: 550 5.1.1 <moved@example.org>: Recipient address rejected: User unknown',
    });
    expect((await row(t, kept.id)).status).toBe('sent');
    expect(await emailConsent(t, c)).toEqual([]);
    // No conversation is opened for a bounce of mail the inbox did not send.
    expect((await r.db.pool.query('SELECT count(*)::int AS n FROM inbox_conversations WHERE tenant_id = $1', [t.tenantId])).rows[0].n).toBe(0);

    const b = await sendOne(c, 'moved@example.org');
    await returnDsn(b.messageId, 'moved@example.org');
    await r.bus.drain();
    expect((await row(t, b.id)).status).toBe('failed');
    expect(await emailConsent(t, c)).toEqual(['marketing:withdrawn', 'service:withdrawn', 'transactional:withdrawn']);
    expect(await emailConsent(t, other)).toEqual([]);
  });
});
