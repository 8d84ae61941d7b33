import { describe, expect, it } from 'vitest';
import { retryDelayMs, outcomeOfError } from './outbox.js';
import { describeNetworkError, NetworkError } from './send-http.js';

describe('the outbox retry policy', () => {
  it('makes the first retry within 30 seconds and doubles the wait, jittered, up to an hour', () => {
    expect(retryDelayMs(1, () => 0)).toBe(7_500);
    expect(retryDelayMs(1, () => 1)).toBe(15_000);
    expect(retryDelayMs(2, () => 1)).toBe(30_000);
    expect(retryDelayMs(5, () => 1)).toBe(240_000);
    expect(retryDelayMs(30, () => 1)).toBe(3_600_000);
    const waits = new Set(Array.from({ length: 20 }, () => retryDelayMs(3)));
    expect(waits.size).toBeGreaterThan(1);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(30_000);
      expect(w).toBeLessThanOrEqual(60_000);
    }
  });

  it('waits for Retry-After when the provider asks for longer', () => {
    expect(retryDelayMs(1, () => 1, 120_000)).toBe(120_000);
    expect(retryDelayMs(1, () => 1, 1_000)).toBe(15_000);
  });

  it('treats SMTP 4xx as worth retrying and 5xx as a refusal, and network failures as worth retrying', () => {
    expect(outcomeOfError(Object.assign(new Error('mailbox full'), { responseCode: 452 }))).toMatchObject({
      isPermanent: false,
      error: 'SMTP 452: mailbox full',
    });
    expect(outcomeOfError(Object.assign(new Error('no such user'), { responseCode: 550 }))).toMatchObject({ isPermanent: true });
    expect(outcomeOfError(new NetworkError('timeout: x did not answer in time', 'timeout'))).toMatchObject({ isPermanent: false });
    expect(outcomeOfError(Object.assign(new Error('refused'), { isPermanent: true, httpStatus: 400 }))).toMatchObject({ isPermanent: true, httpStatus: 400 });
  });

  it('names why a request got no answer instead of "fetch failed"', () => {
    const failed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });
    expect(describeNetworkError(failed('ENOTFOUND'), 'api.example.com').message).toBe('DNS: no such host api.example.com (ENOTFOUND)');
    expect(describeNetworkError(failed('ECONNREFUSED'), 'a:1').message).toBe('refused: a:1 refused the connection');
    expect(describeNetworkError(failed('CERT_HAS_EXPIRED'), 'a').message).toBe('TLS: a: CERT_HAS_EXPIRED');
    expect(describeNetworkError(failed('UND_ERR_CONNECT_TIMEOUT'), 'a').message).toBe('timeout: a did not answer in time');
    expect(describeNetworkError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'a').message).toBe(
      'timeout: a did not answer in time',
    );
  });
});
