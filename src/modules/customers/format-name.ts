// A customer's name as a person would write it: the display name they gave, else their given and
// family names in the order of their language. Chinese puts the family name first, written with no
// space in Chinese characters (王芳) and with one in pinyin (Wang Fang); English and most other
// languages put the given name first with a space (Oliver Jones).
const FAMILY_FIRST = /^(zh|ja|ko)(-|$)/i;
const CJK = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}·]+$/u;

export interface PersonName {
  displayName?: string | null;
  givenName?: string | null;
  familyName?: string | null;
}

export function formatName(n: PersonName, language?: string | null): string | null {
  if (n.displayName?.trim()) return n.displayName.trim();
  const given = n.givenName?.trim() || '';
  const family = n.familyName?.trim() || '';
  if (!given || !family) return given || family || null;
  if (CJK.test(given + family)) return family + given;
  return language && FAMILY_FIRST.test(language) ? `${family} ${given}` : `${given} ${family}`;
}
