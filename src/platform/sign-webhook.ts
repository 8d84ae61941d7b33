// Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
// `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the base64-decoded part of the
// `whsec_` secret, sent as `webhook-signature: v1,<base64>` (several space-separated signatures are
// allowed while a secret rotates). Receivers reject timestamps more than five minutes away.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 5 * 60;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function webhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
    'content-type': 'application/json',
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing headers' | 'stale timestamp' | 'bad signature' };

export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, now: Date): VerifyResult {
  const h = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = h('webhook-id'),
    ts = h('webhook-timestamp'),
    sig = h('webhook-signature');
  if (!id || !ts || !sig || !/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'missing headers' };
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return { ok: false, reason: 'stale timestamp' };
  const expected = Buffer.from(signWebhook(secret, id, Number(ts), body).slice(3), 'base64');
  for (const part of sig.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const got = Buffer.from(value, 'base64');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return { ok: true };
  }
  return { ok: false, reason: 'bad signature' };
}
