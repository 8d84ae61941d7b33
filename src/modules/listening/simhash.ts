// SimHash (Charikar 2002) over character 3-grams of the normalised text, as two 32-bit halves. Reposts
// with a "转发" prefix, a changed emoji or a trailing link stay within a few bits of the original.
import { normalizeText } from '../text/index.js';

export interface SimHash {
  hi: number;
  lo: number;
  bands: [number, number, number, number];
}

function fnv(s: string, i: number, n: number, seed: number): number {
  let h = seed;
  for (let k = i; k < i + n; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

// Repost wrappers say nothing about the post: Weibo's "转发微博：" and "//@someone:" chains, Twitter's RT.
const REPOST = /^\s*(?:转发微博|转发|转)\s*[:：]?|\/\/@[^:：\s]{1,30}[:：]|^\s*rt @\w+:?/g;

export function simhash(text: string): SimHash {
  const s = normalizeText(text)
    .replace(REPOST, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
  const v = new Int32Array(64);
  const n = Math.min(s.length, 3);
  for (let i = 0; i + n <= s.length; i++) {
    const a = fnv(s, i, n, 0x811c9dc5),
      b = fnv(s, i, n, 0x9e3779b9);
    for (let bit = 0; bit < 32; bit++) {
      v[bit] += (a >>> bit) & 1 ? 1 : -1;
      v[32 + bit] += (b >>> bit) & 1 ? 1 : -1;
    }
  }
  let hi = 0,
    lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (v[bit] > 0) hi |= 1 << bit;
    if (v[32 + bit] > 0) lo |= 1 << bit;
  }
  return { hi, lo, bands: [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff] };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function hammingDistance(a: { hi: number; lo: number }, b: { hi: number; lo: number }): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

/** Texts this close count as the same post (pigeonhole: within 3 bits, one 16-bit band is equal). */
export const NEAR_DUPLICATE_BITS = 3;
