// Signed links in messages (one-click unsubscribe, preference page): `<tenant>.<message>.<mac>`,
// where the mac is HMAC-SHA256 with the tenant's key, truncated to 128 bits. It proves we wrote the
// link for that message, so it cannot be forged for another customer, purpose or tenant; the
// message row says who, which channel and which purpose. Short enough for a path segment (Fastify
// refuses parameters over 100 characters) and for mail clients that wrap long header lines.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkRef {
  /** tenant id */
  t: string;
  /** message id */
  m: string;
  /** kind: u (unsubscribe and preferences) */
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

const ID = /^[a-z]{2,5}_[0-9a-z]{10,40}$/;
const mac = (key: string, r: LinkRef) => createHmac('sha256', key).update(`${r.k}:${r.t}:${r.m}`).digest().subarray(0, 16).toString('base64url');

export function signLink(key: string, r: LinkRef): string {
  return `${r.t}.${r.m}.${mac(key, r)}`;
}

/** The tenant named in a token, read before verifying so its key can be found. */
export function tenantOfToken(token: string): string | undefined {
  const t = token.split('.')[0];
  return t && ID.test(t) ? t : undefined;
}

export function verifyLink(key: string, token: string, k: LinkRef['k'] = 'u'): LinkRef | undefined {
  const [t, m, sig, extra] = token.split('.');
  if (!t || !m || !sig || extra !== undefined || !ID.test(t) || !ID.test(m)) return undefined;
  const want = Buffer.from(mac(key, { t, m, k }));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  return { t, m, k };
}
