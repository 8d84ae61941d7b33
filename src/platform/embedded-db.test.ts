// The embedded database is this user's alone: a password generated at start, a private data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db.js';

describe('the embedded database', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-embedded-')), 'data');
    db = await openDatabase({ dataDir: dir });
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('answers only to the generated password', async () => {
    const url = new URL(db.url);
    expect(url.password.length).toBeGreaterThanOrEqual(24);
    expect((await db.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    for (const password of ['wrong', 'x'.repeat(32)]) {
      const u = new URL(db.url);
      u.password = password;
      const client = new pg.Client({ connectionString: u.toString() });
      client.on('error', () => undefined);
      await expect(client.connect()).rejects.toThrow(/password/);
      await client.end().catch(() => undefined);
    }
  });

  it('keeps its files and the URL that names the password private to this user', () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'pglite'))).toBe(0o700);
    expect(mode(path.join(dir, 'embedded.json'))).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'embedded.json'), 'utf8')).url).toBe(db.url);
  });
});
