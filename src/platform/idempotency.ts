// Idempotency-Key on write requests: the first answer is stored and replayed for a retry with the
// same key and body; the same key with a different body is rejected with 422, and a retry while the
// first request is still running gets 409 so the client waits instead of doing the work twice.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { toProblem } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; route: string };
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerIdempotency(app: FastifyInstance, pool: pg.Pool) {
  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !req.principal || !WRITE_METHODS.has(req.method)) return;
    if (key.length === 0 || key.length > 255) {
      return reply.status(400).type('application/problem+json').send(toProblem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 characters', [{ field: 'header.idempotency-key', message: 'must be 1 to 255 characters' }]));
    }
    const tenantId = req.principal.tenantId;
    const route = `${req.method} ${req.url.split('?')[0]}`;
    const requestHash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
    const inserted = await pool.query(
      'INSERT INTO idempotency_keys (tenant_id, key, route, request_hash) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING',
      [tenantId, key, route, requestHash],
    );
    if (inserted.rowCount === 1) {
      req.idempotency = { key, route };
      return;
    }
    const { rows } = await pool.query('SELECT request_hash, status_code, response FROM idempotency_keys WHERE tenant_id = $1 AND route = $2 AND key = $3', [tenantId, route, key]);
    const prior = rows[0];
    if (!prior) return;
    if (prior.request_hash !== requestHash) {
      return reply.status(422).type('application/problem+json').send(toProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body', [{ field: 'header.idempotency-key', message: 'already used with a different body' }]));
    }
    if (prior.status_code == null) {
      return reply.status(409).type('application/problem+json').send(toProblem(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly'));
    }
    reply.header('idempotent-replayed', 'true');
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
    let body: unknown = null;
    if (typeof payload === 'string') {
      try { body = JSON.parse(payload); } catch { body = payload; }
    }
    await pool.query('UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE tenant_id = $1 AND route = $2 AND key = $3', [req.principal.tenantId, idem.route, idem.key, reply.statusCode, JSON.stringify(body)]);
    return payload;
  });
}
