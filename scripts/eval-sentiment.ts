// `npm run eval:sentiment`: accuracy and macro-F1 of the committed model on the ChnSentiCorp
// development split, and single-core throughput of the full sentiment call. Also reports the
// figures on the development reviews that do not repeat a training review. Then the three-class
// figures (accuracy, neutral recall, macro-F1) and per-topic precision and recall, found alone and
// found with the right polarity, on Rapport's own
// development set (scripts/eval-text-dev.ts); SHOW_ERRORS=1 lists the texts it gets wrong.
import { analyzeSentiment } from '../src/modules/text/index.js';
import { normalizeText } from '../src/modules/text/index.js';
import { loadDevelopment, duplicateKeys } from './sentiment-data.js';
import { evaluateDevSet } from './eval-text-dev.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SentimentEval {
  accuracy: number;
  macroF1: number;
  docsPerSecond: number;
  docsPerCpuSecond: number;
  n: number;
  uniqueAccuracy: number;
  uniqueN: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function macroF1(pred: number[], gold: number[]): number {
  let f = 0;
  for (const c of [0, 1]) {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const p = tp / (tp + fp || 1),
      r = tp / (tp + fn || 1);
    f += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return f / 2;
}

export function evaluateSentiment(): SentimentEval {
  const dev = loadDevelopment();
  const texts = dev.map((d) => d.text);
  const gold = dev.map((d) => d.label);
  analyzeSentiment(texts[0]); // load model and dictionaries off the clock
  const pred: number[] = [];
  for (const t of texts) pred.push(analyzeSentiment(t, { language: 'zh' }).positiveProbability >= 0.5 ? 1 : 0);
  // Throughput: several passes over the split on this one thread.
  const passes = 3;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let p = 0; p < passes; p++) for (const t of texts) analyzeSentiment(t);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  let ok = 0;
  for (let i = 0; i < gold.length; i++) if (pred[i] === gold[i]) ok++;
  // Development reviews that also appear in the training files (dropped from training) are
  // the benchmark's known leak; the unique subset shows the figure without them.
  const trainKeys = new Set<string>();
  const dir =
    process.env.RAPPORT_SENTIMENT_DATA ??
    (fs.existsSync(path.resolve('../shared/data/sentiment-zh')) ? path.resolve('../shared/data/sentiment-zh') : '/work/shared/data/sentiment-zh');
  for (const line of fs.readFileSync(path.join(dir, 'chnsenticorp-train.tsv'), 'utf8').split(/\r?\n/).slice(1)) {
    const t = line.slice(line.indexOf('\t') + 1);
    if (t) trainKeys.add(duplicateKeys(t, normalizeText)[0]);
  }
  let uok = 0,
    un = 0;
  for (let i = 0; i < gold.length; i++) {
    if (trainKeys.has(duplicateKeys(texts[i], normalizeText)[0])) continue;
    un++;
    if (pred[i] === gold[i]) uok++;
  }
  return {
    accuracy: ok / gold.length,
    macroF1: macroF1(pred, gold),
    docsPerSecond: (passes * texts.length) / secs,
    docsPerCpuSecond: (passes * texts.length) / ((cpu.user + cpu.system) / 1e6),
    n: gold.length,
    uniqueAccuracy: uok / un,
    uniqueN: un,
  };
}

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  const r = evaluateSentiment();
  console.log(`ChnSentiCorp development split: ${r.n} reviews`);
  console.log(`  accuracy  ${r.accuracy.toFixed(4)}`);
  console.log(`  macro-F1  ${r.macroF1.toFixed(4)}`);
  console.log(
    `  docs/s    ${Math.round(r.docsPerSecond)}, ${Math.round(r.docsPerCpuSecond)} per CPU second (one thread, full analyzeSentiment call; load average ${os.loadavg()[0].toFixed(2)})`,
  );
  console.log(`  accuracy on the ${r.uniqueN} reviews not repeated in chnsenticorp-train: ${r.uniqueAccuracy.toFixed(4)}`);
  const d = evaluateDevSet();
  console.log(`Rapport development set (src/modules/text/dev-set/dev.jsonl): ${d.n} messages and posts, three classes`);
  console.log(`  accuracy        ${d.accuracy.toFixed(4)}`);
  console.log(`  neutral recall  ${d.neutralRecall.toFixed(4)}`);
  console.log(`  macro-F1        ${d.macroF1.toFixed(4)}`);
  for (const [c, f] of Object.entries(d.perClass)) console.log(`  ${c.padEnd(9)} P ${f.precision.toFixed(3)} R ${f.recall.toFixed(3)} F1 ${f.f1.toFixed(3)}`);
  console.log(
    `  topics: detection P/R/F1 (macro-F1 ${d.topicMacroF1.toFixed(4)}); with polarity, a topic right only with its polarity (micro P ${d.aspectMicro.precision.toFixed(4)} R ${d.aspectMicro.recall.toFixed(4)} F1 ${d.aspectMicro.f1.toFixed(4)})`,
  );
  for (const t of d.topics) {
    console.log(
      `    ${t.topic.padEnd(17)} n=${String(t.support).padStart(3)}  P ${t.precision.toFixed(3)} R ${t.recall.toFixed(3)} F1 ${t.f1.toFixed(3)}  | with polarity P ${t.aspect.precision.toFixed(3)} R ${t.aspect.recall.toFixed(3)} F1 ${t.aspect.f1.toFixed(3)}  | polarity right on found ${t.polarityAccuracy.toFixed(3)}`,
    );
  }
  if (process.env.SHOW_ERRORS) for (const e of [...d.errors, ...d.topicErrors]) console.log(`    ✗ ${e.gold} → ${e.pred}  ${e.text}`);
  console.log(
    JSON.stringify({
      eval: 'sentiment',
      accuracy: r.accuracy,
      macro_f1: r.macroF1,
      docs_per_s: Math.round(r.docsPerSecond),
      docs_per_cpu_s: Math.round(r.docsPerCpuSecond),
      load_avg: Number(os.loadavg()[0].toFixed(2)),
      dev_accuracy: d.accuracy,
      dev_neutral_recall: d.neutralRecall,
      dev_macro_f1: d.macroF1,
      dev_topic_macro_f1: d.topicMacroF1,
      dev_aspect_micro_f1: d.aspectMicro.f1,
      dev_topics: Object.fromEntries(
        d.topics.map((t) => [
          t.topic,
          { p: round3(t.precision), r: round3(t.recall), aspect_p: round3(t.aspect.precision), aspect_r: round3(t.aspect.recall) },
        ]),
      ),
    }),
  );
}
