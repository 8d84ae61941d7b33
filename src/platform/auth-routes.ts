// Console login and logout, the current principal, API keys and users of the caller's tenant.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Clock } from './clock.js';
import { isCookieSecure, type Config } from './config.js';
import { z, problemResponses, IdParam } from './validation.js';
import { createApiKey, createSession, deleteSession, dummyPasswordHash, hashPassword, verifyPassword, SESSION_COOKIE, SCOPES, ROLES } from './auth.js';
import { findTenantBySlug, getTenantName, insertUser } from './tenancy.js';
import { notFound, tooManyRequests, unauthorized, unprocessable } from './errors.js';
import { assertSameOrigin, principalOf } from './http.js';
import type { KeyCache } from './key-cache.js';
import { writeAudit, actorOf } from './audit.js';
import { NO_TENANT, type RateLimit, type RateLimiter } from './rate-limit.js';

// Ten failures for one tenant+email, or thirty from one address, in 15 minutes lock login out for
// the rest of the window (OWASP authentication cheat sheet: throttle by account and by source).
const PER_ACCOUNT: RateLimit = { name: 'login-failures-account', limit: 10, windowSeconds: 15 * 60 };
const PER_ADDRESS: RateLimit = { name: 'login-failures-address', limit: 30, windowSeconds: 15 * 60 };

const LoginBody = z.object({
  tenant: z.string().min(1).max(100),
  email: z.string().email().max(320),
  password: z.string().min(1).max(1024),
});

