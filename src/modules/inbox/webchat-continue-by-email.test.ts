// A web chat reply the visitor never saw is mailed to them after the channel's delay, when their
// profile has an email address: once, over a real SMTP exchange with a local server, and never shown
// again in the widget; a reply the visitor saw before the delay ran out is never mailed. The delay is
// counted on the test clock.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import { Socket } from '../../../test/socket.js';
import { createTestClock } from '../../platform/clock.js';

const MINUTE = 60_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.each(databases)('web chat continued by email on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let sink: SmtpListener;
  let wsBase: string;
  let chat: { id: string; secrets: { identity_secret: string } };
  const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });
  const open = (q = '') => Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${chat.id}${q}`);
  const mailsTo = (address: string) => sink.messages.filter((m) => m.to.includes(address));

  /** A visitor who wrote once and proved their email (the site's backend signed it), then left. */
  async function visitor(email: string) {
    const socket = await open();
    const welcome = await socket.next((f) => f.type === 'welcome');
    socket.send({ type: 'message', text: 'Where is my parcel?', client_id: 'c1' });
    const ack = await socket.next((f) => f.type === 'ack');
    socket.send({ type: 'identify', kind: 'email', value: email, hash: createHmac('sha256', chat.secrets.identity_secret).update(email).digest('hex') });
    await socket.next((f) => f.type === 'identified');
    await r.bus.drain();
    return { socket, conversationId: ack.conversation_id as string, back: `?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}` };
  }

  beforeAll(async () => {
    sink = await startSmtpListener();
    r = await startTestApp(url, { jobs: false, clock: createTestClock('2026-03-10T09:00:00Z') });
    t = await createTestTenant(r);
    wsBase = (await r.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    chat = (await api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat' })).json();
    const email = await api('POST', '/v1/inbox/channels', {
      kind: 'email',
      name: 'Support',
      settings: { address: `support@${t.slug}.example.com`, smtp: { host: sink.host, port: sink.port, secure: false } },
    });
    expect(email.statusCode, email.body).toBe(201);
  });
  afterAll(async () => {
    await r?.close();
    await sink?.close();
  });

  it('mails unseen replies once after ten minutes, and the widget does not show them again', async () => {
    const v = await visitor('wen@example.org');
    v.socket.close();
    await settle();
    const a = (await api('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'It left our warehouse today' })).json();
    const b = (await api('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'Tracking number: SF123' })).json();
    expect([a.delivery_status, b.delivery_status]).toEqual(['sent', 'sent']);
    // The job that will come back for them is queued when each reply leaves.
    const { rows: jobs } = await r.db.pool.query(`SELECT data FROM ${r.jobs.schema}.job WHERE name = 'inbox-webchat-email' AND data->>'conversationId' = $1`, [
      v.conversationId,
    ]);
    expect(jobs.map((j) => j.data)).toEqual([
      { tenantId: t.tenantId, conversationId: v.conversationId },
      { tenantId: t.tenantId, conversationId: v.conversationId },
    ]);

    r.clock.advance(9 * MINUTE);
    expect(await r.inbox.continueByEmail(t.tenantId, v.conversationId)).toMatchObject({ status: 'waiting' });
    expect(mailsTo('wen@example.org')).toEqual([]);

    r.clock.advance(MINUTE + 1000);
    const done = await r.inbox.continueByEmail(t.tenantId, v.conversationId);
    expect(done).toMatchObject({ status: 'emailed', replies: [a.id, b.id] });
    const mail = await sink.waitFor('wen@example.org');
    expect(mail.mail.text).toContain('It left our warehouse today\n\nTracking number: SF123');
    // Replying to the email continues the same conversation.
    expect(mail.mail.replyTo?.text).toMatch(new RegExp(`^support\\+[0-9a-z]+@${t.slug}\\.example\\.com$`, 'i'));
    expect(await r.outbox.get(t.tenantId, (done as { messageId: string }).messageId)).toMatchObject({ kind: 'inbox.reply', status: 'sent' });

    // Once: a second run, or the job's second copy, mails nothing more.
    expect(await r.inbox.continueByEmail(t.tenantId, v.conversationId)).toEqual({ status: 'nothing' });
    expect(mailsTo('wen@example.org')).toHaveLength(1);
    const back = await open(v.back);
    await back.next((f) => f.type === 'welcome');
    await settle();
    expect(back.frames.filter((f) => f.type === 'message')).toEqual([]);
    back.close();
  });

  it('mails nothing when the visitor came back and saw the reply before the delay ran out', async () => {
    const v = await visitor('ling@example.org');
    v.socket.close();
    await settle();
    const a = (await api('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'We refunded you' })).json();
    r.clock.advance(4 * MINUTE);
    const back = await open(v.back);
    const frame = await back.next((f) => f.type === 'message' && f.message_id === a.id);
    back.send({ type: 'received', message_id: frame.message_id });
    await settle();
    back.close();
    r.clock.advance(20 * MINUTE);
    expect(await r.inbox.continueByEmail(t.tenantId, v.conversationId)).toEqual({ status: 'nothing' });
    expect(mailsTo('ling@example.org')).toEqual([]);
  });

  it('takes the delay from the channel, refuses a bad one by name, and mails nothing when it is turned off', async () => {
    const bad = await api('PATCH', `/v1/inbox/channels/${chat.id}`, { settings: { continue_by_email_after_minutes: 0 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['settings.continue_by_email_after_minutes']);
    expect((await api('PATCH', `/v1/inbox/channels/${chat.id}`, { settings: { continue_by_email_after_minutes: null } })).statusCode).toBe(200);
    const v = await visitor('kai@example.org');
    v.socket.close();
    await settle();
    await api('POST', `/v1/conversations/${v.conversationId}/messages`, { text: 'Noted' });
    r.clock.advance(60 * MINUTE);
    expect(await r.inbox.continueByEmail(t.tenantId, v.conversationId)).toEqual({ status: 'nothing' });
    expect(mailsTo('kai@example.org')).toEqual([]);
  });
});
