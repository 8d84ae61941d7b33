import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { Socket } from '../../../test/socket.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('widget on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let key: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const call = (method: 'GET' | 'PUT' | 'POST', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  // A visitor as the web chat issues them: an anonymous id and the token its channel signed for it.
  let chatSecret: string | undefined;
  const visitor = async (anonymousId: string) => {
    chatSecret ??= (await call('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Visitor chat' })).json().secrets.identity_secret as string;
    return { anonymous_id: anonymousId, visitor_token: createHmac('sha256', chatSecret).update(`visitor:${anonymousId}`).digest('base64url') };
  };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({
      method: 'POST',
      url: '/v1/widget/feedback',
      remoteAddress: '10.77.0.1',
      headers: { 'content-type': 'text/plain', ...headers },
      payload: JSON.stringify(body),
    });

  it('creates a publishable key once and keeps it until rotated', async () => {
    expect((await call('GET', '/v1/widget/settings')).json()).toEqual({ key: null, allowed_origins: [] });
    const first = await call('PUT', '/v1/widget/settings', { allowed_origins: [] });
    expect(first.statusCode, first.body).toBe(200);
    key = first.json().key;
    expect(key).toMatch(new RegExp(`^wpk\\.${t.tenantId}\\.`));
    expect((await call('PUT', '/v1/widget/settings', { allowed_origins: [] })).json().key).toBe(key);
    const bad = await call('PUT', '/v1/widget/settings', { allowed_origins: ['javascript:alert(1)'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('allowed_origins.0');
  });

  it("takes feedback sent as text/plain from a page, and puts it on the visitor's timeline", async () => {
    const res = await post(
      { key, text: 'The checkout button is hidden on my phone', rating: 2, page_url: 'https://shop.example.com/cart', ...(await visitor('visitor_abc12345')) },
      { origin: 'https://shop.example.com' },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const list = await call('GET', '/v1/widget/feedback');
    const item = list.json().data[0];
    expect(item).toMatchObject({ id: res.json().id, text: 'The checkout button is hidden on my phone', rating: 2, page_url: 'https://shop.example.com/cart' });
    const timeline = await call('GET', `/v1/customers/${item.customer_id}/timeline`);
    expect(timeline.json().data.map((e: { type: string }) => e.type)).toContain('feedback.widget');
  });

  it('stores a resent submission once: the same submission key gets the same answer', async () => {
    const body = { key, text: 'Sent twice on a train', rating: 3, submission_key: 'sub_train_0001', ...(await visitor('visitor_train001')) };
    const [first, again] = [await post(body), await post(body)];
    expect([first.statusCode, again.statusCode], again.body).toEqual([201, 201]);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const { rows } = await r.db.pool.query('SELECT id, customer_id FROM widget_feedback WHERE tenant_id = $1 AND text = $2', [t.tenantId, body.text]);
    expect(rows).toHaveLength(1);
    const timeline = (await call('GET', `/v1/customers/${rows[0].customer_id}/timeline`)).json().data as { type: string }[];
    expect(timeline.filter((e) => e.type === 'feedback.widget')).toHaveLength(1);
    // Without a key, two sends are two pieces of feedback, as before.
    const plain = { key, text: 'Sent twice without a key' };
    expect((await post(plain)).json().id).not.toBe((await post(plain)).json().id);
  });

  it("never joins a visitor to a customer because the feedback names their email: the chat stays the visitor's own", async () => {
    await call('PUT', '/v1/widget/settings', { allowed_origins: [] });
    const wsBase = (await r.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    const channel = (await call('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat' })).json();
    const victim = (await call('POST', '/v1/customers', { identities: { email: 'victim.chat@example.com' }, display_name: 'Victim' })).json();
    // The victim has a chat of their own, known to the site (identify is vouched for by the site's backend).
    const own = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}`);
    const ownWelcome = await own.next((f) => f.type === 'welcome');
    own.send({
      type: 'identify',
      kind: 'email',
      value: 'victim.chat@example.com',
      hash: createHmac('sha256', channel.secrets.identity_secret).update('victim.chat@example.com').digest('hex'),
    });
    await own.next((f) => f.type === 'identified');
    own.send({ type: 'message', text: 'My balance please', client_id: 'v1' });
    const victimChat = (await own.next((f) => f.type === 'ack')).conversation_id;
    own.close();
    expect((await call('GET', `/v1/customers/lookup?kind=anonymous_id&value=${ownWelcome.anonymous_id}`)).json().id).toBe(victim.id);

    // The attacker: a chat of their own, then feedback that pairs their anonymous id with the victim's email.
    const attacker = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}`);
    const welcome = await attacker.next((f) => f.type === 'welcome');
    attacker.close();
    const res = await post({ key, text: 'Nice site', anonymous_id: welcome.anonymous_id, email: 'Victim.Chat@example.com' });
    expect(res.statusCode, res.body).toBe(201);
    await r.bus.drain();
    expect(
      (
        await r.db.pool.query(`SELECT 1 FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND value = $3`, [
          t.tenantId,
          victim.id,
          welcome.anonymous_id,
        ])
      ).rowCount,
    ).toBe(0);
    // With the visitor's own token the feedback is theirs, and the email they typed still joins nothing.
    const proven = await post({
      key,
      text: 'Nice site again',
      anonymous_id: welcome.anonymous_id,
      visitor_token: welcome.visitor_token,
      email: 'Victim.Chat@example.com',
    });
    expect(proven.statusCode, proven.body).toBe(201);
    await r.bus.drain();
    const owner = (await call('GET', `/v1/customers/lookup?kind=anonymous_id&value=${welcome.anonymous_id}`)).json().id;
    expect(owner).toBeTruthy();
    expect(owner).not.toBe(victim.id);
    expect(
      (
        await r.db.pool.query(`SELECT 1 FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND value = $3`, [
          t.tenantId,
          victim.id,
          welcome.anonymous_id,
        ])
      ).rowCount,
    ).toBe(0);

    // Reconnecting as that anonymous id and chatting lands in the attacker's own conversation, not the victim's.
    const again = await Socket.open(
      `${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`,
    );
    await again.next((f) => f.type === 'welcome');
    again.send({ type: 'message', text: 'What is my balance?', client_id: 'a1' });
    const ack = await again.next((f) => f.type === 'ack');
    again.close();
    expect(ack.conversation_id).not.toBe(victimChat);
    expect((await call('GET', `/v1/conversations/${ack.conversation_id}`)).json().customer_id).not.toBe(victim.id);

    // The email is kept on the feedback for the team to read, marked as given by the visitor.
    const list = (await call('GET', '/v1/widget/feedback')).json().data;
    expect(list.find((f: { id: string }) => f.id === res.json().id)).toMatchObject({ email: 'Victim.Chat@example.com', customer_id: null });
    expect(list.find((f: { id: string }) => f.id === proven.json().id)).toMatchObject({ email: 'Victim.Chat@example.com', customer_id: owner });
  });

  it('honours an anonymous id only with its visitor token', async () => {
    const res = await post({ key, text: 'Forged visitor', anonymous_id: 'anon_01aaaaaaaaaaaaaaaaaaaaaaaa', visitor_token: 'forged-token' });
    expect(res.statusCode, res.body).toBe(201);
    const {
      rows: [row],
    } = await r.db.pool.query('SELECT customer_id FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [t.tenantId, res.json().id]);
    expect(row.customer_id).toBeNull();
    expect((await call('GET', '/v1/customers/lookup?kind=anonymous_id&value=anon_01aaaaaaaaaaaaaaaaaaaaaaaa')).statusCode).toBe(404);
  });

  it('refuses an unknown key, a site not on the list, and bad fields by name', async () => {
    expect((await post({ key: `wpk.${t.tenantId}.nottherightkey1`, text: 'hi' })).statusCode).toBe(401);
    await call('PUT', '/v1/widget/settings', { allowed_origins: ['https://www.example.com'] });
    const other = await post({ key, text: 'hi' }, { origin: 'https://evil.example.net' });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('WIDGET_ORIGIN_REFUSED');
    expect((await post({ key, text: 'hi' }, { origin: 'https://www.example.com' })).statusCode).toBe(201);
    const bad = await post({ key, text: '', rating: 9 }, { origin: 'https://www.example.com' });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['rating', 'text']);
  });

  it('searches the help centre from a page, Chinese by the query\'s script, and records "still need help" as a gap followed by a chat', async () => {
    await call('PUT', '/v1/widget/settings', { allowed_origins: ['https://shop.example.com'] });
    for (const a of [
      { title: '如何申请退款', body: '在我的订单中选择订单并点击申请退款，退款七个工作日内到账。', language: 'zh-CN' },
      { title: 'How to get a refund', body: 'Open My orders and choose Request refund.', language: 'en' },
    ]) {
      expect((await call('POST', '/v1/knowledge/articles', { ...a, status: 'published', visibility: 'public' })).statusCode).toBe(201);
    }
    const page = { origin: 'https://shop.example.com', 'accept-language': 'en-GB,en;q=0.9' };
    const search = (body: unknown, headers: Record<string, string> = page) =>
      r.app.inject({
        method: 'POST',
        url: '/v1/widget/help-searches',
        remoteAddress: '10.77.0.2',
        headers: { 'content-type': 'text/plain', ...headers },
        payload: JSON.stringify(body),
      });
    // An English browser, no language given: the Chinese query finds the Chinese article.
    const zh = await search({ key, q: '怎么退款' });
    expect(zh.statusCode, zh.body).toBe(200);
    expect(zh.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(zh.json()).toMatchObject({
      language: 'zh-CN',
      results: [
        expect.objectContaining({
          title: '如何申请退款',
          language: 'zh-CN',
          url: expect.stringMatching(new RegExp(`^/help/${t.slug}/articles/art_\\w+\\?language=zh-CN$`)),
        }),
      ],
    });
    const en = await search({ key, q: 'refund' });
    expect(en.json().results.map((x: { title: string }) => x.title)).toEqual(['How to get a refund']);

    const still = (id: string, body: unknown, headers: Record<string, string> = page) =>
      r.app.inject({
        method: 'POST',
        url: `/v1/widget/help-searches/${id}/chat`,
        remoteAddress: '10.77.0.2',
        headers: { 'content-type': 'text/plain', ...headers },
        payload: JSON.stringify(body),
      });
    const v = await visitor('visitor_help0001');
    const res = await still(zh.json().search_id, { key, ...v });
    expect(res.statusCode, res.body).toBe(204);
    expect((await still(zh.json().search_id, { key, ...v })).statusCode).toBe(204);
    const gaps = (await call('GET', '/v1/knowledge/gaps')).json().data as { queries: string[]; followed_by_chat: number; no_result: number }[];
    expect(gaps.find((g) => g.queries.includes('怎么退款'))).toMatchObject({ followed_by_chat: 1, no_result: 0 });
    expect(gaps.some((g) => g.queries.includes('refund'))).toBe(false);
    // The visitor's id (with its token) is kept, so the chat they start is linked to the search.
    const {
      rows: [row],
    } = await r.db.pool.query('SELECT anonymous_id FROM knowledge_searches WHERE tenant_id = $1 AND id = $2', [t.tenantId, zh.json().search_id]);
    expect(row.anonymous_id).toBe('visitor_help0001');

    expect((await still('ksr_nosuchsearch', { key })).statusCode).toBe(404);
    expect((await search({ key, q: 'refund' }, { origin: 'https://evil.example.net' })).statusCode).toBe(403);
    expect((await search({ key: `wpk.${t.tenantId}.nottherightkey1`, q: 'refund' })).statusCode).toBe(401);
    const bad = await search({ key, q: ' ', limit: 3 });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['(root)', 'q']);
  });

  it('erases what a visitor wrote when their profile is erased', async () => {
    await call('PUT', '/v1/widget/settings', { allowed_origins: [] });
    const res = await post({ key, text: 'Please call me at 138 0000 0000', ...(await visitor('visitor_erase001')) });
    const {
      rows: [row],
    } = await r.db.pool.query('SELECT customer_id FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [t.tenantId, res.json().id]);
    expect((await r.app.inject({ method: 'POST', url: `/v1/customers/${row.customer_id}/erase`, headers: t.headers })).statusCode).toBe(200);
    const { rows } = await r.db.pool.query('SELECT 1 FROM widget_feedback WHERE tenant_id = $1 AND id = $2', [t.tenantId, res.json().id]);
    expect(rows).toHaveLength(0);
  });
});
