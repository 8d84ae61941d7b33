// Sentiment of one text in three classes. Polarity: Chinese through the trained model
// (scripts/train-sentiment.ts), English through wink-sentiment (AFINN lexicon with negation and emoji
// handling, MIT licence), each scored clause by clause where the text turns ("物流慢但是客服很耐心": the
// clause after 但是 weighs double, a 虽然 concession half). Whether there is an opinion at all is a
// separate question (opinion-evidence.ts): a question or an announcement is neutral, not negative.
import { createRequire } from 'node:module';
import { detectLanguage, type Language } from './detect-language.js';
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { sentimentFeatures } from './sentiment-features.js';
import { loadSentimentModel, scoreFeatures } from './sentiment-model.js';
import { emoticonScore, resolveDoubleNegation } from './sentiment-lexicon.js';
import { opinionEvidenceEn, opinionEvidenceZh, neutralProbability } from './opinion-evidence.js';
import { splitContrastEn, splitContrastZh } from './split-clauses.js';

const require = createRequire(import.meta.url);
type WinkSentiment = (text: string) => { score: number; normalizedScore: number; tokenizedPhrase: { value: string; score?: number }[] };
let wink: WinkSentiment | undefined;
// Loaded on first English text: nothing else needs its lexicon in memory.
const winkSentiment: WinkSentiment = (text) => (wink ??= require('wink-sentiment') as WinkSentiment)(text);

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Sentiment {
  label: SentimentLabel;
  /** From -1 (most negative) to 1 (most positive): P(positive) − P(negative). */
  score: number;
  /** Polarity alone, as if every text held an opinion: the model's P(positive) for Chinese, a squashed lexicon score for English. */
  positiveProbability: number;
  /** The three classes' probabilities; the label is the most probable. */
  probabilities: Record<SentimentLabel, number>;
  language: Language;
}

export interface SentimentOptions {
  language?: Language;
  userWords?: readonly string[];
  /** Already segmented normalised words, to skip a second segmentation. */
  words?: readonly string[];
  normalized?: string;
}

const SHORT_TEXT_LEXICON = 4;

/**
 * Texts shorter than this (in words) take their polarity mostly from their clauses, the whole text
 * keeping WHOLE_TEXT_SHARE of the logit. Both chosen on the development set and the ChnSentiCorp
 * development split: longer, or all clause-scored, costs review accuracy.
 */
const CLAUSE_SCORED_WORDS = 25;
const WHOLE_TEXT_SHARE = 0.3;

// English opinion words AFINN lacks or underrates in customer messages.
const EXTRA_EN: ReadonlyMap<string, number> = new Map([
  ['overpriced', -2],
  ['crash', -2],
  ['crashes', -2],
  ['crashing', -2],
  ['crashed', -2],
  ['forever', -1.5],
  ['rubbish', -3],
  ['flimsy', -2],
  ['spotless', 2],
  ['late', -1.5],
  ['damaged', -2],
  ['broke', -2],
  ['broken', -2],
  ['dirty', -1],
  ['unfriendly', -2],
  ['slow', -1.5],
  ['nobody', -1.5],
  ['delayed', -1.5],
  ['soaked', -1.5],
  ['wrong', -1.5],
  ['cold', -1],
  ['early', 1],
  ['attentive', 2],
  ['affordable', 1.5],
  ['packed', 0.5],
  ['rude', -1],
  ['patient', 2],
  // Speed is praise in a customer's words ("delivery was quick"); AFINN scores none of these.
  ['quick', 1.5],
  ['quickly', 1.5],
  ['fast', 1.5],
  ['prompt', 1.5],
  ['promptly', 1.5],
  ['speedy', 1.5],
  ['swift', 1.5],
]);

function classes(p: number, pNeutral: number, language: Language): Sentiment {
  const probabilities = { negative: (1 - pNeutral) * (1 - p), neutral: pNeutral, positive: (1 - pNeutral) * p };
  const label: SentimentLabel =
    probabilities.neutral >= probabilities.positive && probabilities.neutral >= probabilities.negative ? 'neutral' : p >= 0.5 ? 'positive' : 'negative';
  return { label, score: probabilities.positive - probabilities.negative, positiveProbability: p, probabilities, language };
}

function weightedMean(parts: { z: number; weight: number }[]): number {
  let s = 0,
    w = 0;
  for (const x of parts) {
    s += x.z * x.weight;
    w += x.weight;
  }
  return w ? s / w : 0;
}

