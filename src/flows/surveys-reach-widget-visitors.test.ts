// The widget's survey pop-in end to end on the server: a CSAT survey triggered by resolving a web chat
// reaches the visitor's open socket, waits for their next connection while unanswered, and the answer
// goes back through the feedback module's signed link: checked, stored once, on the timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../test/helpers.js';
import { Socket } from '../../test/socket.js';
import type { Rapport } from '../app.js';

const CSAT = {
  name: 'Chat CSAT',
  kind: 'csat',
  touchpoint: 'web_chat_support',
  journey_stage: 'service',
  triggers: [{ type: 'conversation_resolved' }],
  definition: {
    title: { en: 'How did we do?', 'zh-CN': '我们的服务如何？' },
    thanks: { en: 'Thanks!', 'zh-CN': '谢谢！' },
    questions: [
      { key: 'csat', type: 'csat', required: true, text: { en: 'How satisfied are you with our help?', 'zh-CN': '您对我们的帮助满意吗？' } },
      { key: 'comment', type: 'text', text: { en: 'Anything to add?', 'zh-CN': '还有什么想说的？' } },
    ],
  },
};

describe.each(databases)('widget survey pop-in on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let wsBase: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    wsBase = (await r.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
  });
  afterAll(async () => r?.close());

  const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) => {
    const res = await r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const answer = (token: string, body: unknown) =>
    r.app.inject({
      method: 'POST',
      url: `/s/${encodeURIComponent(token)}`,
      headers: { 'content-type': 'text/plain', origin: 'https://shop.example.com' },
      payload: JSON.stringify(body),
    });

  it('asks the visitor in their open chat when the agent resolves it, and again on their next page until answered', async () => {
    const channel = await api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat' });
    const survey = await api('POST', '/v1/surveys', CSAT);
    const visitor = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}`);
    const welcome = await visitor.next((f) => f.type === 'welcome');
    visitor.send({ type: 'message', text: 'My parcel has not arrived', client_id: 'm1' });
    const ack = await visitor.next((f) => f.type === 'ack');

    await api('POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'It leaves the depot today.' });
    await api('PATCH', `/v1/conversations/${ack.conversation_id}`, { status: 'resolved' });
    // Should the survey not come, the error says how far it got: the conversation, its schedule, its invitation.
    const frame = await visitor.next(
      (f) => f.type === 'survey',
      15_000,
      async () => {
        const q = (sql: string) => r.db.pool.query(sql, [t.tenantId]).then((x) => x.rows);
        return {
          conversations: await q('SELECT id, status, customer_id, last_channel_kind FROM inbox_conversations WHERE tenant_id = $1'),
          schedules: await q('SELECT state, outcome, due_at, processed_at FROM survey_schedules WHERE tenant_id = $1'),
          invitations: await q('SELECT id, channel, status, created_at FROM survey_invitations WHERE tenant_id = $1'),
          now: r.clock.now(),
        };
      },
    );
    expect(frame).toMatchObject({ kind: 'csat', title: { en: 'How did we do?', 'zh-CN': '我们的服务如何？' } });
    expect(frame.questions.map((q: { key: string; type: string; min?: number; max?: number }) => [q.key, q.type, q.min, q.max])).toEqual([
      ['csat', 'csat', 1, 5],
      ['comment', 'text', undefined, undefined],
    ]);
    const invitations = (await api('GET', `/v1/survey-invitations?survey_id=${survey.id}`)).data;
    expect(invitations.map((i: { id: string; channel: string }) => [i.id, i.channel])).toEqual([[frame.invitation_id, 'widget']]);

    // Not answered yet: the next connection of the same visitor is asked again.
    visitor.close();
    const again = await Socket.open(
      `${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`,
    );
    const pending = await again.next((f) => f.type === 'survey');
    expect(pending.invitation_id).toBe(frame.invitation_id);

    // Bad answers are refused by field and store nothing.
    const bad = await answer(pending.token, { answers: { csat: 9 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['answers.csat']);

    const ok = await answer(pending.token, { answers: { csat: 4, comment: 'Quick and kind' }, language: 'en' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    // A replayed answer (a double click, a retry) stores nothing twice.
    const replay = await answer(pending.token, { answers: { csat: 4, comment: 'Quick and kind' } });
    expect(replay.statusCode).toBe(409);

    const {
      rows: [{ customer_id: customerId }],
    } = await r.db.pool.query('SELECT customer_id FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [t.tenantId, ack.conversation_id]);
    const list = (await api('GET', `/v1/survey-responses?survey_id=${survey.id}`)).data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      score: 4,
      customer_id: customerId,
      channel: 'widget',
      touchpoint: 'web_chat_support',
      trigger: 'conversation_resolved',
      status: 'complete',
    });
    await r.bus.drain();
    const timeline = await api('GET', `/v1/customers/${customerId}/timeline`);
    const item = timeline.data.find((e: { type: string }) => e.type === 'survey.response');
    expect(item.properties).toMatchObject({ score: 4, channel: 'widget', conversation_id: ack.conversation_id });

    // Answered: the next connection is not asked again.
    again.close();
    const third = await Socket.open(
      `${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`,
    );
    await third.next((f) => f.type === 'welcome');
    third.send({ type: 'message', text: 'ping', client_id: 'm2' });
    await third.next((f) => f.type === 'ack');
    expect(third.frames.filter((f) => f.type === 'survey')).toEqual([]);
    third.close();
  });

  it('announces a survey too long for the live feed, and hands it over whole on the next connection', async () => {
    const other = await createTestTenant(r);
    const call = (method: 'POST' | 'PATCH', path: string, payload: unknown) =>
      r.app.inject({ method, url: path, headers: other.headers, payload: payload as object }).then((res) => res.json());
    const long = (n: number) => ({
      en: `Question ${n}: ${'how did this part of our service work for you today '.repeat(3)}`,
      'zh-CN': `问题 ${n}：${'今天我们这部分服务对您来说怎么样'.repeat(3)}`,
    });
    await call('POST', '/v1/surveys', {
      ...CSAT,
      definition: {
        ...CSAT.definition,
        questions: [CSAT.definition.questions[0], ...Array.from({ length: 30 }, (_, i) => ({ key: `q${i}`, type: 'text', text: long(i) }))],
      },
    });
    const channel = await call('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat' });
    const visitor = await Socket.open(`${wsBase}/hooks/inbox/${other.tenantId}/webchat/${channel.id}`);
    const welcome = await visitor.next((f) => f.type === 'welcome');
    visitor.send({ type: 'message', text: 'Hello', client_id: 'm1' });
    const ack = await visitor.next((f) => f.type === 'ack');
    await call('PATCH', `/v1/conversations/${ack.conversation_id}`, { status: 'resolved' });
    const notice = await visitor.next((f) => f.type === 'survey_waiting');
    expect(visitor.frames.filter((f) => f.type === 'survey')).toEqual([]);
    visitor.close();
    const again = await Socket.open(
      `${wsBase}/hooks/inbox/${other.tenantId}/webchat/${channel.id}?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`,
    );
    const whole = await again.next((f) => f.type === 'survey');
    expect(whole.invitation_id).toBe(notice.invitation_id);
    expect(whole.questions).toHaveLength(31);
    again.close();
  });

  it('does not ask when the agent resolves without asking for a rating', async () => {
    const channel = await api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Second site chat' });
    const visitor = await Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}`);
    visitor.send({ type: 'message', text: 'Spam spam spam', client_id: 'm1' });
    const ack = await visitor.next((f) => f.type === 'ack');
    await api('PATCH', `/v1/conversations/${ack.conversation_id}`, { status: 'resolved', request_csat: false });
    await r.bus.drain();
    const { rows } = await r.db.pool.query(`SELECT 1 FROM survey_schedules WHERE tenant_id = $1 AND source_key = $2`, [
      t.tenantId,
      `conversation:${ack.conversation_id}`,
    ]);
    expect(rows).toHaveLength(0);
    expect(visitor.frames.filter((f) => f.type === 'survey')).toEqual([]);
    visitor.close();
  });
});
