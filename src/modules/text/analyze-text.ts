// Everything the text library knows about one text, in one pass over it: the language, the words,
// the sentiment and the topics. Tenants pass their own words (brands, products) and topics.
import { detectLanguage, type DetectedLanguage } from './detect-language.js';
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { analyzeSentiment, type Sentiment, type SentimentLabel } from './analyze-sentiment.js';
import { DEFAULT_TOPICS, type TopicDefinition } from './default-topics.js';
import { tagTopics, type TopicHit } from './tag-topics.js';
import { classifyTopics, correctionKey, type TenantTopicModel } from './classify-topics.js';

export interface TextAnalysis extends DetectedLanguage {
  normalized: string;
  /** Segmented words of the normalised text (Chinese); whitespace-split words otherwise. */
  words: string[];
  sentiment: Sentiment;
  topics: TopicHit[];
  /** Polarity of each topic found, by topic key: neutral when the topic is named without an opinion. */
  aspects: Record<string, SentimentLabel>;
}

export interface AnalyzeOptions {
  userWords?: readonly string[];
  topics?: readonly TopicDefinition[];
  /** The tenant's model learned from its topic corrections: it adds topics the keywords miss and applies exact-text corrections. */
  topicModel?: TenantTopicModel;
}

export function analyzeText(text: string, opts: AnalyzeOptions = {}): TextAnalysis {
  const lang = detectLanguage(text);
  const normalized = normalizeText(text);
  const words = lang.language === 'zh' ? segmentText(normalized, opts.userWords) : normalized.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const sentiment = analyzeSentiment(text, { language: lang.language, normalized, words: lang.language === 'zh' ? words : undefined });
  let topics = tagTopics(normalized, lang.language, opts.topics ?? DEFAULT_TOPICS, lang.language === 'zh' ? words : undefined, { document: sentiment });
  if (opts.topicModel) topics = applyTopicModel(opts.topicModel, normalized, words, topics, sentiment);
  return { ...lang, normalized, words, sentiment, topics, aspects: Object.fromEntries(topics.map((t) => [t.topic, t.sentiment ?? 'neutral'])) };
}

/** A topic the model adds has no clause of its own to score: it takes the text's opinion. */
function applyTopicModel(model: TenantTopicModel, normalized: string, words: string[], topics: TopicHit[], sentiment: Sentiment): TopicHit[] {
  const { add, remove } = classifyTopics(model, correctionKey(normalized), words, new Set(topics.map((t) => t.topic)));
  if (!add.length && !remove.length) return topics;
  const opinion = sentiment.label === 'neutral' ? {} : { sentiment: sentiment.label, score: Math.round(sentiment.score * 1000) / 1000 };
  return [...topics.filter((t) => !remove.includes(t.topic)), ...add.map((topic) => ({ topic, terms: [], ...opinion }))];
}
