// An agent's reply through the outbox, to a local server answering as Twilio's Messages API: a 500 is
// retried and the reply arrives exactly once, a 400 stops at once with Twilio's reason, a 429's
// Retry-After is waited for, a refused connection is named as such, and a failed reply can be resent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import { startFakeProviders, TWILIO_SID, TWILIO_TOKEN, type FakeProviders } from '../../../test/fixtures/providers.js';
import { createTestClock } from '../../platform/clock.js';
import type { Rapport } from '../../app.js';

const START = '2027-03-01T10:00:00Z';

describe.each(databases)('replies through the outbox on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let providers: FakeProviders;
  let sms: { id: string };
  const clock = createTestClock(START, { frozen: true });
  const api = async (method: 'GET' | 'POST', path: string, payload?: object) =>
    r.app.inject({ method, url: path, headers: t.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    providers = await startFakeProviders();
    // No workers: the test makes each retry happen by moving the clock and running the sweep.
    r = await startTestApp(url, { jobs: false, clock });
    t = await createTestTenant(r);
    sms = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'sms',
        name: 'SMS',
        settings: { account_sid: TWILIO_SID, from: '+14155550100', api_base: providers.base },
        secrets: { auth_token: TWILIO_TOKEN },
      })
    ).json();
  });
  afterAll(async () => {
    await r?.close();
    await providers?.close();
  });

  async function conversationWith(phone: string) {
    const customer = (await api('POST', '/v1/customers', { identities: { phone } })).json().id as string;
    const res = await api('POST', '/v1/conversations', { customer_id: customer, channel_id: sms.id, text: 'Hello from Acme' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().message.delivery_status).toBe('sent');
    return { customer, conversation: res.json().conversation.id as string };
  }
  const postsTo = (phone: string) => providers.twilio.filter((c) => c.form?.get('To') === phone);

  it('retries a 500 within 30 seconds and delivers the reply exactly once', async () => {
    clock.set(START);
    const { customer, conversation } = await conversationWith('+8613800138201');
    providers.failTwilio(500);
    const res = await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'Your refund is on its way' });
    expect(res.statusCode).toBe(201);
    const reply = res.json();
    expect(reply).toMatchObject({ delivery_status: 'queued', delivery_error: 'Twilio answered 500' });
    const wait = new Date(reply.next_attempt_at).getTime() - clock.now().getTime();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30_000);

    // Not due yet: the sweep leaves it; once due, one attempt delivers it, and later sweeps add nothing.
    await r.outbox.runDue({ tenantId: t.tenantId });
    expect(postsTo('+8613800138201').filter((c) => c.form?.get('Body') === 'Your refund is on its way')).toHaveLength(0);
    clock.advance(30_000);
    await r.outbox.runDue({ tenantId: t.tenantId });
    clock.advance(3_600_000);
    await r.outbox.runDue({ tenantId: t.tenantId });
    expect(postsTo('+8613800138201').filter((c) => c.form?.get('Body') === 'Your refund is on its way')).toHaveLength(1);

    const delivery = (await api('GET', `/v1/conversations/${conversation}/messages/${reply.id}/delivery`)).json();
    expect(delivery).toMatchObject({ status: 'sent', attempts: 2, provider_id: expect.stringMatching(/^SM/) });
    expect(delivery.attempt_log.map((a: any) => [a.outcome, a.http_status])).toEqual([
      ['retry', 500],
      ['sent', null],
    ]);
    const [stored] = (await api('GET', `/v1/conversations/${conversation}/messages`)).json().data.filter((m: any) => m.id === reply.id);
    expect(stored).toMatchObject({ delivery_status: 'sent', delivery_error: null, external_id: delivery.provider_id });
    await r.bus.drain();
    const timeline = (await api('GET', `/v1/customers/${customer}/timeline?limit=100`))
      .json()
      .data.filter((e: any) => e.type === 'message.delivery' && e.properties.message_id === reply.id)
      .map((e: any) => e.properties.status);
    expect(timeline.sort()).toEqual(['queued', 'sent']);
  });

  it("stops at once on a 400 with Twilio's reason, and sends again when asked", async () => {
    clock.set(START);
    const { conversation } = await conversationWith('+8613800138202');
    providers.failTwilio(400);
    const reply = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'Can you confirm?' })).json();
    expect(reply).toMatchObject({ delivery_status: 'failed', delivery_error: expect.stringContaining('21211'), next_attempt_at: null });
    clock.advance(3_600_000);
    await r.outbox.runDue({ tenantId: t.tenantId });
    expect(postsTo('+8613800138202').filter((c) => c.form?.get('Body') === 'Can you confirm?')).toHaveLength(0);
    expect((await api('GET', `/v1/conversations/${conversation}/messages/${reply.id}/delivery`)).json()).toMatchObject({ status: 'failed', attempts: 1 });

    const resent = await api('POST', `/v1/conversations/${conversation}/messages/${reply.id}/resend`);
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(postsTo('+8613800138202').filter((c) => c.form?.get('Body') === 'Can you confirm?')).toHaveLength(1);
    // Another conversation's message id is not this conversation's to resend.
    expect((await api('POST', `/v1/conversations/cnv_nope/messages/${reply.id}/resend`)).statusCode).toBe(404);
  });

  it('waits for the Retry-After of a 429', async () => {
    clock.set(START);
    const { conversation } = await conversationWith('+8613800138203');
    providers.failTwilio(429);
    const reply = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'One moment' })).json();
    expect(reply.delivery_status).toBe('queued');
    expect(new Date(reply.next_attempt_at).getTime() - clock.now().getTime()).toBe(120_000);
  });

  it('names a refused connection as the cause, and gives up when the retry time runs out', async () => {
    clock.set(START);
    const { conversation } = await conversationWith('+8613800138204');
    // A port that was just free, below the ephemeral range (32768 and up on Linux), so that no other
    // process on the machine is handed it by the kernel meanwhile: nothing listens there.
    const port = await (async () => {
      for (;;) {
        const p = 20_000 + Math.floor(Math.random() * 10_000);
        const free = await new Promise<boolean>((resolve) => {
          const s = net.createServer();
          s.once('error', () => resolve(false));
          s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
        });
        if (free) return p;
      }
    })();
    const dead = (
      await api('POST', '/v1/inbox/channels', {
        kind: 'sms',
        name: 'Dead SMS',
        settings: { account_sid: TWILIO_SID, from: '+14155550101', api_base: `http://127.0.0.1:${port}` },
        secrets: { auth_token: TWILIO_TOKEN },
      })
    ).json();
    const reply = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'Over the dead line', channel_id: dead.id })).json();
    expect(reply).toMatchObject({ delivery_status: 'queued', delivery_error: `refused: 127.0.0.1:${port} refused the connection` });
    for (let i = 0; i < 40; i++) {
      clock.advance(3_600_000);
      await r.outbox.runDue({ tenantId: t.tenantId });
    }
    const delivery = (await api('GET', `/v1/conversations/${conversation}/messages/${reply.id}/delivery`)).json();
    expect(delivery.status).toBe('failed');
    expect(delivery.last_error).toMatch(/^gave up after \d+ attempts: refused/);
    expect(delivery.attempts).toBeGreaterThan(5);
  });

  it('keeps a reply on a sandbox channel as sent without contacting the provider, and sends for real once the sandbox is off', async () => {
    clock.set(START);
    const { conversation } = await conversationWith('+8613800138205');
    const before = (await api('GET', '/v1/inbox/channels')).json().data.find((c: { id: string }) => c.id === sms.id);
    const on = await r.app.inject({ method: 'PATCH', url: `/v1/inbox/channels/${sms.id}`, headers: t.headers, payload: { is_sandbox: true } });
    expect(on.statusCode, on.body).toBe(200);
    // PATCH changes only what it names.
    expect(on.json()).toMatchObject({ is_sandbox: true, name: before.name, settings: before.settings, is_enabled: true });
    expect(before.is_sandbox).toBe(false);

    const kept = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'Only in the sandbox' })).json();
    expect(kept).toMatchObject({ delivery_status: 'sent', delivery_error: null });
    expect((await api('GET', `/v1/conversations/${conversation}/messages/${kept.id}/delivery`)).json()).toMatchObject({
      status: 'sent',
      provider_id: `sandbox:${kept.id}`,
    });
    expect(postsTo('+8613800138205').filter((c) => c.form?.get('Body') === 'Only in the sandbox')).toHaveLength(0);

    const off = await r.app.inject({ method: 'PATCH', url: `/v1/inbox/channels/${sms.id}`, headers: t.headers, payload: { is_sandbox: false } });
    expect(off.json().is_sandbox).toBe(false);
    const real = (await api('POST', `/v1/conversations/${conversation}/messages`, { text: 'For real' })).json();
    expect(real.delivery_status).toBe('sent');
    expect(postsTo('+8613800138205').filter((c) => c.form?.get('Body') === 'For real')).toHaveLength(1);
  });
});
