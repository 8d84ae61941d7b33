// A tenant's own topic reading on top of the keyword seeds: a linear classifier per corrected topic
// (trained by train-topic-model.ts) that may add a topic the keywords missed, and the exact texts
// people corrected, whose word wins over both.
import { isPunctuation } from './is-punctuation.js';

export interface TopicClassifier {
  bias: number;
  weights: Record<string, number>;
}

export interface TenantTopicModel {
  /** One classifier per topic that people corrected. */
  topics: Record<string, TopicClassifier>;
  /** Corrections by normalised text: topic -> true (about it) or false (not about it). */
  exact: Record<string, Record<string, boolean>>;
}

/** Probability a classifier must reach to add a topic: above even odds, so a stray shared word is not enough. */
export const ADD_THRESHOLD = 0.6;

const MAX_KEY = 2000;

/** The key a correction is stored and looked up by: the normalised text, trimmed and capped. */
export function correctionKey(normalized: string): string {
  return normalized.trim().replace(/\s+/g, ' ').slice(0, MAX_KEY);
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Features of a text: its words (segmented for Chinese), and the character pairs inside Chinese words
 * and across neighbouring words, because the same complaint is segmented differently from one
 * wording to the next ("回电" / "回电话").
 */
export function topicFeatures(words: readonly string[]): string[] {
  const out = new Set<string>();
  let prev = '';
  for (const raw of words) {
    const w = raw.trim().toLowerCase();
    if (!w || isPunctuation(w)) {
      prev = '';
      continue;
    }
    out.add(w);
    const chars = prev + w;
    if (CJK.test(w))
      for (let i = Math.max(0, prev.length - 1); i + 1 < chars.length; i++)
        if (CJK.test(chars[i]) && CJK.test(chars[i + 1])) out.add(`~${chars[i]}${chars[i + 1]}`);
    prev = CJK.test(w) ? w : '';
  }
  return [...out];
}

export function scoreTopic(c: TopicClassifier, features: readonly string[]): number {
  let z = c.bias;
  for (const f of features) z += c.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/**
 * The topics the tenant's model changes for a text whose keyword topics are `found`: topics to add
 * (the classifier above the threshold, or a correction saying so) and topics to drop (a correction).
 */
export function classifyTopics(
  model: TenantTopicModel,
  key: string,
  words: readonly string[],
  found: ReadonlySet<string>,
): { add: string[]; remove: string[] } {
  const exact = model.exact[key];
  const add: string[] = [];
  const remove: string[] = [];
  let features: string[] | undefined;
  for (const [topic, c] of Object.entries(model.topics)) {
    if (found.has(topic) || exact?.[topic] !== undefined) continue;
    features ??= topicFeatures(words);
    if (scoreTopic(c, features) >= ADD_THRESHOLD) add.push(topic);
  }
  if (exact)
    for (const [topic, isAbout] of Object.entries(exact)) {
      if (isAbout && !found.has(topic)) add.push(topic);
      if (!isAbout && found.has(topic)) remove.push(topic);
    }
  return { add, remove };
}
