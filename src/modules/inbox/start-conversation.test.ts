// An agent writes first, over real exchanges: a WeChat customer-service message to a local server
// answering as WeChat's API (access_token, then message/custom/send), and an email over SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, WECHAT_APP_ID, WECHAT_SECRET, type FakeProviders } from '../../../test/fixtures/providers.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('agent-initiated conversations on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let providers: FakeProviders;
  let smtp: SmtpListener;
  let wechat: { id: string };
  let email: { id: string };
  let agent: { id: string };
  const api = async (method: 'GET' | 'POST', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    providers = await startFakeProviders();
    smtp = await startSmtpListener();
    r = await startTestApp(url, { jobs: false });
    t = await createTestTenant(r);
    wechat = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'wechat',
        name: 'WeChat',
        settings: { app_id: WECHAT_APP_ID, api_base: providers.base },
        secrets: { token: 'wechatToken1', app_secret: WECHAT_SECRET },
      })
    ).json();
    email = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'email',
        name: 'Support',
        settings: { address: `support@${t.slug}.example.com`, from_name: 'Acme Support', smtp: { host: smtp.host, port: smtp.port, secure: false } },
      })
    ).json();
    agent = (await api('POST', '/v1/inbox/agents', { name: 'Lin', status: 'online', capacity: 5 })).json();
  });
  afterAll(async () => {
    await r?.close();
    await providers?.close();
    await smtp?.close();
  });

  const customer = async (identities: Record<string, string>) => (await api('POST', '/v1/customers', { identities })).json().id as string;

  it('opens a conversation with a WeChat customer-service message, assigned to the agent who wrote', async () => {
    const c = await customer({ wechat_openid: 'oOPENID_start_1' });
    const before = providers.wechat.length;
    const res = await api('POST', '/v1/conversations', { customer_id: c, channel_id: wechat.id, text: '您好，您的订单已发货', agent_id: agent.id });
    expect(res.statusCode, res.body).toBe(201);
    const { conversation, message } = res.json();
    expect(conversation).toMatchObject({ customer_id: c, status: 'open', assignee_id: agent.id });
    expect(message).toMatchObject({ delivery_status: 'sent', to: 'oOPENID_start_1', channel_id: wechat.id });
    const [post] = providers.wechat.slice(before);
    expect(post.path).toBe('/cgi-bin/message/custom/send');
    expect(post.query.get('access_token')).toMatch(/^ACCESS_TOKEN_/);
    expect(post.json).toEqual({ touser: 'oOPENID_start_1', msgtype: 'text', text: { content: '您好，您的订单已发货' } });

    // Writing again joins the open conversation: one conversation per customer.
    const again = await api('POST', '/v1/conversations', { customer_id: c, channel_id: wechat.id, text: '物流单号 SF123' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().conversation.id).toBe(conversation.id);
    const messages = (await api('GET', `/v1/conversations/${conversation.id}/messages`)).json().data;
    expect(messages.map((m: { text: string; direction: string }) => `${m.direction}:${m.text}`)).toEqual(['out:您好，您的订单已发货', 'out:物流单号 SF123']);
    const timeline = (await api('GET', `/v1/customers/${c}/timeline`)).json().data.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['conversation.opened', 'message.sent']));
  });

  it("records a refused WeChat message as failed and keeps the agent's text", async () => {
    const c = await customer({ wechat_openid: 'oOPENID_start_2' });
    providers.failWechat(45015);
    const res = await api('POST', '/v1/conversations', { customer_id: c, channel_id: wechat.id, text: 'Are you still there?' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().message).toMatchObject({ delivery_status: 'failed', delivery_error: expect.stringContaining('45015') });
  });

  it('starts an email thread with the agent\'s subject, not a reply\'s "Re:"', async () => {
    const c = await customer({ email: 'mei@example.com' });
    const since = smtp.messages.length;
    const res = await api('POST', '/v1/conversations', {
      customer_id: c,
      channel_id: email.id,
      subject: 'About your refund',
      text: 'We have sent the refund today.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const got = await smtp.waitFor('mei@example.com', since);
    expect(got.mail.subject).toBe('About your refund');
    expect(got.mail.text?.trim()).toBe('We have sent the refund today.');
    expect(got.mail.replyTo?.text).toMatch(new RegExp(`^support\\+[a-z0-9]+@${t.slug}\\.example\\.com$`));
  });

  it('refuses a customer with no address on the channel, an unknown channel or agent, and opens nothing', async () => {
    const c = await customer({ email: 'only-email@example.com' });
    const noAddress = await api('POST', '/v1/conversations', { customer_id: c, channel_id: wechat.id, text: 'hi' });
    expect(noAddress.statusCode).toBe(422);
    expect(noAddress.json().code).toBe('INBOX_CONVERSATION_NO_RECIPIENT');
    expect((await api('POST', '/v1/conversations', { customer_id: c, channel_id: 'chn_nope', text: 'hi' })).statusCode).toBe(404);
    expect((await api('POST', '/v1/conversations', { customer_id: c, channel_id: email.id, text: 'hi', agent_id: 'agt_nope' })).statusCode).toBe(404);
    const bad = await api('POST', '/v1/conversations', { customer_id: c, channel_id: email.id, text: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('text');
    expect((await api('GET', `/v1/conversations?customer_id=${c}`)).json().data).toEqual([]);
  });
});
