// One text as the text service answers it (`POST /v1/text/analyze`, `rapport text analyze`): the same
// analysis mentions and survey comments get, plus the text's own keywords, in a JSON-ready shape.
import { analyzeText, type AnalyzeOptions } from './analyze-text.js';
import { extractKeywords } from './extract-keywords.js';
import { DEFAULT_TOPICS } from './default-topics.js';
import type { Language } from './detect-language.js';
import type { SentimentLabel } from './analyze-sentiment.js';

export interface TextDescription {
  language: Language;
  script?: 'simplified' | 'traditional';
  sentiment: { label: SentimentLabel; score: number };
  /** Each topic named, with the polarity of the clauses naming it when they carry one. */
  topics: { topic: string; name: string; terms: string[]; sentiment: SentimentLabel | null; score: number | null }[];
  keywords: { term: string; weight: number }[];
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function describeText(text: string, opts: AnalyzeOptions & { keywords?: number } = {}): TextDescription {
  const a = analyzeText(text, opts);
  const topics = opts.topics ?? DEFAULT_TOPICS;
  const nameOf = (key: string) => {
    const def = topics.find((t) => t.key === key);
    return def ? (a.language === 'zh' ? def.name.zh : def.name.en) : key;
  };
  return {
    language: a.language,
    ...(a.script ? { script: a.script } : {}),
    sentiment: { label: a.sentiment.label, score: round(a.sentiment.score) },
    topics: a.topics.map((t) => ({
      topic: t.topic,
      name: nameOf(t.topic),
      terms: t.terms,
      sentiment: t.sentiment ?? null,
      score: t.score === undefined ? null : round(t.score),
    })),
    keywords: extractKeywords([text], { top: opts.keywords ?? 5, userWords: opts.userWords }).map((k) => ({ term: k.term, weight: k.weight })),
  };
}