const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
const UserOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  locale: z.string(),
  created_at: z.string(),
  disabled_at: z.string().nullable(),
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function authRoutes(deps: { pool: pg.Pool; config: Config; limiter: RateLimiter; keyCache?: KeyCache; clock: Clock }): FastifyPluginAsyncZod {
  const { pool, config, limiter } = deps;
  return async (app) => {
    app.post(
      '/v1/auth/login',
      {
        config: { isPublic: true },
        schema: {
          tags: ['auth'],
          body: LoginBody,
          response: { 200: z.object({ user_id: z.string(), tenant_id: z.string(), role: z.string(), expires_at: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const { tenant, email, password } = req.body;
        const tenantRow = await findTenantBySlug(pool, tenant);
        const tenantId = tenantRow?.tenantId ?? NO_TENANT;
        const accountKey = `${tenant}:${email.trim().toLowerCase()}`;
        const [byAccount, byAddress] = await Promise.all([limiter.check(tenantId, PER_ACCOUNT, accountKey), limiter.check(tenantId, PER_ADDRESS, req.ip)]);
        if (!byAccount.isAllowed || !byAddress.isAllowed) {
          // A whole window: the sliding estimate falls under the limit sooner, but never later than this.
          reply.header('retry-after', String(PER_ACCOUNT.windowSeconds));
          throw tooManyRequests('Too many failed logins; try again later');
        }
        const { rows } = tenantRow
          ? await pool.query('SELECT id, role, password_hash FROM users WHERE tenant_id = $1 AND email = $2 AND disabled_at IS NULL', [
              tenantId,
              email.trim().toLowerCase(),
            ])
          : { rows: [] as { id: string; role: string; password_hash: string }[] };
        const user = rows[0];
        const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
        if (!user || !ok) {
          await Promise.all([limiter.hit(tenantId, PER_ACCOUNT, [accountKey]), limiter.hit(tenantId, PER_ADDRESS, [req.ip])]);
          throw unauthorized('Wrong tenant, email or password');
        }
        const session = await createSession(pool, tenantId, user.id, deps.clock.now());
        reply.setCookie(SESSION_COOKIE, session.cookie, {
          httpOnly: true,
          sameSite: 'strict',
          secure: isCookieSecure(config),
          path: '/',
          expires: session.expiresAt,
        });
        await writeAudit(pool, tenantId, { type: 'user', id: user.id }, 'auth.login', { type: 'user', id: user.id });
        return { user_id: user.id, tenant_id: tenantId, role: user.role, expires_at: session.expiresAt.toISOString() };
      },
    );

    app.post(
      '/v1/auth/logout',
      {
        config: { isPublic: true },
        schema: { tags: ['auth'], response: { 204: z.null() } },
      },
      async (req, reply) => {
        const c = req.cookies[SESSION_COOKIE];
        assertSameOrigin(req, config.publicUrl);
        if (c) await deleteSession(pool, c);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    const MeOut = z.object({
      tenant_id: z.string(),
      tenant_name: z.string().nullable(),
      kind: z.string(),
      id: z.string(),
      role: z.string().nullable(),
      scopes: z.array(z.string()),
      name: z.string().nullable(),
      email: z.string().nullable(),
      locale: z.string().nullable(),
    });
    async function me(req: Parameters<typeof principalOf>[0]) {
      const p = principalOf(req);
      const tenantName = await getTenantName(pool, p.tenantId);
      const {
        rows: [u],
      } =
        p.kind === 'user'
          ? await pool.query('SELECT name, email, locale FROM users WHERE tenant_id = $1 AND id = $2', [p.tenantId, p.id])
          : { rows: [] as { name: string; email: string; locale: string }[] };
      return {
        tenant_id: p.tenantId,
        tenant_name: tenantName,
        kind: p.kind,
        id: p.id,
        role: p.role ?? null,
        scopes: [...p.scopes],
        name: u?.name ?? null,
        email: u?.email ?? null,
        locale: u?.locale ?? null,
      };
    }

    app.get('/v1/auth/me', { schema: { tags: ['auth'], response: { 200: MeOut, ...problemResponses } } }, async (req) => me(req));

    // Any signed-in user may change their own console language; it follows them to every browser.
    app.patch(
      '/v1/auth/me',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['auth'],
          summary: 'Change my own settings',
          body: z.object({ locale: z.enum(['en', 'zh-CN']) }).strict(),
          response: { 200: MeOut, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (p.kind !== 'user')
          throw unprocessable('Only console users have settings; an API key has none', [{ field: 'locale', message: 'applies to console users only' }]);
        await pool.query('UPDATE users SET locale = $3 WHERE tenant_id = $1 AND id = $2', [p.tenantId, p.id, req.body.locale]);
        return me(req);
      },
    );

    app.get(
      '/v1/api-keys',
      { config: { scope: 'admin' }, schema: { tags: ['auth'], response: { 200: z.object({ data: z.array(ApiKeyOut) }), ...problemResponses } } },
      async (req) => {
        const { tenantId } = principalOf(req);
        const { rows } = await pool.query(
          'SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at',
          [tenantId],
        );
        return { data: rows.map((r) => ({ ...r, created_at: iso(r.created_at)!, last_used_at: iso(r.last_used_at), revoked_at: iso(r.revoked_at) })) };
      },
    );

    app.post(
      '/v1/api-keys',
      {
        config: { scope: 'admin', hasSecretAnswer: true },
        schema: {
          tags: ['auth'],
          body: z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(SCOPES)).min(1) }),
          response: { 201: z.object({ id: z.string(), token: z.string(), scopes: z.array(z.string()) }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const key = await createApiKey(pool, p.tenantId, { name: req.body.name, scopes: [...new Set(req.body.scopes)], createdBy: p.id });
        await writeAudit(pool, p.tenantId, actorOf(p), 'api_key.create', { type: 'api_key', id: key.id });
        // The token is shown this once; only its hash is stored.
        return reply.status(201).send({ id: key.id, token: key.token, scopes: req.body.scopes });
      },
    );

    app.delete(
      '/v1/api-keys/:id',
      { config: { scope: 'admin' }, schema: { tags: ['auth'], params: IdParam, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        const r = await pool.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2', [
          p.tenantId,
          req.params.id,
        ]);
        if (r.rowCount !== 1) throw notFound('No such API key');
        await deps.keyCache?.revoked(pool, p.tenantId, req.params.id);
        await writeAudit(pool, p.tenantId, actorOf(p), 'api_key.revoke', { type: 'api_key', id: req.params.id });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/users',
      { config: { scope: 'admin' }, schema: { tags: ['auth'], response: { 200: z.object({ data: z.array(UserOut) }), ...problemResponses } } },
      async (req) => {
        const { tenantId } = principalOf(req);
        const { rows } = await pool.query('SELECT id, email, name, role, locale, created_at, disabled_at FROM users WHERE tenant_id = $1 ORDER BY created_at', [
          tenantId,
        ]);
        return { data: rows.map((r) => ({ ...r, created_at: iso(r.created_at)!, disabled_at: iso(r.disabled_at) })) };
      },
    );

    app.post(
      '/v1/users',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['auth'],
          body: z.object({
            email: z.string().email().max(320),
            name: z.string().min(1).max(200),
            role: z.enum(ROLES),
            password: z.string().min(10).max(1024),
            locale: z.enum(['en', 'zh-CN']).default('en'),
          }),
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const id = await insertUser(pool, p.tenantId, req.body, await hashPassword(req.body.password));
        await writeAudit(pool, p.tenantId, actorOf(p), 'user.create', { type: 'user', id });
        return reply.status(201).send({ id });
      },
    );

    app.patch(
      '/v1/users/:id',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['auth'],
          params: IdParam,
          body: z.object({
            name: z.string().min(1).max(200).optional(),
            role: z.enum(ROLES).optional(),
            locale: z.enum(['en', 'zh-CN']).optional(),
            is_disabled: z.boolean().optional(),
            password: z.string().min(10).max(1024).optional(),
          }),
          response: { 200: UserOut, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        const hash = b.password ? await hashPassword(b.password) : null;
        const { rows } = await pool.query(
          `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role), locale = coalesce($5, locale),
                disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, now()) ELSE NULL END,
                password_hash = coalesce($7, password_hash)
          WHERE tenant_id = $1 AND id = $2 RETURNING id, email, name, role, locale, created_at, disabled_at`,
          [p.tenantId, req.params.id, b.name ?? null, b.role ?? null, b.locale ?? null, b.is_disabled ?? null, hash],
        );
        if (!rows[0]) throw notFound('No such user');
        if (b.is_disabled || b.password) await pool.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [p.tenantId, req.params.id]);
        await writeAudit(
          pool,
          p.tenantId,
          actorOf(p),
          'user.update',
          { type: 'user', id: req.params.id },
          { fields: Object.keys(b).filter((k) => k !== 'password') },
        );
        const r = rows[0];
        return { ...r, created_at: iso(r.created_at)!, disabled_at: iso(r.disabled_at) };
      },
    );
  };
}
