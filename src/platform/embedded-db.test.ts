// The embedded database is this user's alone: a password generated at start, a private data directory;
// and one connection left idle in a transaction cannot hold the others for ever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db.js';
import { startEmbeddedPostgres } from './embedded-db.js';

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

  it('ends a transaction left idle while others wait: rolled back, its connection closed, its statements logged', async () => {
    const logged: { o: Record<string, unknown>; msg: string }[] = [];
    const own = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-idle-')), 'data');
    const server = await startEmbeddedPostgres(
      own,
      { error: (o: object, msg: string) => logged.push({ o: o as Record<string, unknown>, msg }), info: () => undefined } as never,
      {
        idleInTransactionMs: 300,
      },
    );
    const stuck = new pg.Client({ connectionString: server.url });
    const other = new pg.Client({ connectionString: server.url });
    stuck.on('error', () => undefined);
    try {
      await Promise.all([stuck.connect(), other.connect()]);
      await other.query('CREATE TABLE idle_probe (n int)');
      // A transaction that writes, then goes quiet for good.
      await stuck.query('BEGIN');
      await stuck.query('INSERT INTO idle_probe VALUES ($1)', [1]);
      // Behind it, another connection's statement waits; it is answered once the idle one is ended. (The
      // race only tells a hang from an answer: without the watchdog it never comes.)
      const answered = await Promise.race([
        other.query('SELECT count(*)::int AS n FROM idle_probe').then((r) => r.rows[0].n as number),
        new Promise<string>((resolve) => setTimeout(() => resolve('never answered'), 60_000).unref()),
      ]);
      expect(answered).toBe(0);
      expect(logged).toHaveLength(1);
      expect(logged[0].msg).toMatch(/idle in a transaction/);
      expect(logged[0].o.statements).toEqual(['BEGIN', 'INSERT INTO idle_probe VALUES ($1)']);
      // The ended connection is closed, as PostgreSQL's idle_in_transaction_session_timeout does.
      await expect(stuck.query('SELECT 1')).rejects.toThrow();
      // A transaction that finishes, however slowly, is never ended while nobody waits behind it.
      await other.query('BEGIN');
      await new Promise((r) => setTimeout(r, 1_000));
      await other.query('INSERT INTO idle_probe VALUES (2)');
      await other.query('COMMIT');
      expect((await other.query('SELECT count(*)::int AS n FROM idle_probe')).rows[0].n).toBe(1);
      expect(logged).toHaveLength(1);
    } finally {
      await stuck.end().catch(() => undefined);
      await other.end().catch(() => undefined);
      await server.stop();
      fs.rmSync(path.dirname(own), { recursive: true, force: true });
    }
  });
});
