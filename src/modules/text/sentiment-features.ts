// Features of the Chinese sentiment model, shared by training (scripts/train-sentiment.ts) and
// inference so that both hash exactly the same way: jieba words and word bigrams, words inside a
// negation's scope, character 1-3 grams, all hashed into 2^bits buckets, plus two dense features
// (the lexicon rule score and the emoticon score).
import { NEGATORS, lexiconScore, emoticonScore } from './sentiment-lexicon.js';
import { isPunctuation } from './is-punctuation.js';

export const FEATURE_BITS = 20;

const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x2b1f4a37;
const SEED_NEGATED = 0x5bd1e995;
const SEED_CHAR = 0x1b873593;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

function finish(h: number, mask: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

function hashString(seed: number, s: string, h0?: number): number {
  let h = h0 ?? seed;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

// Deduplication in a small open-addressing table stamped with the call number: no Set, no
// allocation per feature, and no write into a bucket-sized array (4 MB of random writes per
// document cost more than everything else here, in cache misses).
let slots = new Int32Array(0);
let slotStamps = new Int32Array(0);
let slotShift = 32;
let stamp = 0;
let buffer = new Int32Array(4096);
let count = 0;

function add(i: number): void {
  const m = slots.length - 1;
  let h = Math.imul(i, 0x9e3779b1) >>> slotShift;
  while (slotStamps[h] === stamp) {
    if (slots[h] === i) return;
    h = (h + 1) & m;
  }
  slotStamps[h] = stamp;
  slots[h] = i;
  buffer[count++] = i;
}

export interface SentimentFeatures {
  /** Distinct hashed feature indices. */
  indices: Int32Array;
  lexicon: number;
  emoticon: number;
}

/** `text` normalised (normalizeText), `words` its segmentation. */
export function sentimentFeatures(text: string, words: readonly string[], bits = FEATURE_BITS): SentimentFeatures {
  const mask = (1 << bits) - 1;
  const need = words.length * 3 + text.length * 3 + 8;
  if (buffer.length < need) buffer = new Int32Array(need * 2);
  // At most half full: a power of two at least twice the number of features this text can give.
  if (slots.length < 2 * need) {
    let size = 1024,
      shift = 22;
    while (size < 2 * need) {
      size *= 2;
      shift--;
    }
    slots = new Int32Array(size);
    slotStamps = new Int32Array(size);
    slotShift = shift;
    stamp = 0;
  }
  if (++stamp === 0x7fffffff) {
    slotStamps.fill(0);
    stamp = 1;
  }
  count = 0;
  let prevHash = hashString(SEED_BIGRAM, '') ^ 0x7c;
  let negatedLeft = 0;
  for (const w of words) {
    const isPunct = isPunctuation(w);
    if (!isPunct) add(finish(hashString(SEED_WORD, w), mask));
    add(finish(hashString(SEED_BIGRAM, w, prevHash), mask));
    if (isPunct) {
      negatedLeft = 0;
      prevHash = hashString(SEED_BIGRAM, '') ^ 0x7c;
      continue;
    }
    if (negatedLeft > 0) {
      add(finish(hashString(SEED_NEGATED, w), mask));
      negatedLeft--;
    }
    if (NEGATORS.has(w)) negatedLeft = 3;
    prevHash = hashString(SEED_BIGRAM, w) ^ 0x7c;
  }
  // Character n-grams over the text without spaces; hashed incrementally, no substrings built.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c0 = text.charCodeAt(i);
    if (c0 === 0x20) continue;
    let h = mix(SEED_CHAR, c0);
    add(finish(h, mask));
    let k = 1;
    for (let j = i + 1; j < n && k < 3; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x20) break;
      h = mix(h, c);
      k++;
      add(finish(h ^ k, mask));
    }
  }
  const lex = lexiconScore(words);
  return { indices: buffer.slice(0, count), lexicon: Math.tanh(lex.score / 2), emoticon: Math.tanh(emoticonScore(text) / 2) };
}
