// Survey links carry who and what they are for, signed with the tenant's HMAC-SHA256 key, so a
// customer answers without logging in and nobody can answer in another customer's name.
// Token: base64url(JSON payload) "." base64url(HMAC(key, payload part)).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkPayload {
  /** tenant id */
  t: string;
  /** invitation id (per-customer link) or survey id (page button) */
  i: string;
  /** 'inv' | 'btn' */
  k: 'inv' | 'btn';
  /** expiry, seconds since the epoch; absent for button links */
  e?: number;
}

export function signLink(key: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** The payload without checking it: only to find whose key verifies it. */
export function peekLink(token: string): LinkPayload | undefined {
  const m = /^([A-Za-z0-9_-]{10,600})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  try {
    const p = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
    if (typeof p?.t !== 'string' || typeof p?.i !== 'string' || (p.k !== 'inv' && p.k !== 'btn')) return undefined;
    if (p.e !== undefined && typeof p.e !== 'number') return undefined;
    return p as LinkPayload;
  } catch {
    return undefined;
  }
}

export function verifyLink(key: string, token: string): boolean {
  const [body, sig] = token.split('.');
  if (!body || !sig) return false;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(sig, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
