// Idempotency-Key on write requests: the first answer is stored and replayed for a retry with the
// same key and body; the same key with a different body is rejected with 422, and a retry while the
// first request is still running gets 409 so the client waits instead of doing the work twice.
// Records live 24 hours (as Stripe's do): a retry comes within minutes, and a stored answer is a copy
// of personal data that erasure must otherwise chase. An answer that carries a secret shown once (a new
// API key's token, a channel's generated secret) is never stored: its replay says so instead.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Clock } from './clock.js';
import type { Queryable } from './db.js';
import { toProblem } from './errors.js';
import { queryRow, rowOf } from './query-rows.js';
import { idempotencyKeys } from './schema.js';

const Prior = rowOf(idempotencyKeys, ['request_hash', 'status_code', 'response', 'is_withheld']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; route: string };
  }
  interface FastifyContextConfig {
    /** The answer carries a secret shown once: an idempotent replay must not keep or repeat it. */
    hasSecretAnswer?: boolean;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The path as the router understood it: the route's pattern with its decoded parameters, so that
 * `/%761/cases` and `/v1/cases` (one route to the router) are one key, not two writes.
 */
function routedPath(req: FastifyRequest): string {
  const pattern = req.routeOptions.url;
  // No pattern (nothing matched) or a wildcard's: the path as written, which is never looser.
  if (!pattern || pattern.includes('*')) return req.url.split('?')[0];
  const params = (req.params ?? {}) as Record<string, string>;
  return pattern.replace(/:(\w+)/g, (whole, name: string) => (typeof params[name] === 'string' ? encodeURIComponent(params[name]) : whole));
}
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
// Expired records are never read again (a new request takes their key over); one write in a hundred
// clears them, so the table holds about a day of writes without a timer on API-only nodes.
const SWEEP_ODDS = 0.01;

export function registerIdempotency(app: FastifyInstance, pool: pg.Pool, clock: Clock) {
  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !req.principal || !WRITE_METHODS.has(req.method)) return;
    if (key.length === 0 || key.length > 255) {
      return reply
        .status(400)
        .type('application/problem+json')
        .send(
          toProblem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 characters', [
            { field: 'header.idempotency-key', message: 'must be 1 to 255 characters' },
          ]),
        );
    }
    const tenantId = req.principal.tenantId;
    const route = `${req.method} ${routedPath(req)}`;
    const requestHash = createHash('sha256')
      .update(JSON.stringify(req.body ?? null))
      .digest('hex');
    const now = clock.now();
    const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
    if (Math.random() < SWEEP_ODDS) await pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [expired]);
    // A record past its day is taken over as if it were not there.
    const inserted = await pool.query(
      `INSERT INTO idempotency_keys (tenant_id, key, route, request_hash, created_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (tenant_id, route, key) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at, status_code = NULL, response = NULL, is_withheld = false
       WHERE idempotency_keys.created_at < $6`,
      [tenantId, key, route, requestHash, now, expired],
    );
    if (inserted.rowCount === 1) {
      req.idempotency = { key, route };
      return;
    }
    const prior = await queryRow(
      pool,
      Prior,
      'SELECT request_hash, status_code, response, is_withheld FROM idempotency_keys WHERE tenant_id = $1 AND route = $2 AND key = $3',
      [tenantId, route, key],
    );
    if (!prior) return;
    if (prior.request_hash !== requestHash) {
      return reply
        .status(422)
        .type('application/problem+json')
        .send(
          toProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body', [
            { field: 'header.idempotency-key', message: 'already used with a different body' },
          ]),
        );
    }
    if (prior.status_code == null) {
      return reply
        .status(409)
        .type('application/problem+json')
        .send(toProblem(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly'));
    }
    if (prior.is_withheld) {
      return reply
        .status(409)
        .type('application/problem+json')
        .send(
          toProblem(
            409,
            'IDEMPOTENCY_ANSWER_WITHHELD',
            `The request with this Idempotency-Key already succeeded (${prior.status_code}); its answer carried a secret that is shown once and is not kept`,
          ),
        );
    }
    reply.header('idempotent-replayed', 'true');
    // Every error answer is a problem document (RFC 9457), the replayed one too.
    if (prior.status_code >= 400) reply.type('application/problem+json');
    return reply.status(prior.status_code).send(prior.response);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem || !req.principal) return payload;
    if (reply.statusCode >= 500 || reply.statusCode === 409) {
      // A failed attempt must not pin its answer: let the client retry for real.
      await pool.query('DELETE FROM idempotency_keys WHERE tenant_id = $1 AND route = $2 AND key = $3', [req.principal.tenantId, idem.route, idem.key]);
      return payload;
    }
    const isWithheld = reply.statusCode < 300 && req.routeOptions.config?.hasSecretAnswer === true;
    let body: unknown = null;
    if (typeof payload === 'string' && !isWithheld) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await pool.query('UPDATE idempotency_keys SET status_code = $4, response = $5, is_withheld = $6 WHERE tenant_id = $1 AND route = $2 AND key = $3', [
      req.principal.tenantId,
      idem.route,
      idem.key,
      reply.statusCode,
      JSON.stringify(body),
      isWithheld,
    ]);
    return payload;
  });
}

/**
 * Erasure: drops a tenant's idempotency records whose key, route or stored answer mentions any of the
 * given values (the erased customers' ids and identities, the ids of their conversations and cases),
 * so that no replay answers with what was erased.
 */
export async function purgeIdempotencyRecords(db: Queryable, tenantId: string, mentions: readonly string[]): Promise<number> {
  const needles = [...new Set(mentions.filter((m) => m && m.length >= 4).map((m) => m.toLowerCase()))];
  if (!needles.length) return 0;
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys k WHERE k.tenant_id = $1
        AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS n WHERE strpos(lower(k.key || ' ' || k.route || ' ' || coalesce(k.response::text, '')), n) > 0)`,
    [tenantId, needles],
  );
  return rowCount ?? 0;
}
