// The per-mention pipeline, pure: language, words (with the tenant's watch-list words in the
// segmenter's dictionary), sentiment, topics and the watch-list angles hit.
import { analyzeText, type TextAnalysis, type TopicDefinition, type TenantTopicModel } from '../text/index.js';
import type { WatchList, WatchHit, Angle } from './watch-list.js';

export interface MentionAnalysis {
  language: string;
  sentiment: TextAnalysis['sentiment'];
  topics: TextAnalysis['topics'];
  hits: WatchHit[];
  angles: Angle[];
  /** About the company itself: a company, brand, product, executive, slogan or IP term was hit. */
  aboutCompany: boolean;
  words: string[];
}

const OWN_ANGLES = new Set<Angle>(['company', 'brand', 'product', 'executive', 'spokesperson', 'slogan', 'ip', 'weakness']);

const combinedWords = new WeakMap<WatchList, { extra: readonly string[]; words: string[] }>();

export function analyzeMention(
  text: string,
  watch: WatchList,
  opts: { topics?: readonly TopicDefinition[]; userWords?: readonly string[]; topicModel?: TenantTopicModel } = {},
): MentionAnalysis {
  // One array per (watch-list, tenant words) pair, so the segmenter for it is found by identity.
  let userWords = watch.userWords;
  if (opts.userWords?.length) {
    let c = combinedWords.get(watch);
    if (!c || c.extra !== opts.userWords) {
      c = { extra: opts.userWords, words: [...watch.userWords, ...opts.userWords] };
      combinedWords.set(watch, c);
    }
    userWords = c.words;
  }
  const a = analyzeText(text, { userWords, topics: opts.topics, topicModel: opts.topicModel });
  const hits = watch.match(text, a.normalized, a.language === 'zh' ? a.words : undefined);
  const angles = [...new Set(hits.map((h) => h.angle))];
  return { language: a.language, sentiment: a.sentiment, topics: a.topics, hits, angles, aboutCompany: angles.some((x) => OWN_ANGLES.has(x)), words: a.words };
}