// Customer-service complaint and praise words the review lexicon lacks (reviews rarely time out or
// call back), added to the logit of short texts only, where they decide; long reviews keep the model.
const EXTRA_ZH: ReadonlyMap<string, number> = new Map([
  ['超时', -2],
  ['闪退', -2],
  ['没人理', -2],
  ['没人管', -2],
  ['没动静', -1.5],
  ['太晚', -1.5],
  ['偏小', -1],
  ['偏大', -1],
  ['偏高', -1],
  ['过分', -2],
  ['夸张', -1.5],
  ['透顶', -2],
  ['联系不上', -2],
  ['占线', -1.5],
  ['没到账', -1.5],
  ['一直没', -1.5],
  ['还没', -1],
  ['清零', -1.5],
  ['多扣', -2],
  ['乱扣', -2],
  ['暖心', 2],
  ['诚意', 1.5],
  ['可爱', 1.5],
  ['客气', 1.5],
  ['公道', 1.5],
  ['到位', 1.5],
  ['对得起', 1.5],
  ['顺畅', 1.5],
  ['搞定', 1],
  ['清楚', 1],
]);

function logitZh(text: string, words: readonly string[]): { z: number; emoticon: number } {
  const model = loadSentimentModel();
  const f = sentimentFeatures(text, words, model.bits);
  // Short texts give the n-gram model little to go on; the negation-aware lexicon rule counts for
  // more the fewer words there are ("我不是很满意" must not read as 满意).
  const z = scoreFeatures(model, f.indices, f.lexicon, f.emoticon) + (SHORT_TEXT_LEXICON * f.lexicon) / (1 + (words.length / 10) ** 2);
  // A short text with no opinion word and no emoticon leans on the model's priors alone: halve it.
  let extra = 0;
  if (words.length < CLAUSE_SCORED_WORDS) {
    // As substrings: jieba cuts these terms unpredictably.
    for (const [w, v] of EXTRA_ZH) if (text.includes(w)) extra += v;
  }
  return { z: (f.lexicon === 0 && f.emoticon === 0 && words.length < 15 ? z / 2 : z) + extra, emoticon: f.emoticon };
}

function logitEn(text: string): { z: number; tokens: { value: string; score?: number }[] } {
  // normalizedScore is the AFINN sum per scored token (-5..5); Weibo emoticons are added on top.
  const w = winkSentiment(text);
  let extra = 0;
  // wink gives an empty text no tokens at all.
  const tokens = w.tokenizedPhrase ?? [];
  for (const t of tokens) extra += EXTRA_EN.get(t.value.toLowerCase()) ?? 0;
  return { z: (w.normalizedScore || 0) + extra + emoticonScore(text), tokens };
}

export function analyzeSentiment(text: string, opts: SentimentOptions = {}): Sentiment {
  const language = opts.language ?? detectLanguage(text).language;
  if (language === 'zh') {
    const given = opts.normalized ?? normalizeText(text);
    const normalized = resolveDoubleNegation(given);
    const words = opts.words && normalized === given ? opts.words : segmentText(normalized, opts.userWords);
    const whole = logitZh(normalized, words);
    let z = whole.z;
    // A long review's n-grams already weigh its turns (the model learnt 但是 from reviews); a short
    // message is read clause by clause.
    const parts = words.length < CLAUSE_SCORED_WORDS ? splitContrastZh(words) : [];
    if (parts.length > 1)
      z = WHOLE_TEXT_SHARE * z + (1 - WHOLE_TEXT_SHARE) * weightedMean(parts.map((x) => ({ z: logitZh(x.part.join(''), x.part).z, weight: x.weight })));
    const e = opinionEvidenceZh(normalized, words, whole.emoticon);
    return classes(1 / (1 + Math.exp(-z)), neutralProbability(e, Math.abs(z), words.length), language);
  }
  if (language === 'en' || language === 'und') {
    const whole = logitEn(text);
    const parts = splitContrastEn(text);
    const z = parts.length > 1 ? weightedMean(parts.map((x) => ({ z: logitEn(x.part).z, weight: x.weight }))) : whole.z;
    const e = opinionEvidenceEn(text, whole.tokens, emoticonScore(text));
    return classes(1 / (1 + Math.exp(-z)), neutralProbability(e, Math.abs(z), whole.tokens.length), language);
  }
  return { label: 'neutral', score: 0, positiveProbability: 0.5, probabilities: { negative: 0, neutral: 1, positive: 0 }, language };
}
