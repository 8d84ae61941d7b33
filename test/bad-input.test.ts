// Malformed requests against every write route in /openapi.json: each gets a 4xx problem+json that
// names what was wrong, never a 500, and never a stack or SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import type { Rapport } from '../src/app.js';

const BAD_BODIES: { name: string; payload: string; contentType: string }[] = [
  { name: 'invalid JSON', payload: '{"a": ', contentType: 'application/json' },
  { name: 'an array', payload: '[1,2,3]', contentType: 'application/json' },
  { name: 'a string', payload: '"hello"', contentType: 'application/json' },
  { name: 'wrong types', payload: JSON.stringify({ events: 7, identities: 'x', name: 12, scopes: 'all', type: [], channel: {}, other_id: 5, kind: 1, value: false, role: 'god', email: 3, password: 1 }), contentType: 'application/json' },
  { name: 'huge strings', payload: JSON.stringify({ name: 'x'.repeat(100_000), given_name: 'y'.repeat(100_000), events: [{ id: 'z'.repeat(10_000) }] }), contentType: 'application/json' },
  { name: 'form data', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'prototype pollution', payload: '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json' },
];

describe.each(databases)('bad input on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let customerId: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    customerId = (await r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload: { events: [{ id: 'seed', type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: 'seed@example.com' } }] } })).json().results[0].customer_id;
  });
  afterAll(async () => r?.close());

  it('answers every malformed write with a 4xx problem naming the problem', async () => {
    const doc = (await r.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const failures: string[] = [];
    let tried = 0;
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item)) {
        if (!['post', 'put', 'patch'].includes(method)) continue;
        const url = path.replace(/\{id\}/g, customerId).replace(/\{key\}/g, 'some_key').replace(/\{kind\}/g, 'email').replace(/\{value\}/g, 'seed@example.com');
        for (const bad of BAD_BODIES) {
          tried++;
          const res = await r.app.inject({ method: method.toUpperCase() as 'POST', url, headers: { ...t.headers, 'content-type': bad.contentType }, payload: bad.payload });
          const where = `${method.toUpperCase()} ${path} with ${bad.name}`;
          if (res.statusCode >= 500) { failures.push(`${where}: ${res.statusCode}`); continue; }
          if (res.statusCode < 400) continue; // a route without a body (logout, erase) may accept it
          if (!/application\/problem\+json/.test(String(res.headers['content-type']))) failures.push(`${where}: content-type ${res.headers['content-type']}`);
          const body = res.json();
          if (body.status !== res.statusCode) failures.push(`${where}: status field ${body.status}`);
          if (/stack|at \/|SELECT |INSERT |UPDATE /.test(res.body)) failures.push(`${where}: leaks internals`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(50);
  });

  it('rejects bad query parameters and a bad cursor with 400 naming them', async () => {
    const customerId = (await r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload: { events: [{ id: 'q', type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: 'q@example.com' } }] } })).json().results[0].customer_id;
    const res = await r.app.inject({ method: 'GET', url: `/v1/customers/${customerId}/timeline?limit=abc&from=yesterday`, headers: t.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.from', 'query.limit']);
    const cursor = await r.app.inject({ method: 'GET', url: `/v1/customers/${customerId}/timeline?cursor=garbage`, headers: t.headers });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].field).toBe('query.cursor');
  });

  it('answers an unknown route and a wrong method with problem+json 404', async () => {
    const res = await r.app.inject({ method: 'GET', url: '/v1/nope', headers: t.headers });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
