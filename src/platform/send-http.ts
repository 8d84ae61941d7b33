// The one door for HTTP requests Rapport makes to providers and customers' endpoints (Twilio, WeChat,
// a signed API channel's outbound URL, alert webhooks). It names why a request never got an answer
// (DNS, refused, reset, TLS, timeout) instead of undici's bare "fetch failed", so the outbox can store
// a cause an operator can act on and tell a network failure (worth retrying) from an answer.
// Every request goes through the platform's egress guard (egress.ts): a refused address stays a permanent
// "address not allowed"; only for addresses the guard let through is the network's own cause named.

import { EgressError, type Egress, type EgressRequestInit } from './egress.js';

export class NetworkError extends Error {
  constructor(
    message: string,
    readonly cause_code: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH|ERR_CERT)/;

/** What went wrong before any answer came, in words: "DNS: no such host api.example.com". */
export function describeNetworkError(err: unknown, host: string): NetworkError {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  const code = e.cause?.code ?? e.code ?? '';
  const name = e.name ?? '';
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return new NetworkError(`timeout: ${host} did not answer in time`, 'timeout');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME')
    return new NetworkError(`DNS: no such host ${host} (${code})`, 'dns');
  if (code === 'ECONNREFUSED') return new NetworkError(`refused: ${host} refused the connection`, 'refused');
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return new NetworkError(`reset: ${host} closed the connection (${code})`, 'reset');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new NetworkError(`unreachable: no route to ${host} (${code})`, 'unreachable');
  if (TLS_CODES.test(code)) return new NetworkError(`TLS: ${host}: ${code}`, 'tls');
  const detail = e.cause?.message ?? e.message ?? 'unknown error';
  return new NetworkError(`network: ${host}: ${code ? `${code} ` : ''}${detail}`.slice(0, 500), code || 'network');
}

/**
 * fetch with a timeout, whose failures before an answer are NetworkErrors naming the cause. An answer
 * of any status is returned as it is: what a status means is the caller's business.
 */
export async function sendHttp(egress: Pick<Egress, 'fetch'>, url: string, init: EgressRequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = 10_000, ...rest } = init;
  try {
    return await egress.fetch(url, { ...rest, signal: rest.signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // The operator's rule, not a passing fault: retrying cannot help.
    if (err instanceof EgressError) throw Object.assign(err, { isPermanent: true });
    let host = url;
    try {
      host = new URL(url).host;
    } catch {
      /* not a URL: named as given */
    }
    throw describeNetworkError((err as { cause?: unknown }).cause ?? err, host);
  }
}

/**
 * Retry-After in milliseconds: delta-seconds, or an HTTP date (RFC 9110 §10.2.3) counted from the
 * answer's own Date header, so that the provider's clock is compared only with itself.
 */
export function retryAfterMs(res: Pick<Response, 'headers'>): number | undefined {
  const value = res.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  const sent = Date.parse(res.headers.get('date') ?? '');
  return Number.isNaN(at) || Number.isNaN(sent) ? undefined : Math.max(0, at - sent);
}
