// Inbound messages stored a batch at a time: messages handed over in one turn of the event loop are
// one batch (one transaction). Within a batch a customer's messages join one conversation, a
// provider's retry is stored once, a message the database refuses does not take the others down,
// and a customer writing on two channels still has one conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { twilioToInbound } from './channels/twilio.js';
import { wechatToInbound } from './channels/wechat.js';
import { emailToInbound, parseEmail } from './channels/email.js';
import { twilioSign } from '../../../test/fixtures/provider-signatures.js';
import type { InboundMessage } from './receive-message.js';
import type { Channel } from './manage-channels.js';

describe.each(databases)('inbound batches on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  let sms: Channel;
  let sms2: Channel;
  let wechat: Channel;
  let email: Channel;
  let team: any;
  const bus: { type: string; payload: any }[] = [];

  const api = async (method: string, path: string, body?: unknown, expected?: number) => {
    const res = await r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });
    if (expected) expect(res.statusCode, res.body).toBe(expected);
    return res.json();
  };
  const q = async (sql: string, params: unknown[] = []) => (await r.db.pool.query(sql, [t.tenantId, ...params])).rows;
  const twilio = (channel: Channel, sid: string, from: string, body: string) =>
    twilioToInbound(channel, new Map(Object.entries({ MessageSid: sid, AccountSid: 'AC123', From: from, To: '+14155550100', Body: body, NumMedia: '0' })))!;
  const wechatText = (msgId: string, openid: string, content: string) =>
    wechatToInbound(wechat, { ToUserName: 'gh_1', FromUserName: openid, CreateTime: '1767225600', MsgType: 'text', Content: content, MsgId: msgId })!;
  const mail = async (messageId: string, from: string, text: string) =>
    emailToInbound(
      email,
      await parseEmail([`From: ${from}`, `To: support@${t.slug}.example.com`, 'Subject: Order', `Message-ID: <${messageId}>`, '', text].join('\r\n')),
      `support@${t.slug}.example.com`,
      'smtp',
    )!;
  /** Hands messages over in one turn of the event loop, so that they are stored as one batch. */
  const batch = (messages: InboundMessage[]) => Promise.allSettled(messages.map((m) => r.inbox.receive(m)));
  const accepted = (s: PromiseSettledResult<any>) => {
    expect(s.status, s.status === 'rejected' ? String(s.reason) : '').toBe('fulfilled');
    return (s as PromiseFulfilledResult<any>).value;
  };

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    const mk = async (body: unknown) => r.inbox.getChannel(t.tenantId, (await api('POST', '/v1/inbox/channels', body, 201)).id);
    sms = await mk({ kind: 'sms', name: 'SMS', settings: { account_sid: 'AC123', from: '+14155550100' }, secrets: { auth_token: 'twilio-auth-token-123' } });
    sms2 = await mk({ kind: 'sms', name: 'SMS 2', settings: { account_sid: 'AC123', from: '+14155550101' }, secrets: { auth_token: 'twilio-auth-token-456' } });
    wechat = await mk({
      kind: 'wechat',
      name: 'WeChat',
      settings: { app_id: 'wx1234567890' },
      secrets: { token: 'wechatToken1', app_secret: 'app-secret-xyz' },
    });
    email = await mk({ kind: 'email', name: 'Support', settings: { address: `support@${t.slug}.example.com` }, secrets: {} });
    team = await api('POST', '/v1/inbox/teams', { name: 'Orders', assignment: 'round_robin' }, 201);
    await api('POST', '/v1/inbox/agents', { name: 'Ann', status: 'online', capacity: 10, team_ids: [team.id] }, 201);
    await api('POST', '/v1/inbox/agents', { name: 'Bob', status: 'online', capacity: 10, team_ids: [team.id] }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'Orders', position: 1, conditions: { keywords: ['order'] }, team_id: team.id }, 201);
    r.bus.subscribe('message.received', (m) => {
      bus.push({ type: m.type, payload: m.payload });
    });
  });
  afterAll(async () => {
    await r?.close();
  });

  it("has the customer lead the indexes that find a customer's open conversation and messages", async () => {
    // Led by tenant_id, an index also serves "all of the tenant's rows", which the planner chooses for a
    // tenant newer than its statistics; customer ids are unique across tenants, so the customer leads.
    const { rows } = await r.db.pool.query(`SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN ('inbox_conversations', 'inbox_messages')`);
    const ledByCustomer = (table: string) => rows.filter((x) => x.tablename === table && /\(customer_id, tenant_id\)/.test(x.indexdef));
    expect(ledByCustomer('inbox_conversations').map((x) => x.indexdef)).toEqual([expect.stringMatching(/WHERE \(?status <> 'resolved'/)]);
    expect(ledByCustomer('inbox_messages')).toHaveLength(1);
  });

  it('joins several messages of one new customer in a batch into one conversation, opened, routed and assigned once', async () => {
    const [first, second, third] = (
      await batch([
        twilio(sms, 'SMB-1', '+8613900000001', 'my order is late'),
        twilio(sms, 'SMB-2', '+8613900000001', 'hello?'),
        twilio(sms, 'SMB-3', '+8613900000001', 'anyone there?'),
      ])
    ).map(accepted);
    expect([first.status, second.status, third.status]).toEqual(['accepted', 'accepted', 'accepted']);
    expect(new Set([first.conversationId, second.conversationId, third.conversationId]).size).toBe(1);
    expect(new Set([first.customerId, second.customerId, third.customerId]).size).toBe(1);
    expect([first.isNewConversation, second.isNewConversation, third.isNewConversation]).toEqual([true, false, false]);

    const convs = await q('SELECT id, team_id, assignee_id, status, last_channel_id FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = $2', [
      first.customerId,
    ]);
    expect(convs).toHaveLength(1);
    // Routed on the first message's words; one assignment, to one of the team's agents.
    expect(convs[0]).toMatchObject({ id: first.conversationId, team_id: team.id, status: 'open', last_channel_id: sms.id });
    expect(convs[0].assignee_id).toBeTruthy();
    expect(await q('SELECT agent_id FROM inbox_assignments WHERE tenant_id = $1 AND conversation_id = $2', [first.conversationId])).toEqual([
      { agent_id: convs[0].assignee_id },
    ]);
    const texts = (await api('GET', `/v1/conversations/${first.conversationId}/messages`, undefined, 200)).data.map((m: any) => m.text);
    expect(texts).toEqual(['my order is late', 'hello?', 'anyone there?']);
    const timeline = await q(`SELECT type FROM customer_events WHERE tenant_id = $1 AND customer_id = $2 AND source = 'inbox' ORDER BY type`, [
      first.customerId,
    ]);
    expect(timeline.map((e) => e.type)).toEqual(['conversation.opened', 'message.received', 'message.received', 'message.received']);
    await r.bus.drain();
    expect(bus.filter((b) => b.payload.conversationId === first.conversationId).map((b) => b.payload.isNewConversation)).toEqual([true, false, false]);

    // The next batch wakes the same conversation, from another channel of the same kind.
    const [later] = (await batch([twilio(sms2, 'SMB-4', '+8613900000001', 'still waiting')])).map(accepted);
    expect(later).toMatchObject({ status: 'accepted', conversationId: first.conversationId, isNewConversation: false });
    expect((await q('SELECT last_channel_id FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [first.conversationId]))[0].last_channel_id).toBe(
      sms2.id,
    );
  });

  it('stores a delivery retried inside one batch once, by Twilio MessageSid, WeChat MsgId and email Message-ID', async () => {
    const results = (
      await batch([
        twilio(sms, 'SMD-1', '+8613900000002', 'order question'),
        wechatText('7000000001', 'oWx-dup-user', '订单在哪里'),
        await mail('dup-1@example.com', 'dup@example.com', 'order help'),
        twilio(sms, 'SMD-1', '+8613900000002', 'order question'),
        wechatText('7000000001', 'oWx-dup-user', '订单在哪里'),
        await mail('dup-1@example.com', 'dup@example.com', 'order help'),
        // The same MessageSid on another channel is another delivery.
        twilio(sms2, 'SMD-1', '+8613900000002', 'order question'),
      ])
    ).map(accepted);
    expect(results.map((x) => x.status)).toEqual(['accepted', 'accepted', 'accepted', 'duplicate', 'duplicate', 'duplicate', 'accepted']);
    for (let i = 0; i < 3; i++)
      expect(results[i + 3]).toMatchObject({ messageId: results[i].messageId, conversationId: results[i].conversationId, isNewConversation: false });
    const count = async (channelId: string, externalId: string) =>
      (await q('SELECT count(*)::int AS n FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $2 AND external_id = $3', [channelId, externalId]))[0].n;
    expect(await count(sms.id, 'SMD-1')).toBe(1);
    expect(await count(sms2.id, 'SMD-1')).toBe(1);
    expect(await count(wechat.id, 'msg:7000000001')).toBe(1);
    expect(await count(email.id, '<dup-1@example.com>')).toBe(1);
    expect(
      (
        await q(
          `SELECT count(*)::int AS n FROM customer_events WHERE tenant_id = $1 AND type = 'message.received' AND properties->>'message_id' = ANY($2::text[])`,
          [results.map((x) => x.messageId)],
        )
      )[0].n,
    ).toBe(4);

    // Retried again in a later batch, together with a new message: still once, and the new one is stored.
    const again = (await batch([twilio(sms, 'SMD-1', '+8613900000002', 'order question'), twilio(sms, 'SMD-2', '+8613900000002', 'and another')])).map(
      accepted,
    );
    expect(again.map((x) => x.status)).toEqual(['duplicate', 'accepted']);
    expect(again[0].messageId).toBe(results[0].messageId);
    expect(await count(sms.id, 'SMD-1')).toBe(1);
    expect(await count(sms.id, 'SMD-2')).toBe(1);
  });

  it('keeps the good messages of a batch when one is refused before storing and another by the database', async () => {
    const broken: InboundMessage = {
      ...twilio(sms, 'SMX-2', '+8613900000004', 'order with a broken attachment'),
      attachments: [{ contentType: null as unknown as string, url: 'https://x.example/a' }],
    };
    const settled = await batch([
      twilio(sms, 'SMX-1', '+8613900000003', 'order one'),
      twilio(sms, 'SMX-0', 'not-a-phone', 'no sender'),
      broken,
      twilio(sms, 'SMX-3', '+8613900000005', 'order three \u0000with a NUL'),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const invalid = (settled[1] as PromiseRejectedResult).reason;
    expect(invalid).toMatchObject({ status: 422, code: 'INBOX_MESSAGE_INVALID' });
    expect(invalid.errors.map((e: any) => e.field)).toEqual(['identities.phone']);
    const stored = await q(`SELECT external_id, text FROM inbox_messages WHERE tenant_id = $1 AND external_id LIKE 'SMX-%' ORDER BY external_id`);
    expect(stored).toEqual([
      { external_id: 'SMX-1', text: 'order one' },
      { external_id: 'SMX-3', text: 'order three with a NUL' },
    ]);
    // Nothing of the refused message is left: no customer for its sender, no conversation.
    const lookup = await r.app.inject({
      method: 'GET',
      url: `/v1/customers/lookup?kind=phone&value=${encodeURIComponent('+8613900000004')}`,
      headers: t.headers,
    });
    expect(lookup.statusCode).toBe(404);
    expect(
      await q(
        `SELECT id FROM inbox_conversations c WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM inbox_messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)`,
      ),
    ).toEqual([]);
  });

  it('answers a signed webhook whose sender is unusable with problem+json naming the field, and an unsigned one with 401', async () => {
    const hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${sms.id}`;
    const post = (params: Record<string, string>, signature?: string) =>
      fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(params).toString(),
      });
    const bad = { MessageSid: 'SMW-1', From: 'not-a-phone', To: '+14155550100', Body: 'hi' };
    const good = { MessageSid: 'SMW-2', From: '+8613900000006', To: '+14155550100', Body: 'order?' };
    const [badRes, unsigned, goodRes] = await Promise.all([
      post(bad, twilioSign('twilio-auth-token-123', hook, bad)),
      post(good),
      post(good, twilioSign('twilio-auth-token-123', hook, good)),
    ]);
    expect(badRes.status).toBe(422);
    expect(badRes.headers.get('content-type')).toContain('application/problem+json');
    expect((await badRes.json()).errors.map((e: any) => e.field)).toEqual(['identities.phone']);
    expect(unsigned.status).toBe(401);
    expect(goodRes.status).toBe(200);
    expect(await q(`SELECT external_id FROM inbox_messages WHERE tenant_id = $1 AND external_id LIKE 'SMW-%'`)).toEqual([{ external_id: 'SMW-2' }]);
  });

  it('joins one customer writing by email and SMS in one batch, and on WeChat later, into one conversation', async () => {
    const customer = await api(
      'POST',
      '/v1/customers',
      { identities: { email: 'omni.batch@example.com', phone: '+8613900000007', wechat_openid: 'oWx-omni-batch' } },
      201,
    );
    const [byMail, bySms, other] = (
      await batch([
        await mail('omni-1@example.com', 'omni.batch@example.com', 'about my order'),
        twilio(sms, 'SMO-1', '+8613900000007', 'I also sent an email'),
        twilio(sms, 'SMO-2', '+8613900000008', 'someone else, order'),
      ])
    ).map(accepted);
    expect(byMail).toMatchObject({ customerId: customer.id, isNewConversation: true });
    expect(bySms).toMatchObject({ customerId: customer.id, conversationId: byMail.conversationId, isNewConversation: false });
    expect(other.customerId).not.toBe(customer.id);
    expect(other.conversationId).not.toBe(byMail.conversationId);
    // Replies go out on the channel the customer wrote on last.
    expect((await q('SELECT last_channel_kind FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [byMail.conversationId]))[0].last_channel_kind).toBe(
      'sms',
    );

    const [byWechat] = (await batch([wechatText('7000000002', 'oWx-omni-batch', '还在等')])).map(accepted);
    expect(byWechat).toMatchObject({ customerId: customer.id, conversationId: byMail.conversationId, isNewConversation: false });
    const conv = await api('GET', `/v1/conversations/${byMail.conversationId}`, undefined, 200);
    expect(conv).toMatchObject({ last_channel_kind: 'wechat', status: 'open' });
    const kinds = (await api('GET', `/v1/conversations/${byMail.conversationId}/messages`, undefined, 200)).data.map((m: any) => m.channel_kind);
    expect(kinds).toEqual(['email', 'sms', 'wechat']);
  });

  it('reopens a resolved conversation answered in its thread with one write, on the channel the customer came back on', async () => {
    const phone = '+8613900000031';
    const [first] = (await batch([twilio(sms, 'SMR-1', phone, 'my order is late')])).map(accepted);
    await api('PATCH', `/v1/conversations/${first.conversationId}`, { status: 'resolved' }, 200);
    const [{ reply_token: token }] = await q('SELECT reply_token FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [first.conversationId]);

    const writes: string[] = [];
    const query = pg.Client.prototype.query;
    (pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
      const text = String(typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? ''));
      const values: unknown[] = (typeof args[0] === 'string' ? args[1] : args[0]?.values) ?? [];
      if (/^\s*(UPDATE|INSERT INTO) inbox_conversations/.test(text) && /status = 'open'/.test(text) && values.flat().includes(first.conversationId))
        writes.push(text);
      return (query as any).apply(this, args);
    };
    let back: any[];
    try {
      // The reply names the thread; a second message of the batch comes on the other number.
      back = (await batch([{ ...twilio(sms, 'SMR-2', phone, 'it came broken'), replyToken: token }, twilio(sms2, 'SMR-3', phone, 'photos to follow')])).map(
        accepted,
      );
    } finally {
      pg.Client.prototype.query = query;
    }
    expect(back.map((x) => x.conversationId)).toEqual([first.conversationId, first.conversationId]);
    expect(writes).toHaveLength(1);
    const [conv] = await q(
      'SELECT status, resolved_at, last_channel_id, last_channel_kind, last_inbound_at, updated_at FROM inbox_conversations WHERE tenant_id = $1 AND id = $2',
      [first.conversationId],
    );
    expect(conv).toMatchObject({ status: 'open', resolved_at: null, last_channel_id: sms2.id, last_channel_kind: 'sms' });
    const [last] = await q('SELECT created_at FROM inbox_messages WHERE tenant_id = $1 AND id = $2', [back[1].messageId]);
    expect(conv.last_inbound_at.getTime()).toBe(last.created_at.getTime());
    expect(conv.updated_at.getTime()).toBe(last.created_at.getTime());
  });

  it('costs a handful of statements for a batch of messages, not a transaction per message', async () => {
    // Customers who already have an open conversation: the steady state of a busy inbox.
    const phones = Array.from({ length: 20 }, (_, i) => `+86139100000${String(i).padStart(2, '0')}`);
    await batch(phones.map((p, i) => twilio(sms, `SMQ-a${i}`, p, 'order?')));
    let statements = 0;
    const query = pg.Client.prototype.query;
    // Only the inbox's and customers' statements: the job queue polls the same database meanwhile.
    (pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
      const text = String(typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? ''));
      if (/inbox_|customer/.test(text) && !text.includes('pgboss')) statements++;
      return (query as any).apply(this, args);
    };
    try {
      const results = (await batch(phones.map((p, i) => twilio(sms, `SMQ-b${i}`, p, 'still there?')))).map(accepted);
      expect(results.every((x) => x.status === 'accepted' && !x.isNewConversation)).toBe(true);
    } finally {
      pg.Client.prototype.query = query;
    }
    // Retries look-up, customers, wake, messages, timeline: five statements for twenty messages.
    expect(statements).toBeLessThanOrEqual(6);
  });
});
