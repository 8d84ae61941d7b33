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

// Deduplication by stamping buckets with the call number: no Set, no allocation per feature.
let stamps = new Int32Array(0);
let stamp = 0;
let buffer = new Int32Array(4096);

export interface SentimentFeatures {
  /** Distinct hashed feature indices. */
  indices: Int32Array;
  lexicon: number;
  emoticon: number;
}

/** `text` normalised (normalizeText), `words` its segmentation. */
export function sentimentFeatures(text: string, words: readonly string[], bits = FEATURE_BITS): SentimentFeatures {
  const mask = (1 << bits) - 1;
  if (stamps.length !== mask + 1) { stamps = new Int32Array(mask + 1); stamp = 0; }
  if (++stamp === 0x7fffffff) { stamps.fill(0); stamp = 1; }
  const need = words.length * 3 + text.length * 3 + 8;
  if (buffer.length < need) buffer = new Int32Array(need * 2);
  let count = 0;
  const st = stamps, buf = buffer, cur = stamp;
  let prevHash = hashString(SEED_BIGRAM, '') ^ 0x7c;
  let negatedLeft = 0;
  for (const w of words) {
    const isPunct = isPunctuation(w);
    let i: number;
    if (!isPunct) { i = finish(hashString(SEED_WORD, w), mask); if (st[i] !== cur) { st[i] = cur; buf[count++] = i; } }
    i = finish(hashString(SEED_BIGRAM, w, prevHash), mask);
    if (st[i] !== cur) { st[i] = cur; buf[count++] = i; }
    if (isPunct) { negatedLeft = 0; prevHash = hashString(SEED_BIGRAM, '') ^ 0x7c; continue; }
    if (negatedLeft > 0) { i = finish(hashString(SEED_NEGATED, w), mask); if (st[i] !== cur) { st[i] = cur; buf[count++] = i; } negatedLeft--; }
    if (NEGATORS.has(w)) negatedLeft = 3;
    prevHash = hashString(SEED_BIGRAM, w) ^ 0x7c;
  }
  // Character n-grams over the text without spaces; hashed incrementally, no substrings built.
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c0 = text.charCodeAt(i);
    if (c0 === 0x20) continue;
    let h = mix(SEED_CHAR, c0);
    let b = finish(h, mask);
    if (st[b] !== cur) { st[b] = cur; buf[count++] = b; }
    let k = 1;
    for (let j = i + 1; j < n && k < 3; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x20) break;
      h = mix(h, c);
      k++;
      b = finish(h ^ k, mask);
      if (st[b] !== cur) { st[b] = cur; buf[count++] = b; }
    }
  }
  const lex = lexiconScore(words);
  return { indices: buffer.slice(0, count), lexicon: Math.tanh(lex.score / 2), emoticon: Math.tanh(emoticonScore(text) / 2) };
}
