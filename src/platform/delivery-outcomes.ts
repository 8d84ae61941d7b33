// When a failed send is tried again, and how soon: the outbox's retry policy, in one place, for every
// channel (HTTP providers, SMTP, the modules' own adapters).
import type { DeliveryOutcome } from './outbox-types.js';
import { NetworkError } from './send-http.js';

/**
 * The wait before retry `attempt + 1`: 15 s doubled each time up to an hour, with jitter taking it
 * anywhere between half and all of that, so that a provider coming back from an outage is not met by
 * every message at once. The first retry comes within 15 s; Retry-After, when longer, wins.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, retryAfter?: number): number {
  const base = Math.min(15_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  const jittered = Math.round(base * (0.5 + random() * 0.5));
  return retryAfter !== undefined && retryAfter > jittered ? retryAfter : jittered;
}

/**
 * Whether an HTTP status is worth another try: 408, 429 and 5xx are the provider's load or trouble; any
 * other 4xx is the request's fault and will be refused again.
 */
export const isRetryableHttp = (status: number) => status >= 500 || status === 429 || status === 408;

/** SMTP: 4xx is "try again later" (greylisting, a full mailbox), 5xx is a refusal (RFC 5321 §4.2.1). */
export const isRetryableSmtp = (code: number) => code >= 400 && code < 500;

/** An error thrown by a handler, as an outcome: anything not marked permanent is worth retrying. */
export function outcomeOfError(err: unknown): DeliveryOutcome {
  const e = err as { message?: string; isPermanent?: boolean; httpStatus?: number; responseCode?: number; retryAfterMs?: number };
  if (err instanceof NetworkError) return { status: 'failed', error: err.message, isPermanent: false };
  if (typeof e.responseCode === 'number') {
    return { status: 'failed', error: `SMTP ${e.responseCode}: ${(e.message ?? '').slice(0, 480)}`, isPermanent: !isRetryableSmtp(e.responseCode) };
  }
  return {
    status: 'failed',
    error: (e.message ?? String(err)).slice(0, 500),
    isPermanent: e.isPermanent === true,
    ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
  };
}
