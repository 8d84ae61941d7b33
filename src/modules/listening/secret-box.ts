// Webhook secrets must be readable again to compute HMACs, so they are encrypted rather than hashed:
// AES-256-GCM under RAPPORT_SECRETS_KEY (base64, 32 bytes). Without it a fixed development key is
// used and a warning is logged once: set the variable in production.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

let warned = false;
function secretsKey(warn?: (m: string) => void): Buffer {
  const env = process.env.RAPPORT_SECRETS_KEY;
  if (env) {
    const k = Buffer.from(env, 'base64');
    if (k.length === 32) return k;
  }
  if (!warned && warn) { warned = true; warn('RAPPORT_SECRETS_KEY is not set (base64 of 32 bytes): webhook secrets are encrypted with a development key'); }
  return createHash('sha256').update('rapport-development-secrets-key').digest();
}

export function sealSecret(plain: string, warn?: (m: string) => void): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', secretsKey(warn), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

export function openSecret(sealed: string): string {
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', secretsKey(), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
