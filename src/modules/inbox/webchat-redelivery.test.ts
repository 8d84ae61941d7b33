// A web chat reply to a visitor who closed the page is not lost: it comes when they come back, once,
// in order, and never again after their widget confirmed it; what the visitor's socket receives never
// names the team or agent holding the conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { Socket } from '../../../test/socket.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('web chat replies across reconnections on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let wsBase: string;
  let channel: { id: string };
  const api = async (method: 'GET' | 'POST', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });
  const open = (q = '') => Socket.open(`${wsBase}/hooks/inbox/${t.tenantId}/webchat/${channel.id}${q}`);

  beforeAll(async () => {
    r = await startTestApp(url, { jobs: false });
    t = await createTestTenant(r);
    wsBase = (await r.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws');
    channel = (await api('POST', '/v1/inbox/channels', { kind: 'webchat', name: 'Site chat' })).json();
  });
  afterAll(async () => {
    await r?.close();
  });

  it('delivers replies sent while the visitor was away when they reconnect, exactly once', async () => {
    const visitor = await open();
    const welcome = await visitor.next((f) => f.type === 'welcome');
    visitor.send({ type: 'message', text: 'Is my order shipped?', client_id: 'c1' });
    const ack = await visitor.next((f) => f.type === 'ack');
    const team = (await api('POST', '/v1/inbox/teams', { name: 'Web' })).json();
    expect((await api('POST', `/v1/conversations/${ack.conversation_id}/assignment`, { team_id: team.id })).statusCode).toBeLessThan(300);

    // While connected: the reply arrives live, without internal routing fields.
    const live = (await api('POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'Checking now' })).json();
    const liveFrame = await visitor.next((f) => f.type === 'message' && f.message_id === live.id);
    expect(liveFrame).toMatchObject({ text: 'Checking now', direction: 'out', conversation_id: ack.conversation_id });
    expect(liveFrame).not.toHaveProperty('team_id');
    expect(liveFrame).not.toHaveProperty('assignee_id');
    visitor.send({ type: 'received', message_id: live.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    visitor.close();

    // Away: two replies, sent but not seen.
    const away1 = (await api('POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'It shipped this morning' })).json();
    const away2 = (await api('POST', `/v1/conversations/${ack.conversation_id}/messages`, { text: 'Tracking: SF123' })).json();
    expect(away1.delivery_status).toBe('sent');

    const back = await open(`?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`);
    await back.next((f) => f.type === 'welcome');
    await back.next((f) => f.type === 'message' && f.message_id === away2.id);
    const replayed = back.frames.filter((f) => f.type === 'message');
    expect(replayed.map((f) => f.message_id)).toEqual([away1.id, away2.id]);
    expect(replayed.map((f) => f.text)).toEqual(['It shipped this morning', 'Tracking: SF123']);
    for (const f of replayed) back.send({ type: 'received', message_id: f.message_id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    back.close();

    const statuses = (await api('GET', `/v1/conversations/${ack.conversation_id}/messages`))
      .json()
      .data.filter((m: any) => m.direction === 'out')
      .map((m: any) => [m.id, m.delivery_status]);
    expect(statuses).toEqual([
      [live.id, 'delivered'],
      [away1.id, 'delivered'],
      [away2.id, 'delivered'],
    ]);

    // Confirmed replies are never sent again; another visitor's receipt changes nothing here.
    const again = await open(`?anonymous_id=${welcome.anonymous_id}&visitor_token=${welcome.visitor_token}`);
    await again.next((f) => f.type === 'welcome');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.frames.filter((f) => f.type === 'message')).toEqual([]);
    again.close();
  });
});
