// Text understanding for every module: language, Chinese segmentation, sentiment, topics, keywords.
// A pure library without a database; its one HTTP route analyses texts for API clients.
export { detectLanguage, type Language, type DetectedLanguage } from './detect-language.js';
export { normalizeText } from './normalize-text.js';
export { segmentText, segmentForSearch } from './segment-text.js';
export { analyzeSentiment, type Sentiment, type SentimentLabel, type SentimentOptions } from './analyze-sentiment.js';
export { tagTopics, type TopicHit } from './tag-topics.js';
export { DEFAULT_TOPICS, type TopicDefinition } from './default-topics.js';
export { mergeTopics } from './merge-topics.js';
export { extractKeywords, summarizeTexts, type Keyword, type TextSetSummary } from './extract-keywords.js';
export { analyzeText, type TextAnalysis, type AnalyzeOptions } from './analyze-text.js';
export { streamSentiment, streamAnalysis } from './stream-sentiment.js';
export { describeText, type TextDescription } from './describe-text.js';
export { textRoutes } from './routes.js';
export type { TenantTopicModel } from './classify-topics.js';
export { trainTopicModel, type TopicCorrection } from './train-topic-model.js';
export { TopicCorrectionInput, type TopicsCorrected } from './record-topic-corrections.js';
export { applyTopicCorrection, publishTopicsCorrected, type TopicChange } from './correct-topics.js';
export { createTextService, type TextService } from './text-service.js';
// The sentiment model's features and encoding: scripts/train-sentiment.ts trains it, scripts/eval-sentiment.ts scores it.
export { sentimentFeatures, FEATURE_BITS, type SentimentFeatures } from './sentiment-features.js';
export { resolveDoubleNegation } from './sentiment-lexicon.js';
export { encodeModel, MODEL_URL } from './sentiment-model.js';
