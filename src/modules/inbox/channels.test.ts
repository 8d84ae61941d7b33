// Every channel through a real exchange: signed and unsigned Twilio form posts, WeChat XML in plain
// and safe mode, mail sent by nodemailer to the SMTP listener (GBK and Big5 included), the answer
// sent back over SMTP to a second SMTP server, provider webhooks, and web chat over a WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import iconv from 'iconv-lite';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { encryptWechat } from './wechat-crypto.js';
import { twilioSign, sha1Sorted } from '../../../test/fixtures/provider-signatures.js';
import { Socket } from '../../../test/socket.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe.each(databases)('inbox channels on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  let smtpPort: number;
  let sinkServer: SmtpListener;
  const sink = () => sinkServer.messages.map((m) => m.mail);
  const busMessages: { type: string; payload: any }[] = [];

  const api = (method: string, path: string, body?: unknown) =>
    r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });
  const createChannel = async (body: unknown) => {
    const res = await api('POST', '/v1/inbox/channels', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const conversationsOf = async (customerId: string) => (await api('GET', `/v1/conversations?customer_id=${customerId}`)).json().data;
  const messagesOf = async (conversationId: string) => (await api('GET', `/v1/conversations/${conversationId}/messages`)).json().data;
  const lookup = async (kind: string, value: string) => (await api('GET', `/v1/customers/lookup?kind=${kind}&value=${encodeURIComponent(value)}`)).json();
  const rowCount = async (table: string) => (await r.db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [t.tenantId])).rows[0].n;

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    smtpPort = (await r.inbox.startSmtp({ port: 0, host: '127.0.0.1' })).port;
    sinkServer = await startSmtpListener();
    for (const type of ['message.received', 'conversation.resolved'])
      r.bus.subscribe(type, (m) => {
        busMessages.push({ type: m.type, payload: m.payload });
      });
  });
  afterAll(async () => {
    await sinkServer?.close();
    await r?.close();
  });

  describe('Twilio SMS and WhatsApp', () => {
    let channel: any;
    let hook: string;
    beforeAll(async () => {
      channel = await createChannel({
        kind: 'sms',
        name: 'SMS',
        settings: { account_sid: 'AC123', from: '+14155550100', api_base: 'http://127.0.0.1:9' },
        secrets: { auth_token: 'twilio-auth-token-123' },
      });
      hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${channel.id}`;
    });
    const post = (params: Record<string, string>, signature?: string) =>
      fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(params).toString(),
      });

    it('answers the channel with its auth token masked, never in full', async () => {
      const res = await api('GET', `/v1/inbox/channels/${channel.id}`);
      expect(res.body).not.toContain('twilio-auth-token-123');
      expect(res.json().secrets.auth_token).toBe('••••-123');
      // The URL to paste into Twilio's console is the one its webhooks are taken at.
      expect(res.json().webhook_urls.twilio).toBe(`http://localhost:80${new URL(hook).pathname}`);
      const stored = (await r.db.pool.query('SELECT secrets FROM inbox_channels WHERE tenant_id = $1 AND id = $2', [t.tenantId, channel.id])).rows[0].secrets;
      expect(stored).not.toContain('twilio-auth-token-123');
    });

    it('stores a signed message once, however often Twilio retries it, and refuses unsigned ones', async () => {
      const params = {
        MessageSid: 'SM0001',
        AccountSid: 'AC123',
        From: '+8613800138001',
        To: '+14155550100',
        Body: 'Where is my order?',
        NumMedia: '1',
        MediaUrl0: 'https://media.example.com/a.jpg',
        MediaContentType0: 'image/jpeg',
        SomeNewParam: 'accepted',
      };
      const before = await rowCount('inbox_messages');
      expect((await post(params)).status).toBe(401);
      expect((await post(params, twilioSign('wrong-token-xxxxxx', hook, params))).status).toBe(401);
      expect((await post({ ...params, Body: 'tampered' }, twilioSign('twilio-auth-token-123', hook, params))).status).toBe(401);
      expect(await rowCount('inbox_messages')).toBe(before);

      const ok = await post(params, twilioSign('twilio-auth-token-123', hook, params));
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('<Response>');
      expect((await post(params, twilioSign('twilio-auth-token-123', hook, params))).status).toBe(200);
      expect(await rowCount('inbox_messages')).toBe(before + 1);

      const customer = await lookup('phone', '+8613800138001');
      const [conv] = await conversationsOf(customer.id);
      expect(conv).toMatchObject({ status: 'open', last_channel_kind: 'sms', customer_id: customer.id });
      const [msg] = await messagesOf(conv.id);
      expect(msg).toMatchObject({ direction: 'in', text: 'Where is my order?', external_id: 'SM0001', channel_kind: 'sms' });
      expect(msg.attachments).toEqual([expect.objectContaining({ url: 'https://media.example.com/a.jpg', content_type: 'image/jpeg' })]);
      await r.bus.drain();
      expect(busMessages.filter((m) => m.type === 'message.received' && m.payload.messageId === msg.id)).toEqual([
        {
          type: 'message.received',
          payload: { conversationId: conv.id, messageId: msg.id, customerId: customer.id, channel: 'sms', text: 'Where is my order?', isNewConversation: true },
        },
      ]);
      const timeline = (await api('GET', `/v1/customers/${customer.id}/timeline`)).json().data.map((e: any) => e.type);
      expect(timeline).toEqual(expect.arrayContaining(['message.received', 'conversation.opened']));
    });

    it('checks webhooks against a rotated auth token at once, and refuses them while the channel is disabled', async () => {
      const sms = await createChannel({
        kind: 'sms',
        name: 'SMS rotating',
        settings: { account_sid: 'AC123', from: '+14155550109' },
        secrets: { auth_token: 'twilio-auth-token-old' },
      });
      const url = `${base}/hooks/inbox/${t.tenantId}/twilio/${sms.id}`;
      const send = (params: Record<string, string>, token: string) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign(token, url, params) },
          body: new URLSearchParams(params).toString(),
        });
      const params = (sid: string) => ({ MessageSid: sid, AccountSid: 'AC123', From: '+8613800138009', To: '+14155550109', Body: 'Hello', NumMedia: '0' });
      // The first webhook leaves the channel in this node's cache; a change through the API must not wait for it to expire.
      expect((await send(params('SMROT-1'), 'twilio-auth-token-old')).status).toBe(200);
      expect((await api('PATCH', `/v1/inbox/channels/${sms.id}`, { secrets: { auth_token: 'twilio-auth-token-new' } })).statusCode).toBe(200);
      expect((await send(params('SMROT-2'), 'twilio-auth-token-old')).status).toBe(401);
      expect((await send(params('SMROT-3'), 'twilio-auth-token-new')).status).toBe(200);
      expect((await api('PATCH', `/v1/inbox/channels/${sms.id}`, { is_enabled: false })).statusCode).toBe(200);
      expect((await send(params('SMROT-4'), 'twilio-auth-token-new')).status).toBe(403);
      const stored = (
        await r.db.pool.query(`SELECT external_id FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $2 ORDER BY external_id`, [t.tenantId, sms.id])
      ).rows.map((x) => x.external_id);
      expect(stored).toEqual(['SMROT-1', 'SMROT-3']);
    });

    it('takes WhatsApp in the same format, the sender name from ProfileName', async () => {
      const wa = await createChannel({
        kind: 'whatsapp',
        name: 'WhatsApp',
        settings: { account_sid: 'AC123', from: 'whatsapp:+14155550100' },
        secrets: { auth_token: 'twilio-auth-token-456' },
      });
      const waHook = `${base}/hooks/inbox/${t.tenantId}/twilio/${wa.id}`;
      const params = {
        MessageSid: 'SMwa01',
        From: 'whatsapp:+8613900139002',
        To: 'whatsapp:+14155550100',
        Body: '你好',
        ProfileName: 'Li Lei',
        WaId: '8613900139002',
        NumMedia: '0',
      };
      const res = await fetch(waHook, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign('twilio-auth-token-456', waHook, params) },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(200);
      const customer = await lookup('phone', '+8613900139002');
      const [conv] = await conversationsOf(customer.id);
      expect(conv).toMatchObject({ last_channel_kind: 'whatsapp', language: 'zh' });
      const [msg] = await messagesOf(conv.id);
      expect(msg.meta).toMatchObject({ sender_name: 'Li Lei', is_whatsapp: true, reply_address: 'whatsapp:+8613900139002' });
    });
  });

  describe('WeChat Official Account', () => {
    let channel: any;
    let hook: string;
    beforeAll(async () => {
      channel = await createChannel({
        kind: 'wechat',
        name: 'WeChat',
        settings: { app_id: 'wx1234567890' },
        secrets: { token: 'wechatToken1', encoding_aes_key: AES_KEY, app_secret: 'app-secret-xyz' },
      });
      hook = `${base}/hooks/inbox/${t.tenantId}/wechat/${channel.id}`;
    });
    const signed = (extra = '') => {
      const timestamp = String(Math.floor(r.clock.now().getTime() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      return { timestamp, nonce, qs: `timestamp=${timestamp}&nonce=${nonce}&signature=${sha1Sorted('wechatToken1', timestamp, nonce)}${extra}` };
    };
    const xml = (f: Record<string, string | number>) =>
      `<xml>${Object.entries(f)
        .map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
        .join('')}</xml>`;

    it('echoes echostr for a correctly signed verification and refuses a wrong one', async () => {
      const s = signed();
      const ok = await fetch(`${hook}?${s.qs}&echostr=hello123`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('hello123');
      const bad = await fetch(`${hook}?timestamp=${s.timestamp}&nonce=${s.nonce}&signature=deadbeef&echostr=hello123`);
      expect(bad.status).toBe(401);
      expect(await bad.text()).not.toContain('hello123');
    });

    it('stores a signed text message once across WeChat retries and refuses an unsigned one', async () => {
      const body = xml({
        ToUserName: 'gh_abc',
        FromUserName: 'oOpenId0001',
        CreateTime: 1767225600,
        MsgType: 'text',
        Content: '我的积分怎么没到账',
        MsgId: 770001,
      });
      const before = await rowCount('inbox_messages');
      const unsigned = await fetch(`${hook}?timestamp=1&nonce=2`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
      expect(unsigned.status).toBe(401);
      expect(await rowCount('inbox_messages')).toBe(before);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${hook}?${signed().qs}&openid=oOpenId0001`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('success');
      }
      expect(await rowCount('inbox_messages')).toBe(before + 1);
      const customer = await lookup('wechat_openid', 'oOpenId0001');
      const [conv] = await conversationsOf(customer.id);
      expect((await messagesOf(conv.id)).map((m: any) => m.text)).toEqual(['我的积分怎么没到账']);
    });

    it('decrypts safe-mode messages signed with msg_signature and refuses a wrong signature or AppID', async () => {
      const inner = xml({
        ToUserName: 'gh_abc',
        FromUserName: 'oOpenId0002',
        CreateTime: 1767225700,
        MsgType: 'location',
        Location_X: 31.2304,
        Location_Y: 121.4737,
        Scale: 15,
        Label: '上海市',
        MsgId: 770002,
      });
      const post = (encrypted: string, sig: string, ts: string, nonce: string) =>
        fetch(`${hook}?timestamp=${ts}&nonce=${nonce}&encrypt_type=aes&msg_signature=${sig}&signature=${sha1Sorted('wechatToken1', ts, nonce)}`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml' },
          body: xml({ ToUserName: 'gh_abc', Encrypt: encrypted }),
        });
      const ts = String(Math.floor(r.clock.now().getTime() / 1000));
      const enc = encryptWechat(AES_KEY, inner, 'wx1234567890');
      expect((await post(enc, 'f'.repeat(40), ts, '42')).status).toBe(401);
      const foreign = encryptWechat(AES_KEY, inner, 'wxSomebodyElse');
      expect((await post(foreign, sha1Sorted('wechatToken1', ts, '42', foreign), ts, '42')).status).toBe(401);
      expect(await lookup('wechat_openid', 'oOpenId0002')).toMatchObject({ status: 404 });

      const ok = await post(enc, sha1Sorted('wechatToken1', ts, '42', enc), ts, '42');
      expect(ok.status).toBe(200);
      const customer = await lookup('wechat_openid', 'oOpenId0002');
      const [conv] = await conversationsOf(customer.id);
      const [msg] = await messagesOf(conv.id);
      expect(msg.text).toBe('[location] 上海市 (31.2304, 121.4737)');
      expect(msg.meta).toMatchObject({ msg_type: 'location', label: '上海市' });
    });

    it('refuses a plain-mode message signed more than five minutes ago, and a timestamp and nonce used before, whatever the body', async () => {
      const message = (openid: string, content: string, msgId: number) =>
        xml({ ToUserName: 'gh_abc', FromUserName: openid, CreateTime: 1767225900, MsgType: 'text', Content: content, MsgId: msgId });
      const send = (qs: string, body: string) => fetch(`${hook}?${qs}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
      const before = await rowCount('inbox_messages');
      const old = String(Math.floor(r.clock.now().getTime() / 1000) - 6 * 60);
      expect((await send(`timestamp=${old}&nonce=77&signature=${sha1Sorted('wechatToken1', old, '77')}`, message('oForged01', 'forged', 770101))).status).toBe(
        401,
      );
      const future = String(Math.floor(r.clock.now().getTime() / 1000) + 6 * 60);
      expect(
        (await send(`timestamp=${future}&nonce=77&signature=${sha1Sorted('wechatToken1', future, '77')}`, message('oForged01', 'forged', 770102))).status,
      ).toBe(401);

      const s = signed();
      expect((await send(s.qs, message('oOpenId0004', 'first', 770103))).status).toBe(200);
      expect((await send(s.qs, message('oForged02', 'replayed with another body', 770104))).status).toBe(401);
      // A verification URL seen in a proxy log signs nothing more once WeChat has used it.
      const v = signed();
      expect((await fetch(`${hook}?${v.qs}&echostr=abc`)).status).toBe(200);
      expect((await send(v.qs, message('oForged03', 'from the echostr triple', 770105))).status).toBe(401);
      expect(await rowCount('inbox_messages')).toBe(before + 1);
      for (const openid of ['oForged01', 'oForged02', 'oForged03']) expect(await lookup('wechat_openid', openid)).toMatchObject({ status: 404 });
    });

    it('records subscribe events on the timeline once per FromUserName and CreateTime, without a conversation', async () => {
      const body = xml({
        ToUserName: 'gh_abc',
        FromUserName: 'oOpenId0003',
        CreateTime: 1767225800,
        MsgType: 'event',
        Event: 'subscribe',
        EventKey: 'qrscene_store42',
      });
      for (let i = 0; i < 2; i++)
        expect((await fetch(`${hook}?${signed().qs}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body })).status).toBe(200);
      const customer = await lookup('wechat_openid', 'oOpenId0003');
      const timeline = (await api('GET', `/v1/customers/${customer.id}/timeline`)).json().data;
      expect(timeline.filter((e: any) => e.type === 'wechat.subscribe')).toEqual([
        expect.objectContaining({ properties: expect.objectContaining({ event_key: 'qrscene_store42' }) }),
      ]);
      expect(await conversationsOf(customer.id)).toEqual([]);
    });
  });

  describe('email', () => {
    let channel: any;
    beforeAll(async () => {
      channel = await createChannel({
        kind: 'email',
        name: 'Support',
        settings: {
          address: `support@${t.slug}.example.com`,
          from_name: 'Acme Support',
          smtp: { host: '127.0.0.1', port: sinkServer.port, secure: false },
          sendgrid_user: 'sg',
        },
        secrets: { mailgun_signing_key: 'mailgun-signing-key-1', sendgrid_password: 'sendgrid-password-1' },
      });
    });
    const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

    it('receives mail over SMTP with a GBK subject and body and keeps attachments', async () => {
      const subject = iconv.encode('订单问题：发票没有收到', 'gbk').toString('base64');
      const body = iconv.encode('您好，我上周的订单还没有收到发票。', 'gbk').toString('base64');
      const raw = [
        'From: =?GBK?B?' + iconv.encode('张伟', 'gbk').toString('base64') + '?= <zhang.wei@example.cn>',
        `To: support@${t.slug}.example.com`,
        `Subject: =?GBK?B?${subject}?=`,
        'Message-ID: <gbk-0001@example.cn>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=GBK',
        'Content-Transfer-Encoding: base64',
        '',
        body,
        '--b1',
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4 fake').toString('base64'),
        '--b1--',
        '',
      ].join('\r\n');
      const info = await transport().sendMail({ envelope: { from: 'zhang.wei@example.cn', to: [`support@${t.slug}.example.com`] }, raw });
      expect(info.accepted).toEqual([`support@${t.slug}.example.com`]);
      const customer = await lookup('email', 'zhang.wei@example.cn');
      const [conv] = await conversationsOf(customer.id);
      expect(conv.subject).toBe('订单问题：发票没有收到');
      const [msg] = await messagesOf(conv.id);
      expect(msg).toMatchObject({ text: '您好，我上周的订单还没有收到发票。', external_id: '<gbk-0001@example.cn>', channel_kind: 'email' });
      expect(msg.meta.sender_name).toBe('张伟');
      expect(msg.attachments).toEqual([expect.objectContaining({ filename: 'invoice.pdf', content_type: 'application/pdf', size: 13 })]);
      const file = await api('GET', `/v1/inbox/attachments/${msg.attachments[0].id}`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.toString()).toBe('%PDF-1.4 fake');
    });

    it('decodes Big5 and refuses mail for addresses that are not a channel', async () => {
      const raw = [
        `From: chen@example.tw`,
        `To: support@${t.slug}.example.com`,
        `Subject: =?Big5?B?${iconv.encode('退貨申請', 'big5').toString('base64')}?=`,
        'Message-ID: <big5-0001@example.tw>',
        'Content-Type: text/plain; charset=Big5',
        'Content-Transfer-Encoding: base64',
        '',
        iconv.encode('請問如何退貨？', 'big5').toString('base64'),
        '',
      ].join('\r\n');
      await transport().sendMail({ envelope: { from: 'chen@example.tw', to: [`support@${t.slug}.example.com`] }, raw });
      const [conv] = await conversationsOf((await lookup('email', 'chen@example.tw')).id);
      expect(conv.subject).toBe('退貨申請');
      expect((await messagesOf(conv.id))[0].text).toBe('請問如何退貨？');
      await expect(transport().sendMail({ from: 'x@example.com', to: 'nobody@elsewhere.example.com', subject: 'relay?', text: 'x' })).rejects.toThrow(/550/);
    });

    it('answers over SMTP with threading headers, and the customer reply threads back by In-Reply-To and by reply+token', async () => {
      await transport().sendMail({
        from: 'Wang Fang <wang.fang@example.com>',
        to: `support@${t.slug}.example.com`,
        subject: 'Refund status',
        text: 'Any news on my refund?',
        messageId: '<first-0001@example.com>',
        attachments: [{ filename: 'receipt.txt', content: 'paid 100' }],
      });
      const customer = await lookup('email', 'wang.fang@example.com');
      const [conv] = await conversationsOf(customer.id);
      expect((await messagesOf(conv.id))[0].attachments[0]).toMatchObject({ filename: 'receipt.txt', size: 8 });
      const sent = await api('POST', `/v1/conversations/${conv.id}/messages`, { text: 'Your refund left today.' });
      expect(sent.statusCode, sent.body).toBe(201);
      expect(sent.json()).toMatchObject({ delivery_status: 'sent', to: 'wang.fang@example.com' });
      const out = sink().find((m) => m.subject === 'Re: Refund status')!;
      expect(out).toBeDefined();
      expect(out.inReplyTo).toBe('<first-0001@example.com>');
      expect([out.references].flat()).toContain('<first-0001@example.com>');
      expect(out.messageId).toMatch(new RegExp(`^<msg_[0-9a-z]+@${t.slug}\\.example\\.com>$`));
      const replyTo = out.replyTo!.value[0].address!;
      expect(replyTo).toMatch(new RegExp(`^support\\+[a-z0-9]+@${t.slug}\\.example\\.com$`));

      // Resolved, then the customer answers the agent's mail: the same conversation reopens.
      expect((await api('PATCH', `/v1/conversations/${conv.id}`, { status: 'resolved' })).json().status).toBe('resolved');
      await transport().sendMail({
        from: 'wang.fang@example.com',
        to: `support@${t.slug}.example.com`,
        subject: 'Re: Refund status',
        text: 'Thanks!',
        inReplyTo: out.messageId,
        references: [out.messageId!],
      });
      expect(await conversationsOf(customer.id)).toEqual([expect.objectContaining({ id: conv.id, status: 'open' })]);
      // Headers stripped by some mail client: the reply+token address still finds the thread.
      await api('PATCH', `/v1/conversations/${conv.id}`, { status: 'resolved' });
      await transport().sendMail({ from: 'wang.fang@example.com', to: replyTo, subject: 'one more thing', text: 'Also the invoice.' });
      expect(await conversationsOf(customer.id)).toEqual([expect.objectContaining({ id: conv.id, status: 'open' })]);
      expect((await messagesOf(conv.id)).map((m: any) => `${m.direction}:${m.text}`)).toEqual([
        'in:Any news on my refund?',
        'out:Your refund left today.',
        'in:Thanks!',
        'in:Also the invoice.',
      ]);
    });

    it('verifies Mailgun signatures before storing anything', async () => {
      const hook = `${base}/hooks/inbox/${t.tenantId}/mailgun/${channel.id}`;
      const timestamp = String(Math.floor(r.clock.now().getTime() / 1000));
      const token = 'mgtoken0001';
      const fields = {
        timestamp,
        token,
        signature: createHmac('sha256', 'mailgun-signing-key-1')
          .update(timestamp + token)
          .digest('hex'),
        sender: 'li.na@example.com',
        from: 'Li Na <li.na@example.com>',
        recipient: `support@${t.slug}.example.com`,
        subject: 'Mailgun test',
        'body-plain': 'via mailgun',
        'Message-Id': '<mg-0001@example.com>',
      };
      const form = (f: Record<string, string>) => {
        const fd = new FormData();
        for (const [k, v] of Object.entries(f)) fd.append(k, v);
        fd.append('attachment-1', new Blob(['hello']), 'hello.txt');
        return fd;
      };
      expect((await fetch(hook, { method: 'POST', body: form({ ...fields, signature: 'bad' }) })).status).toBe(401);
      expect((await lookup('email', 'li.na@example.com')).status).toBe(404);
      expect((await fetch(hook, { method: 'POST', body: form(fields) })).status).toBe(200);
      const [conv] = await conversationsOf((await lookup('email', 'li.na@example.com')).id);
      const [msg] = await messagesOf(conv.id);
      expect(msg).toMatchObject({ text: 'via mailgun', subject: 'Mailgun test', external_id: '<mg-0001@example.com>' });
      expect(msg.attachments[0]).toMatchObject({ filename: 'hello.txt', size: 5 });
    });

    it('refuses a Mailgun signature bent between timestamp and token, a stale one, and a token used before', async () => {
      const hook = `${base}/hooks/inbox/${t.tenantId}/mailgun/${channel.id}`;
      const sign = (timestamp: string, token: string) =>
        createHmac('sha256', 'mailgun-signing-key-1')
          .update(timestamp + token)
          .digest('hex');
      const mail = (sender: string, body: string, id: string) => ({
        sender,
        from: sender,
        recipient: `support@${t.slug}.example.com`,
        subject: 'Mailgun',
        'body-plain': body,
        'Message-Id': `<${id}@example.com>`,
      });
      const send = (f: Record<string, string>) => fetch(hook, { method: 'POST', body: new URLSearchParams(f) });
      const now = Math.floor(r.clock.now().getTime() / 1000);
      // A year-old signature: moving the token's first character to the timestamp keeps the signed string.
      const yearAgo = String(now - 365 * 86400);
      const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5';
      const captured = sign(yearAgo, token);
      expect(
        (await send({ timestamp: yearAgo + token[0], token: token.slice(1), signature: captured, ...mail('bent@example.com', 'bent', 'mg-bent') })).status,
      ).toBe(401);
      expect((await send({ timestamp: yearAgo, token, signature: captured, ...mail('stale@example.com', 'stale', 'mg-stale') })).status).toBe(401);
      expect((await send({ timestamp: String(now), token, signature: 'zz'.repeat(32), ...mail('nothex@example.com', 'not hex', 'mg-nothex') })).status).toBe(
        401,
      );

      // A fresh tuple is taken once (its hex in capitals too); replayed with another sender and body it is refused.
      const fresh = { timestamp: String(now), token: 'f'.repeat(50), signature: sign(String(now), 'f'.repeat(50)).toUpperCase() };
      expect((await send({ ...fresh, ...mail('first.mailgun@example.com', 'first', 'mg-first') })).status).toBe(200);
      expect((await send({ ...fresh, ...mail('replay@example.com', 'replayed', 'mg-replay') })).status).toBe(401);
      for (const sender of ['bent@example.com', 'stale@example.com', 'nothex@example.com', 'replay@example.com'])
        expect((await lookup('email', sender)).status).toBe(404);
      expect((await lookup('email', 'first.mailgun@example.com')).id).toBeTruthy();
      expect(
        (
          await r.db.pool.query(`SELECT expires_at FROM webhook_nonces WHERE tenant_id = $1 AND scope = $2 AND nonce = $3`, [
            t.tenantId,
            `mailgun:${channel.id}`,
            'f'.repeat(50),
          ])
        ).rows[0].expires_at.getTime(),
      ).toBe((now + 15 * 60) * 1000);
    });

    it('takes SendGrid Inbound Parse fields in their declared charsets behind basic auth', async () => {
      const hook = `${base}/hooks/inbox/${t.tenantId}/sendgrid/${channel.id}`;
      // Built by hand: SendGrid posts GBK bytes as plain form fields, which FormData cannot express.
      const boundary = 'sgboundary42';
      const part = (name: string, value: Buffer | string) =>
        Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
      const fd = Buffer.concat([
        part('from', 'Zhao <zhao@example.cn>'),
        part('to', `support@${t.slug}.example.com`),
        part('subject', iconv.encode('会员等级', 'gbk')),
        part('text', iconv.encode('我的会员等级不对', 'gbk')),
        part('charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'GBK', text: 'GBK' })),
        part('headers', 'Message-ID: <sg-0001@example.cn>\r\nSubject: x\r\n'),
        part('envelope', JSON.stringify({ to: [`support@${t.slug}.example.com`], from: 'zhao@example.cn' })),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const ct = { 'content-type': `multipart/form-data; boundary=${boundary}` };
      const auth = (p: string) => `Basic ${Buffer.from(`sg:${p}`).toString('base64')}`;
      expect((await fetch(hook, { method: 'POST', body: fd, headers: { ...ct, authorization: auth('wrong') } })).status).toBe(401);
      expect((await fetch(hook, { method: 'POST', body: fd, headers: ct })).status).toBe(401);
      expect((await fetch(hook, { method: 'POST', body: fd, headers: { ...ct, authorization: auth('sendgrid-password-1') } })).status).toBe(200);
      const [conv] = await conversationsOf((await lookup('email', 'zhao@example.cn')).id);
      expect(conv.subject).toBe('会员等级');
      expect((await messagesOf(conv.id))[0]).toMatchObject({ text: '我的会员等级不对', external_id: '<sg-0001@example.cn>' });
    });
  });

  describe('web chat and the signed API channel', () => {
    it('chats over a WebSocket, replies reach the visitor, and identifying joins the anonymous profile to the customer', async () => {
      const created = await createChannel({ kind: 'webchat', name: 'Site chat' });
      const secret = created.secrets.identity_secret as string;
      expect(secret.length).toBeGreaterThan(30);
      expect((await api('GET', `/v1/inbox/channels/${created.id}`)).json().secrets.identity_secret).toMatch(/^••••/);
      const wsBase = base.replace('http', 'ws');
      const agent = await Socket.open(`${wsBase}/v1/inbox/feed`, t.headers);
      await agent.next((f) => f.type === 'ready');
      const visitor = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${created.id}`);
      const welcome = await visitor.next((f) => f.type === 'welcome');
      expect(welcome.anonymous_id).toMatch(/^anon_/);
      visitor.send({ type: 'message', text: 'Hello, is anyone there?', client_id: 'c1' });
      const ack = await visitor.next((f) => f.type === 'ack');
      const feed = await agent.next((f) => f.type === 'message.created' && f.message_id === ack.message_id);
      expect(feed).toMatchObject({ conversation_id: ack.conversation_id, direction: 'in', channel: 'webchat', text: 'Hello, is anyone there?' });

      const res = await api('POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'Yes, how can I help?' });
      expect(res.json()).toMatchObject({ delivery_status: 'sent', to: welcome.anonymous_id });
      expect(await visitor.next((f) => f.type === 'message')).toMatchObject({ text: 'Yes, how can I help?', direction: 'out' });

      // Reconnecting with the signed anonymous id keeps the visitor; a forged token does not.
      visitor.close();
      const again = await Socket.open(
        `${wsBase}/hooks/inbox/${t.tenantId}/webchat/${created.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`,
      );
      expect((await again.next((f) => f.type === 'welcome')).anonymous_id).toBe(welcome.anonymous_id);
      const forged = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${created.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=forged`);
      expect((await forged.next((f) => f.type === 'welcome')).anonymous_id).not.toBe(welcome.anonymous_id);
      forged.close();

      const known = (await api('POST', '/v1/customers', { identities: { email: 'known.visitor@example.com' }, display_name: 'Known Visitor' })).json();
      again.send({ type: 'identify', kind: 'email', value: 'known.visitor@example.com', hash: 'not-the-hash' });
      expect(await again.next((f) => f.type === 'error')).toMatchObject({ message: 'identity not verified' });
      again.send({
        type: 'identify',
        kind: 'email',
        value: 'known.visitor@example.com',
        hash: createHmac('sha256', secret).update('known.visitor@example.com').digest('hex'),
      });
      await again.next((f) => f.type === 'identified');
      await r.bus.drain();
      expect((await lookup('anonymous_id', welcome.anonymous_id)).id).toBe(known.id);
      expect((await conversationsOf(known.id)).map((c: any) => c.id)).toEqual([ack.conversation_id]);
      again.close();
      agent.close();
    });

    it('accepts the signed API channel (Weibo DMs, phone logs) and refuses a bad signature', async () => {
      const created = await createChannel({ kind: 'api', name: 'Weibo', settings: { source: 'weibo' } });
      const secret = created.secrets.signing_secret as string;
      const hook = `${base}/hooks/inbox/${t.tenantId}/api/${created.id}`;
      const body = JSON.stringify({ id: 'weibo-dm-1', identities: { weibo_uid: '1234567890' }, text: '客服你好', type: 'weibo_dm' });
      const ts = String(Math.floor(r.clock.now().getTime() / 1000));
      const sig = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
      expect(
        (await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-rapport-timestamp': ts, 'x-rapport-signature': 'bad' }, body }))
          .status,
      ).toBe(401);
      const stale = String(Number(ts) - 3600);
      expect(
        (
          await fetch(hook, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-rapport-timestamp': stale,
              'x-rapport-signature': createHmac('sha256', secret).update(`${stale}.${body}`).digest('hex'),
            },
            body,
          })
        ).status,
      ).toBe(401);
      const ok = await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-rapport-timestamp': ts, 'x-rapport-signature': sig },
        body,
      });
      expect(ok.status).toBe(201);
      const again = await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-rapport-timestamp': ts, 'x-rapport-signature': sig },
        body,
      });
      expect((await again.json()).status).toBe('duplicate');
      const customer = await lookup('weibo_uid', '1234567890');
      expect((await messagesOf((await conversationsOf(customer.id))[0].id))[0]).toMatchObject({
        text: '客服你好',
        meta: expect.objectContaining({ source: 'weibo', type: 'weibo_dm' }),
      });
    });
  });

  it('keeps one conversation per customer across channels, and replies go out on the channel last used', async () => {
    const sms = (await api('GET', '/v1/inbox/channels')).json().data.find((c: any) => c.kind === 'sms');
    const email = (await api('GET', '/v1/inbox/channels')).json().data.find((c: any) => c.kind === 'email');
    const customer = (await api('POST', '/v1/customers', { identities: { email: 'omni@example.com', phone: '+8613700137003' } })).json();
    const hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${sms.id}`;
    const params = { MessageSid: 'SMomni1', From: '+8613700137003', To: '+14155550100', Body: 'texting first' };
    await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign('twilio-auth-token-123', hook, params) },
      body: new URLSearchParams(params).toString(),
    });
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: smtpPort, ignoreTLS: true })
      .sendMail({ from: 'omni@example.com', to: email.settings.address, subject: 'then email', text: 'emailing now' });
    const convs = await conversationsOf(customer.id);
    expect(convs).toHaveLength(1);
    expect(convs[0].last_channel_kind).toBe('email');
    expect((await messagesOf(convs[0].id)).map((m: any) => m.channel_kind)).toEqual(['sms', 'email']);
    const before = sink().length;
    const sent = (await api('POST', `/v1/conversations/${convs[0].id}/messages`, { text: 'answer by mail' })).json();
    expect(sent).toMatchObject({ channel_id: email.id, to: 'omni@example.com', delivery_status: 'sent' });
    expect(sink().length).toBe(before + 1);
    // The agent picks SMS: the channel's Twilio base is a closed loopback port, so the reply is stored and kept for a retry, not lost.
    const bySms = await api('POST', `/v1/conversations/${convs[0].id}/messages`, { text: 'and by SMS', channel_id: sms.id });
    expect(bySms.json()).toMatchObject({ channel_id: sms.id, to: '+8613700137003' });
    expect((await messagesOf(convs[0].id)).at(-1)).toMatchObject({ text: 'and by SMS', channel_kind: 'sms' });
  });
});
