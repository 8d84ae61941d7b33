// The API keys of the caller's tenant: list, create (the token shown once), revoke. Registered by authRoutes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { createApiKey } from './auth.js';
import { ApiKeyList, NewApiKey, NewApiKeyOut } from './auth-contract.js';
import { actorOf, writeAudit } from './audit.js';
import { notFound } from './errors.js';
import { principalOf } from './http.js';
import type { KeyCache } from './key-cache.js';
import { queryRows, rowOf } from './query-rows.js';
import { apiKeys } from './schema.js';
import { IdParam, problemResponses, z } from './validation.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const ApiKeyRow = rowOf(apiKeys, ['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at']);

export function apiKeyRoutes(deps: { pool: pg.Pool; keyCache?: KeyCache }): FastifyPluginAsyncZod {
  const { pool } = deps;
  return async (app) => {
    app.get('/v1/api-keys', { config: { scope: 'admin' }, schema: { tags: ['auth'], response: { 200: ApiKeyList, ...problemResponses } } }, async (req) => {
      const { tenantId } = principalOf(req);
      const rows = await queryRows(
        pool,
        ApiKeyRow,
        'SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at',
        [tenantId],
      );
      return { data: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString(), last_used_at: iso(r.last_used_at), revoked_at: iso(r.revoked_at) })) };
    });

    app.post(
      '/v1/api-keys',
      {
        config: { scope: 'admin', hasSecretAnswer: true },
        schema: {
          tags: ['auth'],
          body: NewApiKey,
          response: { 201: NewApiKeyOut, ...problemResponses },
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
  };
}
