// Customer-experience topics (aspects) in Chinese and English, and the sentiment of each aspect where
// the text allows: the clause that names the aspect is scored on its own, so "菜很好吃，但是送餐太慢"
// is positive on product quality and negative on delivery.
import { analyzeSentiment, type Sentiment, type SentimentLabel } from './analyze-sentiment.js';
import { DEFAULT_TOPICS, type TopicDefinition } from './default-topics.js';
import type { Language } from './detect-language.js';
import { CLAUSE, clausesFromWords, compileTopics, wordsOf } from './split-topic-clauses.js';

export interface TopicHit {
  topic: string;
  /** The terms of the topic found in the text. */
  terms: string[];
  /** Sentiment of the clauses naming the topic; absent when those clauses carry none. */
  sentiment?: SentimentLabel;
  score?: number;
}

// Waiting time: slowness said of a parcel's transit is delivery's ("物流太慢", "shipping was slow"), not a
// wait for service; and a wait the customer states is a complaint about it ("虽然等了很久，但是服务员态度很好":
// the service is praised, the wait is not) unless they say it was short or did not happen.
const WAIT_SPEED_TERMS = new Set(['慢', 'slow']);
const PARCEL_TRANSIT = /快递|物流|发货|包裹|运送|shipping|shipped|courier|parcel|package/;
const WAIT_STATED =
  /等了|排了|等很久|很久|好久|太久|半天|久等|迟迟|延误|晚点|占线|拖延|\b(?:waited|waiting|on hold|forever|delayed|took (?:ages|forever|a month|weeks|days|hours))\b/;
const WAIT_SHORT = /不用|无需|没等|不等|不久|很快|及时|马上|立刻|秒回|\b(?:no wait|quick|quickly|fast|promptly|didn't (?:have to )?wait|without waiting)\b/;

const CONTRAST = /\b(?:but|however|although|though|yet)\b|但是|但|不过|可是|却|就是|可惜/gu;

/** Words of a text (Chinese: segmented; other languages: about five characters each) whose plain aspects inherit its opinion. */
const INHERIT_WITHIN = 40;

const CONTRAST_WORD = new Set(['但是', '但', '不过', '可是', '却', '就是', '然而', '可惜', '只是']);

/**
 * `normalized` is the output of normalizeText (lower-cased, simplified); `words` its segmentation
 * when the caller has it (Chinese), which spares a second segmentation per aspect.
 */
export function tagTopics(
  normalized: string,
  language: Language,
  topics: readonly TopicDefinition[] = DEFAULT_TOPICS,
  words?: readonly string[],
  opts: { document?: Sentiment } = {},
): TopicHit[] {
  const segmented = language === 'zh' && words ? clausesFromWords(words) : undefined;
  const clauses = segmented ? segmented.map((c) => c.text) : normalized.split(CLAUSE).filter((c) => c.trim());
  const scored = new Map<string, ReturnType<typeof analyzeSentiment>>();
  const hits: TopicHit[] = [];
  // Every clause is a substring of the whole text (spaces dropped for segmented Chinese, as the
  // segmenter drops them): a term absent from the whole is not looked for clause by clause.
  const whole = segmented && words ? words.join('') : normalized;
  for (const t of compileTopics(topics)) {
    const zhTerms = t.zh.filter((term) => whole.includes(term));
    const res = (language === 'zh' ? [t.zhLatin] : [t.zhLatin, t.en]).filter((re): re is RegExp => !!re && whole.search(re) >= 0);
    if (!zhTerms.length && !res.length) continue;
    const terms = new Set<string>();
    const where = new Set<string>();
    const isWait = t.key === 'waiting_time';
    for (const clause of clauses) {
      const isTransit = isWait && PARCEL_TRANSIT.test(clause);
      for (const term of zhTerms)
        if (clause.includes(term) && !(isTransit && WAIT_SPEED_TERMS.has(term))) {
          terms.add(term);
          where.add(clause);
        }
      for (const re of res)
        for (const m of clause.matchAll(re))
          if (!(isTransit && WAIT_SPEED_TERMS.has(m[0]))) {
            terms.add(m[0]);
            where.add(clause);
          }
    }
    if (!terms.size) continue;
    const hit: TopicHit = { topic: t.key, terms: [...terms] };
    const key = [...where].join('，');
    let s = scored.get(key);
    if (!s) {
      s = analyzeSentiment(
        key,
        language === 'zh' || language === 'en' ? { language, ...(segmented ? { normalized: key, words: wordsOf(segmented, where) } : {}) } : {},
      );
      scored.set(key, s);
    }
    if (s.label !== 'neutral') {
      hit.sentiment = s.label;
      hit.score = Math.round(s.score * 1000) / 1000;
    }
    // The wait's own clauses and the one after each ("等了五分钟就轮到我了，很快").
    if (
      isWait &&
      s.label !== 'negative' &&
      WAIT_STATED.test(key) &&
      !clauses.some((c, i) => (where.has(c) || where.has(clauses[i - 1])) && WAIT_SHORT.test(c))
    ) {
      hit.sentiment = 'negative';
      hit.score = Math.round(Math.min(s.score, -0.5) * 1000) / 1000;
    }
    hits.push(hit);
  }
  // An aspect whose own clause says nothing takes the opinion it sits under: the text's when the text
  // does not turn ("发票开错了三次，太折腾了": the complaint is about the bill), else the main clause's,
  // after the last turn ("退票却要收手续费，太坑了").
  // Only in a message-length text: a long review names its aspects in clauses of their own.
  if (opts.document && opts.document.label !== 'neutral' && (words ? words.length : normalized.length / 5) < INHERIT_WITHIN && hits.some((h) => !h.sentiment)) {
    let main = opts.document;
    if (segmented && words) {
      // The words after the last contrast word, scored without segmenting them again.
      let last = -1;
      for (let i = 0; i < words.length; i++) if (CONTRAST_WORD.has(words[i])) last = i;
      if (last >= 0) {
        const tail = words.slice(last + 1);
        main = analyzeSentiment(tail.join(''), { language, normalized: tail.join(''), words: tail });
      }
    } else {
      let last = -1;
      for (const m of normalized.matchAll(CONTRAST)) last = m.index + m[0].length;
      if (last >= 0) main = analyzeSentiment(normalized.slice(last), language === 'zh' || language === 'en' ? { language } : {});
    }
    if (main.label !== 'neutral')
      for (const h of hits)
        if (!h.sentiment) {
          h.sentiment = main.label;
          h.score = Math.round(main.score * 1000) / 1000;
        }
  }
  return hits;
}
