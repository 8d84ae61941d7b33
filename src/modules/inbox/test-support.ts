// Helpers for the inbox's integration tests: signed provider requests built independently of the
// code under test.
import { createHash, createHmac } from 'node:crypto';

export function twilioSign(token: string, url: string, params: Record<string, string>): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', token).update(data).digest('base64');
}

export function sha1Sorted(...parts: string[]): string {
  return createHash('sha1').update(parts.sort().join('')).digest('hex');
}
