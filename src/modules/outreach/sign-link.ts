// Signed links in messages (one-click unsubscribe, preference page, open and click tracking): the
// payload travels in the link and an HMAC-SHA256 with the tenant's key proves we wrote it, so a
// link cannot be forged for another customer, purpose or tenant, and needs no lookup table.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkPayload {
  /** tenant id */
  t: string;
  /** message id */
  m: string;
  /** customer id */
  c: string;
  /** channel */
  ch: string;
  /** purpose */
  p: string;
  /** kind: u (unsubscribe / preferences), o (open), k (click) */
  k: 'u' | 'o' | 'k';
  /** click target */
  url?: string;
}

const mac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('base64url');

export function signLink(key: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The tenant named in a token, read before verifying so its key can be found. */
export function tenantOfToken(token: string): string | undefined {
  try {
    const t = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')).t;
    return typeof t === 'string' && t.length <= 64 ? t : undefined;
  } catch { return undefined; }
}

export function verifyLink(key: string, token: string): LinkPayload | undefined {
  const [body, sig] = token.split('.');
  if (!body || !sig) return undefined;
  const want = Buffer.from(mac(key, body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  try { return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload; } catch { return undefined; }
}
