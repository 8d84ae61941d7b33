// The bodies of inbound mail webhooks: multipart forms (kept as latin1 so any charset can be decoded
// afterwards), fields in their declared charset, RFC 2047 encoded words, and headers out of a raw block.
import type { FastifyRequest } from 'fastify';
import Busboy from 'busboy';
import iconv from 'iconv-lite';
import type { Readable } from 'node:stream';

export interface Form {
  fields: [string, string][];
  files: { field: string; filename: string; contentType: string; content: Buffer }[];
}

const MAX_FILES = 20;
const MAX_FILE = 20 * 1024 * 1024;

export function parseMultipart(req: FastifyRequest, payload: Readable): Promise<Form> {
  return new Promise((resolve, reject) => {
    const form: Form = { fields: [], files: [] };
    // latin1 keeps every byte of a field as one character, so fields in GBK or Big5 (SendGrid's
    // "charsets") can be decoded afterwards with their real charset.
    const bb = Busboy({
      headers: req.headers as Record<string, string>,
      defCharset: 'latin1',
      limits: { files: MAX_FILES, fileSize: MAX_FILE, fieldSize: 10 * 1024 * 1024 },
    });
    bb.on('field', (name, value) => form.fields.push([name, value]));
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () =>
        form.files.push({
          field,
          filename: Buffer.from(info.filename ?? '', 'latin1').toString('utf8'),
          contentType: info.mimeType,
          content: Buffer.concat(chunks),
        }),
      );
    });
    bb.on('close', () => resolve(form));
    bb.on('error', reject);
    payload.pipe(bb);
  });
}

export const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

export function decodeField(latin1: string | undefined, charset: string | undefined): string | undefined {
  if (latin1 === undefined) return undefined;
  const bytes = Buffer.from(latin1, 'latin1');
  const cs = (charset ?? 'utf-8').toLowerCase();
  return iconv.encodingExists(cs) ? iconv.decode(bytes, cs) : bytes.toString('utf8');
}

/**
 * RFC 2047 encoded words (=?GB2312?B?...?= and =?UTF-8?Q?...?=) in a header SendGrid passes through as
 * written; whitespace between two adjacent encoded words is not part of the text (§6.2).
 */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?)/g, '$1')
    .replace(/=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g, (word, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : word;
    });
}

/** Reads one header (unfolded) out of a raw header block. */
export function headerOf(raw: string | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
  return m?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();
}
