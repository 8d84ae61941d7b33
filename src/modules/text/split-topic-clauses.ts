// The clauses a text's aspects are found and scored in, and each topic's terms made ready to match.
import type { TopicDefinition } from './default-topics.js';
import { isPunctuation } from './is-punctuation.js';

export interface CompiledTopic {
  key: string;
  zh: string[];
  zhLatin: RegExp | undefined;
  en: RegExp | undefined;
}

function wordsRegExp(terms: string[]): RegExp | undefined {
  return terms.length ? new RegExp(`\\b(?:${terms.map((x) => escapeRegExp(x.toLowerCase())).join('|')})\\b`, 'g') : undefined;
}

const compiled = new WeakMap<readonly TopicDefinition[], CompiledTopic[]>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileTopics(topics: readonly TopicDefinition[]): CompiledTopic[] {
  let c = compiled.get(topics);
  if (!c) {
    c = topics.map((t) => ({
      key: t.key,
      // Latin terms in the Chinese list ("app", "bug") must be whole words, or "happy" would hit "app".
      zh: t.zh.filter((x) => !/^[\x00-\x7f]+$/.test(x)),
      zhLatin: wordsRegExp(t.zh.filter((x) => /^[\x00-\x7f]+$/.test(x))),
      en: wordsRegExp(t.en),
    }));
    compiled.set(topics, c);
  }
  return c;
}

// Clauses end at punctuation and at contrast and concession words: each aspect takes the polarity of
// its own clause ("物流慢但是客服很耐心": delivery negative, service positive).
export const CLAUSE = /[,.;!?，。；！？\n、~～…]+|\s(?:but|however|although|though|yet|while)\s|但是|不过|可是|虽然|却|就是|可惜/u;

const CLAUSE_PUNCTUATION = /^[,.;!?，。；！？、~～…]+$/;

const CLAUSE_WORD = new Set([
  '但是',
  '但',
  '不过',
  '可是',
  '却',
  '就是',
  '虽然',
  '虽',
  '尽管',
  '然而',
  '可惜',
  '只是',
  ',',
  '.',
  ';',
  '!',
  '?',
  '，',
  '。',
  '；',
  '！',
  '？',
  '、',
  '~',
  '～',
  '…',
]);

/** Clauses of segmented Chinese, so that each clause is scored without segmenting it again. */
export function clausesFromWords(words: readonly string[]): { text: string; words: string[] }[] {
  const out: { text: string; words: string[] }[] = [];
  let cur: string[] = [];
  for (const w of words) {
    if (CLAUSE_WORD.has(w) || (isPunctuation(w) && CLAUSE_PUNCTUATION.test(w))) {
      if (cur.length) out.push({ text: cur.join(''), words: cur });
      cur = [];
    } else cur.push(w);
  }
  if (cur.length) out.push({ text: cur.join(''), words: cur });
  return out;
}

/** The words of the named clauses joined as `key` joins their texts: no clause is segmented twice. */
export function wordsOf(segmented: { text: string; words: string[] }[], where: Set<string>): string[] {
  const out: string[] = [];
  for (const text of where) {
    const c = segmented.find((x) => x.text === text)!;
    if (out.length) out.push('，');
    for (const w of c.words) out.push(w);
  }
  return out;
}
