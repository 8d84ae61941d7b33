// Bounces and automatic replies over a real SMTP exchange: a delivery status notification from
// MAILER-DAEMON with a null sender, and an out-of-office marked Auto-Submitted, open nothing; each is
// kept as a system note on the conversation of the reply it answers, and the bounce marks that reply
// failed with the receiving server's diagnostic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import { bounceReport } from '../../../test/fixtures/dsn.js';
import type { Rapport } from '../../app.js';
import { classifyAutomated } from './receive-automated.js';
import { parseEmail } from './channels/email.js';

const dsn = (to: string, bouncedId: string, recipient: string) =>
  bounceReport({ to, bouncedId, recipient, reportId: `dsn-${recipient}-${bouncedId.slice(1, 12)}@mx.example.net`, senderName: 'Acme', subject: 'Re: help' });

describe('which mail no person wrote', () => {
  it("knows bounces and automatic replies by their headers, and leaves a person's mail alone", async () => {
    const parse = (lines: string[]) => parseEmail([...lines, '', 'body'].join('\r\n'));
    expect(classifyAutomated(await parse(['From: a@x.com', 'Auto-Submitted: auto-replied']))).toMatchObject({
      kind: 'auto_reply',
      reason: 'Auto-Submitted: auto-replied',
    });
    expect(classifyAutomated(await parse(['From: a@x.com', 'Auto-Submitted: no']))).toBeUndefined();
    expect(classifyAutomated(await parse(['From: a@x.com', 'X-Autoreply: yes']))).toMatchObject({ reason: 'X-Autoreply' });
    expect(classifyAutomated(await parse(['From: a@x.com', 'X-Autorespond: on']))).toMatchObject({ reason: 'X-Autorespond' });
    expect(classifyAutomated(await parse(['From: a@x.com', 'Precedence: bulk']))).toMatchObject({ reason: 'Precedence: bulk' });
    expect(classifyAutomated(await parse(['From: a@x.com', 'Return-Path: <>']))).toMatchObject({ reason: 'null return path' });
    expect(classifyAutomated(await parse(['From: a@x.com']), '')).toMatchObject({ reason: 'null return path' });
    expect(classifyAutomated(await parse(['From: a@x.com', 'Precedence: first-class']))).toBeUndefined();
    const bounce = classifyAutomated(await parseEmail(dsn('support@acme.example.com', '<msg_abc@acme.example.com>', 'nobody@example.org')));
    expect(bounce).toMatchObject({
      kind: 'bounce',
      action: 'failed',
      status: '5.1.1',
      recipient: 'nobody@example.org',
      relatesTo: ['<msg_abc@acme.example.com>'],
    });
    expect(bounce!.diagnostic).toBe('550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown');
  });
});

describe.each(databases)('bounces and automatic replies on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let sink: SmtpListener;
  let smtpPort: number;
  let address: string;
  const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });
  const send = (opts: {
    from: string;
    envelopeFrom?: string;
    raw?: string;
    text?: string;
    subject?: string;
    headers?: Record<string, string>;
    inReplyTo?: string;
  }) =>
    nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, ignoreTLS: true }).sendMail({
      envelope: { from: opts.envelopeFrom ?? opts.from, to: [address] },
      ...(opts.raw
        ? { raw: opts.raw }
        : { from: opts.from, to: address, subject: opts.subject, text: opts.text, headers: opts.headers, inReplyTo: opts.inReplyTo }),
    });
  const conversationsCount = async () =>
    (await r.db.pool.query('SELECT count(*)::int AS n FROM inbox_conversations WHERE tenant_id = $1', [t.tenantId])).rows[0].n;

  beforeAll(async () => {
    sink = await startSmtpListener();
    r = await startTestApp(url, { jobs: false });
    t = await createTestTenant(r);
    smtpPort = (await r.inbox.startSmtp({ port: 0, host: '127.0.0.1' })).port;
    address = `support@${t.slug}.example.com`;
    const ch = await api('POST', '/v1/inbox/channels', {
      kind: 'email',
      name: 'Support',
      settings: { address, smtp: { host: sink.host, port: sink.port, secure: false } },
    });
    expect(ch.statusCode, ch.body).toBe(201);
  });
  afterAll(async () => {
    await r?.close();
    await sink?.close();
  });

  it('opens nothing for a bounce or an out-of-office, notes both on the conversation and marks the bounced reply failed', async () => {
    await send({ from: 'lee@example.org', subject: 'Lost bag', text: 'My bag did not arrive' });
    const customer = (await api('GET', '/v1/customers/lookup?kind=email&value=lee%40example.org')).json();
    const [conv] = (await api('GET', `/v1/conversations?customer_id=${customer.id}`)).json().data;
    const first = (await api('POST', `/v1/conversations/${conv.id}/messages`, { text: 'We are on it' })).json();
    const second = (await api('POST', `/v1/conversations/${conv.id}/messages`, { text: 'Found it' })).json();
    expect(second.delivery_status).toBe('sent');
    const sentMail = await sink.waitFor('lee@example.org', sink.messages.length - 1);
    const bouncedId = sentMail.mail.messageId!;
    expect((await api('PATCH', `/v1/conversations/${conv.id}`, { status: 'resolved' })).statusCode).toBe(200);
    const before = await conversationsCount();

    await send({ from: 'MAILER-DAEMON@mx.example.net', envelopeFrom: '', raw: dsn(address, bouncedId, 'lee@example.org') });
    await send({
      from: 'lee@example.org',
      subject: 'Out of office: Re: Lost bag',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      inReplyTo: bouncedId,
    });
    await send({ from: 'stranger@example.net', subject: 'Automatic reply', text: 'Away', headers: { 'X-Autoreply': 'yes' } });
    await r.bus.drain();

    expect(await conversationsCount()).toBe(before);
    expect((await api('GET', `/v1/conversations/${conv.id}`)).json().status).toBe('resolved');
    expect((await api('GET', '/v1/customers/lookup?kind=email&value=stranger%40example.net')).statusCode).toBe(404);
    expect((await api('GET', '/v1/customers/lookup?kind=email&value=mailer-daemon%40mx.example.net')).statusCode).toBe(404);

    const messages = (await api('GET', `/v1/conversations/${conv.id}/messages`)).json().data;
    const bounced = messages.find((m: any) => m.id === second.id);
    expect(bounced).toMatchObject({
      delivery_status: 'failed',
      delivery_error: 'bounced 5.1.1: 550 5.1.1 <lee@example.org>: Recipient address rejected: User unknown',
    });
    expect(messages.find((m: any) => m.id === first.id).delivery_status).toBe('sent');
    const notes = messages.filter((m: any) => m.direction === 'note' && m.author_type === 'system').map((m: any) => m.text);
    expect(notes).toEqual([
      'Bounce from lee@example.org: failed (5.1.1) — 550 5.1.1 <lee@example.org>: Recipient address rejected: User unknown',
      expect.stringMatching(/^Automatic reply \(Auto-Submitted: auto-replied\): Out of office: Re: Lost bag\nI am away until Monday\./),
    ]);
    expect((await api('GET', `/v1/conversations/${conv.id}/messages/${second.id}/delivery`)).json()).toMatchObject({ status: 'failed' });
  });
});
