// Words of a text for search. Chinese is written without spaces, so it is cut into words by the text
// module's jieba (one dictionary per process, about 35 MB: a second copy here cost that much again);
// Latin words are lower-cased and lightly stemmed.
import { segmentText as cutPrecise, segmentForSearch as cutForSearch } from '../text/index.js';

const HAN = /\p{Script=Han}/u;
const WORD = /^[\p{L}\p{N}]/u;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

// Words that say nothing about what a question is about. Dropped from documents and queries alike, so
// "我想申请退款" and "怎么退款" both come down to the words that matter.
const STOP = new Set([
  // en
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'by',
  'with',
  'from',
  'as',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'i',
  'me',
  'my',
  'we',
  'our',
  'you',
  'your',
  'he',
  'she',
  'they',
  'them',
  'their',
  'do',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'should',
  'how',
  'what',
  'when',
  'where',
  'why',
  'which',
  'who',
  'if',
  'not',
  'no',
  'have',
  'has',
  'had',
  'am',
  'so',
  'but',
  'about',
  'there',
  'here',
  'please',
  'hi',
  'hello',
  'thanks',
  'thank',
  'want',
  'need',
  'get',
  'just',
  // zh
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '和',
  '与',
  '或',
  '是',
  '在',
  '我',
  '我们',
  '你',
  '您',
  '你们',
  '他',
  '她',
  '它',
  '这',
  '那',
  '这个',
  '那个',
  '怎么',
  '怎样',
  '如何',
  '什么',
  '为什么',
  '哪里',
  '能',
  '可以',
  '会',
  '要',
  '想',
  '请问',
  '请',
  '一下',
  '有',
  '没有',
  '不',
  '就',
  '都',
  '也',
  '还',
  '被',
  '把',
  '给',
  '让',
  '从',
  '到',
  '对',
  '上',
  '下',
  '个',
  '吗？',
  '您好',
  '你好',
  '谢谢',
  '麻烦',
  '一个',
  '已经',
  '之后',
  '以后',
  '时候',
]);

/** A light English stemmer: plural and a few endings, so "refunds" finds "refund". Applied to documents and queries alike. */
export function stemWord(w: string): string {
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

function normalizeWord(raw: string): string {
  return stemWord(raw.normalize('NFKC').toLowerCase());
}

const HAN_RUN = /\p{Script=Han}+/gu;

function pushWords(out: string[], piece: string) {
  // Only letters and digits reach a tsvector or tsquery: no operator or quote can come from text.
  for (const w of piece.split(NOT_WORD)) if (w && WORD.test(w)) out.push(normalizeWord(w));
}

/** Every word of a text, in order, stop words included (for highlighting and phrase matching). */
export function cutWords(text: string, forIndex = false): string[] {
  const out: string[] = [];
  // Only runs of Han characters need jieba; Latin text splits on spaces and punctuation, much faster.
  let last = 0;
  for (const m of text.matchAll(HAN_RUN)) {
    if (m.index! > last) pushWords(out, text.slice(last, m.index));
    for (const piece of forIndex ? cutForSearch(m[0]) : cutPrecise(m[0])) pushWords(out, piece);
    last = m.index! + m[0].length;
  }
  if (last < text.length) pushWords(out, text.slice(last));
  return out;
}

/**
 * The words search uses: no stop words, no single Latin letters, no tsquery operators. Documents are
 * cut in jieba's search mode (信用卡 also gives 信用), queries in its precise mode, so a query word
 * is found inside the longer words of a document.
 */
export function segmentText(text: string, mode: 'index' | 'query' = 'query'): string[] {
  return cutWords(text.slice(0, 200_000), mode === 'index').filter((w) => !STOP.has(w) && (w.length > 1 || HAN.test(w) || /\d/.test(w)) && w.length <= 60);
}

export const isHan = (w: string) => HAN.test(w);
export const isStopWord = (w: string) => STOP.has(w);
