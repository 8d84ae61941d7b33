// Loop notices on the customer's own channel, through the outbox, to a local server answering as
// Twilio: a phone-only customer who prefers SMS is told by SMS, a failed notice is sent again through
// the re-send API and only then counts as told, and "no_address" means there truly is none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, type FakeProviders } from '../../../test/fixtures/providers.js';
import type { Rapport } from '../../app.js';
import { twilioSign } from '../../../test/fixtures/provider-signatures.js';

describe.each(databases)("loop notices on the customer's channel on $name", ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let providers: FakeProviders;
  let base: string;
  let smsId: string;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    providers = await startFakeProviders();
    // No platform SMTP relay: email notices cannot go, SMS ones can.
    r = await startTestApp(url, { jobs: false, smtpUrl: undefined });
    t = await createTestTenant(r);
    const sms = await call('POST', '/v1/inbox/channels', {
      kind: 'sms',
      name: 'SMS',
      settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base },
      secrets: { auth_token: TWILIO_TOKEN },
    });
    expect(sms.statusCode, sms.body).toBe(201);
    smsId = sms.json().id;
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
  });
  /** Twilio's StatusCallback for the last message posted to a number, signed as Twilio signs it. */
  async function twilioReports(to: string, status: string) {
    const sid = (
      await r.db.pool.query(
        `SELECT provider_id FROM outbox_messages WHERE tenant_id = $1 AND kind = 'loop.notice' AND provider_id IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
        [t.tenantId],
      )
    ).rows[0].provider_id;
    const hook = `${base}/hooks/inbox/${t.tenantId}/twilio/${smsId}/status`;
    const params = { MessageSid: sid, MessageStatus: status, To: to, From: '+14155550100', AccountSid: TWILIO_SID };
    const res = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign(TWILIO_TOKEN, hook, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(204);
  }
  afterAll(async () => {
    await r?.close();
    await providers?.close();
  });

  async function caseFor(identities: Record<string, string>, channels?: string[]) {
    const customer = (await call('POST', '/v1/customers', { identities })).json().id as string;
    if (channels) expect((await call('PUT', `/v1/customers/${customer}/preferences`, { channels })).statusCode).toBe(200);
    const c = await call('POST', '/v1/cases', { summary: 'Delayed refund', customer_id: customer });
    expect(c.statusCode, c.body).toBe(201);
    return c.json().id as string;
  }
  const resolve = async (id: string) => {
    const res = await call('POST', `/v1/cases/${id}/resolve`, { resolution: 'Refund paid today' });
    expect(res.statusCode, res.body).toBe(200);
    return (await call('GET', `/v1/cases/${id}`)).json();
  };

  it('tells a phone-only customer who prefers SMS by SMS, and counts them as told once Twilio reports it delivered', async () => {
    const id = await caseFor({ phone: '+8613800138301' }, ['sms']);
    const detail = await resolve(id);
    expect(detail.notices).toEqual([expect.objectContaining({ channel: 'sms', recipient: '+8613800138301', status: 'sent', error: null })]);
    expect(detail.customer_told_at).toBeNull();
    const [post] = providers.twilio.filter((c) => c.form?.get('To') === '+8613800138301');
    expect(post.form!.get('Body')).toContain('Refund paid today');
    expect(post.form!.get('StatusCallback')).toMatch(new RegExp(`/hooks/inbox/${t.tenantId}/twilio/${smsId}/status$`));
    await twilioReports('+8613800138301', 'delivered');
    const told = (await call('GET', `/v1/cases/${id}`)).json();
    expect(told.notices[0].status).toBe('delivered');
    expect(told.customer_told_at).not.toBeNull();
  });

  it('retries a failed notice through the re-send API, and counts the customer as told only when it went', async () => {
    providers.failTwilio(400);
    const id = await caseFor({ phone: '+8613800138302' }, ['sms']);
    const failed = await resolve(id);
    expect(failed.notices).toEqual([expect.objectContaining({ channel: 'sms', status: 'failed', error: expect.stringContaining('21211') })]);
    expect(failed.customer_told_at).toBeNull();
    const resent = await call('POST', `/v1/case-notices/${failed.notices[0].id}/resend`);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'sent', attempts: 2, error: null });
    await twilioReports('+8613800138302', 'delivered');
    expect((await call('GET', `/v1/cases/${id}`)).json().customer_told_at).not.toBeNull();
    expect((await call('POST', '/v1/case-notices/ntc_nope/resend')).statusCode).toBe(404);
  });

  it('says no_channel when the address is known but nothing can carry it, and no_address only when there is none', async () => {
    const emailOnly = await resolve(await caseFor({ email: 'only.mail@example.com' }));
    expect(emailOnly.notices).toEqual([expect.objectContaining({ channel: 'email', status: 'no_channel' })]);
    const nobody = await resolve(await caseFor({ external_id: 'crm-42' }));
    expect(nobody.notices).toEqual([expect.objectContaining({ status: 'no_address' })]);
    expect(nobody.customer_told_at).toBeNull();
  });
});
