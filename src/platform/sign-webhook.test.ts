import { describe, it, expect } from 'vitest';
import { signWebhook, verifyWebhook, webhookHeaders } from './sign-webhook.js';

describe('Standard Webhooks signatures', () => {
  // The example from the Standard Webhooks reference libraries.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const body = '{"test": 2432232314}';
  it('signs id.timestamp.body with HMAC-SHA256 of the base64 secret', () => {
    expect(signWebhook(secret, id, 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
  it('verifies its own headers and refuses a changed body, a stale timestamp and a wrong secret', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const h = webhookHeaders(secret, id, body, now);
    expect(verifyWebhook(secret, h, body, now)).toEqual({ ok: true });
    expect(verifyWebhook(secret, { ...h, 'webhook-signature': `v1,AAAA ${h['webhook-signature']}` }, body, now)).toEqual({ ok: true });
    expect(verifyWebhook(secret, h, body + ' ', now)).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifyWebhook('whsec_' + Buffer.from('other').toString('base64'), h, body, now)).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifyWebhook(secret, h, body, new Date(now.getTime() + 6 * 60_000))).toEqual({ ok: false, reason: 'stale timestamp' });
    expect(verifyWebhook(secret, { 'webhook-id': id }, body, now)).toEqual({ ok: false, reason: 'missing headers' });
  });
});
