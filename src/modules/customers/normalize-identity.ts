// Identity values are normalised before they are stored or looked up, so that "A@Example.com " and
// "a@example.com", or "138 0013 8000" and "+8613800138000", name the same customer.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const IDENTITY_KINDS = ['email', 'phone', 'wechat_openid', 'wechat_unionid', 'weibo_uid', 'external_id', 'anonymous_id'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type Identities = Partial<Record<IdentityKind, string>>;

/** Strong identifiers merge two profiles automatically when one event carries both. */
export const STRONG_KINDS: ReadonlySet<IdentityKind> = new Set(['email', 'phone', 'wechat_unionid', 'external_id']);

// RFC 5321 caps the whole address at 254 octets in practice; the local part is kept as written
// except for case, since nearly every provider treats it case-insensitively.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export type NormalizeResult = { ok: true; value: string } | { ok: false; message: string };

// Parsing a phone number costs tens of microseconds and the same numbers arrive again and again
// during ingestion, so recent answers are remembered (bounded, oldest dropped first).
const phoneMemo = new Map<string, NormalizeResult>();
const PHONE_MEMO_SIZE = 20_000;

function normalizePhone(v: string, defaultRegion: string): NormalizeResult {
  const key = `${defaultRegion}\u0000${v}`;
  const hit = phoneMemo.get(key);
  if (hit) return hit;
  const p = parsePhoneNumberFromString(v, { defaultCountry: defaultRegion as CountryCode });
  const r: NormalizeResult =
    p && p.isPossible() ? { ok: true, value: p.number } : { ok: false, message: `is not a phone number (E.164, or national in ${defaultRegion})` };
  if (phoneMemo.size >= PHONE_MEMO_SIZE) phoneMemo.delete(phoneMemo.keys().next().value!);
  phoneMemo.set(key, r);
  return r;
}

export function normalizeIdentity(kind: IdentityKind, raw: unknown, defaultRegion: string): NormalizeResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, message: 'must be a string' };
  const v = String(raw).trim();
  if (!v) return { ok: false, message: 'must not be empty' };
  if (v.length > 254) return { ok: false, message: 'must be at most 254 characters' };
  switch (kind) {
    case 'email': {
      const e = v.toLowerCase();
      return EMAIL.test(e) ? { ok: true, value: e } : { ok: false, message: 'is not an email address' };
    }
    case 'phone':
      return normalizePhone(v, defaultRegion);
    default:
      return /^[\x21-\x7e]+$/.test(v) || kind === 'external_id'
        ? { ok: true, value: v }
        : { ok: false, message: 'must be printable characters without spaces' };
  }
}

export interface IdentityProblem {
  kind: string;
  message: string;
}

/** Normalises an identities object; unknown kinds and bad values are reported, never silently dropped. */
export function normalizeIdentities(raw: unknown, defaultRegion: string): { identities: Identities; problems: IdentityProblem[] } {
  const identities: Identities = {};
  const problems: IdentityProblem[] = [];
  if (raw == null) return { identities, problems };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { identities, problems: [{ kind: '(root)', message: 'must be an object of identity kind to value' }] };
  for (const [k, v] of Object.entries(raw)) {
    if (v == null || v === '') continue;
    if (!(IDENTITY_KINDS as readonly string[]).includes(k)) {
      problems.push({ kind: k, message: `is not an identity kind (${IDENTITY_KINDS.join(', ')})` });
      continue;
    }
    const r = normalizeIdentity(k as IdentityKind, v, defaultRegion);
    if (r.ok) identities[k as IdentityKind] = r.value;
    else problems.push({ kind: k, message: r.message });
  }
  return { identities, problems };
}
