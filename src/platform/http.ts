// HTTP plumbing shared by every module: Zod validation and serialisation, OpenAPI at /docs and
// /openapi.json, problem+json errors, request ids, authentication and scopes, idempotent replays.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyError } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  serializerCompiler,
  validatorCompiler,
  jsonSchemaTransform,
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type pg from 'pg';
import { AppError, toProblem, zodIssuesToFields, type FieldProblem } from './errors.js';
import type { Clock } from './clock.js';
import { authenticateApiKey, authenticateSession, SESSION_COOKIE, type Principal, type Scope } from './auth.js';
import { newId } from './ids.js';
import type { KeyCache } from './key-cache.js';
import { registerIdempotency } from './idempotency.js';
import { unstorableFields } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** The JSON body had no \u escape (set by useFastJsonParser): it cannot hold an unstorable character. */
    isPlainText?: boolean;
  }
  interface FastifyContextConfig {
    /** Scope an API key needs for this route. Defaults: read for GET, write otherwise. */
    scope?: Scope;
    /** No authentication (health, login, provider webhooks verified by their own scheme). */
    isPublic?: boolean;
    /** A batch whose items are checked one by one (events): a bad item is refused alone, the rest stored. */
    checksItems?: boolean;
  }
}

export type App = FastifyInstance;

export function sendProblem(reply: FastifyReply, status: number, code: string, detail?: string, errors?: FieldProblem[], extra?: Record<string, unknown>) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send(toProblem(status, code, detail, errors, extra));
}

/**
 * For a route that takes large JSON bodies (event batches): Fastify's parser (secure-json-parse) runs
 * two regular expressions over the whole body looking for "__proto__" and "constructor", written
 * plainly or with \\u escapes, which costs as much as parsing it. A body holding neither word and
 * no \\u escape at all cannot match them, so plain JSON.parse answers the same; any other body, and any
 * malformed one, goes to Fastify's own parser, which refuses poisoning and words the error as before.
 */
