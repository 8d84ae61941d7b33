import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import type { Rapport } from '../src/app.js';

describe.each(databases)('authentication on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const login = (email: string, password: string, tenant = t.slug) => r.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { tenant, email, password } });
  const cookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'rapport_session')!;

  it('signs in with an httpOnly SameSite=Strict session and signs out for real', async () => {
    const res = await login(t.adminEmail, t.adminPassword);
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/HttpOnly/i);
    expect(res.headers['set-cookie']).toMatch(/SameSite=Strict/i);
    const cookie = cookieOf(res);
    const me = await r.app.inject({ method: 'GET', url: '/v1/auth/me', cookies: { rapport_session: cookie.value } });
    expect(me.json()).toMatchObject({ tenant_id: t.tenantId, kind: 'user', role: 'admin' });
    await r.app.inject({ method: 'POST', url: '/v1/auth/logout', cookies: { rapport_session: cookie.value } });
    expect((await r.app.inject({ method: 'GET', url: '/v1/auth/me', cookies: { rapport_session: cookie.value } })).statusCode).toBe(401);
  });

  it('stores passwords as argon2id and API keys only as hashes', async () => {
    const { rows: [u] } = await r.db.pool.query('SELECT password_hash FROM users WHERE tenant_id = $1', [t.tenantId]);
    expect(u.password_hash).toMatch(/^\$argon2id\$/);
    expect(u.password_hash).not.toContain(t.adminPassword);
    const created = await r.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.headers, payload: { name: 'etl', scopes: ['ingest'] } });
    const { id, token } = created.json();
    const { rows: [k] } = await r.db.pool.query('SELECT secret_hash FROM api_keys WHERE tenant_id = $1 AND id = $2', [t.tenantId, id]);
    expect(token).not.toContain(k.secret_hash);
    expect(k.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    const list = await r.app.inject({ method: 'GET', url: '/v1/api-keys', headers: t.headers });
    expect(list.body).not.toContain(token.split('.')[3]);
    expect(list.body).not.toContain(k.secret_hash);
    const ingestOnly = { authorization: `Bearer ${token}` };
    expect((await r.app.inject({ method: 'GET', url: '/v1/customers', headers: ingestOnly })).statusCode).toBe(403);
    expect((await r.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: t.headers })).statusCode).toBe(204);
    expect((await r.app.inject({ method: 'POST', url: '/v1/events', headers: ingestOnly, payload: { events: [] } })).statusCode).toBe(401);
  });

  it('keeps agents away from admin routes', async () => {
    await r.app.inject({ method: 'POST', url: '/v1/users', headers: t.headers, payload: { email: 'agent.li@example.com', name: 'Agent Li', role: 'agent', password: 'agent password 123' } });
    const cookie = cookieOf(await login('agent.li@example.com', 'agent password 123'));
    const asAgent = { cookies: { rapport_session: cookie.value } };
    expect((await r.app.inject({ method: 'GET', url: '/v1/customers', ...asAgent })).statusCode).toBe(200);
    expect((await r.app.inject({ method: 'POST', url: '/v1/api-keys', payload: { name: 'x', scopes: ['admin'] }, ...asAgent })).statusCode).toBe(403);
    expect((await r.app.inject({ method: 'GET', url: '/v1/users', ...asAgent })).statusCode).toBe(403);
  });

  it('locks an account out after ten failed logins, even with the right password', async () => {
    const t2 = await createTestTenant(r);
    for (let i = 0; i < 10; i++) expect((await login(t2.adminEmail, `wrong ${i}`, t2.slug)).statusCode).toBe(401);
    const blocked = await login(t2.adminEmail, t2.adminPassword, t2.slug);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.json().code).toBe('TOO_MANY_REQUESTS');
    // the wrong tenant or email gets the same answer as a wrong password
    const unknown = await login('nobody@example.com', 'whatever', 'no-such-tenant');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe('Wrong tenant, email or password');
  });

  it('replays a write for the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { ...t.headers, 'idempotency-key': 'create-zhao-1' };
    const first = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: { given_name: '雷', identities: { email: 'zhao.lei@example.com' } } });
    expect(first.statusCode).toBe(201);
    const replay = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: { given_name: '雷', identities: { email: 'zhao.lei@example.com' } } });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);
    const other = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: { given_name: '雷', identities: { email: 'other@example.com' } } });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
