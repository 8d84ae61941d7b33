// Three-class and per-topic figures of analyzeText on the committed development set
// (src/modules/text/dev-set/dev.jsonl): the set chooses and tests the models, it never trains them.
import fs from 'node:fs';
import { analyzeText, DEFAULT_TOPICS, type SentimentLabel } from '../src/modules/text/index.js';

export interface DevExample {
  text: string;
  label: SentimentLabel;
  topics: Record<string, SentimentLabel>;
  style: string;
}

export const DEV_SET_URL = new URL('../src/modules/text/dev-set/dev.jsonl', import.meta.url);

export function loadDevSet(): DevExample[] {
  return fs
    .readFileSync(DEV_SET_URL, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DevExample);
}

export interface TopicFigures {
  topic: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
  polarityAccuracy: number;
  /** The topic found with its gold polarity: a topic found with the wrong one is both a false positive and a miss. */
  aspect: { precision: number; recall: number; f1: number };
}
export interface DevEval {
  n: number;
  accuracy: number;
  neutralRecall: number;
  macroF1: number;
  perClass: Record<SentimentLabel, { precision: number; recall: number; f1: number }>;
  topics: TopicFigures[];
  topicMacroF1: number;
  aspectMicro: { precision: number; recall: number; f1: number };
  errors: { text: string; gold: SentimentLabel; pred: SentimentLabel }[];
  topicErrors: { text: string; gold: string; pred: string }[];
}

const LABELS: SentimentLabel[] = ['negative', 'neutral', 'positive'];

function prf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp / (tp + fp || 1),
    recall = tp / (tp + fn || 1);
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

export function evaluateDevSet(examples = loadDevSet()): DevEval {
  const pred = examples.map((e) => analyzeText(e.text));
  let ok = 0;
  const perClass = {} as DevEval['perClass'];
  for (const c of LABELS) {
    let tp = 0,
      fp = 0,
      fn = 0;
    examples.forEach((e, i) => {
      const p = pred[i].sentiment.label;
      if (p === c && e.label === c) tp++;
      else if (p === c) fp++;
      else if (e.label === c) fn++;
    });
    perClass[c] = prf(tp, fp, fn);
  }
  examples.forEach((e, i) => {
    if (pred[i].sentiment.label === e.label) ok++;
  });
  // A topic is found when analyzeText names it; its polarity is right when the topic's label matches
  // the gold one (a topic without a sentiment of its own counts as neutral).
  const aspectCounts = { tp: 0, fp: 0, fn: 0 };
  const topics: TopicFigures[] = DEFAULT_TOPICS.map((t) => {
    let tp = 0,
      fp = 0,
      fn = 0,
      polOk = 0;
    examples.forEach((e, i) => {
      const hit = pred[i].topics.find((h) => h.topic === t.key);
      const gold = e.topics[t.key];
      if (hit && gold) {
        tp++;
        if ((hit.sentiment ?? 'neutral') === gold) polOk++;
      } else if (hit) fp++;
      else if (gold) fn++;
    });
    aspectCounts.tp += polOk;
    aspectCounts.fp += fp + tp - polOk;
    aspectCounts.fn += fn + tp - polOk;
    return { topic: t.key, support: tp + fn, ...prf(tp, fp, fn), polarityAccuracy: tp ? polOk / tp : 0, aspect: prf(polOk, fp + tp - polOk, fn + tp - polOk) };
  });
  return {
    n: examples.length,
    accuracy: ok / examples.length,
    neutralRecall: perClass.neutral.recall,
    macroF1: LABELS.reduce((s, c) => s + perClass[c].f1, 0) / LABELS.length,
    perClass,
    topics,
    topicMacroF1: topics.reduce((s, t) => s + t.f1, 0) / topics.length,
    aspectMicro: prf(aspectCounts.tp, aspectCounts.fp, aspectCounts.fn),
    topicErrors: examples.flatMap((e, i) => {
      const gold = Object.entries(e.topics)
        .map(([k, v]) => `${k}:${v}`)
        .sort()
        .join(' ');
      const got = pred[i].topics
        .map((h) => `${h.topic}:${h.sentiment ?? 'neutral'}`)
        .sort()
        .join(' ');
      return gold === got ? [] : [{ text: e.text, gold: `{${gold}}`, pred: `{${got}}` }];
    }),
    errors: examples.flatMap((e, i) => (pred[i].sentiment.label === e.label ? [] : [{ text: e.text, gold: e.label, pred: pred[i].sentiment.label }])),
  };
}
