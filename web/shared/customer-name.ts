// A customer's name as a person would write it, the same rule as the server's formatName
// (src/modules/customers/format-name.ts): the display name they gave, else given and family names in
// the order of the reader's language (Chinese family first; Chinese characters with no space), else
// their first identity, else their id. Kept here rather than imported: a value from a module would
// bundle server code into the browser; test/web-format.test.ts holds the two to the same answers.
const FAMILY_FIRST = /^(zh|ja|ko)(-|$)/i;
const CJK = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}·]+$/u;

export interface NamedCustomer {
  id?: string;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  identities?: { value: string }[];
}

export function customerName(c: NamedCustomer, lng: string): string;
export function customerName(c: NamedCustomer | null | undefined, lng: string): string | undefined;
export function customerName(c: NamedCustomer | null | undefined, lng: string): string | undefined {
  if (!c) return undefined;
  if (c.display_name?.trim()) return c.display_name.trim();
  const given = c.given_name?.trim() || '';
  const family = c.family_name?.trim() || '';
  const name =
    !given || !family ? given || family : CJK.test(given + family) ? family + given : FAMILY_FIRST.test(lng) ? `${family} ${given}` : `${given} ${family}`;
  return name || c.identities?.[0]?.value || c.id || '';
}
