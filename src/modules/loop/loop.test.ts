import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant, npsSurvey } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

describe.each(databases)('loop on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let smtp: SmtpListener;
  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { clock: createTestClock('2027-03-01T10:00:00Z'), smtpUrl: smtp.url, mailFrom: 'CX <cx@example.com>' });
    t = await createTestTenant(r);
    for (const rule of [
      { position: 10, match: { keywords: ['timeout', 'app', '超时'] }, team: 'it' },
      { position: 20, match: { keywords: ['cannot find answer', '找不到'] }, team: 'service' },
      { position: 30, match: { topics: ['price'] }, team: 'product' },
      { position: 40, match: { case_types: ['negative_mention'] }, team: 'pr' },
    ])
      expect((await call('POST', '/v1/case-routing-rules', rule)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });
  // Each test starts at this instant unless it names another.
  beforeEach(() => r.clock.set('2027-03-01T10:00:00Z'));

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function customer(opts: { language?: string; name?: string } = {}) {
    const email = `c${Math.random().toString(36).slice(2)}@example.com`;
    const res = await call('POST', '/v1/customers', { identities: { email }, display_name: opts.name ?? null });
    const id = res.json().id as string;
    if (opts.language) await call('PUT', `/v1/customers/${id}/preferences`, { language: opts.language });
    return { id, email };
  }
  let surveyId: string;
  async function respond(customerId: string, answers: Record<string, unknown>, kind = 'nps') {
    if (!surveyId) {
      const s = await call('POST', '/v1/surveys', npsSurvey('Loop', { touchpoint: 'app' }));
      surveyId = s.json().id;
    }
    const res = await call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: customerId, answers });
    expect(res.statusCode, res.body).toBe(201);
    await r.bus.drain();
    void kind;
    return res.json().id as string;
  }
  const casesOf = async (customerId: string) => (await call('GET', `/v1/cases?customer_id=${customerId}`)).json().data;

  it('opens a routed case for a detractor, none for a passive, and one only for a replayed signal', async () => {
    const opened: unknown[] = [];
    const off = r.bus.subscribe('case.opened', (m) => {
      opened.push(m.payload);
    });
    const c = await customer();
    const responseId = await respond(c.id, { nps: 2, why: '应用总是超时' });
    const passive = await customer();
    await respond(passive.id, { nps: 7 });
    const cases = await casesOf(c.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      type: 'detractor',
      source_type: 'response',
      source_id: responseId,
      team_id: 'it',
      status: 'new',
      priority: 'normal',
      touchpoint: 'app',
    });
    expect(await casesOf(passive.id)).toEqual([]);
    // The bus delivers the same response again: still one case.
    r.bus.publish({
      type: 'feedback.response.submitted',
      tenantId: t.tenantId,
      payload: { responseId, surveyId, customerId: c.id, kind: 'nps', score: 2, text: '应用总是超时' },
    });
    await r.bus.drain();
    off();
    expect(await casesOf(c.id)).toHaveLength(1);
    expect(opened).toEqual([{ caseId: cases[0].id, customerId: c.id, type: 'detractor', teamId: 'it' }]);
    const timeline = JSON.stringify((await call('GET', `/v1/customers/${c.id}/timeline`)).json());
    expect(timeline).toContain('case.opened');
  });

  it('opens cases for negative mentions about the company and routes them to PR', async () => {
    const c = await customer();
    const mention = (id: string, sentiment: string, aboutCompany: boolean) =>
      r.bus.publish({
        type: 'mention.created',
        tenantId: t.tenantId,
        payload: { mentionId: id, customerId: c.id, sentiment, score: -0.8, aboutCompany, text: 'Terrible airline', source: 'weibo', angles: [], topics: [] },
      });
    mention('men_1', 'negative', true);
    mention('men_2', 'negative', false);
    mention('men_3', 'positive', true);
    mention('men_1', 'negative', true);
    await r.bus.drain();
    const cases = await casesOf(c.id);
    expect(cases.map((x: { source_id: string; type: string; team_id: string }) => `${x.source_id}:${x.type}:${x.team_id}`)).toEqual([
      'men_1:negative_mention:pr',
    ]);
  });

  it("routes a detractor's case by the topic complained about, not the one praised, and lets a person correct the case's topics", async () => {
    const u = await createTestTenant(r);
    const as = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      r.app.inject({ method, url: path, headers: u.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    // Delivery comes first: routed by every topic named, the praise for the delivery would win.
    for (const rule of [
      { position: 10, match: { topics: ['delivery'] }, team: 'logistics' },
      { position: 20, match: { topics: ['service_attitude', 'staff'] }, team: 'service' },
    ]) {
      expect((await as('POST', '/v1/case-routing-rules', rule)).statusCode).toBe(201);
    }
    const s = await as('POST', '/v1/surveys', npsSurvey('Polarity'));
    const routed: Record<string, string | null> = {};
    for (const [key, why] of [
      ['zh', '快递很快，但是客服态度很差'],
      ['en', 'Delivery was quick, but the agent was rude.'],
      ['late', 'The agent was polite but the delivery was late again'],
    ]) {
      const res = await as('POST', '/v1/survey-responses', { survey_id: s.json().id, answers: { nps: 2, why } });
      expect(res.statusCode, res.body).toBe(201);
      await r.bus.drain();
      const stored = (await as('GET', `/v1/survey-responses/${res.json().id}`)).json();
      expect(stored.topic_sentiments.delivery).toBe(key === 'late' ? 'negative' : 'positive');
      const [k] = (await as('GET', '/v1/cases')).json().data.filter((x: { source_id: string }) => x.source_id === res.json().id);
      routed[key] = k.team_id;
      if (key === 'zh') {
        expect(k.topics).toEqual(expect.arrayContaining(['delivery', 'service_attitude']));
        const fixed = await as('POST', `/v1/cases/${k.id}/topics`, { add: ['callback'], remove: ['delivery'] });
        expect(fixed.statusCode, fixed.body).toBe(200);
        expect(fixed.json().topics).toEqual(expect.arrayContaining(['service_attitude', 'callback']));
        expect(fixed.json().topics).not.toContain('delivery');
        expect(fixed.json().activities.map((x: { kind: string }) => x.kind)).toContain('topics');
        const bad = await as('POST', `/v1/cases/${k.id}/topics`, { add: ['Not A Key'] });
        expect(bad.statusCode).toBe(422);
        expect(bad.json().errors[0].field).toMatch(/^add/);
        expect((await as('POST', '/v1/cases/cas_missing/topics', { add: ['callback'] })).statusCode).toBe(404);
      }
    }
    expect(routed).toEqual({ zh: 'service', en: 'service', late: 'logistics' });
  });

  it('moves a case through contact and resolution and tells the customer by email in their language', async () => {
    const c = await customer({ language: 'zh-CN', name: '王芳' });
    await respond(c.id, { nps: 1, why: '我找不到答案' });
    const [k] = await casesOf(c.id);
    expect(k.team_id).toBe('service');
    expect((await call('POST', `/v1/cases/${k.id}/notes`, { body: 'Called twice, no answer' })).statusCode).toBe(201);
    expect((await call('POST', `/v1/cases/${k.id}/contacts`, { channel: 'phone', body: 'Explained where the answer is' })).statusCode).toBe(201);
    expect((await call('GET', `/v1/cases/${k.id}`)).json()).toMatchObject({ status: 'contacted' });
    const resolved = await call('POST', `/v1/cases/${k.id}/resolve`, { resolution: '我们已更新帮助中心的搜索。' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const body = resolved.json();
    expect(body.status).toBe('resolved');
    expect(body.customer_told_at).not.toBeNull();
    expect(body.notices).toEqual([
      expect.objectContaining({ channel: 'email', recipient: c.email, language: 'zh-CN', status: 'sent', subject: '关于您的反馈，我们做了这些' }),
    ]);
    expect(body.activities.map((a: { kind: string }) => a.kind)).toEqual(['status', 'note', 'contact', 'status', 'notice']);
    const mail = smtp.messages.find((m) => m.to.includes(c.email));
    expect(mail).toBeDefined();
    expect(mail!.mail.text).toContain('我们已更新帮助中心的搜索。');
    expect(mail!.mail.text).toContain('王芳');
    // Routing the case and telling the customer are processing: nobody viewed the profile, so no read is audited.
    expect((await r.customers.auditTrail(t.tenantId, c.id)).filter((a) => a.action === 'customer.read' && a.actor_type === 'system')).toEqual([]);
    // Closed is closed: no second resolution, no second email.
    expect((await call('POST', `/v1/cases/${k.id}/resolve`, { resolution: 'again' })).statusCode).toBe(409);
    expect(smtp.messages.filter((m) => m.to.includes(c.email))).toHaveLength(1);
  });

  it("shows a case's activity in the reader's language, the system's steps stored as codes and a person's words as written", async () => {
    const c = await customer();
    await respond(c.id, { nps: 0 });
    const [k] = await casesOf(c.id);
    expect((await call('POST', `/v1/cases/${k.id}/notes`, { body: 'Called, left a message' })).statusCode).toBe(201);
    expect((await call('POST', `/v1/cases/${k.id}/resolve`, { resolution: 'Refunded', notify_customer: false })).statusCode).toBe(200);
    const read = async (language: string) => {
      const res = await call('GET', `/v1/cases/${k.id}?language=${language}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().activities.map((a: { kind: string; body: string; params: unknown }) => [a.kind, a.body, a.params]);
    };
    expect(await read('en')).toEqual([
      ['status', 'opened', { code: 'opened' }],
      ['note', 'Called, left a message', null],
      ['status', 'resolved: Refunded', { code: 'resolved', resolution: 'Refunded' }],
    ]);
    expect(await read('zh-CN')).toEqual([
      ['status', '工单已创建', { code: 'opened' }],
      ['note', 'Called, left a message', null],
      ['status', '已解决：Refunded', { code: 'resolved', resolution: 'Refunded' }],
    ]);
    expect((await read('zh-TW')).map((a: unknown[]) => a[1])).toEqual(['案件已建立', 'Called, left a message', '已解決：Refunded']);
    // What is stored is the code, not English words.
    const { rows } = await r.db.pool.query(`SELECT body FROM case_activities WHERE tenant_id = $1 AND case_id = $2 AND kind = 'status' ORDER BY at, id`, [
      t.tenantId,
      k.id,
    ]);
    expect(rows.map((x) => JSON.parse(x.body))).toEqual([{ code: 'opened' }, { code: 'resolved', resolution: 'Refunded' }]);
    expect((await call('GET', `/v1/cases/${k.id}?language=fr`)).statusCode).toBe(400);
  });

  it('tells each customer in their own language: English to an English speaker, Chinese to a customer known only by a zh-CN locale', async () => {
    const en = await customer({ language: 'en', name: 'Ann Lee' });
    const res = await call('POST', '/v1/customers', {
      identities: { email: `z${Math.random().toString(36).slice(2)}@example.com` },
      display_name: '李雷',
      locale: 'zh-CN',
    });
    expect(res.statusCode, res.body).toBe(201);
    const zh = { id: res.json().id as string };
    const tw = await customer({ language: 'zh-TW', name: '陳美玲' });
    const hk = await customer({ language: 'zh-HK' });
    for (const [c, resolution, language, subject, greeting] of [
      [en, 'We refunded the delivery fee.', 'en', 'What we did about your feedback', 'Dear Ann Lee'],
      [zh, '我们已退还运费。', 'zh-CN', '关于您的反馈，我们做了这些', '李雷，您好'],
      [tw, '我們已退還運費。', 'zh-TW', '關於您的意見，我們做了這些', '陳美玲，您好'],
      [hk, '我們已退還運費，並致歉。', 'zh-TW', '關於您的意見，我們做了這些', '尊敬的客戶，您好'],
    ] as const) {
      await respond(c.id, { nps: 2 });
      const [k] = await casesOf(c.id);
      const resolved = await call('POST', `/v1/cases/${k.id}/resolve`, { resolution });
      expect(resolved.statusCode, resolved.body).toBe(200);
      const [notice] = resolved.json().notices;
      expect(notice).toMatchObject({ channel: 'email', language, subject });
      const mail = smtp.messages.find((m) => m.mail.subject === subject && m.mail.text?.includes(resolution));
      expect(mail?.mail.text).toContain(greeting);
    }
  });

  it("closes a case as won't fix with its reason, and refuses an owner of another tenant", async () => {
    const id = (await call('POST', '/v1/cases', { summary: 'Wants a refund after 2 years', team: 'service' })).json().id;
    expect((await call('PATCH', `/v1/cases/${id}`, { owner_id: 'usr_nobody' })).statusCode).toBe(404);
    const res = await call('POST', `/v1/cases/${id}/wont-fix`, { reason: 'Outside the refund policy' });
    expect(res.json()).toMatchObject({ status: 'wont_fix', wont_fix_reason: 'Outside the refund policy' });
  });

  it('escalates cases past their SLA, once per level', async () => {
    const c = await customer();
    await respond(c.id, { nps: 4 });
    const [k] = await casesOf(c.id);
    const due = new Date(k.first_contact_due_at).getTime();
    expect(k.created_at.slice(0, 16)).toBe('2027-03-01T10:00');
    expect(due - new Date(k.created_at).getTime()).toBe(24 * 3600_000);
    expect(new Date(k.resolve_due_at).getTime() - new Date(k.created_at).getTime()).toBe(120 * 3600_000);
    const escalated: unknown[] = [];
    const off = r.bus.subscribe('case.escalated', (m) => {
      if ((m.payload as { caseId: string }).caseId === k.id) escalated.push(m.payload);
    });
    await r.loop.checkSla(t.tenantId, new Date(due - 60_000));
    expect((await call('GET', `/v1/cases/${k.id}`)).json().escalation_level).toBe(0);
    await r.loop.checkSla(t.tenantId, new Date(due + 60_000));
    await r.loop.checkSla(t.tenantId, new Date(due + 120_000));
    await r.bus.drain();
    off();
    const detail = (await call('GET', `/v1/cases/${k.id}`)).json();
    expect(detail.escalation_level).toBe(1);
    expect(detail.activities.filter((a: { kind: string }) => a.kind === 'escalation')).toEqual([
      expect.objectContaining({ body: 'first contact overdue', at: new Date(due + 60_000).toISOString() }),
    ]);
    expect(escalated).toEqual([{ caseId: k.id, level: 1 }]);
  });

  it('counts SLA deadlines in elapsed time across midnight, a month end and a year end', async () => {
    const m = await createTestTenant(r);
    const open = (id: string, priority: 'urgent' | 'normal', at: string) =>
      r.loop.openFromSignal(m.tenantId, 'complaint', {}, { sourceType: 'conversation', sourceId: id, summary: id, priority, at: new Date(at) });
    const monthEnd = (await open('cnv_month_end', 'urgent', '2027-01-31T23:30:00Z'))!;
    const yearEnd = (await open('cnv_year_end', 'normal', '2027-12-31T22:00:00Z'))!;
    const get = async (id: string) => (await r.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: m.headers })).json();
    // Urgent: first contact within the hour, resolution within a day; normal: a day and five days.
    expect(await get(monthEnd)).toMatchObject({
      first_contact_due_at: '2027-02-01T00:30:00.000Z',
      resolve_due_at: '2027-02-01T23:30:00.000Z',
      escalation_level: 0,
    });
    expect(await get(yearEnd)).toMatchObject({
      first_contact_due_at: '2028-01-01T22:00:00.000Z',
      resolve_due_at: '2028-01-05T22:00:00.000Z',
      escalation_level: 0,
    });
    const levelsAt = async (at: string) => {
      r.clock.set(at);
      await r.loop.checkSla(m.tenantId);
      return [(await get(monthEnd)).escalation_level, (await get(yearEnd)).escalation_level];
    };
    expect(await levelsAt('2027-02-01T00:29:59Z')).toEqual([0, 0]);
    expect(await levelsAt('2027-02-01T00:30:01Z')).toEqual([1, 0]);
    expect(await levelsAt('2027-02-01T23:29:59Z')).toEqual([1, 0]);
    expect(await levelsAt('2027-02-01T23:30:01Z')).toEqual([2, 0]);
    expect(await levelsAt('2028-01-01T21:59:59Z')).toEqual([2, 0]);
    expect(await levelsAt('2028-01-01T22:00:01Z')).toEqual([2, 1]);
    expect(await levelsAt('2028-01-05T21:59:59Z')).toEqual([2, 1]);
    expect(await levelsAt('2028-01-05T22:00:01Z')).toEqual([2, 2]);
  });

  it('fixes a systemic issue: resolves its cases and tells each affected customer once', async () => {
    const a = await customer({ name: 'Ann' });
    const b = await customer({ name: 'Bo' });
    await respond(a.id, { nps: 3, why: 'app timeout at login' });
    await respond(a.id, { nps: 2, why: 'timeout again' });
    await respond(b.id, { nps: 0, why: 'login timeout' });
    const ids = [...(await casesOf(a.id)), ...(await casesOf(b.id))].map((x: { id: string }) => x.id);
    expect(ids).toHaveLength(3);
    const issue = (await call('POST', '/v1/loop-issues', { title: 'Login times out', root_cause: 'Session service pool exhausted' })).json();
    expect((await call('POST', `/v1/loop-issues/${issue.id}/cases`, { case_ids: [...ids, 'case_missing'] })).json().errors).toEqual([
      { field: 'case_ids[3]', message: 'names no case' },
    ]);
    expect((await call('POST', `/v1/loop-issues/${issue.id}/cases`, { case_ids: ids })).statusCode).toBe(200);
    const before = smtp.messages.length;
    const fixed = await call('POST', `/v1/loop-issues/${issue.id}/fix`, { action: 'We doubled the session pool; logins no longer time out.' });
    expect(fixed.json()).toEqual({ resolved_cases: 3, customers: 2, notices: { sent: 2 } });
    expect(smtp.messages.length - before).toBe(2);
    expect(
      smtp.messages
        .slice(before)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([a.email, b.email].sort());
    const detail = (await call('GET', `/v1/loop-issues/${issue.id}`)).json();
    expect(detail.cases.every((x: { status: string; customer_told_at: string | null }) => x.status === 'resolved' && x.customer_told_at)).toBe(true);
    expect((await call('POST', `/v1/loop-issues/${issue.id}/fix`, { action: 'again' })).statusCode).toBe(409);
  });

  it('computes loop closure and times by team from the recorded times', async () => {
    const m = await createTestTenant(r);
    // The app's SLA timers run on its own clock, which stays before every deadline here: nothing escalates.
    const base = new Date('2027-03-01T00:00:00Z');
    const at = (min: number) => new Date(base.getTime() + min * 60_000);
    const open = (id: string, team: string) =>
      r.loop.openFromSignal(m.tenantId, 'complaint', {}, { sourceType: 'conversation', sourceId: id, teamId: team, summary: id, at: base });
    const c1 = (await open('cnv_1', 'it'))!;
    const c2 = (await open('cnv_2', 'it'))!;
    const c3 = (await open('cnv_3', 'service'))!;
    const actor = { type: 'system' as const, id: 'test' };
    await r.loop.recordContact(m.tenantId, c1, { channel: 'phone', body: 'x' }, actor, at(30));
    await r.loop.recordContact(m.tenantId, c2, { channel: 'phone', body: 'x' }, actor, at(90));
    await r.loop.resolveCase(m.tenantId, c1, { resolution: 'fixed', notify: false }, actor, at(240));
    await r.loop.resolveCase(m.tenantId, c3, { resolution: 'fixed', notify: false }, actor, at(600));
    // No customer on these cases, so nobody could be told: closure 0. Mark one told by hand to check the rate.
    await r.db.pool.query('UPDATE cases SET customer_told_at = $3 WHERE tenant_id = $1 AND id = $2', [m.tenantId, c1, at(241)]);
    const res = await r.app.inject({
      method: 'GET',
      url: `/v1/case-metrics?from=${at(-60).toISOString()}&to=${at(24 * 60).toISOString()}`,
      headers: m.headers,
    });
    expect(res.json().data).toEqual([
      {
        team: 'it',
        cases: 2,
        told: 1,
        closed: 1,
        escalated: 0,
        loop_closure_rate: 50,
        avg_first_contact_minutes: 60,
        median_first_contact_minutes: 60,
        avg_resolve_hours: 4,
        median_resolve_hours: 4,
      },
      {
        team: 'service',
        cases: 1,
        told: 0,
        closed: 1,
        escalated: 0,
        loop_closure_rate: 0,
        avg_first_contact_minutes: null,
        median_first_contact_minutes: null,
        avg_resolve_hours: 10,
        median_resolve_hours: 10,
      },
    ]);
  });
});
