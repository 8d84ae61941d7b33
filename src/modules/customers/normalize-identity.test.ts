import { describe, expect, it } from 'vitest';
import { normalizeIdentities, normalizeIdentity } from './normalize-identity.js';

describe('identity normalisation', () => {
  it('lower-cases and trims email addresses', () => {
    expect(normalizeIdentity('email', '  Wang.Fang@Example.COM ', 'CN')).toEqual({ ok: true, value: 'wang.fang@example.com' });
    expect(normalizeIdentity('email', 'no-at-sign.example.com', 'CN').ok).toBe(false);
  });

  it('writes phones in E.164, reading national numbers in the default region', () => {
    expect(normalizeIdentity('phone', '138 0013 8000', 'CN')).toEqual({ ok: true, value: '+8613800138000' });
    expect(normalizeIdentity('phone', '+44 7700 900123', 'CN')).toEqual({ ok: true, value: '+447700900123' });
    expect(normalizeIdentity('phone', '07700 900123', 'GB')).toEqual({ ok: true, value: '+447700900123' });
    expect(normalizeIdentity('phone', '12', 'CN').ok).toBe(false);
  });

  it('reports unknown kinds and bad values instead of dropping them', () => {
    const r = normalizeIdentities({ email: 'a@b.co', fax: '123', weibo_uid: 'has space', phone: '' }, 'CN');
    expect(r.identities).toEqual({ email: 'a@b.co' });
    expect(r.problems.map((p) => p.kind).sort()).toEqual(['fax', 'weibo_uid']);
    expect(normalizeIdentities(['email'], 'CN').problems).toHaveLength(1);
  });
});
