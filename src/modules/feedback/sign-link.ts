// Survey links carry who and what they are for, signed with the tenant's HMAC-SHA256 key, so a
// customer answers without logging in and nobody can answer in another customer's name.
// Token: tenant "." subject "." expiry (base 36 seconds, or "b" for a page button) "." signature,
// the HMAC truncated to 128 bits (RFC 2104 section 5 allows truncation to half or more of the output)
// so that a link stays under the 100 characters a path segment may have.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkPayload {
  /** tenant id */
  t: string;
  /** invitation id (per-customer link) or survey id (page button) */
  i: string;
  k: 'inv' | 'btn';
  /** expiry, seconds since the epoch; absent for button links */
  e?: number;
}

const mac = (key: string, body: string) => createHmac('sha256', key).update(body).digest().subarray(0, 16);

export function signLink(key: string, p: LinkPayload): string {
  const body = `${p.t}.${p.i}.${p.k === 'btn' ? 'b' : (p.e ?? 0).toString(36)}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The payload without checking it: only to find whose key verifies it. */
export function peekLink(token: string): LinkPayload | undefined {
  const m = /^([a-z]{2,5}_[0-9a-z]{10,40})\.([a-z]{2,5}_[0-9a-z]{10,40})\.(b|[0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return undefined;
  return m[3] === 'b' ? { t: m[1], i: m[2], k: 'btn' } : { t: m[1], i: m[2], k: 'inv', e: parseInt(m[3], 36) };
}

export function verifyLink(key: string, token: string): boolean {
  const cut = token.lastIndexOf('.');
  if (cut < 0) return false;
  const expected = mac(key, token.slice(0, cut));
  const given = Buffer.from(token.slice(cut + 1), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
