// Malformed requests against every route in /openapi.json, built from each route's own schemas so
// routes added later are covered too: every one is answered with a 4xx application/problem+json whose
// `status` is the HTTP status and which names what was wrong; never a 500, a stack trace or SQL.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import {
  loadOpenApi,
  sample,
  wrongType,
  stringFields,
  withField,
  fieldName,
  collectionIdFor,
  typesOf,
  type Operation,
  type JsonSchema,
} from './fixtures/openapi.js';
import type { Rapport } from '../src/app.js';

const INTERNALS =
  /\bstack\b|\bat .+\.[jt]s:\d+|node_modules|\/src\/|\b(SELECT|INSERT|UPDATE|DELETE)\s.+\b(FROM|INTO|SET|WHERE)\b|syntax error at or near|violates .+ constraint|relation ".+"/i;
const HUGE = 'x'.repeat(1_000_000);
const TOO_LARGE = `{"a":"${'x'.repeat(17 * 1024 * 1024)}"}`;
const remoteAddress = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/**
 * Bodies wrong before any schema sees them. Fastify parses text/plain into a string, so a route
 * with a body schema refuses it as the wrong shape and a route without one has nothing to refuse.
 */
const UNPARSEABLE: { name: string; contentType: string; payload: string; status: number | number[]; onlyWithBody?: boolean }[] = [
  { name: 'invalid JSON', contentType: 'application/json', payload: '{"a": ', status: 400 },
  { name: 'a bad escape', contentType: 'application/json', payload: '{"a": "\\u12"}', status: 400 },
  // An empty body is no body: a route that needs one refuses it by its schema (naming the root).
  { name: 'an empty JSON body', contentType: 'application/json', payload: '', status: 422, onlyWithBody: true },
  { name: '__proto__ in JSON', contentType: 'application/json', payload: '{"__proto__": {"isAdmin": true}}', status: 400 },
  { name: 'a form', contentType: 'application/x-www-form-urlencoded', payload: 'name=x&scopes=admin', status: 415 },
  { name: 'plain text', contentType: 'text/plain', payload: 'hello', status: [415, 422], onlyWithBody: true },
  { name: 'XML', contentType: 'application/xml', payload: '<a>1</a>', status: 415 },
  { name: 'a body over 16 MB', contentType: 'application/json', payload: TOO_LARGE, status: 413 },
];

