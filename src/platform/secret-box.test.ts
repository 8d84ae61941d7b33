import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey } from './secret-box.js';

describe('the secret key kept in the data directory', () => {
  it('is made once: a second load, as a second process would, reads the same 32 bytes and leaves no temporary file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-key-'));
    try {
      const first = loadSecretKey(undefined, dir);
      expect(first).toHaveLength(32);
      expect(loadSecretKey(undefined, dir)).toEqual(first);
      expect(fs.readdirSync(dir)).toEqual(['secret.key']);
      expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
