// Survey links carry who and what they are for, signed with the tenant's key (src/platform/signed-link.ts),
// so a customer answers without logging in and nobody can answer in another customer's name.
// Token: tenant "." subject "." expiry (base 36 seconds, or "b" for a page button) "." signature.
import { peekParts, signParts, verifyParts } from '../../platform/signed-link.js';

export interface LinkPayload {
  /** tenant id */
  t: string;
  /** invitation id (per-customer link) or survey id (page button) */
  i: string;
  k: 'inv' | 'btn';
  /** expiry, seconds since the epoch; absent for button links */
  e?: number;
}

const ID = /^[a-z]{2,5}_[0-9a-z]{10,40}$/;

export function signLink(key: string, p: LinkPayload): string {
  return signParts(key, [p.t, p.i, p.k === 'btn' ? 'b' : (p.e ?? 0).toString(36)]);
}

function payloadOf(parts: string[] | undefined): LinkPayload | undefined {
  if (!parts || parts.length !== 3) return undefined;
  const [t, i, e] = parts;
  if (!ID.test(t) || !ID.test(i) || !/^(b|[0-9a-z]{1,10})$/.test(e)) return undefined;
  return e === 'b' ? { t, i, k: 'btn' } : { t, i, k: 'inv', e: parseInt(e, 36) };
}

/** The payload without checking it: only to find whose key verifies it. */
export const peekLink = (token: string): LinkPayload | undefined => payloadOf(peekParts(token));

export const verifyLink = (key: string, token: string): boolean => !!payloadOf(verifyParts(key, token));
