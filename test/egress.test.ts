// Requests the server makes on a tenant's say-so (feeds, provider API bases, tenant SMTP hosts) cannot
// reach the server's own network: an app without the loopback allow-list the other tests use, and
// loopback servers of its own that must never be reached.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, type FakeProviders } from './fixtures/providers.js';
import { startSmtpListener, type SmtpListener } from './fixtures/smtp.js';
import type { Rapport } from '../src/app.js';

const FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>inside</title><item><title>internal-secret-ticket</title><link>http://intranet/1</link><description>db password rotation</description></item></channel></rss>';

describe.each(databases)('the egress guard on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let feed: http.Server;
  let feedBase: string;
  let feedHits = 0;
  let providers: FakeProviders;
  let smtp: SmtpListener;

  beforeAll(async () => {
    feed = http.createServer((_req, res) => {
      feedHits++;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
    });
    await new Promise<void>((ok) => feed.listen(0, '127.0.0.1', ok));
    feedBase = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;
    providers = await startFakeProviders();
    smtp = await startSmtpListener();
    r = await startTestApp(url, { egressAllow: '' });
    t = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
    await providers?.close();
    await smtp?.close();
    await new Promise((ok) => feed?.close(ok));
  });

  it('lets only an administrator add an RSS source', async () => {
    const key = await r.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.headers, payload: { name: 'agent', scopes: ['read', 'write'] } });
    expect(key.statusCode, key.body).toBe(201);
    const res = await r.app.inject({
      method: 'POST',
      url: '/v1/listening/sources',
      headers: { authorization: `Bearer ${key.json().token}` },
      payload: { kind: 'rss', name: 'feed', url: `${feedBase}/feed` },
    });
    expect(res.statusCode, res.body).toBe(403);
    const webhook = await r.app.inject({
      method: 'POST',
      url: '/v1/listening/sources',
      headers: { authorization: `Bearer ${key.json().token}` },
      payload: { kind: 'webhook', name: 'connector' },
    });
    expect(webhook.statusCode, webhook.body).toBe(201);
  });

  it.each([
    ['an address', () => `${feedBase}/feed`],
    ['a name', () => feedBase.replace('127.0.0.1', 'localhost') + '/feed'],
  ])('refuses to fetch a feed at a loopback %s, answers without a 500 and says nothing of what answered', async (_kind, feedUrl) => {
    const src = await r.app.inject({
      method: 'POST',
      url: '/v1/listening/sources',
      headers: t.headers,
      payload: { kind: 'rss', name: 'inside', url: feedUrl() },
    });
    expect(src.statusCode, src.body).toBe(201);
    const hits = feedHits;
    const poll = await r.app.inject({ method: 'POST', url: `/v1/listening/sources/${src.json().id}/poll`, headers: t.headers });
    expect(poll.statusCode, poll.body).toBe(422);
    expect(poll.json()).toMatchObject({ code: 'LISTENING_SOURCE_NOT_ALLOWED', detail: 'address not allowed' });
    for (const leak of ['internal-secret', '127.0.0.1', 'ECONNREFUSED', 'hang up']) expect(poll.body).not.toContain(leak);
    expect(feedHits).toBe(hits);
    const after = (await r.app.inject({ method: 'GET', url: `/v1/listening/sources/${src.json().id}`, headers: t.headers })).json();
    expect(after.last_error).toBe('address not allowed');
    const mentions = (await r.app.inject({ method: 'GET', url: '/v1/listening/mentions', headers: t.headers })).json();
    expect(JSON.stringify(mentions)).not.toContain('internal-secret');
  });

  it('refuses a provider API base on loopback, for good', async () => {
    const sms = await r.app.inject({
      method: 'POST',
      url: '/v1/inbox/channels',
      headers: t.headers,
      payload: {
        kind: 'sms',
        name: 'SMS',
        settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base },
        secrets: { auth_token: TWILIO_TOKEN },
      },
    });
    expect(sms.statusCode, sms.body).toBe(201);
    const before = providers.all.length;
    const sent = await r.inbox.sendOutbound(t.tenantId, 'sms', { messageId: 'msg_egress_1', to: '+8613800138000', text: 'hello' });
    expect(sent).toMatchObject({ status: 'failed', error: 'address not allowed', isPermanent: true });
    expect(providers.all.length).toBe(before);
  });

  it("refuses a tenant's SMTP host on loopback", async () => {
    const before = smtp.messages.length;
    for (const host of [smtp.host, 'localhost']) {
      await expect(r.mailer.send({ to: 'someone@example.com', subject: 'x', text: 'x' }, { host, port: smtp.port, ignoreTLS: true })).rejects.toThrow(
        'address not allowed',
      );
    }
    expect(smtp.messages.length).toBe(before);
  });
});
