// The Chinese sentiment model file: a logistic regression over hashed features, weights quantised to
// int8. Layout: "RPSM1\n", uint32 little-endian header length, UTF-8 JSON header, int8 weights.
import fs from 'node:fs';

export interface SentimentModelHeader {
  bits: number;
  scale: number;
  bias: number;
  lexiconWeight: number;
  emoticonWeight: number;
  trainedOn: Record<string, number>;
  seed: number;
  hyper: Record<string, number | string | boolean>;
}

export interface SentimentModel extends SentimentModelHeader {
  weights: Int8Array;
}

const MAGIC = 'RPSM1\n';

export function encodeModel(header: SentimentModelHeader, weights: Int8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from(MAGIC), len, json, Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength)]);
}

export function decodeModel(buf: Buffer): SentimentModel {
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error('not a Rapport sentiment model file');
  const len = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4;
  const header = JSON.parse(buf.subarray(start, start + len).toString()) as SentimentModelHeader;
  const body = buf.subarray(start + len);
  if (body.length !== 1 << header.bits) throw new Error('sentiment model file is truncated');
  return { ...header, weights: new Int8Array(body.buffer, body.byteOffset, body.length) };
}

export const MODEL_URL = new URL('./models/sentiment-zh.bin', import.meta.url);

let loaded: SentimentModel | undefined;
export function loadSentimentModel(): SentimentModel {
  loaded ??= decodeModel(fs.readFileSync(MODEL_URL));
  return loaded;
}

/** Logit of P(positive) for one document's features. */
export function scoreFeatures(m: SentimentModel, indices: Int32Array, lexicon: number, emoticon: number): number {
  let s = 0;
  const w = m.weights;
  for (let i = 0; i < indices.length; i++) s += w[indices[i]];
  const norm = indices.length ? 1 / Math.sqrt(indices.length) : 0;
  return m.bias + s * m.scale * norm + m.lexiconWeight * lexicon + m.emoticonWeight * emoticon;
}
