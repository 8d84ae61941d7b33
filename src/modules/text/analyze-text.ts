// Everything the text library knows about one text, in one pass over it: the language, the words,
// the sentiment and the topics. Tenants pass their own words (brands, products) and topics.
import { detectLanguage, type DetectedLanguage } from './detect-language.js';
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { analyzeSentiment, type Sentiment, type SentimentLabel } from './analyze-sentiment.js';
import { tagTopics, DEFAULT_TOPICS, type TopicDefinition, type TopicHit } from './tag-topics.js';

export interface TextAnalysis extends DetectedLanguage {
  normalized: string;
  /** Segmented words of the normalised text (Chinese); whitespace-split words otherwise. */
  words: string[];
  sentiment: Sentiment;
  topics: TopicHit[];
  /** Polarity of each topic found, by topic key: neutral when the topic is named without an opinion. */
  aspects: Record<string, SentimentLabel>;
}

export interface AnalyzeOptions { userWords?: readonly string[]; topics?: readonly TopicDefinition[] }

export function analyzeText(text: string, opts: AnalyzeOptions = {}): TextAnalysis {
  const lang = detectLanguage(text);
  const normalized = normalizeText(text);
  const words = lang.language === 'zh' ? segmentText(normalized, opts.userWords) : normalized.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const sentiment = analyzeSentiment(text, { language: lang.language, normalized, words: lang.language === 'zh' ? words : undefined });
  const topics = tagTopics(normalized, lang.language, opts.topics ?? DEFAULT_TOPICS, lang.language === 'zh' ? words : undefined, { document: sentiment });
  return { ...lang, normalized, words, sentiment, topics, aspects: Object.fromEntries(topics.map((t) => [t.topic, t.sentiment ?? 'neutral'])) };
}
