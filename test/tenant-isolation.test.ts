// Walks every operation in /openapi.json with tenant A's admin credentials aimed at tenant B's ids and
// values. Routes added later are walked automatically; a route that answers B's data fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import type { Rapport } from '../src/app.js';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; format?: string; items?: Schema; minItems?: number; anyOf?: Schema[]; oneOf?: Schema[]; pattern?: string; minimum?: number };

describe.each(databases)('tenant isolation on $name', ({ url }) => {
  let r: Rapport;
  let a: TestTenant;
  let b: TestTenant;
  const bIds: Record<string, string> = {};

  beforeAll(async () => {
    r = await startTestApp(url);
    a = await createTestTenant(r);
    b = await createTestTenant(r);
    const asB = (method: 'GET' | 'POST' | 'PUT', path: string, payload?: object) => r.app.inject({ method, url: path, headers: b.headers, ...(payload ? { payload } : {}) });
    const ev = await asB('POST', '/v1/events', { events: [{ id: 'b-secret-event', type: 'purchase', occurred_at: '2026-02-01T00:00:00Z', identities: { email: 'b.only@tenant-b.example.com', phone: '+8613700000777' }, properties: { order_id: 'B-ORDER', amount: 5, currency: 'CNY' } }] });
    bIds.customer = ev.json().results[0].customer_id;
    await asB('PUT', '/v1/customer-attributes/b_secret_attr', { type: 'string' });
    bIds.apiKey = (await asB('POST', '/v1/api-keys', { name: 'b key', scopes: ['read'] })).json().id;
    bIds.user = (await asB('POST', '/v1/users', { email: 'agent@tenant-b.example.com', name: 'B Agent', role: 'agent', password: 'a long enough password' })).json().id;
    expect(Object.values(bIds).every(Boolean)).toBe(true);
  });
  afterAll(async () => r?.close());

  function idFor(path: string): string {
    if (path.startsWith('/v1/api-keys')) return bIds.apiKey;
    if (path.startsWith('/v1/users')) return bIds.user;
    return bIds.customer;
  }

  const NAME_PARAMS = new Set(['key']);
  const PARAM_VALUES: Record<string, (path: string) => string> = {
    id: idFor, kind: () => 'email', value: () => 'b.only@tenant-b.example.com', key: () => 'b_secret_attr',
  };

  /** A minimal body that passes validation where it can, pointing every id-like field at tenant B. */
  function sample(s: Schema | undefined, name = ''): unknown {
    if (!s) return {};
    const variant = s.anyOf?.[0] ?? s.oneOf?.[0];
    if (variant) return sample(variant, name);
    if (s.enum) return s.enum[0];
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    switch (type) {
      case 'object': return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties?.[k], k)]));
      case 'array': return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, name));
      case 'integer': case 'number': return s.minimum ?? 1;
      case 'boolean': return false;
      case 'string':
        if (/(_id|^id)$/.test(name)) return bIds.customer;
        if (s.format === 'email') return 'someone@example.com';
        if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
        if (name === 'value') return 'b.only@tenant-b.example.com';
        if (name === 'password') return 'a long enough password';
        return 'x';
      default: return {};
    }
  }

  it('answers 404 or 403 for every route aimed at another tenant, and never shows its data', async () => {
    const doc = (await r.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const secrets = [bIds.customer, 'b.only@tenant-b.example.com', '+8613700000777', 'b-secret-event', 'B-ORDER', bIds.apiKey, bIds.user, 'agent@tenant-b.example.com', 'b_secret_attr', b.tenantId];
    let operations = 0;
    const walked: string[] = [];
    const failures: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations++;
        // {key} names a tenant's own attribute (defining "tier" in A is not touching B's "tier"); every
        // other path parameter is an id that exists only in B.
        const hasIdParams = [...path.matchAll(/\{(\w+)\}/g)].some((m) => !NAME_PARAMS.has(m[1]));
        const urlPath = path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent((PARAM_VALUES[p] ?? idFor)(path)));
        const query = new URLSearchParams();
        for (const p of op.parameters ?? []) if (p.in === 'query' && p.required) query.set(p.name, String(sample(p.schema, p.name)));
        if (path === '/v1/customers/lookup') { query.set('kind', 'email'); query.set('value', 'b.only@tenant-b.example.com'); }
        const body = op.requestBody?.content?.['application/json']?.schema;
        const res = await r.app.inject({
          method: method.toUpperCase() as 'GET', url: urlPath + (query.size ? `?${query}` : ''), headers: a.headers,
          ...(body ? { payload: sample(body) as object } : {}),
        });
        walked.push(`${method.toUpperCase()} ${path} -> ${res.statusCode}`);
        const leaked = secrets.filter((s) => res.body.includes(s) && !(path.includes('{key}') && s === 'b_secret_attr'));
        if (leaked.length) failures.push(`${method.toUpperCase()} ${path} answered ${res.statusCode} showing ${leaked.join(', ')}`);
        if (hasIdParams && ![403, 404].includes(res.statusCode)) failures.push(`${method.toUpperCase()} ${path} answered ${res.statusCode}, not 404/403`);
        if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${path} answered ${res.statusCode}`);
      }
    }
    expect(failures, walked.join('\n')).toEqual([]);
    expect(walked).toHaveLength(operations);
    expect(operations).toBeGreaterThan(20);

    // And nothing of B's changed.
    const still = await r.app.inject({ method: 'GET', url: `/v1/customers/${bIds.customer}`, headers: b.headers });
    expect(still.statusCode).toBe(200);
    expect(still.json().identities).toHaveLength(2);
    const { rows: defs } = await r.db.pool.query('SELECT key FROM customer_attribute_definitions WHERE tenant_id = $1', [b.tenantId]);
    expect(defs).toEqual([{ key: 'b_secret_attr' }]);
    const { rows } = await r.db.pool.query('SELECT revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2', [b.tenantId, bIds.apiKey]);
    expect(rows[0].revoked_at).toBeNull();
    const { rows: users } = await r.db.pool.query('SELECT disabled_at, name FROM users WHERE tenant_id = $1 AND id = $2', [b.tenantId, bIds.user]);
    expect(users[0]).toEqual({ disabled_at: null, name: 'B Agent' });
  });
});
