import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { submitResponse } from './submit-response.js';

const NPS_SURVEY = {
  name: 'After the bill',
  kind: 'nps',
  touchpoint: 'billing',
  journey_stage: 'use',
  channel: 'email',
  definition: {
    title: { en: 'How are we doing?', 'zh-CN': '我们做得怎么样？' },
    questions: [
      { key: 'nps', type: 'nps', required: true, text: { en: 'How likely are you to recommend us?', 'zh-CN': '您向朋友推荐我们的可能性有多大？' } },
      { key: 'why_low', type: 'text', text: { en: 'What went wrong?', 'zh-CN': '哪里出了问题？' }, show_if: { question: 'nps', max: 6 } },
      {
        key: 'topic',
        type: 'single_choice',
        text: { en: 'About what?', 'zh-CN': '关于什么？' },
        options: [
          { value: 'price', text: { en: 'Price', 'zh-CN': '价格' } },
          { value: 'app', text: { en: 'The app', 'zh-CN': '应用' } },
        ],
      },
    ],
  },
};

describe.each(databases)('feedback on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock: createTestClock('2027-03-01T10:00:00Z'), publicUrl: 'https://cx.example.com' });
    t = await createTestTenant(r, { feedback: { throttle_days: 30 } });
  });
  afterAll(async () => r?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const open = (method: 'GET' | 'POST', path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({ method, url: path, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function customer(opts: { language?: string; email?: boolean; window?: unknown; timezone?: string } = {}) {
    const res = await call('POST', '/v1/customers', {
      identities: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
      timezone: opts.timezone ?? 'Asia/Shanghai',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    if (opts.email !== false)
      expect((await call('POST', `/v1/customers/${id}/consent`, { channel: 'email', purpose: 'service', status: 'granted', source: 'test' })).statusCode).toBe(
        201,
      );
    if (opts.language || opts.window)
      expect((await call('PUT', `/v1/customers/${id}/preferences`, { language: opts.language ?? null, contact_window: opts.window ?? null })).statusCode).toBe(
        200,
      );
    return id;
  }
  async function survey(overrides: Record<string, unknown> = {}) {
    const res = await call('POST', '/v1/surveys', { ...NPS_SURVEY, ...overrides });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  const tokenOf = (u: string) => u.split('/s/')[1];

  it('lists every response a page at a time, newest first, and by kind', async () => {
    const s = await survey({ throttle_days: 0 });
    const c = await customer();
    const ids: string[] = [];
    for (const nps of [1, 2, 3, 4, 5]) {
      const res = await call('POST', '/v1/survey-responses', { survey_id: s, customer_id: c, answers: { nps } });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; next_cursor: string | null } = (
        await call('GET', `/v1/survey-responses?customer_id=${c}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await call('GET', `/v1/survey-responses?customer_id=${c}&kind=nps`)).json().data).toHaveLength(5);
    expect((await call('GET', `/v1/survey-responses?customer_id=${c}&kind=csat`)).json()).toEqual({ data: [], next_cursor: null });
    expect((await call('GET', `/v1/survey-responses?kind=stars`)).statusCode).toBe(400);
  });

  it('refuses a definition whose branching looks forward or whose kind has no question of it', async () => {
    const res = await call('POST', '/v1/surveys', {
      ...NPS_SURVEY,
      kind: 'csat',
      definition: { ...NPS_SURVEY.definition, questions: [{ ...NPS_SURVEY.definition.questions[1], show_if: { question: 'later', max: 6 } }] },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['definition.questions', 'definition.questions[0].show_if.question']);
  });

  it("renders the hosted page in the customer's language and takes partial, then complete answers once", async () => {
    const s = await survey({ throttle_days: 0 });
    const zh = await customer({ language: 'zh-CN' });
    const inv = await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: zh });
    expect(inv.json().outcome, inv.body).toBe('issued');
    // Deciding whether to ask reads the profile for processing: no audited read on the customer's trail.
    expect((await r.customers.auditTrail(t.tenantId, zh)).filter((a) => a.action === 'customer.read' && a.actor_type === 'system')).toEqual([]);
    expect(inv.json().url).toMatch(/^https:\/\/cx\.example\.com\/s\//);
    const token = tokenOf(inv.json().url);
    const page = await open('GET', `/s/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('您向朋友推荐我们的可能性有多大？');
    expect(page.body).not.toContain('How likely are you');
    expect(page.body).toContain('<html lang="zh-CN">');
    const en = await open('GET', `/s/${token}?lang=en`);
    expect(en.body).toContain('How likely are you to recommend us?');

    const outOfRange = await open('POST', `/s/${token}`, { answers: { nps: 11 } });
    expect(outOfRange.statusCode).toBe(422);
    expect(outOfRange.headers['content-type']).toMatch(/problem\+json/);
    expect(outOfRange.json().errors).toEqual([{ field: 'answers.nps', message: 'must be a whole number from 0 to 10' }]);
    const missing = await open('POST', `/s/${token}`, { answers: { topic: 'app' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([{ field: 'answers.nps', message: 'is required' }]);
    const hidden = await open('POST', `/s/${token}`, { answers: { nps: 9, why_low: 'x' } });
    expect(hidden.json().errors).toEqual([{ field: 'answers.why_low', message: 'is not asked given the earlier answers' }]);

    const partial = await open('POST', `/s/${token}`, { answers: { topic: 'app' }, partial: true });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({ status: 'partial', missing: ['nps'] });
    const submitted: unknown[] = [];
    const off = r.bus.subscribe('feedback.response.submitted', (m) => {
      submitted.push(m.payload);
    });
    const done = await open('POST', `/s/${token}`, { answers: { nps: 3, why_low: '应用总是超时' } });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({ id: partial.json().id, status: 'complete' });
    const replay = await open('POST', `/s/${token}`, { answers: { nps: 3, why_low: '应用总是超时' } });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().code).toBe('SURVEY_ALREADY_ANSWERED');
    await r.bus.drain();
    off();
    expect(submitted).toEqual([
      expect.objectContaining({
        responseId: done.json().id,
        surveyId: s,
        customerId: zh,
        kind: 'nps',
        score: 3,
        text: '应用总是超时',
        touchpoint: 'billing',
        channel: 'email',
        surveyVersion: 1,
      }),
    ]);
    const stored = (await call('GET', `/v1/survey-responses?survey_id=${s}`)).json().data;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      answers: { nps: 3, why_low: '应用总是超时', topic: 'app' },
      status: 'complete',
      journey_stage: 'use',
      touchpoint: 'billing',
      survey_version: 1,
    });
    const timeline = (await call('GET', `/v1/customers/${zh}/timeline`)).json();
    expect(JSON.stringify(timeline)).toContain(done.json().id);
  });

  it("links a response posted through the API to the customer's open invitation, so the response rate counts it", async () => {
    const s = await survey({ throttle_days: 0 });
    const [byLink, byApi, byApi2] = [await customer(), await customer(), await customer()];
    const invs = [];
    for (const c of [byLink, byApi, byApi2]) invs.push((await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: c })).json());
    expect(invs.map((i) => i.outcome)).toEqual(['issued', 'issued', 'issued']);
    expect((await open('POST', `/s/${tokenOf(invs[0].url)}`, { answers: { nps: 9 } })).statusCode).toBe(201);
    // Two in one tick: the batch's one statement links each to its customer's invitation.
    const posted = await Promise.all(
      [byApi, byApi2].map((c, i) => call('POST', '/v1/survey-responses', { survey_id: s, customer_id: c, answers: { nps: 10 - i } })),
    );
    expect(
      posted.map((p) => p.statusCode),
      posted[0].body,
    ).toEqual([201, 201]);

    const stored = (await call('GET', `/v1/survey-responses/${posted[0].json().id}`)).json();
    expect(stored).toMatchObject({
      invitation_id: invs[1].invitation_id,
      customer_id: byApi,
      status: 'complete',
      trigger: 'manual',
      channel: 'email',
      touchpoint: 'billing',
    });
    expect((await call('GET', `/v1/survey-responses/${posted[1].json().id}`)).json().invitation_id).toBe(invs[2].invitation_id);
    const invitations = (await call('GET', `/v1/survey-invitations?survey_id=${s}`)).json().data;
    expect(invitations.map((i: { status: string }) => i.status)).toEqual(['answered', 'answered', 'answered']);
    const from = new Date(r.clock.now().getTime() - 3600_000).toISOString();
    const to = new Date(r.clock.now().getTime() + 3600_000).toISOString();
    const rates = (await call('GET', `/v1/feedback/response-rates?from=${from}&to=${to}`)).json().data;
    expect(rates.find((x: { survey_id: string }) => x.survey_id === s)).toEqual({ survey_id: s, invited: 3, answered: 3, partial: 0, response_rate: 100 });
    // The invitation is answered: the same customer's next answer through the API is a response of its own, and the link refuses.
    const again = await call('POST', '/v1/survey-responses', { survey_id: s, customer_id: byApi, answers: { nps: 4 } });
    expect(again.statusCode, again.body).toBe(201);
    expect((await call('GET', `/v1/survey-responses/${again.json().id}`)).json().invitation_id).toBeNull();
    expect((await open('POST', `/s/${tokenOf(invs[1].url)}`, { answers: { nps: 3 } })).statusCode).toBe(409);
  });

  it("links a response written one by one to the customer's open invitation in the same statement", async () => {
    const s = await survey({ throttle_days: 0 });
    const c = await customer();
    const inv = (await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: c })).json();
    expect(inv.outcome).toBe('issued');
    const survey0 = await r.feedback.cachedSurvey(t.tenantId, s);
    const definition = await r.feedback.definitionOf(t.tenantId, s, survey0!.current_version);
    const client = await r.db.pool.connect();
    try {
      await client.query('BEGIN');
      const stored = await submitResponse(
        client,
        t.tenantId,
        { id: s, kind: 'nps', status: 'active', version: survey0!.current_version, definition },
        { surveyId: s, customerId: c, answers: { nps: 8 }, isPartial: false, answersInvitation: true, at: r.clock.now() },
        async () => undefined,
      );
      await client.query('COMMIT');
      expect(stored).toMatchObject({ status: 'complete', trigger: 'manual', channel: 'email' });
    } finally {
      client.release();
    }
    const invitations = (await call('GET', `/v1/survey-invitations?survey_id=${s}`)).json().data;
    expect(invitations.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[inv.invitation_id, 'answered']]);
    const responses = (await call('GET', `/v1/survey-responses?survey_id=${s}`)).json().data;
    expect(responses.map((x: { invitation_id: string }) => x.invitation_id)).toEqual([inv.invitation_id]);
  });

  it('refuses forged and expired links with problems and stores nothing', async () => {
    const s = await survey({ throttle_days: 0, link_ttl_hours: 1 });
    const c = await customer();
    const inv = await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: c });
    const token = tokenOf(inv.json().url);
    const cut = token.lastIndexOf('.');
    const [body, sig] = [token.slice(0, cut), token.slice(cut + 1)];
    const forged = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await open('POST', `/s/${forged}`, { answers: { nps: 10 } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('SURVEY_LINK_INVALID');
    // The same signature on a longer expiry is not valid.
    const [tn, inv2, exp] = body.split('.');
    const longer = `${tn}.${inv2}.${(parseInt(exp, 36) + 86_400).toString(36)}.${sig}`;
    expect((await open('POST', `/s/${longer}`, { answers: { nps: 10 } })).statusCode).toBe(403);
    await expect(
      r.feedback.submitByLink(token, { answers: { nps: 10 }, isPartial: false }, new Date(r.clock.now().getTime() + 2 * 3600_000)),
    ).rejects.toMatchObject({ status: 410, code: 'SURVEY_LINK_EXPIRED' });
    expect((await call('GET', `/v1/survey-responses?survey_id=${s}`)).json().data).toEqual([]);
  });

  it('keeps the version a response answered when the survey changes', async () => {
    const s = await survey({ throttle_days: 0 });
    const c1 = await customer();
    const old = (await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: c1 })).json();
    const patched = await call('PATCH', `/v1/surveys/${s}`, {
      definition: {
        ...NPS_SURVEY.definition,
        questions: [NPS_SURVEY.definition.questions[0], { key: 'extra', type: 'ces', required: true, text: { en: 'Was it easy?' } }],
      },
    });
    expect(patched.json().current_version).toBe(2);
    // The old link still shows and takes the questions of version 1.
    expect((await open('POST', `/s/${tokenOf(old.url)}`, { answers: { nps: 8, topic: 'price' } })).statusCode).toBe(201);
    const r2 = await call('POST', '/v1/survey-responses', { survey_id: s, answers: { nps: 8 }, partial: true, submission_key: 'app-1' });
    expect(r2.statusCode).toBe(201);
    expect(r2.json()).toMatchObject({ status: 'partial', survey_version: 2, missing: ['extra'] });
    // The same submission key completes it; sent again, it is refused and nothing is stored twice.
    const r3 = await call('POST', '/v1/survey-responses', { survey_id: s, answers: { extra: 2 }, submission_key: 'app-1' });
    expect(r3.json()).toMatchObject({ id: r2.json().id, status: 'complete', score: 8 });
    const r4 = await call('POST', '/v1/survey-responses', { survey_id: s, answers: { extra: 2 }, submission_key: 'app-1' });
    expect(r4.statusCode).toBe(409);
    expect(r4.json()).toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED', response_id: r2.json().id });
    const rows = (await call('GET', `/v1/survey-responses?survey_id=${s}`)).json().data;
    expect(rows.map((x: { survey_version: number }) => x.survey_version).sort()).toEqual([1, 2]);
  });

  it('never asks a customer twice in N days across surveys, without consent or outside the contact window', async () => {
    const a = await survey();
    const b = await survey({ name: 'Other' });
    const c = await customer();
    expect((await call('POST', `/v1/surveys/${a}/invitations`, { customer_id: c })).json().outcome).toBe('issued');
    expect((await call('POST', `/v1/surveys/${b}/invitations`, { customer_id: c })).json().outcome).toBe('throttled');
    // A survey may override the tenant's 30 days.
    const lenient = await survey({ throttle_days: 0 });
    expect((await call('POST', `/v1/surveys/${lenient}/invitations`, { customer_id: c })).json().outcome).toBe('issued');
    // Thirty-one days later the tenant rule lets survey b ask again.
    const later = await r.feedback.issue(
      t.tenantId,
      { surveyId: b, customerId: c, trigger: 'manual', sourceKey: 'later' },
      new Date(r.clock.now().getTime() + 31 * 86_400_000),
    );
    expect(later.outcome).toBe('issued');

    const silent = await customer({ email: false });
    expect((await call('POST', `/v1/surveys/${lenient}/invitations`, { customer_id: silent })).json().outcome).toBe('no_consent');
    const sms = await call('POST', `/v1/surveys/${lenient}/invitations`, { customer_id: c, channel: 'sms' });
    expect(sms.json().outcome).toBe('no_consent');

    // 09:00-18:00 Shanghai is 01:00-10:00 UTC: at 12:00 UTC the send waits for 01:00 UTC next day.
    const windowed = await customer({ window: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5, 6, 7] } });
    const noon = new Date('2026-03-02T12:00:00Z');
    const held = await r.feedback.issue(t.tenantId, { surveyId: lenient, customerId: windowed, trigger: 'manual', sourceKey: 'w1' }, noon);
    expect(held).toEqual({ outcome: 'outside_window', next: new Date('2026-03-03T01:00:00Z') });
  });

  it("asks on the customer's ranked channel with consent when they have not consented to the survey's own", async () => {
    const s = await survey({ throttle_days: 0, channel: 'sms' });
    const emailOnly = await customer();
    const created: { channel: string; customerId: string }[] = [];
    const off = r.bus.subscribe('feedback.invitation.created', (m) => {
      created.push(m.payload as { channel: string; customerId: string });
    });
    const inv = await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: emailOnly });
    await r.bus.drain();
    off();
    expect(inv.json().outcome, inv.body).toBe('issued');
    expect(created).toEqual([expect.objectContaining({ customerId: emailOnly, channel: 'email' })]);
    expect((await call('GET', `/v1/survey-invitations?customer_id=${emailOnly}`)).json().data.map((i: { channel: string }) => i.channel)).toEqual(['email']);
    // Consent for the survey's own channel keeps it; without any consent nobody is asked.
    const both = await customer();
    expect((await call('POST', `/v1/customers/${both}/consent`, { channel: 'sms', purpose: 'service', status: 'granted', source: 'test' })).statusCode).toBe(
      201,
    );
    expect((await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: both })).json().outcome).toBe('issued');
    expect((await call('GET', `/v1/survey-invitations?customer_id=${both}`)).json().data.map((i: { channel: string }) => i.channel)).toEqual(['sms']);
    expect((await call('POST', `/v1/surveys/${s}/invitations`, { customer_id: await customer({ email: false }) })).json().outcome).toBe('no_consent');
  });

  it('triggers on a first-time event after its delay, and on abandonment only when not completed in time', async () => {
    const s = await survey({ throttle_days: 0, triggers: [{ type: 'event', event_type: 'bill_issued', delay_minutes: 60, first_time_only: true }] });
    const ab = await survey({
      name: 'Why did you stop?',
      throttle_days: 0,
      touchpoint: 'application',
      triggers: [{ type: 'abandonment', start_event: 'application_started', complete_event: 'application_completed', within_minutes: 30 }],
    });
    const c1 = await customer();
    const c2 = await customer();
    const email = async (id: string) => (await call('GET', `/v1/customers/${id}`)).json().identities[0].value;
    const now = r.clock.now().getTime();
    const at = (min: number) => new Date(now + min * 60_000).toISOString();
    const e1 = await email(c1),
      e2 = await email(c2);
    const ing = await call('POST', '/v1/events', {
      events: [
        { id: `b1-${now}`, type: 'bill_issued', occurred_at: at(-1), identities: { email: e1 }, properties: { bill_id: 'b1' } },
        { id: `b2-${now}`, type: 'bill_issued', occurred_at: at(0), identities: { email: e1 }, properties: { bill_id: 'b2' } },
        { id: `s1-${now}`, type: 'application_started', occurred_at: at(0), identities: { email: e1 }, properties: { application_id: 'a1' } },
        { id: `s2-${now}`, type: 'application_started', occurred_at: at(0), identities: { email: e2 }, properties: { application_id: 'a2' } },
        { id: `c2-${now}`, type: 'application_completed', occurred_at: at(10), identities: { email: e2 }, properties: { application_id: 'a2' } },
      ],
    });
    expect(ing.statusCode, ing.body).toBe(200);
    expect(ing.json().accepted, ing.body).toBe(5);
    await r.bus.drain();
    const invited = async () =>
      (await call('GET', '/v1/survey-invitations?limit=200')).json().data.filter((i: { survey_id: string }) => i.survey_id === s || i.survey_id === ab);
    expect(await invited()).toEqual([]);
    // 31 minutes on: the abandonment check is due, the bill survey (60 minutes) is not.
    await r.feedback.processDue(t.tenantId, new Date(now + 31 * 60_000));
    let inv = await invited();
    expect(inv.map((i: { customer_id: string; trigger: string }) => `${i.customer_id}:${i.trigger}`)).toEqual([`${c1}:abandonment`]);
    await r.feedback.processDue(t.tenantId, new Date(now + 61 * 60_000));
    inv = await invited();
    expect(inv.filter((i: { survey_id: string }) => i.survey_id === s).map((i: { customer_id: string }) => i.customer_id)).toEqual([c1]);
    // A replay of the same events schedules nothing new.
    await call('POST', '/v1/events', {
      events: [{ id: `b2-${now}`, type: 'bill_issued', occurred_at: at(0), identities: { email: e1 }, properties: { bill_id: 'b2' } }],
    });
    await r.bus.drain();
    await r.feedback.processDue(t.tenantId, new Date(now + 200 * 60_000));
    expect(await invited()).toHaveLength(2);
  });

  it('takes customer-initiated feedback from the page button with the page URL', async () => {
    const s = await survey();
    const btn = await call('GET', `/v1/surveys/${s}/button`);
    expect(btn.statusCode).toBe(200);
    expect(btn.json().snippet).toContain('/feedback/button.js');
    const script = await open('GET', '/feedback/button.js');
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toContain('location.href');
    const frame = await open('GET', `/b/${btn.json().token}?page=${encodeURIComponent('https://shop.example.com/checkout')}`, undefined, {
      'accept-language': 'zh-CN,zh;q=0.9',
    });
    expect(frame.statusCode).toBe(200);
    expect(frame.body).toContain('我们做得怎么样？');
    const sent = await open('POST', `/b/${btn.json().token}`, { answers: { nps: 10 }, page_url: 'https://shop.example.com/checkout' });
    expect(sent.statusCode, sent.body).toBe(201);
    const got = (await call('GET', `/v1/survey-responses/${sent.json().id}`)).json();
    expect(got).toMatchObject({ page_url: 'https://shop.example.com/checkout', channel: 'web', trigger: 'button', customer_id: null, score: 10 });
    // A button token is not a customer link.
    expect((await open('GET', `/s/${btn.json().token}`)).statusCode).toBe(403);
  });

  it('computes NPS, CSAT and CES with their intervals, distributions, topics and satisfied-but-left as by hand', async () => {
    const m = await createTestTenant(r);
    const mcall = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      r.app.inject({ method, url: path, headers: m.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const nps = (await mcall('POST', '/v1/surveys', NPS_SURVEY)).json().id;
    const csat = (
      await mcall('POST', '/v1/surveys', {
        name: 'CSAT',
        kind: 'csat',
        definition: { title: 'CSAT', questions: [{ key: 'csat', type: 'csat', required: true, text: 'Satisfied?' }] },
      })
    ).json().id;
    const ces = (
      await mcall('POST', '/v1/surveys', {
        name: 'CES',
        kind: 'ces',
        definition: { title: 'CES', questions: [{ key: 'ces', type: 'ces', required: true, text: 'Easy?' }] },
      })
    ).json().id;
    // Week of Monday 2026-03-02: app 10 answers; web 2 answers. Week of 2026-03-09: app 1 answer.
    const appScores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5];
    const ids: string[] = [];
    for (const [i, score] of appScores.entries()) {
      const res = await mcall('POST', '/v1/survey-responses', {
        survey_id: nps,
        answers: { nps: score },
        touchpoint: 'app',
        submitted_at: `2026-03-0${2 + (i % 5)}T10:00:00Z`,
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    for (const score of [10, 10])
      await mcall('POST', '/v1/survey-responses', { survey_id: nps, answers: { nps: score }, touchpoint: 'web', submitted_at: '2026-03-03T10:00:00Z' });
    await mcall('POST', '/v1/survey-responses', { survey_id: nps, answers: { nps: 0 }, touchpoint: 'app', submitted_at: '2026-03-10T10:00:00Z' });
    for (const score of [5, 4, 4, 2, 1])
      await mcall('POST', '/v1/survey-responses', { survey_id: csat, answers: { csat: score }, submitted_at: '2026-03-03T10:00:00Z' });
    for (const score of [2, 4, 6])
      await mcall('POST', '/v1/survey-responses', { survey_id: ces, answers: { ces: score }, submitted_at: '2026-03-03T10:00:00Z' });
    const range = 'from=2026-03-01T00:00:00Z&to=2026-03-16T00:00:00Z';

    const byWeek = (await mcall('GET', `/v1/feedback/measures?kind=nps&group_by=touchpoint&bucket=week&${range}`)).json().data;
    // app, first week: 4 promoters, 2 passives, 4 detractors of 10: NPS 0; SE = sqrt((0.4 + 0.4 - 0) / 10) = 0.28284.
    expect(byWeek).toEqual([
      {
        group: 'app',
        bucket: '2026-03-02T00:00:00.000Z',
        count: 10,
        score: 0,
        ci_low: -55.44,
        ci_high: 55.44,
        mean: 6.7,
        promoters: 4,
        passives: 2,
        detractors: 4,
      },
      { group: 'web', bucket: '2026-03-02T00:00:00.000Z', count: 2, score: 100, ci_low: 100, ci_high: 100, mean: 10, promoters: 2, passives: 0, detractors: 0 },
      {
        group: 'app',
        bucket: '2026-03-09T00:00:00.000Z',
        count: 1,
        score: -100,
        ci_low: -100,
        ci_high: -100,
        mean: 0,
        promoters: 0,
        passives: 0,
        detractors: 1,
      },
    ]);
    // CSAT: 3 of 5 answered 4 or 5 = 60%; SE = sqrt(0.6 x 0.4 / 5) = 0.21909 -> 60 +/- 42.94.
    expect((await mcall('GET', `/v1/feedback/measures?kind=csat&${range}`)).json().data).toEqual([
      { group: '', bucket: null, count: 5, score: 60, ci_low: 17.06, ci_high: 100, mean: 3.2 },
    ]);
    // CES: mean 4, sample sd 2, SE = 2 / sqrt(3) = 1.1547 -> 4 +/- 2.26.
    expect((await mcall('GET', `/v1/feedback/measures?kind=ces&${range}`)).json().data).toEqual([
      { group: '', bucket: null, count: 3, score: 4, ci_low: 1.74, ci_high: 6.26, mean: 4 },
    ]);
    expect((await mcall('GET', `/v1/feedback/distribution?kind=csat&${range}`)).json().data).toEqual([
      { score: 1, count: 1 },
      { score: 2, count: 1 },
      { score: 4, count: 2 },
      { score: 5, count: 1 },
    ]);

    // Topics come from text analysis: two detractors blame the price (one only names the app), one promoter praises the staff.
    await r.feedback.recordTextAnalysis(m.tenantId, ids[6], {
      sentiment: 'negative',
      topics: ['price', 'app'],
      topicSentiments: { price: 'negative', app: 'neutral' },
    });
    await r.feedback.recordTextAnalysis(m.tenantId, ids[7], { sentiment: 'negative', topics: ['price'], topicSentiments: { price: 'negative' } });
    await r.feedback.recordTextAnalysis(m.tenantId, ids[0], { sentiment: 'positive', topics: ['staff'], topicSentiments: { staff: 'positive' } });
    expect((await mcall('GET', `/v1/feedback/topics?${range}`)).json().data).toEqual([
      { topic: 'price', detractors: 2, promoters: 0, negative: 2, positive: 0 },
      { topic: 'app', detractors: 1, promoters: 0, negative: 0, positive: 0 },
      { topic: 'staff', detractors: 0, promoters: 1, negative: 0, positive: 1 },
    ]);
    expect((await mcall('GET', `/v1/survey-responses/${ids[6]}`)).json().topic_sentiments).toEqual({ price: 'negative', app: 'neutral' });
    // A person says the second detractor was not about the price but the staff: the sums follow, polarity included.
    const fixed = await mcall('POST', `/v1/survey-responses/${ids[7]}/topics`, { add: ['staff'], remove: ['price'] });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ topics: ['staff'], topic_sentiments: { staff: 'negative' } });
    expect((await mcall('GET', `/v1/feedback/topics?${range}`)).json().data).toEqual([
      { topic: 'app', detractors: 1, promoters: 0, negative: 0, positive: 0 },
      { topic: 'price', detractors: 1, promoters: 0, negative: 1, positive: 0 },
      { topic: 'staff', detractors: 1, promoters: 1, negative: 1, positive: 1 },
    ]);

    // A response written the one-by-one way (a partial answer under a key, completed later) adds to the
    // same sums, and the sums kept as responses arrive equal the ones rebuilt from the responses.
    await mcall('POST', '/v1/survey-responses', {
      survey_id: nps,
      answers: {},
      partial: true,
      submission_key: 'later-1',
      touchpoint: 'web',
      submitted_at: '2026-03-04T10:00:00Z',
    });
    expect(
      (
        await mcall('POST', '/v1/survey-responses', {
          survey_id: nps,
          answers: { nps: 4 },
          submission_key: 'later-1',
          touchpoint: 'web',
          submitted_at: '2026-03-04T10:00:00Z',
        })
      ).statusCode,
    ).toBe(201);
    const everything = async () => [
      (await mcall('GET', `/v1/feedback/measures?kind=nps&group_by=touchpoint&bucket=week&${range}`)).json().data,
      (await mcall('GET', `/v1/feedback/measures?kind=csat&${range}`)).json().data,
      (await mcall('GET', `/v1/feedback/topics?${range}`)).json().data,
    ];
    const kept = await everything();
    expect(kept[0][1]).toMatchObject({ group: 'web', count: 3, detractors: 1 });
    await r.feedback.rebuildRollups(m.tenantId);
    expect(await everything()).toEqual(kept);
  });

  it('finds customers who answered satisfied and then bought nothing for N days', async () => {
    const m = await createTestTenant(r);
    const mcall = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      r.app.inject({ method, url: path, headers: m.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const s = (await mcall('POST', '/v1/surveys', NPS_SURVEY)).json().id;
    const ago = (days: number) => new Date(r.clock.now().getTime() - days * 86_400_000).toISOString();
    const make = async (email: string) => (await mcall('POST', '/v1/customers', { identities: { email } })).json().id as string;
    const left = await make('left@example.com');
    const stayed = await make('stayed@example.com');
    const unhappy = await make('unhappy@example.com');
    const recent = await make('recent@example.com');
    for (const [c, score, days] of [
      [left, 9, 100],
      [stayed, 10, 100],
      [unhappy, 3, 100],
      [recent, 9, 10],
    ] as const) {
      expect((await mcall('POST', '/v1/survey-responses', { survey_id: s, customer_id: c, answers: { nps: score }, submitted_at: ago(days) })).statusCode).toBe(
        201,
      );
    }
    const ing = await mcall('POST', '/v1/events', {
      events: [
        {
          id: 'p1',
          type: 'purchase',
          occurred_at: ago(50),
          identities: { email: 'stayed@example.com' },
          properties: { order_id: 'o1', amount: 10, currency: 'CNY' },
        },
      ],
    });
    expect(ing.json().accepted).toBe(1);
    await r.bus.drain();
    const res = (await mcall('GET', '/v1/feedback/satisfied-but-left?days=90')).json().data;
    expect(res.map((x: { customer_id: string }) => x.customer_id)).toEqual([left]);
  });

  it('asks a segment periodically, once per period, and only those who consented', async () => {
    const m = await createTestTenant(r);
    const mcall = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      r.app.inject({ method, url: path, headers: m.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const s = (await mcall('POST', '/v1/surveys', { ...NPS_SURVEY, throttle_days: 0, triggers: [{ type: 'periodic', every_days: 90, segment: {} }] })).json()
      .id;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const id = (await mcall('POST', '/v1/customers', { identities: { email: `p${n}@example.com` } })).json().id;
      if (n !== 3) await mcall('POST', `/v1/customers/${id}/consent`, { channel: 'email', purpose: 'service', status: 'granted', source: 'test' });
      ids.push(id);
    }
    const now = r.clock.now();
    expect(await r.feedback.runPeriodic(m.tenantId, now)).toBe(3);
    const invited = (await mcall('GET', `/v1/survey-invitations?survey_id=${s}`))
      .json()
      .data.map((x: { customer_id: string; trigger: string }) => `${x.customer_id}:${x.trigger}`)
      .sort();
    expect(invited).toEqual([`${ids[0]}:periodic`, `${ids[1]}:periodic`].sort());
    expect(await r.feedback.runPeriodic(m.tenantId, new Date(now.getTime() + 89 * 86_400_000))).toBe(0);
    expect(await r.feedback.runPeriodic(m.tenantId, new Date(now.getTime() + 91 * 86_400_000))).toBe(3);
  });

  it('moves responses to the survivor of a merge and keeps only the score after erasure', async () => {
    const m = await createTestTenant(r);
    const mcall = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      r.app.inject({ method, url: path, headers: m.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    const s = (await mcall('POST', '/v1/surveys', NPS_SURVEY)).json().id;
    const a = (await mcall('POST', '/v1/customers', { identities: { email: 'a@example.com' } })).json().id;
    const b = (await mcall('POST', '/v1/customers', { identities: { email: 'b@example.com' } })).json().id;
    const resp = (await mcall('POST', '/v1/survey-responses', { survey_id: s, customer_id: b, answers: { nps: 2, why_low: 'My phone is 13800138000' } })).json()
      .id;
    expect((await mcall('POST', `/v1/customers/${a}/merge`, { other_id: b })).statusCode).toBeLessThan(300);
    expect((await mcall('GET', `/v1/survey-responses/${resp}`)).json().customer_id).toBe(a);
    // Submitted together (one batch): the merged id is stored for its survivor, an unknown id fails alone.
    const [viaMerged, unknown, plain] = await Promise.all([
      mcall('POST', '/v1/survey-responses', { survey_id: s, customer_id: b, answers: { nps: 9 } }),
      mcall('POST', '/v1/survey-responses', { survey_id: s, customer_id: 'cus_nobody', answers: { nps: 1 } }),
      mcall('POST', '/v1/survey-responses', { survey_id: s, answers: { nps: 7 } }),
    ]);
    expect(viaMerged.statusCode, viaMerged.body).toBe(201);
    expect((await mcall('GET', `/v1/survey-responses/${viaMerged.json().id}`)).json().customer_id).toBe(a);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors).toEqual([{ field: 'customer_id', message: 'names no customer' }]);
    expect(plain.statusCode).toBe(201);
    const scores = (await mcall('GET', `/v1/survey-responses?survey_id=${s}`))
      .json()
      .data.map((x: { score: number }) => x.score)
      .sort();
    expect(scores).toEqual([2, 7, 9]);
    const timeline = JSON.stringify((await mcall('GET', `/v1/customers/${a}/timeline`)).json());
    expect(timeline).toContain(viaMerged.json().id);
    const exported = (await mcall('GET', `/v1/customers/${a}/export`)).json();
    expect(JSON.stringify(exported)).toContain('My phone is 13800138000');
    expect((await mcall('POST', `/v1/customers/${a}/erase`)).statusCode).toBeLessThan(300);
    const after = (await mcall('GET', `/v1/survey-responses/${resp}`)).json();
    expect(after).toMatchObject({ score: 2, answers: {}, open_text: null });
  });
});
