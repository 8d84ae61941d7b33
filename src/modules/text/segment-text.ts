// Chinese word segmentation (jieba, via @node-rs/jieba's native binding). A tenant adds its brand and
// product names as a user dictionary so that "小蓝杯" stays one word instead of 小/蓝/杯.
import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
// The package is CommonJS with a native addon; require keeps its loading synchronous.
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };

let base: JiebaType | undefined;

function defaultSegmenter(): JiebaType {
  base ??= Jieba.withDict(dict);
  return base;
}

// A tenant's words (brands, products) are not loaded into a segmenter of their own: each jieba instance
// holds the whole dictionary (about 50 MB, 150 ms to build), so one per tenant with a watch-list ran to
// gigabytes. The base segmenter cuts the text; where a tenant's word occurs, the stretch of base words
// around it is cut again by jieba's own rule (the route of greatest probability over the dictionary's
// frequencies, the tenant's words added at USER_FREQ), runs of single characters going to jieba for its
// HMM as it would send them. One parsed copy of the frequencies (about 30 MB) serves every tenant.

/**
 * A dictionary entry's frequency: jieba's frequency decides how strongly the word wins over its
 * neighbours. 1000 keeps a brand whole ("瑞幸/生椰拿铁") without forcing it across a real word boundary:
 * with a huge frequency "中华为人民服务" would split 中/华为/人民 and the watch-list would see 华为 in it.
 */
const USER_FREQ = 1000;

interface Frequencies {
  freq: Map<string, number>;
  total: number;
  maxLength: number;
}
let frequencies: Frequencies | undefined;

function dictionaryFrequencies(): Frequencies {
  if (frequencies) return frequencies;
  const freq = new Map<string, number>();
  let total = 0;
  let maxLength = 1;
  for (const line of Buffer.from(dict).toString('utf8').split('\n')) {
    const a = line.indexOf(' ');
    if (a <= 0) continue;
    const b = line.indexOf(' ', a + 1);
    const f = Number(line.slice(a + 1, b < 0 ? undefined : b));
    if (!(f > 0)) continue;
    const word = line.slice(0, a);
    freq.set(word, f);
    total += f;
    if (word.length > maxLength) maxLength = word.length;
  }
  frequencies = { freq, total, maxLength };
  return frequencies;
}

interface UserWords {
  words: Set<string>;
  maxLength: number;
  /** The dictionary's total with the user's frequencies in place of the dictionary's, as jieba keeps it. */
  logTotal: number;
}
const compiled = new WeakMap<readonly string[], UserWords>();

function compile(userWords: readonly string[]): UserWords {
  let u = compiled.get(userWords);
  if (!u) {
    const { freq, total: dictionaryTotal } = dictionaryFrequencies();
    const words = new Set(userWords.map((w) => w.trim().replace(/\s+/g, '')).filter((w) => w.length > 0));
    let total = dictionaryTotal;
    for (const w of words) total += USER_FREQ - (freq.get(w) ?? 0);
    u = { words, maxLength: Math.max(1, ...[...words].map((w) => w.length)), logTotal: Math.log(total) };
    compiled.set(userWords, u);
  }
  return u;
}

/** jieba's cut of one stretch with the user's words added to its dictionary. */
function cutStretch(text: string, u: UserWords): string[] {
  const { freq, maxLength } = dictionaryFrequencies();
  const { logTotal } = u;
  const longest = Math.max(maxLength, u.maxLength);
  const n = text.length;
  const score = new Float64Array(n + 1);
  const next = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    // A single character is always a way on (frequency 1 when the dictionary lacks it), as in jieba.
    let best = Math.log(freq.get(text[i]) ?? 1) - logTotal + score[i + 1];
    let end = i + 1;
    for (let e = i + 2; e <= Math.min(n, i + longest); e++) {
      const w = text.slice(i, e);
      const f = u.words.has(w) ? USER_FREQ : freq.get(w);
      if (!f) continue;
      const s = Math.log(f) - logTotal + score[e];
      if (s >= best) {
        best = s;
        end = e;
      }
    }
    score[i] = best;
    next[i] = end;
  }
  const out: string[] = [];
  let single = '';
  const flush = () => {
    // Single characters in a row: one alone stays; a run the dictionary knows as a word stays in
    // characters (jieba's own rule); any other run goes to jieba, whose HMM finds the unknown words.
    if (single.length === 1 || (single.length > 1 && freq.has(single))) out.push(...single);
    else if (single.length > 1) out.push(...defaultSegmenter().cut(single, true));
    single = '';
  };
  for (let i = 0; i < n; i = next[i]) {
    if (next[i] - i === 1) single += text[i];
    else {
      flush();
      out.push(text.slice(i, next[i]));
    }
  }
  flush();
  return out;
}

const HAN = /^\p{Script=Han}$/u;

/** The base segmenter's words, with the stretches holding a user word cut again with it. */
function cutWithUserWords(text: string, userWords: readonly string[]): string[] {
  const words = defaultSegmenter().cut(text, true);
  const u = compile(userWords);
  // Where the user's words occur, as [start, end) in the text.
  const found: [number, number][] = [];
  for (const w of u.words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) found.push([i, i + w.length]);
  if (!found.length) return words;
  // Each base word's start offset; the words cover the text in order.
  const starts: number[] = [];
  let at = 0;
  for (const w of words) {
    starts.push(at);
    at += w.length;
  }
  if (at !== text.length) return words;
  // The base words an occurrence touches and one more on each side (jieba's choice at a word's edge
  // depends on its neighbours: 在/携程网/上 becomes 在/携程/网上), merged where they overlap.
  const wordAt = (offset: number) => {
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // A run of single Chinese characters at a stretch's edge goes whole into it: jieba hands such a run to
  // its HMM as one piece (寄/来/的 becomes 寄来/的 only with the 的).
  const single = (i: number) => i >= 0 && i < words.length && words[i].length === 1 && HAN.test(words[i]);
  const spans = found
    .map(([s, e]) => {
      let first = Math.max(0, wordAt(s) - 1);
      let last = Math.min(words.length - 1, wordAt(e - 1) + 1);
      while (single(first - 1)) first--;
      while (single(last + 1)) last++;
      return [first, last] as [number, number];
    })
    .sort((a, b) => a[0] - b[0]);
  // Stretches that overlap or touch are cut as one.
  const out: string[] = [];
  let w = 0;
  for (let k = 0; k < spans.length; ) {
    let [first, last] = spans[k++];
    while (k < spans.length && spans[k][0] <= last + 1) last = Math.max(last, spans[k++][1]);
    while (w < first) out.push(words[w++]);
    out.push(...cutStretch(text.slice(starts[first], last + 1 < starts.length ? starts[last + 1] : text.length), u));
    w = last + 1;
  }
  while (w < words.length) out.push(words[w++]);
  return out;
}

/** Words of (already normalised) text, whitespace dropped, punctuation kept as its own token. */
export function segmentText(text: string, userWords: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const w of userWords.length ? cutWithUserWords(text, userWords) : defaultSegmenter().cut(text, true)) if (w.trim() !== '') out.push(w);
  return out;
}

/**
 * Words of text in jieba's search mode: long words also give the shorter words inside them (信用卡 gives
 * 信用 too), for indexing documents that queries cut in the precise mode must still find.
 */
export function segmentForSearch(text: string): string[] {
  return defaultSegmenter().cutForSearch(text, true);
}