describe.each(databases)('bad input on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let operations: Operation[];
  let customerId: string;
  const collections = new Map<string, string>();
  const failures: string[] = [];
  let checked = 0;

  const send = (op: { method: string }, url: string, opts: { payload?: string | object; contentType?: string; headers?: Record<string, string> } = {}) =>
    r.app.inject({
      method: op.method as 'POST',
      url,
      remoteAddress,
      headers: { ...t.headers, ...(opts.contentType ? { 'content-type': opts.contentType } : {}), ...opts.headers },
      ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
    });

  /** The checks every answer to a bad request must pass; returns the problem body for more. */
  function expectRefused(what: string, res: LightMyRequestResponse, opts: { status?: number | number[]; allowSuccess?: boolean } = {}) {
    checked++;
    if (INTERNALS.test(res.body)) failures.push(`${what}: answer shows internals: ${res.body.slice(0, 200)}`);
    if (res.statusCode >= 500) return void failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (res.statusCode < 400) {
      if (!opts.allowSuccess) failures.push(`${what}: accepted with ${res.statusCode}`);
      return undefined;
    }
    const wanted = opts.status === undefined ? undefined : [opts.status].flat();
    if (wanted && !wanted.includes(res.statusCode)) failures.push(`${what}: ${res.statusCode}, expected ${wanted.join(' or ')}: ${res.body.slice(0, 200)}`);
    if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
      return void failures.push(`${what}: content-type ${res.headers['content-type']}`);
    const body = res.json();
    if (body.status !== res.statusCode) failures.push(`${what}: problem status ${body.status} on a ${res.statusCode}`);
    if (typeof body.code !== 'string' || typeof body.title !== 'string') failures.push(`${what}: problem without code or title`);
    return body as { code: string; errors?: { field: string; message: string }[] };
  }

  function expectNamed(what: string, problem: ReturnType<typeof expectRefused>, fields: string[]) {
    if (!problem) return;
    const named = (problem.errors ?? []).map((e) => e.field);
    const missing = fields.filter((f) => !named.some((n) => n === f || n.startsWith(`${f}.`) || n.startsWith(`${f}[`)));
    if (missing.length) failures.push(`${what}: does not name ${missing.join(', ')} (named: ${named.join(', ') || 'nothing'})`);
  }

  const paramValue = (op: Operation, p: string) => {
    if (p === 'kind') return 'email';
    if (p === 'value') return 'seed@example.com';
    if (p === 'key') return 'loyalty_tier';
    return collectionIdFor(collections, op.path, p, customerId);
  };
  const pathOf = (op: Operation, override: Record<string, string> = {}) =>
    op.path.replace(/\{(\w+)\}/g, (_, p: string) => override[p] ?? encodeURIComponent(paramValue(op, p)));
  const requiredQuery = (op: Operation) => {
    const q = new URLSearchParams();
    for (const p of op.query) if (p.required) q.set(p.name, p.name === 'value' ? 'seed@example.com' : String(sample(p.schema ?? {}, p.name)));
    return q;
  };
  const withQuery = (path: string, q: URLSearchParams) => (q.size ? `${path}?${q}` : path);
  const isWrite = (op: Operation) => op.method !== 'GET';

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    ({ operations } = await loadOpenApi(r.app));
    const ingest = await r.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: t.headers,
      payload: { events: [{ id: 'seed', type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: 'seed@example.com' } }] },
    });
    customerId = ingest.json().results[0].customer_id;
    // A row in every collection that can be created directly, so {id} under it names a real row.
    for (const op of operations) {
      if (op.method !== 'POST' || op.pathParams.length || !op.responses.includes('201')) continue;
      const res = await send(op, op.path, {
        payload: sample(op.body, '', (_name, s) => (s.format === 'email' ? `${randomBytes(4).toString('hex')}@example.com` : undefined)) as object,
      });
      if (res.statusCode === 201 && typeof res.json().id === 'string') collections.set(op.path, res.json().id);
    }
    collections.set('/v1/customers', customerId);
  });
  afterAll(async () => r?.close());
  beforeEach(() => {
    failures.length = 0;
    checked = 0;
  });

  it('covers every write route in the document', () => {
    const writes = operations.filter(isWrite);
    expect(writes.length).toBeGreaterThan(15);
    expect(writes.filter((o) => o.body).length).toBeGreaterThan(10);
  });

  it('refuses bodies that are not JSON, or too large, on every write route', async () => {
    for (const op of operations.filter(isWrite)) {
      for (const bad of UNPARSEABLE) {
        if (bad.onlyWithBody && !op.body) continue;
        const res = await send(op, withQuery(pathOf(op), requiredQuery(op)), { payload: bad.payload, contentType: bad.contentType });
        expectRefused(`${op.method} ${op.path} with ${bad.name}`, res, { status: bad.status });
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses JSON of the wrong shape on every route with a body, naming the fields', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const url = withQuery(pathOf(op), requiredQuery(op));
      const label = `${op.method} ${op.path}`;
      const body = op.body!;
      const minimal = sample(body) as Record<string, unknown>;
      for (const [name, payload] of [
        ['an array', JSON.stringify([minimal])],
        ['a string', '"hello"'],
        ['a number', '42'],
        ['null', 'null'],
      ] as const) {
        expectRefused(`${label} with ${name} for a body`, await send(op, url, { payload, contentType: 'application/json' }), { status: 422 });
      }
      // Every property the schema declares, given a value of the wrong type (an array for an object...).
      const wrong: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(body.properties ?? {})) {
        const v = wrongType(s);
        if (v !== undefined) wrong[k] = v;
      }
      if (Object.keys(wrong).length) {
        const problem = expectRefused(`${label} with wrong types`, await send(op, url, { payload: { ...minimal, ...wrong } }), { status: 422 });
        expectNamed(`${label} with wrong types`, problem, Object.keys(wrong));
      }
      // Each required property left out.
      for (const k of body.required ?? []) {
        const { [k]: _left, ...rest } = minimal;
        expectNamed(`${label} without ${k}`, expectRefused(`${label} without ${k}`, await send(op, url, { payload: rest }), { status: 422 }), [k]);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('refuses a megabyte, a NUL or half a surrogate pair in any string field, naming it', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const url = withQuery(pathOf(op), requiredQuery(op));
      const minimal = sample(op.body);
      for (const field of stringFields(op.body)) {
        const label = `${op.method} ${op.path} with ${fieldName(field.path)}`;
        const problem = expectRefused(`${label} of 1 MB`, await send(op, url, { payload: withField(minimal, op.body!, field.path, HUGE) }), {
          status: [400, 413, 422],
        });
        expectNamed(`${label} of 1 MB`, problem, [fieldName(field.path)]);
        // PostgreSQL text holds neither U+0000 nor half a surrogate pair: refused, naming the field; an event
        // batch refuses only the event that holds it and stores the rest.
        for (const [name, bad] of [
          ['a NUL', 'a\u0000b'],
          ['half a surrogate pair', 'a\ud800b'],
        ]) {
          const res = await send(op, url, { payload: withField(minimal, op.body!, field.path, bad) });
          if (op.path === '/v1/events') expectRefused(`${label} holding ${name}`, res, { allowSuccess: true });
          else expectNamed(`${label} holding ${name}`, expectRefused(`${label} holding ${name}`, res, { status: 422 }), [fieldName(field.path)]);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses query parameters of the wrong type on every route, naming them, and survives unknown ones', async () => {
    const WRONG_QUERY: Record<string, (s: JsonSchema) => string | undefined> = {
      integer: () => 'abc',
      number: () => 'abc',
      boolean: () => 'maybe',
      string: (s) =>
        s.enum
          ? 'not-one-of-them'
          : s.format === 'date-time'
            ? 'yesterday'
            : s.maxLength !== undefined
              ? 'x'.repeat(s.maxLength + 1)
              : s.pattern
                ? '!!'
                : undefined,
    };
    for (const op of operations.filter((o) => o.query.length)) {
      for (const p of op.query) {
        const label = `${op.method} ${op.path}?${p.name}`;
        const types = typesOf(p.schema ?? {});
        const type = ['integer', 'number', 'boolean', 'string'].find((x) => types.has(x));
        const value = type ? WRONG_QUERY[type](p.schema ?? {}) : undefined;
        if (value !== undefined) {
          const q = requiredQuery(op);
          q.set(p.name, value);
          expectNamed(label, expectRefused(`${label}=${value.slice(0, 20)}`, await send(op, withQuery(pathOf(op), q)), { status: 400 }), [`query.${p.name}`]);
        }
        if (types.has('string')) {
          const q = requiredQuery(op);
          q.set(p.name, 'a\u0000b');
          expectRefused(`${label} holding a NUL`, await send(op, withQuery(pathOf(op), q)), { allowSuccess: true });
        }
        if (type === 'integer' || type === 'number') {
          // Repeated, a scalar parameter arrives as an array.
          expectRefused(
            `${label} given twice`,
            await send(op, `${withQuery(pathOf(op), requiredQuery(op))}${op.query.some((x) => x.required) ? '&' : '?'}${p.name}=1&${p.name}=2`),
            { status: 400 },
          );
        }
      }
    }
    // Parameters no route declares, with odd names and values: ignored or refused, never a crash. A
    // write gets a body of the wrong shape with them, so that nothing is written.
    const junk = 'zz=%00&__proto__=1&constructor[prototype][x]=1&limit[]=2&%E0%A4%A=1';
    for (const op of operations) {
      if (op.method !== 'GET' && !op.body) continue;
      const q = requiredQuery(op);
      const url = `${pathOf(op)}?${q.size ? `${q}&` : ''}${junk}`;
      expectRefused(
        `${op.method} ${op.path} with unknown parameters`,
        await send(op, url, op.method === 'GET' ? {} : { payload: '[]', contentType: 'application/json' }),
        { allowSuccess: op.method === 'GET' },
      );
    }
    expect(failures).toEqual([]);
  });

  it('refuses path parameters that cannot be ids on every route', async () => {
    for (const op of operations.filter((o) => o.pathParams.length)) {
      const body = op.body ? (sample(op.body) as object) : undefined;
      for (const p of op.pathParams) {
        for (const [name, value] of [
          ['a NUL', '%00'],
          ['65 characters', 'x'.repeat(65)],
          ['300 characters', 'x'.repeat(300)],
          ['a broken %-escape', '%E0%A4%A'],
          ['an encoded slash', 'a%2Fb'],
          ['unknown unicode', encodeURIComponent('不存在的')],
        ]) {
          const res = await send(op, withQuery(pathOf(op, { [p]: value }), requiredQuery(op)), body ? { payload: body } : {});
          expectRefused(`${op.method} ${op.path} with ${p} = ${name}`, res, { status: [400, 404, 410, 414, 422] });
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers bad credentials, a bad Idempotency-Key and unknown routes with problems', async () => {
    const garbage = [
      'Bearer',
      'Bearer ' + 'x'.repeat(600),
      'Bearer rpk.a.b.c.d',
      `Bearer rpk.${t.tenantId}.key_nope.secret`,
      'Basic dXNlcjpwYXNz',
      'Bearer rpk.ték.b.c',
      `Bearer ${t.apiKey}x`,
    ];
    for (const authorization of garbage) {
      expectRefused(`Authorization: ${authorization.slice(0, 30)}`, await r.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization } }), {
        status: 401,
      });
    }
    for (const cookie of ['garbage', 'a.b.c', `${t.tenantId}.ses_nope.%00`, '%00.%00.%00', 'x'.repeat(5000)]) {
      expectRefused(
        `session cookie ${cookie.slice(0, 30)}`,
        await r.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `rapport_session=${cookie}` } }),
        { status: 401 },
      );
    }
    const longKey = await r.app.inject({ method: 'POST', url: '/v1/customers', headers: { ...t.headers, 'idempotency-key': 'k'.repeat(256) }, payload: {} });
    expectNamed('a 256-character Idempotency-Key', expectRefused('a 256-character Idempotency-Key', longKey, { status: 400 }), ['header.idempotency-key']);
    expectRefused('an unknown route', await r.app.inject({ method: 'GET', url: '/v1/nope', headers: t.headers }), { status: 404 });
    expectRefused('a method the route does not have', await r.app.inject({ method: 'DELETE', url: '/v1/events', headers: t.headers }), { status: [404, 405] });
    const nested = `{"attributes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expectRefused(
      'a deeply nested body',
      await r.app.inject({ method: 'POST', url: '/v1/customers', headers: { ...t.headers, 'content-type': 'application/json' }, payload: nested }),
      { status: [400, 413, 422] },
    );
    expect(failures).toEqual([]);
  });

  it('stores the good events of a batch and reports each bad one by index and field', async () => {
    const good = (id: string) => ({
      id,
      type: 'purchase',
      occurred_at: '2026-01-02T00:00:00Z',
      identities: { email: `${id}@example.com` },
      properties: { order_id: id, amount: 12.5, currency: 'CNY' },
    });
    const tag = randomBytes(3).toString('hex');
    const batch: unknown[] = [
      good(`${tag}-ok-1`),
      [1, 2, 3],
      'an event',
      null,
      { ...good(`${tag}-no-time`), occurred_at: undefined },
      { ...good(`${tag}-bad-time`), occurred_at: 'yesterday' },
      { ...good(`${tag}-no-identity`), identities: {} },
      { ...good(`${tag}-bad-email`), identities: { email: 'not an email' } },
      { ...good(`${tag}-amount`), properties: { order_id: 'x', amount: 'lots', currency: 'CNY' } },
      { ...good(`${tag}-huge-id`), id: 'i'.repeat(100_000) },
      { ...good(`${tag}-nul`), properties: { note: 'a\u0000b' } },
      { ...good(`${tag}-types`), type: 42, identities: 'someone' },
      good(`${tag}-ok-2`),
    ];
    const res = await r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload: { events: batch } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(batch.length - 2);
    expect(body.results.map((x: { index: number }) => x.index)).toEqual(batch.map((_, i) => i));
    expect(body.results[0]).toMatchObject({ status: 'accepted', id: `${tag}-ok-1` });
    expect(body.results.at(-1)).toMatchObject({ status: 'accepted', id: `${tag}-ok-2` });
    const fieldsOf = (i: number): string[] => body.results[i].errors.map((e: { field: string }) => e.field);
    for (let i = 1; i < batch.length - 1; i++) {
      expect(body.results[i].status, `item ${i}`).toBe('rejected');
      expect(body.results[i].errors.length, `item ${i}`).toBeGreaterThan(0);
    }
    expect(fieldsOf(4)).toContain('occurred_at');
    expect(fieldsOf(5)).toContain('occurred_at');
    expect(fieldsOf(6)).toContain('identities');
    expect(fieldsOf(7)).toContain('identities.email');
    expect(fieldsOf(8)).toContain('properties.amount');
    expect(fieldsOf(9)).toContain('id');
    expect(fieldsOf(10)).toContain('properties.note');
    expect(fieldsOf(11)).toEqual(expect.arrayContaining(['type', 'identities']));
    const { rows } = await r.db.pool.query('SELECT id FROM customer_events WHERE tenant_id = $1 AND id LIKE $2 ORDER BY id', [t.tenantId, `${tag}-%`]);
    expect(rows.map((x) => x.id)).toEqual([`${tag}-ok-1`, `${tag}-ok-2`]);
  });
});
