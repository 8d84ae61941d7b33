// Who is calling: an API key (Authorization: Bearer rpk.<tenant>.<key>.<secret>) or a console session
// cookie. Both resolve to a Principal bound to one tenant; every route then reads only that tenant.
import { createHash, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type pg from 'pg';
import { newId, randomToken } from './ids.js';
import type { KeyCache } from './key-cache.js';
import { queryRow, type RowOf, rowOf } from './query-rows.js';
import { apiKeys, sessions, type users } from './schema.js';

import type { Role, Scope } from './auth-contract.js';

export { ROLES, SCOPES, type Role, type Scope } from './auth-contract.js';

const ROLE_SCOPES: Record<Role, Scope[]> = {
  admin: ['ingest', 'read', 'write', 'admin'],
  manager: ['ingest', 'read', 'write'],
  agent: ['read', 'write'],
};

const ApiKey = rowOf(apiKeys, ['tenant_id', 'id', 'scopes', 'secret_hash', 'last_used_at']);
// user_id is the session's own (u.id, joined on it); the role is the user's.
const SessionUser = rowOf(sessions, ['token_hash', 'user_id']).and<RowOf<typeof users, 'role'>>(['role']);

export interface Principal {
  tenantId: string;
  kind: 'api_key' | 'user';
  id: string;
  role?: Role;
  scopes: ReadonlySet<Scope>;
}

export const SESSION_COOKIE = 'rapport_session';
const SESSION_DAYS = 14;

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const hashPassword = (password: string) => argonHash(password);
export const verifyPassword = (hash: string, password: string) => argonVerify(hash, password).catch(() => false);

// A well-formed hash to verify against when the user does not exist, so a login for an unknown
// email costs the same time as one with a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken(16));
  return dummyHash;
}

/**
 * API keys are 256-bit random secrets, so a fast SHA-256 is enough to store them (unlike passwords,
 * they cannot be guessed from a dictionary); the tenant and key id in the token make lookup one row.
 */
export async function createApiKey(
  db: pg.Pool | pg.PoolClient,
  tenantId: string,
  input: { name: string; scopes: Scope[]; createdBy?: string; secret?: string },
) {
  const id = newId('key');
  const secret = input.secret ?? randomToken(32);
  const token = input.secret ?? `rpk.${tenantId}.${id}.${secret}`;
  await db.query('INSERT INTO api_keys (tenant_id, id, name, scopes, secret_hash, created_by) VALUES ($1,$2,$3,$4,$5,$6)', [
    tenantId,
    id,
    input.name,
    input.scopes,
    sha256(secret),
    input.createdBy ?? null,
  ]);
  return { id, token };
}

/** Accepts a token in the canonical form, or a bare secret given by the operator (RAPPORT_DEMO_API_KEY). */
export function parseApiKeyToken(token: string): { tenantId: string; keyId: string; secret: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'rpk') return undefined;
  const [, tenantId, keyId, secret] = parts;
  if (!tenantId || !keyId || !secret || tenantId.length > 64 || keyId.length > 64) return undefined;
  return { tenantId, keyId, secret };
}

export async function authenticateApiKey(db: pg.Pool, token: string, now: Date, cache?: KeyCache): Promise<Principal | undefined> {
  if (!token || !TOKEN_CHARS.test(token)) return undefined;
  const tokenHash = cache && sha256(token);
  const known = tokenHash && cache.get(tokenHash);
  if (known) return known;
  const mark = cache?.mark() ?? 0;
  const parsed = parseApiKeyToken(token);
  const row = parsed
    ? await queryRow(
        db,
        ApiKey,
        'SELECT tenant_id, id, scopes, secret_hash, last_used_at FROM api_keys WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL',
        [parsed.tenantId, parsed.keyId],
      )
    : await queryRow(
        db,
        ApiKey,
        'SELECT tenant_id, id, scopes, secret_hash, last_used_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL LIMIT 1',
        [sha256(token)],
      );
  if (!row || !safeEqualHex(row.secret_hash, sha256(parsed ? parsed.secret : token))) return undefined;
  // Record use at most once a minute: a hot ingest key must not write a row per request.
  if (!row.last_used_at || Math.abs(now.getTime() - row.last_used_at.getTime()) > 60_000) {
    db.query('UPDATE api_keys SET last_used_at = $3 WHERE tenant_id = $1 AND id = $2', [row.tenant_id, row.id, now]).catch(() => undefined);
  }
  const principal: Principal = { tenantId: row.tenant_id, kind: 'api_key', id: row.id, scopes: new Set(row.scopes as Scope[]) };
  if (tokenHash) cache.set(tokenHash, principal, mark);
  return principal;
}

export async function createSession(db: pg.Pool, tenantId: string, userId: string, now: Date): Promise<{ cookie: string; expiresAt: Date }> {
  const id = newId('ses');
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.query('INSERT INTO sessions (tenant_id, id, token_hash, user_id, expires_at) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    sha256(token),
    userId,
    expiresAt,
  ]);
  return { cookie: `${tenantId}.${id}.${token}`, expiresAt };
}

// Every token Rapport issues is base64url and dots; anything else is refused before a query is made.
const TOKEN_CHARS = /^[A-Za-z0-9_.~+/=-]{1,512}$/;

function parseSessionCookie(value: string) {
  if (!TOKEN_CHARS.test(value)) return undefined;
  const [tenantId, id, token, ...rest] = value.split('.');
  if (rest.length || !tenantId || !id || !token) return undefined;
  return { tenantId, id, token };
}

export async function authenticateSession(db: pg.Pool, cookie: string, now: Date): Promise<Principal | undefined> {
  const parsed = parseSessionCookie(cookie);
  if (!parsed) return undefined;
  const row = await queryRow(
    db,
    SessionUser,
    `SELECT s.token_hash, u.id AS user_id, u.role FROM sessions s
       JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
      WHERE s.tenant_id = $1 AND s.id = $2 AND s.expires_at > $3 AND u.disabled_at IS NULL`,
    [parsed.tenantId, parsed.id, now],
  );
  if (!row || !safeEqualHex(row.token_hash, sha256(parsed.token))) return undefined;
  const role = row.role as Role;
  return { tenantId: parsed.tenantId, kind: 'user', id: row.user_id, role, scopes: new Set(ROLE_SCOPES[role]) };
}

export async function deleteSession(db: pg.Pool, cookie: string): Promise<void> {
  const parsed = parseSessionCookie(cookie);
  if (parsed) await db.query('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2', [parsed.tenantId, parsed.id]);
}
