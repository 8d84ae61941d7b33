// Keywords of a set of texts for dashboards: TF-IDF where the term frequency is counted over the whole
// set and the inverse document frequency is jieba's general-corpus table (a set of posts about one
// storm is too small and too uniform to estimate its own IDF). Also picks representative texts.
import { createRequire } from 'node:module';
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { isPunctuation } from './is-punctuation.js';

const require = createRequire(import.meta.url);

let idfTable: { idf: Map<string, number>; median: number } | undefined;
function idf(): { idf: Map<string, number>; median: number } {
  if (idfTable) return idfTable;
  const { idf: raw } = require('@node-rs/jieba/dict') as { idf: Uint8Array };
  const map = new Map<string, number>();
  for (const line of Buffer.from(raw).toString('utf8').split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp > 0) map.set(line.slice(0, sp), Number(line.slice(sp + 1)));
  }
  const values = [...map.values()].sort((a, b) => a - b);
  idfTable = { idf: map, median: values[Math.floor(values.length / 2)] ?? 10 };
  return idfTable;
}

const STOP = new Set(
  `的 了 是 在 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 他 她 它 们 我们 你们 他们 还 吧 吗 呢 啊 呀 哦 嗯 就是 但是 因为 所以 如果 可以 这个 那个 什么 怎么 没 又 给 对 被 让 把 从 而 与 及 等 还是 已经 真的 非常 太 挺 比较 觉得 感觉 the a an and or but is are was were be been to of in on at for with it this that i you he she we they my your our me not no so very just have has had do does did`.split(
    /\s+/,
  ),
);

export interface Keyword {
  term: string;
  weight: number;
  count: number;
}

export interface TextSetSummary {
  keywords: Keyword[];
  examples: string[];
}

function terms(text: string, userWords?: readonly string[]): string[] {
  const n = normalizeText(text);
  const out: string[] = [];
  for (const w of segmentText(n, userWords)) {
    if (isPunctuation(w) || STOP.has(w) || /^\d+$/.test(w)) continue;
    if (w.length < 2 && w.charCodeAt(0) < 0x4e00) continue;
    out.push(w);
  }
  return out;
}

export function extractKeywords(texts: readonly string[], opts: { top?: number; userWords?: readonly string[] } = {}): Keyword[] {
  const top = opts.top ?? 10;
  const { idf: table, median } = idf();
  const count = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const t of texts) {
    const ws = terms(t, opts.userWords);
    for (const w of ws) count.set(w, (count.get(w) ?? 0) + 1);
    for (const w of new Set(ws)) docs.set(w, (docs.get(w) ?? 0) + 1);
  }
  const scored: Keyword[] = [];
  for (const [term, c] of count) {
    // Single Han characters carry little on their own; they must be frequent to show.
    const lengthFactor = term.length === 1 ? 0.3 : 1;
    // Spread across many texts counts more than one text repeating a word.
    const spread = Math.sqrt(docs.get(term)!);
    scored.push({ term, count: c, weight: Math.round(spread * Math.log1p(c) * (table.get(term) ?? median) * lengthFactor * 1000) / 1000 });
  }
  return scored.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1)).slice(0, top);
}

/** Keywords plus the texts that cover most of them (shortest first among equals): a short summary. */
export function summarizeTexts(texts: readonly string[], opts: { top?: number; examples?: number; userWords?: readonly string[] } = {}): TextSetSummary {
  const keywords = extractKeywords(texts, opts);
  const weight = new Map(keywords.map((k) => [k.term, k.weight]));
  const ranked = texts
    .map((t) => ({ t, s: [...new Set(terms(t, opts.userWords))].reduce((a, w) => a + (weight.get(w) ?? 0), 0) / Math.sqrt(1 + t.length / 80) }))
    .sort((a, b) => b.s - a.s);
  const examples: string[] = [];
  for (const r of ranked) {
    if (examples.length >= (opts.examples ?? 3)) break;
    if (!examples.includes(r.t)) examples.push(r.t);
  }
  return { keywords, examples };
}
