// Loop notices on the customer's own channel, through the outbox, to a local server answering as
// Twilio: a phone-only customer who prefers SMS is told by SMS, a failed notice is sent again through
// the re-send API and only then counts as told, and "no_address" means there truly is none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, type FakeProviders } from '../../../test/fixtures/providers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('loop notices on the customer\'s channel on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let providers: FakeProviders;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: object) => r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    providers = await startFakeProviders();
    // No platform SMTP relay: email notices cannot go, SMS ones can.
    r = await startTestApp(url, { jobs: false, smtpUrl: undefined });
    t = await createTestTenant(r);
    const sms = await call('POST', '/v1/inbox/channels', { kind: 'sms', name: 'SMS', settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base }, secrets: { auth_token: TWILIO_TOKEN } });
    expect(sms.statusCode, sms.body).toBe(201);
  });
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

  it('tells a phone-only customer who prefers SMS by SMS, and counts them as told', async () => {
    const id = await caseFor({ phone: '+8613800138301' }, ['sms']);
    const detail = await resolve(id);
    expect(detail.notices).toEqual([expect.objectContaining({ channel: 'sms', recipient: '+8613800138301', status: 'sent', error: null })]);
    expect(detail.customer_told_at).not.toBeNull();
    const [post] = providers.twilio.filter((c) => c.form?.get('To') === '+8613800138301');
    expect(post.form!.get('Body')).toContain('Refund paid today');
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
