// Providers' webhook signature schemes. Each returns a boolean and compares in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Twilio: X-Twilio-Signature is base64(HMAC-SHA1(auth token, full URL + each POST parameter's name
 * and value, sorted by name)). Repeated names contribute every value, in the order sent.
 */
export function twilioSignature(authToken: string, url: string, params: [string, string][], algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  const sorted = [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let data = url;
  for (const [k, v] of sorted) data += k + v;
  return createHmac(algorithm, authToken).update(data, 'utf8').digest('base64');
}

/** The URL as Twilio may have signed it: as configured, and with the scheme's default port added or removed, as Twilio's own helper tries. */
function urlVariants(url: string): string[] {
  try {
    const u = new URL(url);
    const port = u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '';
    if (!port) return [url];
    const [scheme, rest] = [url.slice(0, url.indexOf('//') + 2), url.slice(url.indexOf('//') + 2)];
    const slash = rest.search(/[/?#]|$/);
    const host = rest.slice(0, slash);
    const tail = rest.slice(slash);
    const bare = host.replace(new RegExp(`:${port}$`), '');
    return [...new Set([url, `${scheme}${bare}${tail}`, `${scheme}${bare}:${port}${tail}`])];
  } catch {
    return [url];
  }
}

/**
 * HMAC-SHA1 is Twilio's long-standing scheme; accounts that turned on HMAC-SHA256 (announced to the
 * receiver by X-Twilio-Webhooks-Signature-Settings) sign the same data with SHA-256. Both are accepted.
 */
export function verifyTwilio(authToken: string, url: string, params: [string, string][], signature: string | undefined): boolean {
  if (!signature || !authToken) return false;
  for (const u of urlVariants(url)) {
    for (const algorithm of ['sha1', 'sha256'] as const) if (safeEqual(twilioSignature(authToken, u, params, algorithm), signature)) return true;
  }
  return false;
}

/** WeChat: signature = sha1 of token, timestamp and nonce sorted as strings and concatenated. */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Mailgun: signature = hex HMAC-SHA256(webhook signing key, timestamp + token). */
export function mailgunSignature(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
}

/** Mailgun advises refusing stale timestamps; a token is remembered this long so it is used once. */
export const MAILGUN_WINDOW_SECONDS = 15 * 60;

export function verifyMailgun(
  signingKey: string,
  timestamp: string | undefined,
  token: string | undefined,
  signature: string | undefined,
  nowMs: number,
): boolean {
  if (!timestamp || !token || !signature || token.length > 200) return false;
  // Timestamp and token are signed as one string, so characters moved from the token to the end of
  // the timestamp keep the signature; only an all-digit timestamp is a time (Number('…t') is NaN, and
  // NaN passes any window comparison).
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAILGUN_WINDOW_SECONDS) return false;
  // Compared as the bytes the hex stands for, so the case of the hex digits does not matter.
  return timingSafeEqual(Buffer.from(mailgunSignature(signingKey, timestamp, token), 'hex'), Buffer.from(signature, 'hex'));
}

/**
 * WeChat's plain-mode signature covers token, timestamp and nonce, not the message: a request is taken
 * only within five minutes of its timestamp, and each timestamp and nonce once in that time.
 */
export const WECHAT_WINDOW_SECONDS = 5 * 60;

export function isWechatTimestampFresh(timestamp: string | undefined, nowMs: number): boolean {
  return !!timestamp && /^\d{1,12}$/.test(timestamp) && Math.abs(nowMs / 1000 - Number(timestamp)) <= WECHAT_WINDOW_SECONDS;
}

/**
 * The generic API channel (Weibo and other social DMs, phone-call logs, any system): hex
 * HMAC-SHA256(channel secret, timestamp + "." + raw body) in X-Rapport-Signature, timestamp in
 * X-Rapport-Timestamp (unix seconds), refused when more than five minutes off.
 */
export function apiSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function verifyApiSignature(secret: string, timestamp: string | undefined, rawBody: string, signature: string | undefined, nowMs: number): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  return safeEqual(apiSignature(secret, timestamp, rawBody), signature.replace(/^sha256=/, ''));
}

/** HTTP Basic credentials (SendGrid Inbound Parse posts to https://user:password@host/...). */
export function verifyBasicAuth(header: string | undefined, user: string, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return false;
  return safeEqual(Buffer.from(m[1], 'base64').toString('utf8'), `${user}:${password}`);
}

/** A web chat visitor proves its anonymous id with a token the server signed when it issued the id. */
export function visitorToken(secret: string, anonymousId: string): string {
  return createHmac('sha256', secret).update(`visitor:${anonymousId}`).digest('base64url');
}

/** The site's backend vouches for who the visitor is: hex HMAC-SHA256(channel secret, identity value). */
export function identityHash(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}
