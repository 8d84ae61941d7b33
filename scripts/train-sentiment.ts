// Trains the Chinese sentiment model: `npm run train:sentiment`. Logistic regression with NB-scaled
// hashed features (NB-SVM in its logistic form, Wang & Manning 2012), Adagrad, fixed seed, so the
// committed model file is reproduced byte for byte. Hyper-parameters are chosen on a held-out slice
// of the training data; the ChnSentiCorp development split is never seen here.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  normalizeText,
  segmentText,
  sentimentFeatures,
  FEATURE_BITS,
  resolveDoubleNegation,
  encodeModel,
  MODEL_URL,
  type SentimentFeatures,
} from '../src/modules/text/index.js';
import { loadTraining } from './sentiment-data.js';

const SEED = 20260101;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Doc extends SentimentFeatures {
  y: 0 | 1;
  source: string;
}

interface Hyper {
  epochs: number;
  lr: number;
  l2: number;
  nbAlpha: number;
  nbBeta: number;
}

interface Trained {
  w: Float64Array;
  bias: number;
  lexW: number;
  emoW: number;
}

/** NB log-count ratio per bucket (binary features), 1 where NB weighting is off. */
function nbRatios(docs: Doc[], size: number, alpha: number, beta: number): Float64Array {
  const p = new Float64Array(size).fill(alpha);
  const q = new Float64Array(size).fill(alpha);
  for (const d of docs) {
    const t = d.y ? p : q;
    for (const i of d.indices) t[i] += 1;
  }
  let ps = 0,
    qs = 0;
  for (let i = 0; i < size; i++) {
    ps += p[i];
    qs += q[i];
  }
  const r = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const nb = Math.log(p[i] / ps) - Math.log(q[i] / qs);
    // Interpolate between plain features (1) and NB-scaled magnitude (beta = 1 is full NB).
    r[i] = 1 - beta + beta * Math.abs(nb);
  }
  return r;
}

function train(docs: Doc[], size: number, h: Hyper, seed: number): Trained {
  const r = nbRatios(docs, size, h.nbAlpha, h.nbBeta);
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  let bias = 0,
    lexW = 0,
    emoW = 0,
    gb = 1e-8,
    gl = 1e-8,
    ge = 1e-8;
  const order = docs.map((_, i) => i);
  const rand = mulberry32(seed);
  for (let epoch = 0; epoch < h.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const d = docs[k];
      const norm = d.indices.length ? 1 / Math.sqrt(d.indices.length) : 0;
      let z = bias + lexW * d.lexicon + emoW * d.emoticon;
      for (const i of d.indices) z += w[i] * r[i] * norm;
      const p = 1 / (1 + Math.exp(-z));
      const g = p - d.y;
      for (const i of d.indices) {
        const gi = g * r[i] * norm + h.l2 * w[i];
        g2[i] += gi * gi;
        w[i] -= (h.lr * gi) / Math.sqrt(g2[i]);
      }
      gb += g * g;
      bias -= (h.lr * g) / Math.sqrt(gb);
      const glx = g * d.lexicon;
      gl += glx * glx;
      lexW -= (h.lr * glx) / Math.sqrt(gl);
      const gex = g * d.emoticon;
      ge += gex * gex;
      emoW -= (h.lr * gex) / Math.sqrt(ge);
    }
  }
  // Fold the NB ratios into the weights: inference needs one weight per bucket.
  for (let i = 0; i < size; i++) w[i] *= r[i];
  return { w, bias, lexW, emoW };
}

function quantise(w: Float64Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (const x of w) max = Math.max(max, Math.abs(x));
  // Clip the rare extreme weights at the 99.99th percentile: int8 resolution goes to the bulk.
  const abs = Float64Array.from(w, Math.abs).sort();
  const clip = Math.min(max, abs[Math.floor(abs.length * 0.9999)] || max) || 1;
  const scale = clip / 127;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale)));
  return { q, scale };
}

function accuracy(docs: Doc[], m: Trained, quant?: { q: Int8Array; scale: number }): number {
  let ok = 0;
  for (const d of docs) {
    const norm = d.indices.length ? 1 / Math.sqrt(d.indices.length) : 0;
    let s = 0;
    for (const i of d.indices) s += quant ? quant.q[i] * quant.scale : m.w[i];
    const z = m.bias + s * norm + m.lexW * d.lexicon + m.emoW * d.emoticon;
    if ((z >= 0 ? 1 : 0) === d.y) ok++;
  }
  return ok / docs.length;
}

function featurise(text: string): SentimentFeatures {
  const n = resolveDoubleNegation(normalizeText(text));
  return sentimentFeatures(n, segmentText(n), FEATURE_BITS);
}

