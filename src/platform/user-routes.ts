// The console users of the caller's tenant: list, create, change (a disabled user or a new password
// ends their sessions), for admins; and their names alone for anyone who reads (who did a case's step,
// who wrote a reply). Registered by authRoutes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { hashPassword } from './auth.js';
import { NewUser, UserList, UserNames, UserOut, UserPatch } from './auth-contract.js';
import { actorOf, writeAudit } from './audit.js';
import { notFound } from './errors.js';
import { principalOf } from './http.js';
import { queryRow, queryRows, rowOf } from './query-rows.js';
import { users } from './schema.js';
import { insertUser } from './tenancy.js';
import { IdParam, problemResponses, z } from './validation.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const UserRow = rowOf(users, ['id', 'email', 'name', 'role', 'locale', 'created_at', 'disabled_at']);
const UserName = rowOf(users, ['id', 'name']);

export function userRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const { pool } = deps;
  return async (app) => {
    app.get('/v1/users', { config: { scope: 'admin' }, schema: { tags: ['auth'], response: { 200: UserList, ...problemResponses } } }, async (req) => {
      const { tenantId } = principalOf(req);
      const rows = await queryRows(
        pool,
        UserRow,
        'SELECT id, email, name, role, locale, created_at, disabled_at FROM users WHERE tenant_id = $1 ORDER BY created_at',
        [tenantId],
      );
      return { data: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), disabled_at: iso(r.disabled_at) })) };
    });

    // Disabled users keep their names: the steps they took are still theirs.
    app.get(
      '/v1/users/names',
      { config: { scope: 'read' }, schema: { tags: ['auth'], summary: "The console users' names", response: { 200: UserNames, ...problemResponses } } },
      async (req) => ({
        data: await queryRows(pool, UserName, 'SELECT id, name FROM users WHERE tenant_id = $1 ORDER BY created_at', [principalOf(req).tenantId]),
      }),
    );

    app.post(
      '/v1/users',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['auth'],
          body: NewUser,
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
          body: UserPatch,
          response: { 200: UserOut, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const b = req.body;
        const hash = b.password ? await hashPassword(b.password) : null;
        const r = await queryRow(
          pool,
          UserRow,
          `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role), locale = coalesce($5, locale),
                disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, now()) ELSE NULL END,
                password_hash = coalesce($7, password_hash)
          WHERE tenant_id = $1 AND id = $2 RETURNING id, email, name, role, locale, created_at, disabled_at`,
          [p.tenantId, req.params.id, b.name ?? null, b.role ?? null, b.locale ?? null, b.is_disabled ?? null, hash],
        );
        if (!r) throw notFound('No such user');
        if (b.is_disabled || b.password) await pool.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [p.tenantId, req.params.id]);
        await writeAudit(
          pool,
          p.tenantId,
          actorOf(p),
          'user.update',
          { type: 'user', id: req.params.id },
          { fields: Object.keys(b).filter((k) => k !== 'password') },
        );
        return { ...r, created_at: r.created_at.toISOString(), disabled_at: iso(r.disabled_at) };
      },
    );
  };
}
