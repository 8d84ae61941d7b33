// Erasing a customer ends the work still open for them: their conversation is resolved (the agent's
// slot comes free, no CSAT is sent) and their case is resolved with a system reason (its SLA stops).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import { createTestClock } from '../src/platform/clock.js';
import type { Rapport } from '../src/app.js';

describe.each(databases)('erasure closes live work on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  const clock = createTestClock('2027-03-01T10:00:00Z', { frozen: true });

  const api = async (method: string, path: string, body?: unknown, expected = 200) => {
    const res = await r.app.inject({ method: method as 'GET', url: path, headers: t.headers, ...(body !== undefined ? { payload: body as object } : {}) });
    expect(res.statusCode, res.body).toBe(expected);
    return res.json();
  };

  beforeAll(async () => {
    r = await startTestApp(url, { clock });
    t = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
  });

  it("resolves the erased customer's open conversation and case, freeing the agent and stopping the SLA", async () => {
    const team = await api('POST', '/v1/inbox/teams', { name: 'Care' }, 201);
    const agent = await api('POST', '/v1/inbox/agents', { name: 'Ann', status: 'online', capacity: 1, team_ids: [team.id] }, 201);
    const channel = await api('POST', '/v1/inbox/channels', { kind: 'api', name: 'API' }, 201);
    const customer = await api('POST', '/v1/customers', { given_name: 'Oliver', family_name: 'Jones', identities: { external_id: 'oj-1' } }, 201);
    const other = await api('POST', '/v1/customers', { identities: { external_id: 'kept-1' } }, 201);
    const started = await api(
      'POST',
      '/v1/conversations',
      { customer_id: customer.id, channel_id: channel.id, text: 'Where is my refund?', agent_id: agent.id },
      201,
    );
    const conversationId = started.conversation.id;
    const kase = await api('POST', '/v1/cases', { customer_id: customer.id, summary: 'Broken seat', team: 'service' }, 201);
    const kept = await api('POST', '/v1/cases', { customer_id: other.id, summary: 'Late bag', team: 'service' }, 201);
    expect((await api('GET', `/v1/inbox/agents/${agent.id}`)).open_conversations).toBe(1);
    const resolvedOnBus: unknown[] = [];
    r.bus.subscribe('conversation.resolved', (m) => {
      resolvedOnBus.push(m.payload);
    });

    clock.advance(60_000);
    await api('POST', `/v1/customers/${customer.id}/erase`);
    await r.bus.drain();

    expect(await api('GET', `/v1/conversations/${conversationId}`)).toMatchObject({ status: 'resolved', resolved_at: '2027-03-01T10:01:00.000Z' });
    expect(resolvedOnBus).toEqual([expect.objectContaining({ conversationId, requestCsat: false })]);
    expect((await api('GET', `/v1/inbox/agents/${agent.id}`)).open_conversations).toBe(0);
    const closed = await api('GET', `/v1/cases/${kase.id}`);
    expect(closed).toMatchObject({ status: 'resolved', resolution: 'Closed by the system: the customer was erased', resolved_at: '2027-03-01T10:01:00.000Z' });
    // Nobody is told (there is nobody left to tell), and another customer's case is untouched.
    expect(closed.notices ?? []).toEqual([]);
    expect((await api('GET', `/v1/cases/${kept.id}`)).status).toBe('new');
    // The SLA job finds nothing to escalate on the closed case, however late it runs.
    clock.advance(30 * 86_400_000);
    await r.loop.checkSla(t.tenantId, clock.now());
    expect((await api('GET', `/v1/cases/${kase.id}`)).escalation_level).toBe(0);
    expect((await api('GET', `/v1/cases/${kept.id}`)).escalation_level).toBeGreaterThan(0);
  });
});
