// Text normalisation shared by every analysis: traditional Chinese folded to simplified character by
// character (the sentiment model and the dictionaries are simplified), full-width ASCII folded to
// half-width, Latin lower-cased. Character-level folding keeps offsets and is what a bag-of-words
// model needs; phrase-level OpenCC conversion would buy nothing here.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let t2s: Map<number, number> | undefined;

/** Built once from OpenCC's Hong Kong/Taiwan -> mainland tables over the CJK Unified Ideographs block. */
function traditionalToSimplifiedMap(): Map<number, number> {
  if (t2s) return t2s;
  // Loaded on first use: OpenCC's tables are megabytes of JavaScript, and the CLI and API start
  // without needing them.
  const OpenCC = require('opencc-js') as typeof import('opencc-js');
  const chars: string[] = [];
  for (let c = 0x4e00; c <= 0x9fff; c++) chars.push(String.fromCharCode(c));
  // One call over newline-separated characters: no phrase can span two of them.
  const convert = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const convertTw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const out = convert(chars.join('\n')).split('\n');
  const outTw = convertTw(chars.join('\n')).split('\n');
  const map = new Map<number, number>();
  for (let i = 0; i < chars.length; i++) {
    for (const o of [out[i], outTw[i]]) {
      if (o && o.length === 1 && o !== chars[i] && !map.has(chars[i].charCodeAt(0))) map.set(chars[i].charCodeAt(0), o.charCodeAt(0));
    }
  }
  t2s = map;
  return map;
}

let simplifiedForms: Set<number> | undefined;

/**
 * How many characters of `text` are traditional forms (for language detection): those that fold to a
 * different character and are not themselves the simplified form of another. OpenCC also folds
 * variants (么 to 幺), and 么 is what 麼 simplifies to: counting it made 怎么退票 read as traditional.
 */
export function countTraditional(text: string): number {
  const map = traditionalToSimplifiedMap();
  simplifiedForms ??= new Set(map.values());
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (map.has(c) && !simplifiedForms.has(c)) n++;
  }
  return n;
}

export function normalizeText(text: string): string {
  const map = traditionalToSimplifiedMap();
  let out = '';
  let changed = false;
  const codes: number[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
    if (c === 0x3000 || c === 0x00a0 || c === 0x09 || c === 0x0a || c === 0x0d) c = 0x20;
    else if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x4e00) {
      const s = map.get(c);
      if (s !== undefined) c = s;
    }
    if (c !== text.charCodeAt(i)) changed = true;
    codes[i] = c;
  }
  if (!changed) return text;
  // String.fromCharCode over chunks: spread of a very long array would overflow the stack.
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}
