// Text understanding for every module: language, Chinese segmentation, sentiment, topics, keywords.
// A pure library: no database, no HTTP.
export { detectLanguage, type Language, type DetectedLanguage } from './detect-language.js';
export { normalizeText } from './normalize-text.js';
export { segmentText } from './segment-text.js';
export { analyzeSentiment, type Sentiment, type SentimentLabel, type SentimentOptions } from './analyze-sentiment.js';
