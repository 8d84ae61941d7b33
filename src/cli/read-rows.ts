// Streams the rows of a CSV or NDJSON file with their line numbers, in constant memory: the parser
// is pulled one row at a time, so a slow database slows the reader instead of filling memory.
import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';

export interface SourceRow {
  line: number;
  value: Record<string, unknown> | undefined;
  error?: string;
}

export function detectFormat(file: string, given?: string): 'csv' | 'ndjson' {
  if (given === 'csv' || given === 'ndjson') return given;
  return /\.(ndjson|jsonl|json)$/i.test(file) ? 'ndjson' : 'csv';
}

export async function* readRows(file: string, format: 'csv' | 'ndjson', onBytes: (n: number) => void): AsyncGenerator<SourceRow> {
  const stream = fs.createReadStream(file);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  if (format === 'ndjson') {
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    for await (const text of rl) {
      line++;
      if (!text.trim()) continue;
      try {
        const value = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { line, value: undefined, error: 'a line must hold one JSON object' };
        else yield { line, value };
      } catch {
        yield { line, value: undefined, error: 'not valid JSON' };
      }
    }
    return;
  }
  const parser = stream.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true, trim: true }));
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: rec.info.lines, value: rec.record };
  }
}
