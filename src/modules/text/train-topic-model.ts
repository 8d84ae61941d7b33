// Training a tenant's topic model from what people corrected, with the keyword seeds as prior
// examples: one L2-regularised logistic regression per corrected topic, by full-batch gradient
// descent (a few hundred examples train in milliseconds; no dependency needed).
import { normalizeText } from './normalize-text.js';
import { segmentText } from './segment-text.js';
import { DEFAULT_TOPICS, type TopicDefinition } from './default-topics.js';
import { correctionKey, topicFeatures, type TenantTopicModel, type TopicClassifier } from './classify-topics.js';

export interface TopicCorrection {
  text: string;
  topic: string;
  label: boolean;
}

interface Example {
  features: string[];
  y: 0 | 1;
  weight: number;
}

const EPOCHS = 300;
const LEARNING_RATE = 0.5;
const L2 = 0.01;
/** A keyword seed is one word, not a customer's text: it counts for less than a person's correction. */
const SEED_WEIGHT = 0.2;
/** A text corrected to another topic is probably not about this one; "probably" is worth half. */
const OTHER_TOPIC_WEIGHT = 0.5;
const MIN_WEIGHT = 0.01;
const MAX_EXACT = 5000;

function featuresOf(text: string): string[] {
  const normalized = normalizeText(text);
  return topicFeatures(/[\u3400-\u9fff]/.test(normalized) ? segmentText(normalized) : normalized.split(/[^\p{L}\p{N}']+/u));
}

function fit(examples: Example[]): TopicClassifier {
  const index = new Map<string, number>();
  const rows = examples.map((e) =>
    e.features.map((f) => {
      let i = index.get(f);
      if (i === undefined) index.set(f, (i = index.size));
      return i;
    }),
  );
  const w = new Float64Array(index.size);
  let bias = 0;
  const total = examples.reduce((s, e) => s + e.weight, 0);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const grad = new Float64Array(index.size);
    let gb = 0;
    for (let k = 0; k < examples.length; k++) {
      let z = bias;
      for (const i of rows[k]) z += w[i];
      const err = (1 / (1 + Math.exp(-z)) - examples[k].y) * examples[k].weight;
      gb += err;
      for (const i of rows[k]) grad[i] += err;
    }
    bias -= (LEARNING_RATE * gb) / total;
    for (let i = 0; i < w.length; i++) w[i] -= LEARNING_RATE * (grad[i] / total + L2 * w[i]);
  }
  const weights: Record<string, number> = {};
  for (const [f, i] of index) if (Math.abs(w[i]) >= MIN_WEIGHT) weights[f] = Math.round(w[i] * 1e4) / 1e4;
  return { bias: Math.round(bias * 1e4) / 1e4, weights };
}

/**
 * Both sides weigh the same in total: a few corrections against hundreds of seeds of other topics
 * would otherwise teach the model that nothing is ever about the new topic.
 */
function balance(examples: Example[]): Example[] {
  const pos = examples.reduce((s, e) => s + (e.y ? e.weight : 0), 0);
  const neg = examples.reduce((s, e) => s + (e.y ? 0 : e.weight), 0);
  if (!pos || !neg) return examples;
  return examples.map((e) => (e.y ? { ...e, weight: (e.weight * neg) / pos } : e));
}

/**
 * `corrections` newest last: for the exact-text lookup the latest word on a (text, topic) wins. A
 * topic gets a classifier once someone said a text is about it; the seeds of every topic are the
 * examples against the others.
 */
export function trainTopicModel(corrections: readonly TopicCorrection[], seeds: readonly TopicDefinition[] = DEFAULT_TOPICS): TenantTopicModel {
  const exact: TenantTopicModel['exact'] = {};
  for (const c of corrections) (exact[correctionKey(normalizeText(c.text))] ??= {})[c.topic] = c.label;
  const keys = Object.keys(exact);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_EXACT))) delete exact[k];

  const texts = new Map<string, string[]>();
  const featuresFor = (text: string) => {
    let f = texts.get(text);
    if (!f) texts.set(text, (f = featuresOf(text)));
    return f;
  };
  const seedExamples = seeds.flatMap((t) => [...t.zh, ...t.en].map((term) => ({ topic: t.key, features: featuresOf(term) })));
  const topics: TenantTopicModel['topics'] = {};
  for (const topic of new Set(corrections.filter((c) => c.label).map((c) => c.topic))) {
    const about = new Set(corrections.filter((c) => c.topic === topic && c.label).map((c) => c.text));
    const examples: Example[] = [];
    for (const s of seedExamples) examples.push({ features: s.features, y: s.topic === topic ? 1 : 0, weight: SEED_WEIGHT });
    for (const c of corrections) {
      if (c.topic === topic) examples.push({ features: featuresFor(c.text), y: c.label ? 1 : 0, weight: 1 });
      else if (c.label && !about.has(c.text)) examples.push({ features: featuresFor(c.text), y: 0, weight: OTHER_TOPIC_WEIGHT });
    }
    // biome-ignore lint/suspicious/noFocusedTests: fit() trains the model here; it is not a test runner's focused test
    topics[topic] = fit(balance(examples.filter((e) => e.features.length)));
  }
  return { topics, exact };
}
