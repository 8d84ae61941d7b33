// Links that prove who and what they are for without a login (survey answers, one-click unsubscribe):
// dot-separated parts, then an HMAC-SHA256 of them under the tenant's key, truncated to 128 bits
// (RFC 2104 section 5 allows truncation to half or more of the output) and base64url-encoded, so a
// token stays under the 100 characters Fastify allows a path parameter and survives mail clients that
// wrap long header lines. A `purpose` separates the keyspaces of different kinds of link signed with
// one key; links without one sign the dotted parts themselves (survey links were sent that way).
import { createHmac, timingSafeEqual } from 'node:crypto';

const PART = /^[A-Za-z0-9_-]+$/;
const MAC = /^[A-Za-z0-9_-]{22}$/;

function mac(key: string, parts: string[], purpose?: string): Buffer {
  const data = purpose ? `${purpose}:${parts.join(':')}` : parts.join('.');
  return createHmac('sha256', key).update(data).digest().subarray(0, 16);
}

export function signParts(key: string, parts: string[], purpose?: string): string {
  for (const p of parts) if (!PART.test(p)) throw new Error(`a signed link part must be URL-safe without dots: ${p}`);
  return `${parts.join('.')}.${mac(key, parts, purpose).toString('base64url')}`;
}

/** The token's parts before its signature, unchecked: only to find whose key should verify it. */
export function peekParts(token: string): string[] | undefined {
  const all = token.split('.');
  if (all.length < 2 || !MAC.test(all[all.length - 1]) || !all.slice(0, -1).every((p) => PART.test(p))) return undefined;
  return all.slice(0, -1);
}

/** The parts when the signature holds under `key` (and `purpose`), else undefined. */
export function verifyParts(key: string, token: string, purpose?: string): string[] | undefined {
  const parts = peekParts(token);
  if (!parts) return undefined;
  const sig = token.slice(token.lastIndexOf('.') + 1);
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(key, parts, purpose);
  // 22 base64url characters carry 132 bits for the MAC's 128: the decoder ignores the last character's
  // four spare bits, so several spellings of one signature would verify. Only the canonical one does.
  if (given.toString('base64url') !== sig) return undefined;
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts : undefined;
}
