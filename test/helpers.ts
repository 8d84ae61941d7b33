// Shared helpers for integration tests: a Rapport instance per database and fresh tenants in it.
import { inject } from 'vitest';
import pino from 'pino';
import { createRapport, type Rapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';

export const databases = inject('databases');

export async function startTestApp(url: string, overrides: Parameters<typeof createRapport>[0] = {}): Promise<Rapport> {
  return createRapport({ databaseUrl: url, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), seedDemo: false, schedule: false, ...overrides });
}

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
  const { tenantId, apiKey } = await createTenant(rapport.db.pool, { slug, name: `Test ${slug}`, admin: { email: adminEmail, name: 'Admin', password: adminPassword }, settings });
  return { tenantId, slug, apiKey, adminEmail, adminPassword, headers: { authorization: `Bearer ${apiKey}` } };
}
