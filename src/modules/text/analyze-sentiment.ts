// Sentiment of one text: Chinese through the trained model (scripts/train-sentiment.ts), English
// through wink-sentiment (AFINN lexicon with negation and emoji handling, MIT licence). The label is
// neutral when the evidence is weak either way.
import { createRequire } from 'node:module';
import { detectLanguage, type Language } from './detect-language.js';
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { sentimentFeatures } from './sentiment-features.js';
import { loadSentimentModel, scoreFeatures } from './sentiment-model.js';
import { emoticonScore, resolveDoubleNegation } from './sentiment-lexicon.js';

const require = createRequire(import.meta.url);
type WinkSentiment = (text: string) => { score: number; normalizedScore: number };
let wink: WinkSentiment | undefined;
// Loaded on first English text: nothing else needs its lexicon in memory.
const winkSentiment: WinkSentiment = (text) => (wink ??= require('wink-sentiment') as WinkSentiment)(text);

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** From -1 (most negative) to 1 (most positive). */
  score: number;
  /** The model's P(positive) for Chinese; a squashed lexicon score for English. */
  positiveProbability: number;
  language: Language;
}

export interface SentimentOptions {
  language?: Language;
  userWords?: readonly string[];
  /** Already segmented normalised words, to skip a second segmentation. */
  words?: readonly string[];
  normalized?: string;
}

/** |score| below this is neutral: P(positive) between 0.35 and 0.65. */
export const NEUTRAL_BAND = 0.3;

const SHORT_TEXT_LEXICON = 4;

function labelOf(score: number): SentimentLabel {
  return score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
}

export function analyzeSentiment(text: string, opts: SentimentOptions = {}): Sentiment {
  const language = opts.language ?? detectLanguage(text).language;
  if (language === 'zh') {
    const given = opts.normalized ?? normalizeText(text);
    const normalized = resolveDoubleNegation(given);
    const words = opts.words && normalized === given ? opts.words : segmentText(normalized, opts.userWords);
    const f = sentimentFeatures(normalized, words, loadSentimentModel().bits);
    // Short texts give the n-gram model little to go on; the negation-aware lexicon rule counts for
    // more the fewer words there are ("我不是很满意" must not read as 满意).
    const z = scoreFeatures(loadSentimentModel(), f.indices, f.lexicon, f.emoticon) + (SHORT_TEXT_LEXICON * f.lexicon) / (1 + (words.length / 10) ** 2);
    // A short text with no opinion word and no emoticon ("今天下午三点开会") leans on the model's
    // priors alone: halve its confidence so that it lands in the neutral band unless the n-grams are sure.
    const p = 1 / (1 + Math.exp(-(f.lexicon === 0 && f.emoticon === 0 && words.length < 15 ? z / 2 : z)));
    const score = 2 * p - 1;
    return { label: labelOf(score), score, positiveProbability: p, language };
  }
  if (language === 'en' || language === 'und') {
    // normalizedScore is the AFINN sum per scored token (-5..5); Weibo emoticons are added on top.
    const w = winkSentiment(text);
    const z = w.normalizedScore + emoticonScore(text);
    const score = Math.tanh(z / 2);
    return { label: labelOf(score), score, positiveProbability: (score + 1) / 2, language };
  }
  return { label: 'neutral', score: 0, positiveProbability: 0.5, language };
}
