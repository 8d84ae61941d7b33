// Provider secrets (channel auth tokens, signing keys, AES keys, SMTP passwords, webhook secrets) are
// needed in clear to sign or check signatures, so they cannot be hashed: they are sealed with
// AES-256-GCM under the one installation key and only ever shown masked.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SecretBox {
  seal(value: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
}

/**
 * The key comes from RAPPORT_SECRET_KEY (every node of an installation must share it); without it, a
 * random key is kept in the data directory, which suits one node with the embedded database.
 */
export function loadSecretKey(secret: string | undefined, dataDir: string): Buffer {
  if (secret) return createHash('sha256').update(secret).digest();
  const file = path.join(dataDir, 'secret.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    // Several processes may start on a new data directory at once (test workers; `rapport import` beside
    // `rapport start`): the key is written whole under a temporary name and linked into place, so one
    // key wins, the others read it, and nobody reads a half-written file.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, randomBytes(32).toString('base64'), { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(value) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
      return `v1.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1') throw new Error('unknown sealed secret version');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8'));
    },
  };
}

/** The same sealing for a single string (a password, a signing secret). */
export function createTextBox(key: Buffer): { seal(plain: string): string; open(sealed: string): string } {
  const box = createSecretBox(key);
  return { seal: (plain) => box.seal({ value: plain }), open: (sealed) => box.open(sealed).value };
}

/** What a secret looks like in an answer: its last four characters at most, never the whole. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}