function main(): void {
  const t0 = Date.now();
  const { examples, droppedAsDevelopment, droppedAsRepeat } = loadTraining(normalizeText);
  console.log(`training examples: ${examples.length} (dropped ${droppedAsDevelopment} repeating the development split, ${droppedAsRepeat} repeats)`);
  const docs: Doc[] = examples.map((e) => ({ ...featurise(e.text), y: e.label, source: e.source }));
  console.log(`featurised in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const size = 1 << FEATURE_BITS;

  // Held-out slice for choosing hyper-parameters: 15% of the ChnSentiCorp training reviews.
  const rand = mulberry32(SEED);
  const heldOut: Doc[] = [];
  const fit: Doc[] = [];
  for (const d of docs) (d.source === 'chnsenticorp-train' && rand() < 0.15 ? heldOut : fit).push(d);

  // Two logistic regressions over the same features, summed into one weight vector: one on the
  // ChnSentiCorp reviews alone (on-domain, the stronger of the two on held-out reviews), one on every
  // source (delivery, shopping, food: the vocabulary of customer-experience texts), weighted `broad`,
  // which is chosen here on the held-out reviews. Epochs, learning rate, L2 and the NB smoothing were
  // chosen on the same held-out slice: 4 epochs (8 and 16 overfit the hashed n-grams by 0.2-0.5 points);
  // lr 0.5, no L2, L2 3e-5 and NB alpha 0.5 did no better. 2^21 buckets gained 0.2 points there but
  // not on the development sets, for twice the file: the model stays at 2^20.
  // Also tried, each against this model on the ChnSentiCorp development split (1,125 of 1,200 right)
  // and Rapport's own development set, none kept: character 4-grams (1,119-1,125), word trigrams
  // (1,116-1,123), the words after the last 但是/不过 hashed apart (1,122-1,126), the hotel, book,
  // computer and tablet reviews of online-shopping in the on-domain model (1,105-1,117), the
  // training split with its 1,367 repeated reviews kept (1,120-1,124), averaged weights, three seeds
  // averaged, class-balanced loss, NB alpha 0.5, broad 0.3-1.2 (1,114-1,126); a third member, a
  // squared-hinge model on the reviews (NB-SVM proper), reached 1,128 at weight 0.5 but lost one
  // message on the own set and gained nothing on the held-out slice (1,163 against 1,164 of 1,267).
  // Differences of three reviews are within the split's noise (a standard error of 0.7 points).
  const h: Hyper = { epochs: 4, lr: 0.2, l2: 1e-5, nbAlpha: 1, nbBeta: 1 };
  const onDomain = (set: Doc[]) => set.filter((d) => d.source === 'chnsenticorp-train');
  const combine = (a: Trained, b: Trained, broad: number): Trained => ({
    w: a.w.map((x, i) => x + broad * b.w[i]),
    bias: a.bias + broad * b.bias,
    lexW: a.lexW + broad * b.lexW,
    emoW: a.emoW + broad * b.emoW,
  });
  const heldA = train(onDomain(fit), size, h, SEED);
  const heldB = train(fit, size, h, SEED);
  const grid = [0.1, 0.2, 0.3, 0.5, 0.8];
  const scores = grid.map((b) => accuracy(heldOut, combine(heldA, heldB, b)));
  const broad = grid[scores.indexOf(Math.max(...scores))];
  console.log(
    `held-out accuracy (${heldOut.length} ChnSentiCorp training reviews): on-domain ${accuracy(heldOut, heldA).toFixed(4)}, all sources ${accuracy(heldOut, heldB).toFixed(4)}, combined ${grid.map((b, i) => `${b}: ${scores[i].toFixed(4)}`).join(', ')}; broad = ${broad}`,
  );
  const m = combine(train(onDomain(docs), size, h, SEED), train(docs, size, h, SEED), broad);
  const quant = quantise(m.w);
  console.log(`final: ${JSON.stringify(h)}; training accuracy float ${accuracy(docs, m).toFixed(4)}, int8 ${accuracy(docs, m, quant).toFixed(4)}`);
  const trainedOn: Record<string, number> = {};
  for (const d of docs) {
    const s = d.source.split(':')[0];
    trainedOn[s] = (trainedOn[s] ?? 0) + 1;
  }
  const file = fileURLToPath(MODEL_URL);
  fs.writeFileSync(
    file,
    encodeModel(
      { bits: FEATURE_BITS, scale: quant.scale, bias: m.bias, lexiconWeight: m.lexW, emoticonWeight: m.emoW, trainedOn, seed: SEED, hyper: { ...h, broad } },
      quant.q,
    ),
  );
  console.log(`wrote ${file} (${(fs.statSync(file).size / 1024 / 1024).toFixed(2)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.env.TRAIN_NO_MAIN !== '1') main();
export { train, accuracy, featurise, mulberry32 };
export type { Hyper };
