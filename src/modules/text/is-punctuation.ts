// Whether a token is only punctuation, symbols or spaces: a character-code test, because a Unicode
// property regex per token costs more than the rest of the sentiment call.
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (c >= 0x2000 && c <= 0x2bff) return false; // general punctuation, arrows, symbols, dingbats
  if (c >= 0x3000 && c <= 0x303f) return false; // CJK punctuation
  if (c >= 0xfe30 && c <= 0xfe4f) return false; // CJK compatibility forms
  if (c >= 0xff00 && c <= 0xff0f) return false; // full-width punctuation
  if (c >= 0xff1a && c <= 0xff20) return false;
  if (c >= 0xff3b && c <= 0xff40) return false;
  if (c >= 0xff5b && c <= 0xff65) return false;
  if (c === 0xa0 || (c >= 0xa1 && c <= 0xbf) || c === 0xd7 || c === 0xf7) return false;
  return true;
}

export function isPunctuation(token: string): boolean {
  for (let i = 0; i < token.length; i++) if (isWordChar(token.charCodeAt(i))) return false;
  return true;
}
