// One embedded PostgreSQL for the whole run, and the real one when TEST_DATABASE_URL is set: every
// integration test runs against each database listed here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/embedded-db.js';
import { migrateDatabase } from '../src/platform/migrate.js';
import { ensureWebBuild } from '../src/platform/web-build.js';

export interface TestDatabase {
  name: 'embedded' | 'postgres';
  url: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databases: TestDatabase[];
  }
}

let embedded: EmbeddedServer | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  // The web tests and browser journeys need the built console, portal and widget; a fresh clone builds
  // them once here, and later runs reuse the build until a web source changes.
  await ensureWebBuild({ quiet: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-test-'));
  // Every test process shares this one backend: a connection left idle in a transaction would stall them
  // all, so it is ended sooner than a server's minute, and its statements are printed (to stderr).
  embedded = await startEmbeddedPostgres(dir, undefined, { idleInTransactionMs: 20_000 });
  const databases: TestDatabase[] = [{ name: 'embedded', url: embedded.url }];
  if (process.env.TEST_DATABASE_URL) databases.push({ name: 'postgres', url: process.env.TEST_DATABASE_URL });
  for (const d of databases) {
    const pool = new pg.Pool({ connectionString: d.url, max: 2 });
    await migrateDatabase(pool);
    await pool.end();
  }
  project.provide('databases', databases);
}

export async function teardown() {
  await embedded?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
