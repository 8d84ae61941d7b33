import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

const SURVEY = {
  name: 'After the stay',
  kind: 'csat',
  touchpoint: 'hotel',
  journey_stage: 'use',
  channel: 'email',
  throttle_days: 0,
  definition: {
    title: { en: 'Your stay', 'zh-CN': '您的入住' },
    questions: [{ key: 'csat', type: 'csat', required: true, text: { en: 'How satisfied were you?', 'zh-CN': '您满意吗？' } }],
  },
};
const ALL_DAY = { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] };

// A survey asked by email reaches the customer's inbox on a real SMTP exchange, in their language,
// with a link that opens the hosted survey; asked twice for one invitation, it is sent once.
describe.each(databases)('survey invitations through outreach on $name', ({ url }) => {
  let r: Rapport;
  let smtp: SmtpListener;
  let t: TestTenant;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { jobs: false, publicUrl: 'https://cx.example.com' });
    t = await createTestTenant(r);
    const res = await call('PUT', '/v1/outreach/settings', {
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'care@hotel.example.com' },
      public_base_url: 'https://cx.example.com',
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  async function guest(email: string, language: string) {
    const res = await call('POST', '/v1/customers', { given_name: '小红', identities: { email }, timezone: 'Asia/Shanghai' });
    const id = res.json().id as string;
    expect((await call('POST', `/v1/customers/${id}/consent`, { channel: 'email', purpose: 'service', status: 'granted', source: 'test' })).statusCode).toBe(
      201,
    );
    expect((await call('PUT', `/v1/customers/${id}/preferences`, { language, contact_window: ALL_DAY, channels: ['email'] })).statusCode).toBe(200);
    return id;
  }

  it("mails the invitation in the customer's language through the provided template, once per invitation", async () => {
    const survey = await call('POST', '/v1/surveys', SURVEY);
    expect(survey.statusCode, survey.body).toBe(201);
    const email = `guest-${Date.now()}@example.com`;
    const c = await guest(email, 'zh-CN');
    const since = smtp.messages.length;
    const inv = await call('POST', `/v1/surveys/${survey.json().id}/invitations`, { customer_id: c });
    expect(inv.json().outcome, inv.body).toBe('issued');
    await r.bus.drain();
    const { rows } = await r.db.pool.query(`SELECT id, channel, status, reason, template_id FROM outreach_messages WHERE tenant_id = $1 AND customer_id = $2`, [
      t.tenantId,
      c,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'email', reason: 'survey invitation (manual)' });
    await r.outreach.dispatch(t.tenantId);
    const mail = (await smtp.waitFor(email, since)).mail;
    expect(mail.subject).toBe('请花一分钟评价我们的服务');
    expect(mail.text).toContain('小红，您好');
    expect(mail.text).toContain(inv.json().url);
    // The link in the mail opens the hosted survey, in Chinese.
    const page = await r.app.inject({ method: 'GET', url: new URL(inv.json().url).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('您满意吗');

    // The same invitation published again (a redelivery) plans nothing more.
    r.bus.publish({
      type: 'feedback.invitation.created',
      tenantId: t.tenantId,
      payload: {
        invitationId: inv.json().invitation_id,
        surveyId: survey.json().id,
        customerId: c,
        channel: 'email',
        url: inv.json().url,
        trigger: 'manual',
        expiresAt: new Date(r.clock.now().getTime() + 86_400_000).toISOString(),
      },
    });
    await r.bus.drain();
    expect(
      (await r.db.pool.query(`SELECT count(*)::int AS n FROM outreach_messages WHERE tenant_id = $1 AND customer_id = $2`, [t.tenantId, c])).rows[0].n,
    ).toBe(1);
    // The provided template is an ordinary template the tenant can read and edit.
    const tpl = await call('GET', `/v1/outreach/templates/${rows[0].template_id}`);
    expect(tpl.json()).toMatchObject({ purpose: 'service', channels: ['email', 'sms'] });
  });

  it("uses the tenant's own invitation template when one is set, and refuses an unknown one", async () => {
    expect((await call('PUT', '/v1/outreach/settings', { survey_template_id: 'tpl_nope' })).json().errors).toEqual([
      { field: 'survey_template_id', message: 'no such template' },
    ]);
    const tpl = await call('POST', '/v1/outreach/templates', {
      name: 'our invitation',
      purpose: 'service',
      default_locale: 'en',
      content: { en: { email: { subject: 'Rate your stay', text: 'Rate it here: {survey_url}', html: '<p><a href="{survey_url}">Rate</a></p>' } } },
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    expect((await call('PUT', '/v1/outreach/settings', { survey_template_id: tpl.json().id })).statusCode).toBe(200);
    const survey = await call('POST', '/v1/surveys', { ...SURVEY, name: 'After the stay 2' });
    const email = `own-${Date.now()}@example.com`;
    const c = await guest(email, 'en');
    const since = smtp.messages.length;
    const inv = await call('POST', `/v1/surveys/${survey.json().id}/invitations`, { customer_id: c });
    await r.bus.drain();
    await r.outreach.dispatch(t.tenantId);
    const mail = (await smtp.waitFor(email, since)).mail;
    expect(mail.subject).toBe('Rate your stay');
    expect(mail.text).toContain(`Rate it here: ${inv.json().url}`);
    await call('PUT', '/v1/outreach/settings', { survey_template_id: null });
  });
});
