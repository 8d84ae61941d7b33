// Shared helpers for integration tests: a Rapport instance per database and fresh tenants in it.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { createRapport, type Rapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';
import { createTestClock, type TestClock } from '../src/platform/clock.js';

export const databases = inject('databases');

/**
 * A Rapport for one test file. Its job queues live in a schema of its own (dropped on close), so its
 * workers never pick up, with their clock, the jobs another test app sent to the same database.
 * Its clock is a test clock: the one given (a test whose outcome depends on the date or the time of day
 * names its instant with createTestClock), or else one that starts at the wall clock's instant, which
 * the test may still set or advance.
 */
export async function startTestApp(url: string, overrides: Parameters<typeof createRapport>[0] & { clock?: TestClock } = {}): Promise<TestApp> {
  const jobsSchema = overrides.jobsSchema ?? `pgboss_${randomBytes(6).toString('hex')}`;
  const clock = overrides.clock ?? createTestClock(new Date());
  // Providers in tests are stub servers on loopback, which the egress guard refuses unless allowed.
  const r = await createRapport({
    databaseUrl: url,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    seedDemo: false,
    schedule: false,
    egressAllow: '127.0.0.0/8, ::1',
    ...overrides,
    jobsSchema,
    clock,
  });
  const close = r.close.bind(r);
  return Object.assign(r, {
    clock,
    async close() {
      const pool = new pg.Pool({ connectionString: r.db.url, max: 1 });
      await close();
      await pool.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`).finally(() => pool.end());
    },
  });
}

/** A test app: a Rapport whose clock the test sets and advances. */
export type TestApp = Rapport & { clock: TestClock };

export interface TestTenant {
  tenantId: string;
  slug: string;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
  headers: Record<string, string>;
}

export async function createTestTenant(rapport: Rapport, settings: Record<string, unknown> = {}): Promise<TestTenant> {
  const slug = newId('t').replace('_', '-');
  const adminEmail = `admin@${slug}.example.com`;
  const adminPassword = 'correct horse battery staple';
  const { tenantId, apiKey } = await createTenant(rapport.db.pool, {
    slug,
    name: `Test ${slug}`,
    admin: { email: adminEmail, name: 'Admin', password: adminPassword },
    settings,
  });
  return { tenantId, slug, apiKey, adminEmail, adminPassword, headers: { authorization: `Bearer ${apiKey}` } };
}

/**
 * The public schema's columns, table by table: tables and views, a partitioned table but not its
 * partitions. Other test files on the same database make and drop partitions meanwhile, so a test that
 * lists tables and then reads each reads a partition through its parent, which reads them all.
 */
/** The body of POST /v1/surveys for the plainest NPS survey: the score, then an open "why". */
export function npsSurvey(name: string, extra: { touchpoint?: string } = {}) {
  return {
    name,
    kind: 'nps',
    ...extra,
    definition: {
      title: { en: 'Hi' },
      questions: [
        { key: 'nps', type: 'nps', required: true, text: { en: 'Recommend?' } },
        { key: 'why', type: 'text', text: { en: 'Why?' } },
      ],
    },
  };
}

export async function publicColumns(pool: pg.Pool): Promise<{ table_name: string; column_name: string; data_type: string; table_type: string }[]> {
  const { rows } = await pool.query(
    `SELECT c.table_name, c.column_name, c.data_type, t.table_type
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = 'public' AND k.relname = c.table_name AND k.relispartition)
      ORDER BY c.table_name, c.ordinal_position`,
  );
  return rows;
}

/** The pages a statement touched (hit or read), from EXPLAIN (ANALYZE, BUFFERS): a key's probe is a few. */
export async function pagesTouched(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  const {
    rows: [row],
  } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
  const plan = (typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'])[0].Plan;
  return (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
}
