// Batch analysis over a stream: one text per input line, one JSON object per output line, in order,
// in constant memory, honouring the output's back-pressure (`rapport text sentiment|analyze`).
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { analyzeSentiment } from './analyze-sentiment.js';
import { describeText } from './describe-text.js';

async function streamLines(input: Readable, output: Writable, answer: (line: string) => unknown): Promise<number> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    const ok = output.write(JSON.stringify(answer(line)) + '\n');
    n++;
    if (!ok) await once(output, 'drain');
  }
  return n;
}

export function streamSentiment(input: Readable, output: Writable): Promise<number> {
  return streamLines(input, output, (line) => {
    const s = analyzeSentiment(line);
    return { label: s.label, score: Math.round(s.score * 10000) / 10000, language: s.language };
  });
}

/** What `POST /v1/text/analyze` answers for each text: language, sentiment, topics with polarity, keywords. */
export function streamAnalysis(input: Readable, output: Writable): Promise<number> {
  return streamLines(input, output, (line) => describeText(line));
}
