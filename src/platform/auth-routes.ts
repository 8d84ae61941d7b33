// Console login and logout, the current principal and their settings; the API keys (api-key-routes.ts) and
// users (user-routes.ts) of the caller's tenant.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Clock } from './clock.js';
import { isCookieSecure, type Config } from './config.js';
import { z, problemResponses } from './validation.js';
import { createSession, deleteSession, dummyPasswordHash, verifyPassword, SESSION_COOKIE } from './auth.js';
import { MeOut, MePatch } from './auth-contract.js';
import { findTenantBySlug, getTenantName } from './tenancy.js';
import { tooManyRequests, unauthorized, unprocessable } from './errors.js';
import { assertSameOrigin, principalOf } from './http.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { userRoutes } from './user-routes.js';
import type { KeyCache } from './key-cache.js';
import { writeAudit } from './audit.js';
import { queryRow, rowOf } from './query-rows.js';
import { users } from './schema.js';
import { NO_TENANT, type RateLimit, type RateLimiter } from './rate-limit.js';

// Ten failures for one tenant+email, or thirty from one address, in 15 minutes lock login out for
// the rest of the window (OWASP authentication cheat sheet: throttle by account and by source).
const PER_ACCOUNT: RateLimit = { name: 'login-failures-account', limit: 10, windowSeconds: 15 * 60 };
const PER_ADDRESS: RateLimit = { name: 'login-failures-address', limit: 30, windowSeconds: 15 * 60 };

const LoginUser = rowOf(users, ['id', 'role', 'password_hash']);
const MeUser = rowOf(users, ['name', 'email', 'locale']);

const LoginBody = z.object({
  tenant: z.string().min(1).max(100),
  email: z.string().email().max(320),
  password: z.string().min(1).max(1024),
});

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
        const user = tenantRow
          ? await queryRow(pool, LoginUser, 'SELECT id, role, password_hash FROM users WHERE tenant_id = $1 AND email = $2 AND disabled_at IS NULL', [
              tenantId,
              email.trim().toLowerCase(),
            ])
          : undefined;
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

    async function me(req: Parameters<typeof principalOf>[0]) {
      const p = principalOf(req);
      const tenantName = await getTenantName(pool, p.tenantId);
      const u =
        p.kind === 'user'
          ? await queryRow(pool, MeUser, 'SELECT name, email, locale FROM users WHERE tenant_id = $1 AND id = $2', [p.tenantId, p.id])
          : undefined;
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
          body: MePatch,
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

    // API keys and users, each on an instance of its own within this one.
    await app.register(apiKeyRoutes(deps));
    await app.register(userRoutes(deps));
  };
}
