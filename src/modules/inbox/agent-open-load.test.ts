// Routing reads each agent's open load from the agent's row (migration 0050), kept by triggers on the
// conversations: it must equal the count of the agent's open and pending conversations after every
// way a conversation can be assigned, moved, parked or closed, or routing would overfill an agent or
// leave one idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';

describe.each(databases)('agent open load on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let channel: { id: string };
  const clock = createTestClock('2026-03-04T02:00:00Z', { frozen: true });
  let seq = 0;

  const api = async (method: string, path: string, body?: unknown, expected?: number) => {
    const res = await r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });
    if (expected) expect(res.statusCode, res.body).toBe(expected);
    return res.json();
  };
  const inbound = async (phone: string, text: string) => {
    const ch = await r.inbox.getChannel(t.tenantId, channel.id);
    return r.inbox.receive({ channel: ch, externalId: `load-${++seq}`, identities: { phone }, text, replyAddress: phone });
  };
  /** Each agent's kept load beside the count it stands for. */
  const loads = async () => {
    const { rows } = await r.db.pool.query(
      `SELECT a.id, a.open_load AS kept,
              (SELECT count(*)::int FROM inbox_conversations c WHERE c.tenant_id = a.tenant_id AND c.assignee_id = a.id AND c.status IN ('open','pending')) AS counted
         FROM inbox_agents a WHERE a.tenant_id = $1 ORDER BY a.id`,
      [t.tenantId],
    );
    return rows as { id: string; kept: number; counted: number }[];
  };
  const expectKept = async (expected: Record<string, number>) => {
    const rows = await loads();
    for (const row of rows) expect(row.kept, `agent ${row.id}`).toBe(row.counted);
    expect(Object.fromEntries(rows.map((row) => [row.id, row.kept]))).toEqual(expected);
  };

  beforeAll(async () => {
    r = await startTestApp(url, { clock });
    t = await createTestTenant(r);
    channel = await api('POST', '/v1/inbox/channels', { kind: 'api', name: 'Phone log', settings: { source: 'phone' } }, 201);
  });
  afterAll(async () => {
    await r?.close();
  });

  it('stays equal to the open and pending conversations through routing, transfer, snooze, pending, resolve, reassignment and erasure', async () => {
    const team = await api('POST', '/v1/inbox/teams', { name: 'Refunds', assignment: 'least_loaded' }, 201);
    const ann = await api('POST', '/v1/inbox/agents', { name: 'Ann', status: 'online', capacity: 2, team_ids: [team.id] }, 201);
    const bob = await api('POST', '/v1/inbox/agents', { name: 'Bob', status: 'online', capacity: 2, team_ids: [team.id] }, 201);
    await api('POST', '/v1/inbox/routing-rules', { name: 'Refunds', position: 10, conditions: { keywords: ['refund'] }, team_id: team.id }, 201);
    await expectKept({ [ann.id]: 0, [bob.id]: 0 });

    // Routing: least loaded first, so four customers fill both agents, and a fifth waits in the queue.
    const convs: string[] = [];
    for (let i = 0; i < 5; i++) convs.push((await inbound(`+8613900000${100 + i}`, 'refund please')).conversationId);
    await expectKept({ [ann.id]: 2, [bob.id]: 2 });
    const queued = await api('GET', `/v1/conversations/${convs[4]}`, undefined, 200);
    expect(queued.assignee_id).toBeNull();

    // A second message in an assigned conversation changes nothing.
    await inbound('+8613900000100', 'any news on my refund?');
    await expectKept({ [ann.id]: 2, [bob.id]: 2 });

    // Pending still counts; snoozed does not.
    const first = await api('GET', `/v1/conversations/${convs[0]}`, undefined, 200);
    const owner = first.assignee_id as string;
    const other = owner === ann.id ? bob.id : ann.id;
    await api('PATCH', `/v1/conversations/${convs[0]}`, { status: 'pending' }, 200);
    await expectKept({ [owner]: 2, [other]: 2 });
    await api('PATCH', `/v1/conversations/${convs[0]}`, { status: 'snoozed', snoozed_until: '2026-03-05T02:00:00Z' }, 200);
    await expectKept({ [owner]: 1, [other]: 2 });

    // Transfer over capacity (forced) moves one from the owner to the other agent.
    const mine = (await Promise.all(convs.slice(0, 4).map((id) => api('GET', `/v1/conversations/${id}`, undefined, 200)))).find(
      (c) => c.assignee_id === owner && c.status === 'open',
    );
    await api('POST', `/v1/conversations/${mine.id}/transfer`, { agent_id: other, reason: 'knows this order', force: true }, 200);
    await expectKept({ [owner]: 0, [other]: 3 });

    // Resolving frees a slot; the customer writing again reopens a conversation for them.
    await api('PATCH', `/v1/conversations/${mine.id}`, { status: 'resolved', request_csat: false }, 200);
    await expectKept({ [owner]: 0, [other]: 2 });

    // Unassigning and assigning by hand.
    const held = (await Promise.all(convs.slice(0, 4).map((id) => api('GET', `/v1/conversations/${id}`, undefined, 200)))).find(
      (c) => c.assignee_id === other && c.status === 'open',
    );
    await api('POST', `/v1/conversations/${held.id}/assignment`, { agent_id: null }, 200);
    await expectKept({ [owner]: 0, [other]: 1 });
    await api('POST', `/v1/conversations/${held.id}/assignment`, { agent_id: owner }, 200);
    await expectKept({ [owner]: 1, [other]: 1 });

    // Erasure resolves the customer's open conversation, freeing its agent, who then takes the one
    // waiting in the team's queue.
    await api('POST', `/v1/customers/${held.customer_id}/erase`, undefined, 200);
    await expect.poll(async () => (await api('GET', `/v1/conversations/${held.id}`, undefined, 200)).status, { timeout: 10_000 }).toBe('resolved');
    await expect.poll(async () => (await api('GET', `/v1/conversations/${convs[4]}`, undefined, 200)).assignee_id, { timeout: 10_000 }).toBe(owner);
    await expectKept({ [owner]: 1, [other]: 1 });
  });
});
