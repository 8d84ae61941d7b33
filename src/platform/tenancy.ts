// Tenants and their console users. A tenant is created with a first admin user and an admin API key.
import type pg from 'pg';
import { newId } from './ids.js';
import { createApiKey, hashPassword, type Role } from './auth.js';
import { withTransaction } from './db.js';
import { conflict } from './errors.js';
import { queryRow, rowOf } from './query-rows.js';
import { tenants } from './schema.js';

export interface NewTenant {
  slug: string;
  name: string;
  admin: { email: string; name: string; password: string; locale?: string };
  apiKeySecret?: string;
  settings?: Record<string, unknown>;
}

export async function createTenant(pool: pg.Pool, input: NewTenant): Promise<{ tenantId: string; userId: string; apiKey: string }> {
  const passwordHash = await hashPassword(input.admin.password);
  return withTransaction(pool, async (tx) => {
    const tenantId = newId('ten');
    const r = await tx.query('INSERT INTO tenants (tenant_id, slug, name, settings) VALUES ($1,$2,$3,$4) ON CONFLICT (slug) DO NOTHING', [
      tenantId,
      input.slug,
      input.name,
      JSON.stringify(input.settings ?? {}),
    ]);
    if (r.rowCount !== 1) throw conflict(`A tenant with slug "${input.slug}" already exists`);
    const userId = await insertUser(tx, tenantId, { ...input.admin, role: 'admin' }, passwordHash);
    const { token } = await createApiKey(tx, tenantId, {
      name: 'Admin key',
      scopes: ['admin', 'ingest', 'read', 'write'],
      createdBy: userId,
      secret: input.apiKeySecret,
    });
    return { tenantId, userId, apiKey: token };
  });
}

export async function insertUser(
  db: pg.Pool | pg.PoolClient,
  tenantId: string,
  u: { email: string; name: string; role: Role; locale?: string },
  passwordHash: string,
): Promise<string> {
  const id = newId('usr');
  const r = await db.query(
    'INSERT INTO users (tenant_id, id, email, name, role, password_hash, locale) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (tenant_id, email) DO NOTHING',
    [tenantId, id, u.email.trim().toLowerCase(), u.name, u.role, passwordHash, u.locale ?? 'en'],
  );
  if (r.rowCount !== 1) throw conflict('A user with this email already exists', [{ field: 'email', message: 'already in use' }]);
  return id;
}

export async function findTenantBySlug(pool: pg.Pool, slug: string): Promise<{ tenantId: string; name: string } | undefined> {
  const row = await queryRow(pool, rowOf(tenants, ['tenant_id', 'name']), 'SELECT tenant_id, name FROM tenants WHERE slug = $1', [slug]);
  return row ? { tenantId: row.tenant_id, name: row.name } : undefined;
}

/** The tenant's display name (emails, statements, the portal's header), or null for an unknown tenant. */
export async function getTenantName(pool: pg.Pool | pg.PoolClient, tenantId: string): Promise<string | null> {
  const row = await queryRow(pool, rowOf(tenants, ['name']), 'SELECT name FROM tenants WHERE tenant_id = $1', [tenantId]);
  return row?.name ?? null;
}

export async function getTenantSettings(pool: pg.Pool | pg.PoolClient, tenantId: string): Promise<Record<string, unknown>> {
  const row = await queryRow(pool, rowOf(tenants, ['settings']), 'SELECT settings FROM tenants WHERE tenant_id = $1', [tenantId]);
  return row?.settings ?? {};
}
