// Liveness, readiness and Prometheus metrics for whoever operates Rapport.
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from './db.js';
import { z } from './validation.js';

// Until the console and portal apps land, the root page says what is running and where to go.
const HOME = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Rapport</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}a{color:#0b6bcb}code{background:#f0f3f7;padding:0 .25rem}</style></head>
<body><h1>Rapport</h1><p>Customer experience and loyalty platform · 客户体验与忠诚度平台</p>
<ul><li><a href="/console/">Console · 控制台</a> (agents, managers, admins) · customer portal at <code>/portal/&lt;tenant&gt;/</code> · 客户门户</li>
<li><a href="/docs">API reference (OpenAPI)</a> · <a href="/openapi.json">openapi.json</a></li>
<li>Sign in: <code>POST /v1/auth/login</code> with the tenant, email and password printed at start-up · 登录</li>
<li><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></li></ul></body></html>`;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `metricsToken` (RAPPORT_METRICS_TOKEN): when set, /metrics answers only to `Authorization: Bearer <it>`. */
export function opsRoutes(deps: { db: Database; version: string; metricsToken?: string }): FastifyPluginAsync {
  const counters = { requests: new Map<string, number>(), durationSum: 0, durationCount: 0 };
  // Shared upward (fastify-plugin) so the counting hook sees every route, not only these three.
  return fp(async (app) => {
    app.addHook('onResponse', async (req, reply) => {
      const key = `${req.method} ${reply.statusCode}`;
      counters.requests.set(key, (counters.requests.get(key) ?? 0) + 1);
      counters.durationSum += reply.elapsedTime / 1000;
      counters.durationCount++;
    });
    app.get('/', { config: { isPublic: true }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(HOME));
    app.get(
      '/healthz',
      { config: { isPublic: true }, schema: { hide: true, response: { 200: z.object({ status: z.string(), version: z.string() }) } } },
      async () => ({ status: 'ok', version: deps.version }),
    );
    app.get('/readyz', { config: { isPublic: true }, schema: { hide: true } }, async (_req, reply) => {
      try {
        await deps.db.pool.query('SELECT 1');
        return { status: 'ready', database: deps.db.isEmbedded ? 'embedded' : 'postgresql' };
      } catch {
        return reply
          .status(503)
          .type('application/problem+json')
          .send({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'The database does not answer' });
      }
    });
    app.get('/metrics', { config: { isPublic: true }, schema: { hide: true } }, async (req, reply) => {
      if (deps.metricsToken) {
        const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
        // Digests compared, so neither the length nor the bytes of the token leak through timing.
        if (!timingSafeEqual(digest(given), digest(deps.metricsToken))) {
          return reply
            .status(401)
            .header('www-authenticate', 'Bearer')
            .type('application/problem+json')
            .send({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHORIZED', detail: 'The metrics token is missing or wrong' });
        }
      }
      const mem = process.memoryUsage();
      const pool = deps.db.pool;
      const lines = [
        '# HELP rapport_http_requests_total HTTP requests by method and status.',
        '# TYPE rapport_http_requests_total counter',
        ...[...counters.requests].map(([k, v]) => {
          const [m, s] = k.split(' ');
          return `rapport_http_requests_total{method="${m}",status="${s}"} ${v}`;
        }),
        '# HELP rapport_http_request_duration_seconds Total time spent answering requests.',
        '# TYPE rapport_http_request_duration_seconds summary',
        `rapport_http_request_duration_seconds_sum ${counters.durationSum}`,
        `rapport_http_request_duration_seconds_count ${counters.durationCount}`,
        '# HELP rapport_db_pool_connections Database pool connections by state.',
        '# TYPE rapport_db_pool_connections gauge',
        `rapport_db_pool_connections{state="total"} ${pool.totalCount}`,
        `rapport_db_pool_connections{state="idle"} ${pool.idleCount}`,
        `rapport_db_pool_connections{state="waiting"} ${pool.waitingCount}`,
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${mem.rss}`,
        '# HELP nodejs_heap_used_bytes V8 heap in use.',
        '# TYPE nodejs_heap_used_bytes gauge',
        `nodejs_heap_used_bytes ${mem.heapUsed}`,
      ];
      return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
    });
  });
}
