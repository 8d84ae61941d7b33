// Signed links in messages (one-click unsubscribe, preference page): `<tenant>.<message>.<mac>`, signed
// with the tenant's key for the link's kind (src/platform/signed-link.ts). It proves we wrote the link
// for that message, so it cannot be forged for another customer, purpose or tenant; the message row
// says who, which channel and which purpose.
import { createHash } from 'node:crypto';
import { signParts, verifyParts } from '../../platform/signed-link.js';

export interface LinkRef {
  /** tenant id */
  t: string;
  /** message id */
  m: string;
  /** kind: u (unsubscribe and preferences); tracking links have their own signTrackingLink */
  k: 'u';
}

/** What a verified link stands for, read from its message. */
export interface LinkPayload extends LinkRef {
  /** customer id */
  c: string;
  ch: string;
  /** purpose */
  p: string;
}

// Campaign message ids carry the customer id after the campaign's: msg_<campaign>_<customer>.
const ID = /^[a-z]{2,5}_[0-9a-z_]{10,80}$/;

export function signLink(key: string, r: LinkRef): string {
  return signParts(key, [r.t, r.m], r.k);
}

/** The tenant named in a token, read before verifying so its key can be found. */
export function tenantOfToken(token: string): string | undefined {
  const t = token.split('.')[0];
  return t && ID.test(t) ? t : undefined;
}

export function verifyLink(key: string, token: string, k: LinkRef['k'] = 'u'): LinkRef | undefined {
  const parts = verifyParts(key, token, k);
  if (!parts || parts.length !== 2 || !ID.test(parts[0]) || !ID.test(parts[1])) return undefined;
  return { t: parts[0], m: parts[1], k };
}

/** A short digest of a tracked link's target, signed into its click token so the redirect cannot be re-aimed. */
export const urlDigest = (url: string) => createHash('sha256').update(url).digest('base64url').slice(0, 11);

/** Open pixel (no url) and click (url) tokens: `<tenant>.<message>[.<url digest>].<mac>`. */
export function signTrackingLink(key: string, t: string, m: string, url?: string): string {
  return url === undefined ? signParts(key, [t, m], 'o') : signParts(key, [t, m, urlDigest(url)], 'c');
}

export function verifyTrackingLink(key: string, token: string, url?: string): { t: string; m: string } | undefined {
  const parts = verifyParts(key, token, url === undefined ? 'o' : 'c');
  if (!parts || parts.length !== (url === undefined ? 2 : 3) || !ID.test(parts[0]) || !ID.test(parts[1])) return undefined;
  if (url !== undefined && parts[2] !== urlDigest(url)) return undefined;
  return { t: parts[0], m: parts[1] };
}
