import { describe, expect, it } from 'vitest';
import { peekParts, signParts, verifyParts } from './signed-link.js';

describe('signed links', () => {
  it('signs parts and verifies them only under the same key and purpose', () => {
    const token = signParts('key-1', ['ten_abc', 'msg_def'], 'u');
    expect(verifyParts('key-1', token, 'u')).toEqual(['ten_abc', 'msg_def']);
    expect(verifyParts('key-2', token, 'u')).toBeUndefined();
    expect(verifyParts('key-1', token, 'p')).toBeUndefined();
    expect(verifyParts('key-1', token)).toBeUndefined();
    expect(verifyParts('key-1', token.replace('msg_def', 'msg_deg'), 'u')).toBeUndefined();
    expect(verifyParts('key-1', `${token}x`, 'u')).toBeUndefined();
    expect(peekParts(token)).toEqual(['ten_abc', 'msg_def']);
    expect(peekParts('no-signature')).toBeUndefined();
    expect(() => signParts('k', ['a.b'])).toThrow();
  });

  it("takes only the canonical spelling of a signature, not one that differs in its last character's spare bits", () => {
    const token = signParts('key-1', ['ten_abc', 'msg_def'], 'o');
    const last = token.at(-1)!;
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // Same top two bits (the ones the 128-bit MAC uses), different spare bits: decodes to the same bytes.
    const twin = ALPHABET[(ALPHABET.indexOf(last) & 0b110000) | 0b0101];
    expect(Buffer.from(token.slice(-22, -1) + twin, 'base64url')).toEqual(Buffer.from(token.slice(-22), 'base64url'));
    expect(verifyParts('key-1', token, 'o')).toEqual(['ten_abc', 'msg_def']);
    expect(verifyParts('key-1', token.slice(0, -1) + twin, 'o')).toBeUndefined();
  });

  // Tokens made by the survey and unsubscribe links before they shared this helper: links already in
  // customers' mailboxes must keep working.
  it('still verifies survey and unsubscribe links sent in the earlier formats', () => {
    expect(verifyParts('k3y-feedback', 'ten_0123456789ab.inv_0123456789ab.x2qxvk.4d7a4t4f18liwvV_Bv6sMg')).toEqual([
      'ten_0123456789ab',
      'inv_0123456789ab',
      'x2qxvk',
    ]);
    expect(verifyParts('k3y-feedback', 'ten_0123456789ab.srv_0123456789ab.b.DBCj1V5aqlBUfR62EAIqFA')).toEqual(['ten_0123456789ab', 'srv_0123456789ab', 'b']);
    expect(verifyParts('k3y-outreach', 'ten_0123456789ab.msg_0123456789ab.yVeILKTfJ7LcZvDPQX2pGw', 'u')).toEqual(['ten_0123456789ab', 'msg_0123456789ab']);
  });
});
