// What a page on another site can make a signed-in browser do: nothing. Cookie-authenticated writes and
// the agent feed's upgrade need a same-origin Origin / Sec-Fetch-Site, bodies are JSON (an HTML form
// cannot send it), cookies are Secure behind an https public URL, and authentication follows the route
// the router matched, however its path is written.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import WebSocket from 'ws';
import { Socket } from './socket.js';
import type { Rapport } from '../src/app.js';

const PUBLIC = 'https://cx.example.com';
const SESSION = 'rapport_session';

describe.each(databases)('cross-site requests on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let cookie: string;
  beforeAll(async () => {
    r = await startTestApp(url, { publicUrl: PUBLIC });
    t = await createTestTenant(r);
    const login = await r.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: `10.9.${randomBytes(1)[0]}.1`,
      payload: { tenant: t.slug, email: t.adminEmail, password: t.adminPassword },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    cookie = login.cookies.find((c) => c.name === SESSION)!.value;
  });
  afterAll(async () => r?.close());

  const createCustomer = (headers: Record<string, string>, auth: object = { cookies: { [SESSION]: cookie } }) =>
    r.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { host: 'cx.example.com', ...headers },
      ...auth,
      payload: { given_name: 'Ada', identities: { email: `ada.${randomBytes(4).toString('hex')}@example.com` } },
    });

  it('refuses a cookie-authenticated write from another site and takes one from this one', async () => {
    expect((await createCustomer({ origin: 'http://evil.example' })).json()).toMatchObject({ status: 403, code: 'CROSS_SITE_REQUEST' });
    expect((await createCustomer({ 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await createCustomer({ 'sec-fetch-site': 'same-site', origin: 'https://shop.example.com' })).statusCode).toBe(403);
    expect((await createCustomer({ origin: 'null' })).statusCode).toBe(403);
    expect((await createCustomer({ 'sec-fetch-site': 'same-origin', origin: PUBLIC })).statusCode).toBe(201);
    // Behind a TLS proxy the server sees http, the browser says https: the public URL's origin is ours.
    expect((await createCustomer({ origin: PUBLIC })).statusCode).toBe(201);
    expect((await createCustomer({ origin: 'http://cx.example.com' })).statusCode).toBe(201);
    // An API key is not ambient: a browser never adds it, so any origin may use one.
    expect(
      (await createCustomer({ origin: 'http://evil.example' }, { headers: { ...t.headers, host: 'cx.example.com', origin: 'http://evil.example' } }))
        .statusCode,
    ).toBe(201);
  });

  it('refuses a text/plain body, as a cross-site form sends, on a route without a body', async () => {
    const id = (await createCustomer({ origin: PUBLIC })).json().id as string;
    for (const auth of [{ cookies: { [SESSION]: cookie } }, { headers: t.headers }]) {
      const res = await r.app.inject({
        method: 'POST',
        url: `/v1/customers/${id}/erase`,
        ...auth,
        headers: { ...(auth as { headers?: object }).headers, 'content-type': 'text/plain' },
        payload: 'x=1',
      });
      expect(res.statusCode, res.body).toBe(415);
    }
    const after = await r.app.inject({ method: 'GET', url: `/v1/customers/${id}`, headers: t.headers });
    expect(after.statusCode).toBe(200);
    expect(after.json().given_name).toBe('Ada');
  });

  it('refuses the agent feed upgrade from another site', async () => {
    await r.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `ws://127.0.0.1:${(r.app.server.address() as AddressInfo).port}`;
    const withCookie = { cookie: `${SESSION}=${cookie}` };
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${base}/v1/inbox/feed`, { headers: { ...withCookie, origin: 'http://evil.example' } });
      ws.once('open', () => {
        ws.close();
        reject(new Error('upgraded'));
      });
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode!);
      });
      ws.once('error', reject);
    });
    expect(refused).toBe(403);
    const own = await Socket.open(`${base}/v1/inbox/feed`, { ...withCookie, origin: PUBLIC });
    expect((await own.next((f) => f.type === 'ready')).type).toBe('ready');
    own.close();
    await new Promise((ok) => own.ws.once('close', ok));
  });

  it('serves an attachment of an active type as inert bytes, never sniffed and sandboxed', async () => {
    const ch = await r.app.inject({
      method: 'POST',
      url: '/v1/inbox/channels',
      headers: t.headers,
      payload: { kind: 'api', name: 'Phone log', settings: { source: 'phone' } },
    });
    expect(ch.statusCode, ch.body).toBe(201);
    const channel = await r.inbox.getChannel(t.tenantId, ch.json().id);
    const files = [
      { filename: 'invoice.html', contentType: 'text/html; charset=utf-8', content: Buffer.from('<script>fetch("/v1/api-keys")</script>') },
      { filename: 'logo.svg', contentType: 'image/svg+xml', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') },
      { filename: 'photo.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    ];
    await r.inbox.receive({
      channel: channel!,
      externalId: `att-${randomBytes(4).toString('hex')}`,
      identities: { phone: '+8613700000001' },
      text: 'see attached',
      replyAddress: '+8613700000001',
      attachments: files.map((f) => ({ ...f, size: f.content.length })),
    });
    const { rows } = await r.db.pool.query('SELECT id, filename FROM inbox_attachments WHERE tenant_id = $1', [t.tenantId]);
    const served: Record<string, Awaited<ReturnType<typeof r.app.inject>>> = {};
    for (const a of rows) served[a.filename] = await r.app.inject({ method: 'GET', url: `/v1/inbox/attachments/${a.id}`, headers: t.headers });
    expect(Object.keys(served).sort()).toEqual(['invoice.html', 'logo.svg', 'photo.png']);
    for (const res of Object.values(served)) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe('sandbox');
    }
    expect(served['invoice.html'].headers['content-type']).toBe('application/octet-stream');
    expect(served['logo.svg'].headers['content-type']).toBe('application/octet-stream');
    expect(served['photo.png'].headers['content-type']).toBe('image/png');
    expect(served['invoice.html'].body).toBe('<script>fetch("/v1/api-keys")</script>');
  });

  it('names the public URL in help-centre canonical links and the sitemap, whatever Host a request gives', async () => {
    const art = await r.app.inject({
      method: 'POST',
      url: '/v1/knowledge/articles',
      headers: t.headers,
      payload: {
        title: 'How to request a refund',
        body: 'Within seven days of delivery, from My Orders.',
        language: 'en',
        status: 'published',
        visibility: 'public',
      },
    });
    expect(art.statusCode, art.body).toBe(201);
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example' };
    const page = await r.app.inject({ method: 'GET', url: `/help/${t.slug}/articles/${art.json().id}?lang=en`, headers: forged });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<link rel="canonical" href="${PUBLIC}/help/${t.slug}/articles/${art.json().id}?language=en">`);
    const map = await r.app.inject({ method: 'GET', url: `/help/${t.slug}/sitemap.xml`, headers: forged });
    expect(map.body).toContain(`<loc>${PUBLIC}/help/${t.slug}/articles/${art.json().id}?language=en</loc>`);
    for (const res of [page, map]) expect(res.body).not.toContain('evil.example');
  });

  it('authenticates a request by the route it matched, however the path is written', async () => {
    const readKey = await r.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.headers, payload: { name: 'reader', scopes: ['read'] } });
    const reader = { authorization: `Bearer ${readKey.json().token}` };
    // /%761/customers is /v1/customers to the router: the same scopes hold.
    const write = await r.app.inject({ method: 'POST', url: '/%761/customers', headers: reader, payload: { given_name: 'Eve' } });
    expect(write.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await r.app.inject({ method: 'GET', url: '/%761/customers', headers: reader })).statusCode).toBe(200);
    expect((await r.app.inject({ method: 'GET', url: '/%761/customers' })).json()).toMatchObject({
      status: 401,
      detail: 'A valid API key or session is required',
    });
  });
});

describe.each(databases)('a plain-http public URL and a metrics token on $name', ({ url }) => {
  let r: Rapport;
  beforeAll(async () => {
    r = await startTestApp(url, { publicUrl: 'http://localhost:3000', metricsToken: 'metrics-secret-1' });
  });
  afterAll(async () => r?.close());

  it('are not marked Secure, or the browser would drop them', async () => {
    const t = await createTestTenant(r);
    const login = await r.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: `10.8.${randomBytes(1)[0]}.1`,
      payload: { tenant: t.slug, email: t.adminEmail, password: t.adminPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });

  it('shows metrics only to the bearer of the metrics token', async () => {
    expect((await r.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await r.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-secret-2' } })).statusCode).toBe(401);
    const ok = await r.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-secret-1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('rapport_http_requests_total');
  });
});
