// WeChat Official Account message formats: the flat XML it posts, and safe mode (encrypt_type=aes),
// where the XML travels AES-256-CBC encrypted with the EncodingAESKey (43 base64 characters: key =
// base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks).
// Plain text layout: 16 random bytes, 4-byte big-endian length, the XML, then the AppID.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { wechatSignature } from './verify-signatures.js';

// An element's text may be several CDATA sections and plain text side by side: a value holding "]]>"
// is written as "]]]]><![CDATA[>" (this file's builder does so), which splits it in two sections.
const TAG = /<(\w+)>((?:<!\[CDATA\[[\s\S]*?\]\]>|[^<])*)<\/\1>/g;
const PIECE = /<!\[CDATA\[([\s\S]*?)\]\]>|([^<]+)/g;

/** Reads WeChat's one-level XML into name -> text; nested elements are read as their own names. */
export function parseWechatXml(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = /<xml>([\s\S]*)<\/xml>/.exec(xml)?.[1] ?? '';
  for (const m of body.matchAll(TAG)) {
    if (m[1] in out) continue;
    let text = '';
    for (const p of m[2].matchAll(PIECE)) text += p[1] ?? decodeEntities(p[2]);
    out[m[1]] = text;
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function buildWechatXml(fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(([k, v]) =>
    typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${String(v).replace(/\]\]>/g, ']]]]><![CDATA[>')}]]></${k}>`,
  );
  return `<xml>${parts.join('')}</xml>`;
}

function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must be 43 characters');
  return key;
}

export function isValidEncodingAesKey(k: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(k);
}

export function decryptWechat(encodingAesKey: string, encrypted: string): { xml: string; appId: string } {
  const key = aesKey(encodingAesKey);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const padded = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
  const pad = padded[padded.length - 1];
  if (pad < 1 || pad > 32) throw new Error('bad padding');
  const plain = padded.subarray(0, padded.length - pad);
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new Error('bad length');
  return { xml: plain.subarray(20, 20 + len).toString('utf8'), appId: plain.subarray(20 + len).toString('utf8') };
}

export function encryptWechat(encodingAesKey: string, xml: string, appId: string): string {
  const key = aesKey(encodingAesKey);
  const body = Buffer.from(xml, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), len, body, Buffer.from(appId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}

/** msg_signature = sha1 of token, timestamp, nonce and the Encrypt text, sorted. */
export function wechatMsgSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return wechatSignature(token, timestamp, nonce, encrypted);
}

/** A passive reply in safe mode: the reply XML encrypted and wrapped with its own signature. */
export function sealWechatReply(token: string, encodingAesKey: string, appId: string, xml: string, timestamp: string, nonce: string): string {
  const encrypted = encryptWechat(encodingAesKey, xml, appId);
  return buildWechatXml({ Encrypt: encrypted, MsgSignature: wechatMsgSignature(token, timestamp, nonce, encrypted), TimeStamp: timestamp, Nonce: nonce });
}
