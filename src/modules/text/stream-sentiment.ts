// Batch sentiment over a stream: one text per input line, one JSON object per output line, in order,
// in constant memory, honouring the output's back-pressure (`rapport text sentiment`).
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { analyzeSentiment } from './analyze-sentiment.js';

export async function streamSentiment(input: Readable, output: Writable): Promise<number> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    const s = analyzeSentiment(line);
    const ok = output.write(JSON.stringify({ label: s.label, score: Math.round(s.score * 10000) / 10000, language: s.language }) + '\n');
    n++;
    if (!ok) await once(output, 'drain');
  }
  return n;
}
