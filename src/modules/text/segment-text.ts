// Chinese word segmentation (jieba, via @node-rs/jieba's native binding). A tenant adds its brand and
// product names as a user dictionary so that "小蓝杯" stays one word instead of 小/蓝/杯.
import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
// The package is CommonJS with a native addon; require keeps its loading synchronous.
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };

let base: JiebaType | undefined;
const withUserWords = new Map<string, JiebaType>();
const MAX_TENANT_SEGMENTERS = 32;

function defaultSegmenter(): JiebaType {
  base ??= Jieba.withDict(dict);
  return base;
}

/**
 * A dictionary entry: jieba's frequency decides how strongly the word wins over its neighbours. 1000
 * keeps a brand whole ("瑞幸/生椰拿铁") without forcing it across a real word boundary: with a huge
 * frequency "中华为人民服务" would split 中/华为/人民 and the watch-list would see 华为 in it.
 */
function userDictionary(words: readonly string[]): Uint8Array {
  const lines = words
    .map((w) => w.trim().replace(/\s+/g, ''))
    .filter((w) => w.length > 0)
    .map((w) => `${w} 1000 nz`);
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * The segmenter for a set of user words. Segmenters with user words are cached by their word set
 * (least recently used evicted) because loading the base dictionary costs tens of milliseconds.
 */
const byArray = new WeakMap<readonly string[], JiebaType>();

export function segmenterFor(userWords: readonly string[] = []): JiebaType {
  if (userWords.length === 0) return defaultSegmenter();
  // The same word array (a tenant's compiled watch-list) skips building the key on every call.
  const known = byArray.get(userWords);
  if (known) return known;
  const key = [...new Set(userWords)].sort().join('\u0001');
  let seg = withUserWords.get(key);
  if (seg) {
    withUserWords.delete(key);
    withUserWords.set(key, seg);
    byArray.set(userWords, seg);
    return seg;
  }
  seg = Jieba.withDict(dict);
  seg.loadDict(userDictionary(userWords));
  withUserWords.set(key, seg);
  byArray.set(userWords, seg);
  if (withUserWords.size > MAX_TENANT_SEGMENTERS) withUserWords.delete(withUserWords.keys().next().value!);
  return seg;
}

/** Words of (already normalised) text, whitespace dropped, punctuation kept as its own token. */
export function segmentText(text: string, userWords: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const w of segmenterFor(userWords).cut(text, true)) if (w.trim() !== '') out.push(w);
  return out;
}

/**
 * Words of text in jieba's search mode: long words also give the shorter words inside them (信用卡 gives
 * 信用 too), for indexing documents that queries cut in the precise mode must still find.
 */
export function segmentForSearch(text: string): string[] {
  return defaultSegmenter().cutForSearch(text, true);
}