export function useFastJsonParser(app: FastifyInstance) {
  const fallback = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    let parsed: unknown;
    let isParsed = false;
    if (text.length && !text.includes('\\u') && !text.includes('__proto__') && !text.includes('constructor')) {
      try {
        parsed = JSON.parse(text);
        isParsed = true;
      } catch {
        // Malformed: Fastify's parser answers with its own error.
      }
    }
    if (isParsed) {
      // Without a \u escape, JSON cannot hold a NUL or half a surrogate pair: nothing to look for.
      req.isPlainText = true;
      done(null, parsed);
    } else if (text.trim() === '') done(null, undefined);
    else fallback(req, text, done);
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a cookie-authenticated request that changes something (any unsafe method, and a WebSocket
 * upgrade) unless it comes from a page of this server: SameSite alone lets a sibling subdomain through
 * and old browsers ignore it. Browsers say where a request comes from in Sec-Fetch-Site (Fetch Metadata)
 * or, failing that, Origin; a request with neither is not a browser's cross-site request. `publicUrl`:
 * the origin customers and agents reach the server at, which behind a proxy may differ from the Host seen.
 */
export function assertSameOrigin(req: FastifyRequest, publicUrl?: string): void {
  const isUpgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
  if (SAFE_METHODS.has(req.method) && !isUpgrade) return;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const isAllowed =
    typeof site === 'string' && site !== ''
      ? site === 'same-origin' || site === 'none'
      : origin === undefined || origin === `${req.protocol}://${req.host}` || (!!publicUrl && origin === new URL(publicUrl).origin);
  if (!isAllowed) throw new AppError(403, 'CROSS_SITE_REQUEST', 'A request from another site may not use this session');
}

/** The tenant and principal of an authenticated request; routes call this instead of reading headers. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError(401, 'UNAUTHORIZED', 'Authentication required');
  return req.principal;
}

export async function createHttpServer(opts: {
  log: Logger;
  pool: pg.Pool;
  version: string;
  trustProxy?: boolean;
  keyCache?: KeyCache;
  clock: Clock;
  publicUrl?: string;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.log as unknown as FastifyBaseLogger,
    bodyLimit: 16 * 1024 * 1024,
    // Signed links carry their ids in the path: a campaign message's unsubscribe or click token is
    // longer than Fastify's default 100 characters.
    routerOptions: { maxParamLength: 200 },
    // Trusting X-Forwarded-For from anyone would let a client pick the address login throttling counts.
    trustProxy: opts.trustProxy ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId('req');
    },
    logController: new LogController({ disableRequestLogging: true }),
    // A malformed %-escape or a path parameter over 100 characters is refused by the router before
    // any hook or the error handler runs; without this Fastify answers those in its own JSON shape.
    frameworkErrors: (err, _req, reply) => sendProblem(reply, err.statusCode ?? 400, err.code ?? 'BAD_REQUEST', err.message),
  }).withTypeProvider<ZodTypeProvider>();

  // Bodies are JSON unless a route says otherwise (provider webhooks, the widget's simple requests add
  // their own parsers): a cross-site HTML form can send text/plain without a preflight, never JSON.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Clients (and generated SDKs) send Content-Type: application/json on every POST, bodiless actions
  // such as a tier review too; Fastify's parser refuses the empty body (FST_ERR_CTP_EMPTY_JSON_BODY).
  // A request without a body has no content to type: the header is dropped before parsing (not the
  // parser replaced, which modules with their own JSON parsers override), and a route that needs a
  // body still says so through its schema.
  app.addHook('onRequest', async (req) => {
    const h = req.headers;
    if (
      h['content-type'] !== undefined &&
      /^application\/json\b/i.test(h['content-type']) &&
      h['transfer-encoding'] === undefined &&
      (h['content-length'] === undefined || h['content-length'] === '0')
    )
      delete h['content-type'];
  });
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Rapport API', version: opts.version, description: 'Customer experience and loyalty platform' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          portalSession: { type: 'apiKey', in: 'cookie', name: 'rapport_portal' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { isPublic: true } }, async () => app.swagger());

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const config = req.routeOptions.config;
    // Decided by the route the router matched, never by the URL as written: /%761/... matches /v1/...
    if (!req.routeOptions.url?.startsWith('/v1/') || config?.isPublic) return;
    const auth = req.headers.authorization;
    let principal: Principal | undefined;
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      principal = m ? await authenticateApiKey(opts.pool, m[1], opts.clock.now(), opts.keyCache) : undefined;
    } else if (req.cookies[SESSION_COOKIE]) {
      principal = await authenticateSession(opts.pool, req.cookies[SESSION_COOKIE]!, opts.clock.now());
      if (principal) assertSameOrigin(req, opts.publicUrl);
    }
    if (!principal) return sendProblem(reply, 401, 'UNAUTHORIZED', 'A valid API key or session is required');
    const needed: Scope = config?.scope ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
    if (!principal.scopes.has(needed) && !principal.scopes.has('admin')) {
      return sendProblem(reply, 403, 'FORBIDDEN', `This credential lacks the "${needed}" scope`);
    }
    req.principal = principal;
  });

  registerIdempotency(app as unknown as FastifyInstance, opts.pool, opts.clock);

  // Before each route's schema: a text PostgreSQL cannot store is refused by its field, instead of failing
  // later in a write (a 422 for the whole body) or in an event a subscriber cannot store.
  app.addHook('preValidation', async (req, reply) => {
    const bad = [
      ...(req.isPlainText || req.routeOptions.config?.checksItems || typeof req.body !== 'object' ? [] : unstorableFields(req.body)),
      ...unstorableFields(req.query).map((f) => `query.${f}`),
    ];
    if (bad.length)
      return sendProblem(
        reply,
        422,
        'UNSTORABLE_VALUE',
        'A text cannot be stored: it holds a NUL character or half of a surrogate pair',
        bad.map((field) => ({ field, message: 'holds a NUL character or half of a surrogate pair' })),
      );
  });

  app.addHook('onResponse', async (req, reply) => {
    // A WebSocket upgrade refused here (401, 403) answered over the raw socket, which nothing else
    // closes: the upgrade plugin's own hooks never ran. One that upgraded never reaches onResponse.
    if (req.headers.upgrade) req.raw.socket?.end();
    req.log.info(
      {
        method: req.method,
        url: req.routeOptions.url ?? req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        tenant: req.principal?.tenantId,
      },
      'request',
    );
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = (err as { validationContext?: string }).validationContext ?? 'body';
      const where = context === 'querystring' ? 'query' : context;
      const fields = err.validation.map((v) => ({
        field: zodIssuesToFields(
          [
            {
              path: (v.params?.issue as { path?: PropertyKey[] } | undefined)?.path ?? v.instancePath.split('/').filter(Boolean),
              message: v.message ?? 'invalid',
            },
          ],
          where === 'body' ? '' : where,
        )[0].field,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, where === 'body' ? 422 : 400, 'VALIDATION_FAILED', `The request ${where} is not valid`, fields);
    }
    if (err instanceof AppError) return sendProblem(reply, err.status, err.code, err.message, err.errors, err.extra);
    if (isResponseSerializationError(err)) {
      req.log.error({ err: err.message, url: req.url }, 'response did not match its schema');
      return sendProblem(reply, 500, 'INTERNAL', 'Something went wrong on our side; it has been logged');
    }
    // PostgreSQL data exceptions (class 22: a NUL character in text, a number out of range, a malformed
    // value the schema let through) are the client's input, not our fault: 422, without the SQL.
    const pgCode = (err as { code?: string }).code;
    if (typeof pgCode === 'string' && /^22[0-9A-Z]{3}$/.test(pgCode) && (err as { severity?: string }).severity) {
      req.log.warn({ code: pgCode, url: req.routeOptions.url }, 'input rejected by the database');
      return sendProblem(reply, 422, 'UNSTORABLE_VALUE', 'A value cannot be stored: it has a NUL character, is out of range or is malformed', [
        { field: '(body)', message: 'contains a value the database cannot store' },
      ]);
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large...
      return sendProblem(
        reply,
        status,
        (err as { code?: string }).code ?? 'BAD_REQUEST',
        err.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, 'The body is not valid JSON'),
      );
    }
    // Never echo internals (SQL, stack) to the client, nor stacks to the log; the request id joins
    // the reply to the log line, whose top frame says where it failed.
    const where = err.stack
      ?.split('\n')
      .find((l) => l.includes('/src/'))
      ?.trim();
    req.log.error({ err: { message: err.message, code: (err as { code?: string }).code, where } }, 'unhandled error');
    return sendProblem(reply, 500, 'INTERNAL', `Something went wrong on our side; quote request id ${req.id}`);
  });

  app.setNotFoundHandler((req, reply) => sendProblem(reply, 404, 'NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`));

  return app as unknown as FastifyInstance;
}
