// Conversations end to end: routing by rules and customer value, round-robin within capacity, the
// queue when nobody is free, hand-back when an agent goes offline, SLA timers on a controllable
// clock (pg-boss job scheduled, warning, breach, escalation), the agent feed on this node and on a
// second node through LISTEN/NOTIFY, notes, canned replies, merges, resolution and agent hints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant, npsSurvey } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';
import { Socket } from '../../../test/socket.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';

describe.each(databases)('inbox conversations on $name', ({ name, url }) => {
  let r: Rapport;
  let t: TestTenant;
  let base: string;
  let channel: any;
  // The app's clock stands still at the instants the test names (in the past: nothing here depends on
  // being ahead of the wall clock, since this app's SLA jobs live in its own queue schema).
  const clock = createTestClock('2026-03-04T02:00:00Z', { frozen: true }); // Wednesday 10:00 in Shanghai
  let seq = 0;
  const bus: { type: string; payload: any }[] = [];

  const api = async (method: string, path: string, body?: unknown, expected?: number) => {
    const res = await r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });
    if (expected) expect(res.statusCode, res.body).toBe(expected);
    return res.json();
  };
  const inbound = async (identities: Record<string, string>, text: string) => {
    const ch = await r.inbox.getChannel(t.tenantId, channel.id);
    return r.inbox.receive({ channel: ch, externalId: `ext-${++seq}`, identities, text, replyAddress: Object.values(identities)[0] });
  };

  let smtp: SmtpListener;
  beforeAll(async () => {
    smtp = await startSmtpListener();
    r = await startTestApp(url, { smtpUrl: smtp.url, clock });
    t = await createTestTenant(r);
    base = await r.app.listen({ port: 0, host: '127.0.0.1' });
    channel = await api('POST', '/v1/inbox/channels', { kind: 'api', name: 'Phone log', settings: { source: 'phone' } }, 201);
    for (const type of ['conversation.resolved', 'message.received'])
      r.bus.subscribe(type, (m) => {
        bus.push({ type: m.type, payload: m.payload });
      });
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  it('routes by rules in order, round-robins within capacity, queues when nobody is free, and hands work back when an agent goes offline', async () => {
    const billing = await api('POST', '/v1/inbox/teams', { name: 'Billing', assignment: 'round_robin' }, 201);
    const vip = await api('POST', '/v1/inbox/teams', { name: 'Senior', assignment: 'least_loaded' }, 201);
    const a1 = await api('POST', '/v1/inbox/agents', { name: 'Ann', status: 'online', capacity: 1, team_ids: [billing.id] }, 201);
    const a2 = await api('POST', '/v1/inbox/agents', { name: 'Bob', status: 'online', capacity: 1, team_ids: [billing.id] }, 201);
    const senior = await api('POST', '/v1/inbox/agents', { name: 'Sue', status: 'online', capacity: 5, team_ids: [vip.id], is_senior: true }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'Invoices', position: 20, conditions: { keywords: ['invoice', '发票'] }, team_id: billing.id }, 201);
    await api(
      'POST',
      '/v1/inbox/routing-rules',
      { name: 'Core customers first', position: 10, conditions: { is_core: true }, team_id: vip.id, priority: 'urgent' },
      201,
    );
    // A rule naming another tenant's (or no) team is refused.
    await api('POST', '/v1/inbox/routing-rules', { name: 'x', team_id: 'team_doesnotexist00000000000000' }, 404);

    const c1 = await inbound({ phone: '+8613600000001' }, 'Where is my invoice?');
    const c2 = await inbound({ phone: '+8613600000002' }, 'invoice missing');
    const c3 = await inbound({ phone: '+8613600000003' }, '发票抬头错了');
    const conv = (id: string) => api('GET', `/v1/conversations/${id}`);
    const [v1, v2, v3] = await Promise.all([conv(c1.conversationId), conv(c2.conversationId), conv(c3.conversationId)]);
    expect(new Set([v1.assignee_id, v2.assignee_id])).toEqual(new Set([a1.id, a2.id]));
    expect(v3).toMatchObject({ team_id: billing.id, assignee_id: null, language: 'zh' });
    expect((await api('GET', `/v1/conversations?unassigned=true&team_id=${billing.id}`)).data.map((c: any) => c.id)).toEqual([c3.conversationId]);

    // Ann goes offline: her conversation cannot go to Bob (full), so it waits in the queue with c3.
    const annConv = v1.assignee_id === a1.id ? v1 : v2;
    await api('PATCH', `/v1/inbox/agents/${a1.id}`, { status: 'offline' }, 200);
    expect((await conv(annConv.id)).assignee_id).toBeNull();
    const history = (await api('GET', `/v1/conversations/${annConv.id}/assignments`)).data;
    expect(history.map((h: any) => [h.agent_id, h.reason])).toEqual([
      [a1.id, 'routing'],
      [null, 'agent_offline'],
    ]);
    // Bob resolves his conversation: the oldest queued one (Ann's, older than c3) comes to him.
    const bobConv = v1.assignee_id === a2.id ? v1 : v2;
    await api('PATCH', `/v1/conversations/${bobConv.id}`, { status: 'resolved' }, 200);
    await r.bus.drain();
    expect((await conv(annConv.id)).assignee_id).toBe(a2.id);
    expect((await conv(c3.conversationId)).assignee_id).toBeNull();
    // Capacity is respected on manual assignment too, unless forced; an agent outside the team cannot pick it.
    await api('POST', `/v1/conversations/${c3.conversationId}/assignment`, { agent_id: a2.id }, 409);
    expect((await api('POST', `/v1/conversations/${c3.conversationId}/pick`, { agent_id: senior.id }, 403)).code).toBe('INBOX_CONVERSATION_NOT_IN_AGENT_TEAMS');
    expect(await conv(c3.conversationId)).toMatchObject({ team_id: billing.id, assignee_id: null });

    // A core customer goes to the senior team first, urgent.
    const core = await api('POST', '/v1/customers', { identities: { phone: '+8613600000009' } }, 201);
    await r.db.pool.query('UPDATE customers SET is_core = true WHERE tenant_id = $1 AND id = $2', [t.tenantId, core.id]);
    const c4 = await inbound({ phone: '+8613600000009' }, 'my invoice again');
    expect(await conv(c4.conversationId)).toMatchObject({ team_id: vip.id, assignee_id: senior.id, priority: 'urgent' });
  });

  it('lets an agent pick only waiting work of their own teams; taking over held work is an audited transfer', async () => {
    const desk = await api('POST', '/v1/inbox/teams', { name: 'Desk' }, 201);
    const other = await api('POST', '/v1/inbox/teams', { name: 'Elsewhere' }, 201);
    const [lin, mo, zoe] = await Promise.all(
      ['Lin', 'Mo', 'Zoe'].map((n, i) =>
        api('POST', '/v1/inbox/agents', { name: n, status: 'away', capacity: 3, team_ids: [i < 2 ? desk.id : other.id] }, 201),
      ),
    );
    await api('POST', '/v1/inbox/routing-rules', { name: 'Desk words', position: 1, conditions: { keywords: ['pickdesk'] }, team_id: desk.id }, 201);
    const c = await inbound({ phone: '+8613600000077' }, 'pickdesk: my seat');
    expect(await api('GET', `/v1/conversations/${c.conversationId}`)).toMatchObject({ team_id: desk.id, assignee_id: null });

    // Zoe is not in Desk: her pick is refused and the conversation keeps its team.
    expect((await api('POST', `/v1/conversations/${c.conversationId}/pick`, { agent_id: zoe.id }, 403)).code).toBe('INBOX_CONVERSATION_NOT_IN_AGENT_TEAMS');
    // Lin and Mo pick at once: exactly one gets it, the other is told it is taken.
    const picks = await Promise.all(
      [lin, mo].map((a) =>
        r.app.inject({ method: 'POST', url: `/v1/conversations/${c.conversationId}/pick`, headers: t.headers, payload: { agent_id: a.id } }),
      ),
    );
    expect(picks.map((p) => p.statusCode).sort()).toEqual([200, 409]);
    expect(picks.find((p) => p.statusCode === 409)!.json().code).toBe('INBOX_CONVERSATION_ALREADY_ASSIGNED');
    const holder = picks.find((p) => p.statusCode === 200)!.json().assignee_id;
    const second = holder === lin.id ? mo : lin;
    expect(await api('GET', `/v1/conversations/${c.conversationId}`)).toMatchObject({ team_id: desk.id, assignee_id: holder });

    // Taking it over is a transfer, with a reason, in the assignment history and the audit log.
    await api('POST', `/v1/conversations/${c.conversationId}/transfer`, { agent_id: second.id }, 422);
    expect((await api('POST', `/v1/conversations/${c.conversationId}/transfer`, { agent_id: second.id, reason: 'Lin goes home' }, 200)).assignee_id).toBe(
      second.id,
    );
    expect((await api('GET', `/v1/conversations/${c.conversationId}/assignments`)).data.map((h: any) => [h.agent_id, h.reason])).toEqual([
      [null, 'routing'],
      [holder, 'pick'],
      [second.id, 'transfer'],
    ]);
    const { rows: audit } = await r.db.pool.query(
      `SELECT details FROM audit_log WHERE tenant_id = $1 AND action = 'conversation.transfer' AND subject_id = $2`,
      [t.tenantId, c.conversationId],
    );
    expect(audit.map((a) => a.details)).toEqual([
      { from_agent_id: holder, to_agent_id: second.id, from_team_id: desk.id, to_team_id: desk.id, reason: 'Lin goes home' },
    ]);
    // A transfer to an agent outside the team names the team it moves to.
    await api('POST', `/v1/conversations/${c.conversationId}/transfer`, { agent_id: zoe.id, reason: 'billing question' }, 403);
    expect(
      await api('POST', `/v1/conversations/${c.conversationId}/transfer`, { agent_id: zoe.id, team_id: other.id, reason: 'billing question' }, 200),
    ).toMatchObject({ team_id: other.id, assignee_id: zoe.id });
  });

  it('sets SLA targets on the business-hours calendar, schedules pg-boss timers, warns, breaches and escalates', async () => {
    const team = await api('POST', '/v1/inbox/teams', { name: 'Support' }, 201);
    const manager = await api('POST', '/v1/inbox/agents', { name: 'Mia', email: `mia@${t.slug}.example.com`, status: 'away', team_ids: [] }, 201);
    await api('PATCH', `/v1/inbox/teams/${team.id}`, { manager_agent_id: manager.id }, 200);
    const x = await api('POST', '/v1/inbox/agents', { name: 'Xu', status: 'online', capacity: 3, team_ids: [team.id] }, 201);
    const y = await api('POST', '/v1/inbox/agents', { name: 'Yan', status: 'online', capacity: 3, team_ids: [team.id] }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'Support words', position: 5, conditions: { keywords: ['slatest'] }, team_id: team.id }, 201);
    await api(
      'POST',
      '/v1/inbox/sla-policies',
      {
        name: 'Support SLA',
        team_id: team.id,
        first_response_minutes: 60,
        next_response_minutes: 30,
        resolution_minutes: 480,
        warning_percent: 50,
        calendar: {
          kind: 'business_hours',
          timezone: 'Asia/Shanghai',
          hours: { 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] },
          holidays: [],
        },
        escalation: { reassign: true, notify_manager: true },
      },
      201,
    );
    const managerFeed = await Socket.open(`${base.replace('http', 'ws')}/v1/inbox/feed?agent_id=${manager.id}`, t.headers);
    await managerFeed.next((f) => f.type === 'ready');
    const xFeed = await Socket.open(`${base.replace('http', 'ws')}/v1/inbox/feed?agent_id=${x.id}`, t.headers);
    await xFeed.next((f) => f.type === 'ready');

    clock.set('2026-03-06T09:30:00Z'); // Friday 17:30 in Shanghai: 30 minutes left that day
    const c = await inbound({ phone: '+8613600000100' }, 'slatest please help');
    let conv = await api('GET', `/v1/conversations/${c.conversationId}`);
    expect(conv.sla.first_response_due_at).toBe('2026-03-09T01:30:00.000Z'); // Monday 09:30 local
    expect(conv.sla.resolution_due_at).toBe('2026-03-09T08:30:00.000Z'); // 8 open hours: 30 min on Friday, 7.5 h on Monday
    const assignee = conv.assignee_id;
    expect([x.id, y.id]).toContain(assignee);
    await r.bus.drain();
    const { rows: jobs } = await r.db.pool.query(
      `SELECT data, start_after FROM ${r.jobs.schema}.job WHERE name = 'inbox-sla' AND data->>'conversationId' = $1`,
      [c.conversationId],
    );
    expect(jobs.map((j) => `${j.data.target}:${j.data.stage}`).sort()).toEqual([
      'first_response:breach',
      'first_response:warning',
      'resolution:breach',
      'resolution:warning',
    ]);
    expect(new Date(jobs.find((j) => j.data.target === 'first_response' && j.data.stage === 'breach').start_after).toISOString()).toBe(
      '2026-03-09T01:30:00.000Z',
    );

    // Saturday: nothing is due yet, a timer firing early changes nothing.
    clock.set('2026-03-07T03:00:00Z');
    expect(await r.inbox.checkSla(t.tenantId, c.conversationId, 'first_response', 'breach', conv.sla.first_response_due_at)).toBe(false);
    // Past half the target in wall time: a warning, once.
    clock.set('2026-03-08T06:00:00Z');
    await r.inbox.sweepSla(t.tenantId);
    await r.inbox.sweepSla(t.tenantId);
    conv = await api('GET', `/v1/conversations/${c.conversationId}`);
    expect(conv.sla.status).toBe('warning');
    expect(conv.sla.events.filter((e: any) => e.target === 'first_response')).toEqual([expect.objectContaining({ stage: 'warning' })]);
    if (assignee === x.id) await xFeed.next((f) => f.type === 'sla.warning' && f.conversation_id === c.conversationId);
    // Monday 09:31 local, no answer: breached, reassigned to the other agent, the manager told.
    clock.set('2026-03-09T01:31:00Z');
    await r.inbox.sweepSla(t.tenantId);
    conv = await api('GET', `/v1/conversations/${c.conversationId}`);
    expect(conv.sla.status).toBe('breached');
    expect(conv.assignee_id).toBe(assignee === x.id ? y.id : x.id);
    expect(await managerFeed.next((f) => f.type === 'sla.escalated' && f.conversation_id === c.conversationId)).toMatchObject({
      target: 'first_response',
      manager_agent_id: manager.id,
    });
    const managerMail = await smtp.waitFor(`mia@${t.slug}.example.com`);
    expect(managerMail.mail.subject).toContain(`SLA breached: first response on conversation ${c.conversationId}`);
    expect(managerMail.mail.text).toContain('reassigned');
    expect((await api('GET', `/v1/conversations/${c.conversationId}/assignments`)).data.at(-1).reason).toBe('sla_escalation');

    // The agent answers: first response recorded; the customer writes again: next-response clock runs.
    await api('POST', `/v1/conversations/${c.conversationId}/messages`, { text: 'Sorry for the wait', agent_id: conv.assignee_id }, 201);
    clock.set('2026-03-09T02:00:00Z');
    await inbound({ phone: '+8613600000100' }, 'still broken');
    conv = await api('GET', `/v1/conversations/${c.conversationId}`);
    expect(conv.sla).toMatchObject({
      first_responded_at: '2026-03-09T01:31:00.000Z',
      first_response_due_at: null,
      next_response_due_at: '2026-03-09T02:30:00.000Z',
    });
    managerFeed.close();
    xFeed.close();
  });

  it("gives an agent only their teams' and their own events, and a second node's agents get events through LISTEN/NOTIFY", async () => {
    const team = await api('POST', '/v1/inbox/teams', { name: 'Feed team' }, 201);
    const other = await api('POST', '/v1/inbox/teams', { name: 'Elsewhere' }, 201);
    const agent = await api('POST', '/v1/inbox/agents', { name: 'Fay', status: 'away', team_ids: [team.id] }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'feedword', position: 1, conditions: { keywords: ['feedword'] }, team_id: team.id }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'otherword', position: 2, conditions: { keywords: ['otherword'] }, team_id: other.id }, 201);
    const node2 = await startTestApp(url);
    try {
      const base2 = await node2.app.listen({ port: 0, host: '127.0.0.1' });
      const remote = await Socket.open(`${base2.replace('http', 'ws')}/v1/inbox/feed?agent_id=${agent.id}`, t.headers);
      await remote.next((f) => f.type === 'ready');
      const local = await Socket.open(`${base.replace('http', 'ws')}/v1/inbox/feed?agent_id=${agent.id}`, t.headers);
      await local.next((f) => f.type === 'ready');
      const elsewhere = await inbound({ phone: '+8613600000201' }, 'otherword');
      const mine = await inbound({ phone: '+8613600000202' }, 'feedword hello');
      // The embedded database serves one process (PGlite is one backend), so NOTIFY crossing between
      // nodes is checked on the real PostgreSQL; on the embedded one the local socket must still hear it.
      const nodes = name === 'postgres' ? [local, remote] : [local];
      for (const s of nodes) {
        expect(await s.next((f) => f.type === 'message.created' && f.message_id === mine.messageId, 10_000)).toMatchObject({
          conversation_id: mine.conversationId,
          team_id: team.id,
          text: 'feedword hello',
        });
        await s.next((f) => f.type === 'conversation.created' && f.conversation_id === mine.conversationId);
      }
      await new Promise((res) => setTimeout(res, 300));
      expect(nodes.flatMap((s) => s.frames).some((f) => f.conversation_id === elsewhere.conversationId)).toBe(false);
      for (const s of nodes) expect(s.frames.filter((f) => f.message_id === mine.messageId)).toHaveLength(1);

      // A long Chinese message (three bytes a character, far over NOTIFY's 8000 bytes) arriving with a
      // short one: the other node gets both, the long one cut and marked, the short one whole.
      const [long, short] = await Promise.all([
        inbound({ phone: '+8613600000203' }, `feedword ${'退款还没有到账'.repeat(700)}`),
        inbound({ phone: '+8613600000204' }, 'feedword 短'),
      ]);
      for (const s of nodes) {
        const frame = await s.next((f) => f.type === 'message.created' && f.message_id === long.messageId, 10_000);
        expect(frame.is_truncated).toBe(name === 'postgres' && s === remote ? true : undefined);
        expect((frame.text as string).startsWith('feedword 退款还没有到账')).toBe(true);
        expect(await s.next((f) => f.type === 'message.created' && f.message_id === short.messageId, 10_000)).toMatchObject({ text: 'feedword 短' });
      }
      local.close();
      remote.close();
    } finally {
      await node2.close();
    }
  });

  it('keeps notes private, fills canned replies, merges conversations, and publishes conversation.resolved', async () => {
    const c = await inbound({ phone: '+8613600000300' }, 'I want to cancel my account');
    const customer = c.customerId;
    await api('PATCH', `/v1/customers/${customer}`, { display_name: '王芳' }, 200);
    const note = await api('POST', `/v1/conversations/${c.conversationId}/notes`, { text: 'Customer is upset about fees' }, 201);
    // The list previews the last thing said to or by the customer, never a private note.
    const listed = (await api('GET', `/v1/conversations?customer_id=${customer}`, undefined, 200)).data;
    expect(listed.map((x: any) => x.last_message)).toEqual([expect.objectContaining({ direction: 'in', text: 'I want to cancel my account' })]);
    const canned = await api(
      'POST',
      '/v1/inbox/canned-replies',
      { shortcut: 'hello', title: 'Greeting', body: '{{customer.name}}您好，我是{{agent.name}}。' },
      201,
    );
    await api('POST', '/v1/inbox/canned-replies', { shortcut: 'hello', title: 'Dup', body: 'x' }, 409);
    const agent = await api('POST', '/v1/inbox/agents', { name: '小李' }, 201);
    const sent = await api('POST', `/v1/conversations/${c.conversationId}/messages`, { canned_reply_id: canned.id, agent_id: agent.id }, 201);
    expect(sent.text).toBe('王芳您好，我是小李。');
    const timeline = (await api('GET', `/v1/customers/${customer}/timeline`)).data;
    expect(timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['message.received', 'message.sent', 'conversation.opened']));
    expect(JSON.stringify(timeline)).not.toContain('upset about fees');
    expect((await api('GET', `/v1/conversations/${c.conversationId}/messages`)).data.find((m: any) => m.id === note.id)).toMatchObject({ direction: 'note' });

    // Hints: an open complaint (a case the loop module holds) and a question that signals leaving.
    const complaint = await api('POST', '/v1/cases', { summary: 'Charged a fee twice', customer_id: customer, type: 'complaint' }, 201);
    await api('PATCH', `/v1/customers/${customer}/preferences`, { language: 'zh-CN' }, 200);
    const ctx = await api('GET', `/v1/conversations/${c.conversationId}/context`, undefined, 200);
    expect(ctx.customer.display_name).toBe('王芳');
    expect(ctx.open_cases).toEqual([{ id: complaint.id, type: 'complaint' }]);
    expect(ctx.last_feedback).toBeNull();
    expect(ctx.hints.map((h: any) => h.code)).toEqual(expect.arrayContaining(['open_complaint_no_offers', 'retention_offer']));
    // Hints are in the agent's language; a Chinese-speaking customer read by an English agent adds which language to reply in.
    const hint = (hints: any[], code: string) => hints.find((h) => h.code === code)?.message;
    expect(hint(ctx.hints, 'open_complaint_no_offers')).toBe('The customer has an open complaint: do not offer products; resolve the complaint first.');
    expect(hint(ctx.hints, 'reply_language')).toBe("The customer's language is Chinese: reply in it.");
    const zh = await api('GET', `/v1/conversations/${c.conversationId}/context?language=zh-CN`, undefined, 200);
    expect(hint(zh.hints, 'open_complaint_no_offers')).toBe('客户有未关闭的投诉：请勿推销产品，先解决投诉。');
    expect(hint(zh.hints, 'retention_offer')).toBe('客户可能要流失：考虑挽留优惠，并请资深同事参与。');
    expect(hint(zh.hints, 'reply_language')).toBeUndefined();
    expect(ctx.recent_timeline.length).toBeGreaterThan(0);

    // The context reads the loop and feedback modules as the agent opens it: a resolved case is gone at
    // once, and the customer's latest answer shows with its text.
    await api('POST', `/v1/cases/${complaint.id}/resolve`, { resolution: 'Refunded the second fee', notify_customer: false }, 200);
    const survey = await api('POST', '/v1/surveys', npsSurvey('After chat', { touchpoint: 'chat' }), 201);
    const answer = await api(
      'POST',
      '/v1/survey-responses',
      { survey_id: survey.id, customer_id: customer, answers: { nps: 9, why: 'Fee refunded quickly' } },
      201,
    );
    const later = await api('GET', `/v1/conversations/${c.conversationId}/context`, undefined, 200);
    expect(later.open_cases).toEqual([]);
    expect(later.hints.map((h: any) => h.code)).not.toContain('open_complaint_no_offers');
    expect(later.last_feedback).toEqual({ response_id: answer.id, kind: 'nps', score: 9, text: 'Fee refunded quickly' });

    // Two conversations of one person (before the profiles were merged) become one.
    await api('PATCH', `/v1/conversations/${c.conversationId}`, { status: 'snoozed' }, 422);
    await api(
      'PATCH',
      `/v1/conversations/${c.conversationId}`,
      { status: 'snoozed', snoozed_until: '2026-03-09T05:00:00Z', tags: ['billing', 'churn-risk'] },
      200,
    );
    const other = await inbound({ phone: '+8613600000301' }, 'same person, other phone');
    await api('POST', `/v1/conversations/${c.conversationId}/merge`, { conversation_id: other.conversationId }, 200);
    expect(await api('GET', `/v1/conversations/${other.conversationId}`)).toMatchObject({ status: 'resolved', merged_into: c.conversationId });
    expect((await api('GET', `/v1/conversations/${c.conversationId}/messages`)).data.map((m: any) => m.text)).toContain('same person, other phone');

    // Snooze runs out: open again.
    clock.set('2026-03-09T05:01:00Z');
    await r.inbox.wakeSnoozed();
    expect((await api('GET', `/v1/conversations/${c.conversationId}`)).status).toBe('open');

    await api('PATCH', `/v1/conversations/${c.conversationId}`, { status: 'resolved', request_csat: true }, 200);
    await r.bus.drain();
    expect(bus.filter((m) => m.type === 'conversation.resolved' && m.payload.conversationId === c.conversationId)).toEqual([
      { type: 'conversation.resolved', payload: { conversationId: c.conversationId, customerId: customer, channel: 'api', requestCsat: true } },
    ]);
    const after = (await api('GET', `/v1/customers/${customer}/timeline`)).data.map((e: any) => e.type);
    expect(after).toEqual(expect.arrayContaining(['conversation.snoozed', 'conversation.open', 'conversation.resolved']));
  });

  it('follows a customer merge: both open conversations become one on the survivor', async () => {
    const a = await inbound({ email: 'merge.a@example.com' }, 'first profile');
    const b = await inbound({ email: 'merge.b@example.com' }, 'second profile');
    await api('POST', `/v1/customers/${a.customerId}/merge`, { other_id: b.customerId }, 200);
    await r.bus.drain();
    const open = (await api('GET', `/v1/conversations?customer_id=${a.customerId}&status=open`)).data;
    expect(open).toHaveLength(1);
    expect((await api('GET', `/v1/conversations/${open[0].id}/messages`)).data.map((m: any) => m.text).sort()).toEqual(['first profile', 'second profile']);
  });
});
