// Twilio's side of delivery, in its wire format: the StatusCallback (signed like inbound webhooks)
// turns a reply Twilio accepted into delivered or failed; HMAC-SHA256 signatures and a URL signed with
// an explicit :443 are accepted as Twilio's own helper accepts them; a short-code sender is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, type FakeProviders } from '../../../test/fixtures/providers.js';
import type { Rapport } from '../../app.js';
import { twilioSign } from '../../../test/fixtures/provider-signatures.js';

const sign256 = (token: string, url: string, params: Record<string, string>) =>
  createHmac('sha256', token)
    .update(
      url +
        Object.keys(params)
          .sort()
          .map((k) => k + params[k])
          .join(''),
    )
    .digest('base64');

describe.each(databases)('Twilio receipts and signatures on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let providers: FakeProviders;
  let base: string;
  let sms: { id: string };
  const api = async (method: 'GET' | 'POST', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });
  const post = (hook: string, params: Record<string, string>, signature: string, extra: Record<string, string> = {}) =>
    fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...extra },
      body: new URLSearchParams(params).toString(),
    });

  beforeAll(async () => {
    providers = await startFakeProviders();
    r = await startTestApp(url, { jobs: false });
    t = await createTestTenant(r);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    sms = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'sms',
        name: 'SMS',
        settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base },
        secrets: { auth_token: TWILIO_TOKEN },
      })
    ).json();
  });
  afterAll(async () => {
    await r?.close();
    await providers?.close();
  });

  it('marks a reply delivered or failed from a signed StatusCallback, and refuses an unsigned one', async () => {
    const customer = (await api('POST', '/v1/customers', { identities: { phone: '+8613800138401' } })).json().id;
    const started = (await api('POST', '/v1/conversations', { customer_id: customer, channel_id: sms.id, text: 'Your parcel is out' })).json();
    const conversation = started.conversation.id;
    const reply = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'It arrives at 5' })).json();
    const sidOf = async (id: string) => (await api('GET', `/v1/conversations/${conversation}/messages/${id}/delivery`)).json().provider_id as string;
    const hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${sms.id}/status`;

    const undelivered = { MessageSid: await sidOf(reply.id), MessageStatus: 'undelivered', ErrorCode: '30005', AccountSid: TWILIO_SID };
    expect((await post(hook, undelivered, 'forged')).status).toBe(401);
    expect((await post(hook, undelivered, twilioSign(TWILIO_TOKEN, hook, undelivered))).status).toBe(204);
    const delivered = { MessageSid: await sidOf(started.message.id), MessageStatus: 'delivered', AccountSid: TWILIO_SID };
    expect((await post(hook, delivered, twilioSign(TWILIO_TOKEN, hook, delivered))).status).toBe(204);

    const byId = Object.fromEntries((await api('GET', `/v1/conversations/${conversation}/messages`)).json().data.map((m: any) => [m.id, m]));
    expect(byId[reply.id]).toMatchObject({ delivery_status: 'failed', delivery_error: 'Twilio: undelivered (30005)' });
    expect(byId[started.message.id]).toMatchObject({ delivery_status: 'delivered', delivery_error: null });
  });

  it('accepts HMAC-SHA256 signatures, a URL signed with :443, and a short-code sender', async () => {
    const ch = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'sms',
        name: 'SMS public',
        settings: { account_sid: TWILIO_SID, from: '+14155550102', webhook_url: `https://rapport.example.com/hooks/inbox/${t.tenantId}/twilio/PLACEHOLDER` },
        secrets: { auth_token: TWILIO_TOKEN },
      })
    ).json();
    // The channel's public URL names its own id once created.
    const publicUrl = `https://rapport.example.com/hooks/inbox/${t.tenantId}/twilio/${ch.id}`;
    expect(
      (
        await r.app.inject({
          method: 'PATCH',
          url: `/v1/inbox/channels/${ch.id}`,
          headers: t.headers,
          payload: { settings: { account_sid: TWILIO_SID, from: '+14155550102', webhook_url: publicUrl } },
        })
      ).statusCode,
    ).toBe(200);
    const hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${ch.id}`;
    const params = (sid: string, from = '+8613800138402') => ({
      MessageSid: sid,
      AccountSid: TWILIO_SID,
      From: from,
      To: '+14155550102',
      Body: 'hi',
      NumMedia: '0',
    });

    expect(
      (await post(hook, params('SM256'), sign256(TWILIO_TOKEN, publicUrl, params('SM256')), { 'x-twilio-webhooks-signature-settings': 'HmacSHA256' })).status,
    ).toBe(200);
    const with443 = publicUrl.replace('rapport.example.com', 'rapport.example.com:443');
    expect((await post(hook, params('SM443'), twilioSign(TWILIO_TOKEN, with443, params('SM443')))).status).toBe(200);
    expect((await post(hook, params('SMbad'), twilioSign('another-token', with443, params('SMbad')))).status).toBe(401);
    expect((await post(hook, params('SMshort', '12345'), twilioSign(TWILIO_TOKEN, publicUrl, params('SMshort', '12345')))).status).toBe(200);

    const stored = (
      await r.db.pool.query(
        `SELECT external_id, meta->>'reply_address' AS reply FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $2 ORDER BY external_id`,
        [t.tenantId, ch.id],
      )
    ).rows;
    expect(stored).toEqual([
      { external_id: 'SM256', reply: '+8613800138402' },
      { external_id: 'SM443', reply: '+8613800138402' },
      { external_id: 'SMshort', reply: '12345' },
    ]);
  });
});
