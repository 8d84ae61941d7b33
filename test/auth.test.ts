// Who may do what: console sessions, login throttling, password and API key storage, scopes and
// roles, and Idempotency-Key replays.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from './helpers.js';
import { createTestClock } from '../src/platform/clock.js';
import type { Rapport } from '../src/app.js';

const SESSION = 'rapport_session';
// Each test signs in from its own address, so the per-address login throttle never couples tests.
const newAddress = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  return body;
}

describe.each(databases)('authentication on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock: createTestClock('2027-02-20T08:00:00Z') });
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const login = (email: string, password: string, opts: { tenant?: string; from?: string } = {}) =>
    r.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: opts.from ?? newAddress(),
      payload: { tenant: opts.tenant ?? t.slug, email, password },
    });
  const sessionOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === SESSION)?.value;
  const asSession = (cookie: string) => ({ cookies: { [SESSION]: cookie } });
  const asKey = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const inject = (method: string, path: string, auth: object, payload?: object) =>
    r.app.inject({ method: method as 'GET', url: path, ...auth, ...(payload ? { payload } : {}) });

  async function addUser(role: 'admin' | 'manager' | 'agent') {
    const email = `${role}.${randomBytes(3).toString('hex')}@example.com`;
    const password = `${role} password ${randomBytes(3).toString('hex')}`;
    const res = await inject('POST', '/v1/users', { headers: t.headers }, { email, name: `A ${role}`, role, password });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id as string, email, password };
  }

  async function addKey(scopes: string[]) {
    const res = await inject('POST', '/v1/api-keys', { headers: t.headers }, { name: `key ${scopes.join('+')}`, scopes });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; scopes: string[] };
  }

  describe('console sessions', () => {
    it('signs in with an httpOnly, SameSite=Strict cookie that /v1/auth/me accepts', async () => {
      const res = await login(t.adminEmail, t.adminPassword);
      expect(res.statusCode, res.body).toBe(200);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(new RegExp(`^${SESSION}=`));
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);
      const cookie = res.cookies.find((c) => c.name === SESSION)!;
      // Signed in on 2027-02-20 at 08:00 by the app's clock: the session lasts fourteen days, into March.
      expect(new Date(cookie.expires!).toISOString().slice(0, 16)).toBe(new Date(r.clock.now().getTime() + 14 * 86_400_000).toISOString().slice(0, 16));

      const {
        rows: [admin],
      } = await r.db.pool.query('SELECT id FROM users WHERE tenant_id = $1 AND email = $2', [t.tenantId, t.adminEmail]);
      expect(res.json()).toMatchObject({ user_id: admin.id, tenant_id: t.tenantId, role: 'admin' });
      const me = await inject('GET', '/v1/auth/me', asSession(cookie.value));
      expect(me.statusCode).toBe(200);
      expect(me.json()).toEqual({
        tenant_id: t.tenantId,
        tenant_name: `Test ${t.slug}`,
        kind: 'user',
        id: admin.id,
        role: 'admin',
        scopes: expect.arrayContaining(['admin', 'read', 'write', 'ingest']),
        name: 'Admin',
        email: t.adminEmail,
        locale: 'en',
      });
      // A person's console language is theirs to change, and follows them to the next session.
      const changed = await inject('PATCH', '/v1/auth/me', asSession(cookie.value), { locale: 'zh-CN' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().locale).toBe('zh-CN');
      expect((await inject('GET', '/v1/auth/me', asSession(sessionOf(await login(t.adminEmail, t.adminPassword))!))).json().locale).toBe('zh-CN');
      expect((await inject('PATCH', '/v1/auth/me', asSession(cookie.value), { locale: 'fr' })).statusCode).toBe(422);
      await inject('PATCH', '/v1/auth/me', asSession(cookie.value), { locale: 'en' });
      // The session row holds a hash of the secret part of the cookie, never the cookie itself.
      const [, sessionId, secret] = cookie.value.split('.');
      const {
        rows: [session],
      } = await r.db.pool.query('SELECT token_hash FROM sessions WHERE tenant_id = $1 AND id = $2', [t.tenantId, sessionId]);
      expect(session.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(session.token_hash).not.toContain(secret);
    });

    it('ends a session fourteen days after sign-in, by the app clock, across a month end', async () => {
      r.clock.set('2027-02-20T08:00:00Z');
      const cookie = sessionOf(await login(t.adminEmail, t.adminPassword))!;
      r.clock.set('2027-03-06T07:59:00Z');
      expect((await inject('GET', '/v1/auth/me', asSession(cookie))).statusCode).toBe(200);
      r.clock.set('2027-03-06T08:01:00Z');
      expect((await inject('GET', '/v1/auth/me', asSession(cookie))).statusCode).toBe(401);
      r.clock.set('2027-02-20T08:00:00Z');
    });

    it('answers a wrong password, an unknown email and an unknown tenant alike: 401 problem, no cookie', async () => {
      const wrong = await login(t.adminEmail, 'not the password');
      const body = expectProblem(wrong, 401, 'UNAUTHORIZED');
      expect(body.detail).toBe('Wrong tenant, email or password');
      expect(wrong.headers['set-cookie']).toBeUndefined();
      for (const other of [await login('nobody@example.com', t.adminPassword), await login(t.adminEmail, t.adminPassword, { tenant: 'no-such-tenant' })]) {
        expect(expectProblem(other, 401, 'UNAUTHORIZED').detail).toBe(body.detail);
        expect(other.headers['set-cookie']).toBeUndefined();
      }
    });

    it('locks one account out after ten failed logins, even with the right password, and no other', async () => {
      const victim = await addUser('manager');
      const bystander = await addUser('manager');
      const from = newAddress();
      for (let i = 0; i < 10; i++) expectProblem(await login(victim.email, `wrong ${i}`, { from }), 401);
      const blocked = await login(victim.email, victim.password, { from });
      expectProblem(blocked, 429, 'TOO_MANY_REQUESTS');
      expect(blocked.headers['retry-after']).toBe('900');
      expect(blocked.headers['set-cookie']).toBeUndefined();
      // From anywhere: the lock is on the account, not the address.
      expectProblem(await login(victim.email, victim.password), 429, 'TOO_MANY_REQUESTS');
      const {
        rows: [{ n }],
      } = await r.db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND user_id = $2', [t.tenantId, victim.id]);
      expect(n).toBe(0);
      // Another account, from the same address, still signs in.
      expect((await login(bystander.email, bystander.password, { from })).statusCode).toBe(200);
    });

    it('signs out for real: the session row is gone and the cookie no longer works', async () => {
      const cookie = sessionOf(await login(t.adminEmail, t.adminPassword))!;
      expect((await inject('GET', '/v1/auth/me', asSession(cookie))).statusCode).toBe(200);
      const out = await inject('POST', '/v1/auth/logout', asSession(cookie));
      expect(out.statusCode).toBe(204);
      const cleared = out.cookies.find((c) => c.name === SESSION);
      expect(cleared?.value).toBe('');
      const { rows } = await r.db.pool.query('SELECT 1 FROM sessions WHERE tenant_id = $1 AND id = $2', [t.tenantId, cookie.split('.')[1]]);
      expect(rows).toEqual([]);
      expectProblem(await inject('GET', '/v1/auth/me', asSession(cookie)), 401, 'UNAUTHORIZED');
    });

    it('refuses a session cookie that was tampered with or belongs to a disabled user', async () => {
      const agent = await addUser('agent');
      const cookie = sessionOf(await login(agent.email, agent.password))!;
      const [tenantId, sessionId, secret] = cookie.split('.');
      const other = await createTestTenant(r);
      for (const forged of [
        `${other.tenantId}.${sessionId}.${secret}`,
        `${tenantId}.${sessionId}.${secret.slice(0, -2)}xx`,
        `${tenantId}.${sessionId}`,
        'garbage',
      ]) {
        expectProblem(await inject('GET', '/v1/auth/me', asSession(forged)), 401);
      }
      expect((await inject('GET', '/v1/auth/me', asSession(cookie))).statusCode).toBe(200);
      expect((await inject('PATCH', `/v1/users/${agent.id}`, { headers: t.headers }, { is_disabled: true })).statusCode).toBe(200);
      expectProblem(await inject('GET', '/v1/auth/me', asSession(cookie)), 401);
      expectProblem(await login(agent.email, agent.password), 401);
    });

    it('stores passwords as argon2id hashes', async () => {
      const agent = await addUser('agent');
      const { rows } = await r.db.pool.query('SELECT email, password_hash FROM users WHERE tenant_id = $1 AND email = ANY($2)', [
        t.tenantId,
        [t.adminEmail, agent.email],
      ]);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
        expect(row.password_hash).not.toContain(row.email === agent.email ? agent.password : t.adminPassword);
      }
    });
  });

  describe('API keys', () => {
    it('shows a new key once, stores only its hash and never lists it', async () => {
      const key = await addKey(['read']);
      expect(key.token).toMatch(new RegExp(`^rpk\\.${t.tenantId}\\.${key.id}\\.[A-Za-z0-9_-]{40,}$`));
      expect(key.scopes).toEqual(['read']);
      const secret = key.token.split('.')[3];
      const {
        rows: [row],
      } = await r.db.pool.query('SELECT * FROM api_keys WHERE tenant_id = $1 AND id = $2', [t.tenantId, key.id]);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.secret_hash).not.toBe(key.token);
      expect(row.secret_hash).not.toBe(secret);
      expect(JSON.stringify(row)).not.toContain(secret);

      const list = await inject('GET', '/v1/api-keys', { headers: t.headers });
      expect(list.statusCode).toBe(200);
      const listed = list.json().data.find((k: { id: string }) => k.id === key.id);
      expect(listed).toMatchObject({ id: key.id, scopes: ['read'], revoked_at: null });
      expect(Object.keys(listed).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'revoked_at', 'scopes']);
      expect(list.body).not.toContain(secret);
      expect(list.body).not.toContain(row.secret_hash);
    });

    it('stops working the moment it is revoked', async () => {
      const key = await addKey(['ingest', 'read']);
      const event = (id: string) => ({ events: [{ id, type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: `${id}@example.com` } }] });
      const before = await inject('POST', '/v1/events', asKey(key.token), event(`rev-${key.id}-1`));
      expect(before.statusCode).toBe(200);
      expect(before.json().accepted).toBe(1);
      expect((await inject('DELETE', `/v1/api-keys/${key.id}`, { headers: t.headers })).statusCode).toBe(204);
      expectProblem(await inject('POST', '/v1/events', asKey(key.token), event(`rev-${key.id}-2`)), 401, 'UNAUTHORIZED');
      expectProblem(await inject('GET', '/v1/auth/me', asKey(key.token)), 401);
      const { rows } = await r.db.pool.query('SELECT id FROM customer_events WHERE tenant_id = $1 AND id = $2', [t.tenantId, `rev-${key.id}-2`]);
      expect(rows).toEqual([]);
      const listed = (await inject('GET', '/v1/api-keys', { headers: t.headers })).json().data.find((k: { id: string }) => k.id === key.id);
      expect(listed.revoked_at).not.toBeNull();
    });

    it('stops working on every server process once revoked on one, though each had it cached', async () => {
      const other = await startTestApp(url);
      try {
        const key = await addKey(['read']);
        const me = (app: Rapport) => app.app.inject({ method: 'GET', url: '/v1/auth/me', ...asKey(key.token) });
        // Both processes verified the key and remember it.
        expect((await me(r)).statusCode).toBe(200);
        expect((await me(other)).statusCode).toBe(200);
        expect((await me(other)).statusCode).toBe(200);
        expect((await other.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${key.token}x` } })).statusCode).toBe(401);
        expect((await inject('DELETE', `/v1/api-keys/${key.id}`, { headers: t.headers })).statusCode).toBe(204);
        // The other process hears of the revocation through PostgreSQL and refuses within moments.
        let status = 200;
        for (let i = 0; i < 100 && status === 200; i++) {
          status = (await me(other)).statusCode;
          if (status === 200) await new Promise((res) => setTimeout(res, 20));
        }
        expect(status).toBe(401);
        expect((await me(r)).statusCode).toBe(401);
      } finally {
        await other.close();
      }
    });

    it('keeps a read-scoped key to reads: 403 on every write and on key management', async () => {
      const read = asKey((await addKey(['read'])).token);
      const other = await addKey(['ingest']);
      expect((await inject('GET', '/v1/customers', read)).statusCode).toBe(200);
      const {
        rows: [{ n: customersBefore }],
      } = await r.db.pool.query('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [t.tenantId]);
      const refused: [string, string, object?][] = [
        ['POST', '/v1/customers', { given_name: 'Nope' }],
        [
          'POST',
          '/v1/events',
          { events: [{ id: 'read-key-write', type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: 'nope@example.com' } }] },
        ],
        ['GET', '/v1/api-keys'],
        ['POST', '/v1/api-keys', { name: 'escalate', scopes: ['admin'] }],
        ['DELETE', `/v1/api-keys/${other.id}`],
        ['GET', '/v1/users'],
        ['POST', '/v1/users', { email: 'new.admin@example.com', name: 'New', role: 'admin', password: 'a long password' }],
      ];
      for (const [method, path, payload] of refused) {
        const body = expectProblem(await inject(method, path, read, payload), 403, 'FORBIDDEN');
        expect(body.detail, `${method} ${path}`).toMatch(/lacks the "(write|ingest|admin)" scope/);
      }
      const {
        rows: [{ n: customersAfter }],
      } = await r.db.pool.query('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [t.tenantId]);
      expect(customersAfter).toBe(customersBefore);
      const {
        rows: [otherKey],
      } = await r.db.pool.query('SELECT revoked_at FROM api_keys WHERE tenant_id = $1 AND id = $2', [t.tenantId, other.id]);
      expect(otherKey.revoked_at).toBeNull();
      // An ingest key may send events and nothing else.
      const ingest = asKey(other.token);
      expectProblem(await inject('GET', '/v1/customers', ingest), 403);
      expect(
        (
          await inject('POST', '/v1/events', ingest, {
            events: [{ id: `ingest-${other.id}`, type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: 'ingest@example.com' } }],
          })
        ).statusCode,
      ).toBe(200);
      // Write without admin cannot mint itself a stronger key.
      expectProblem(await inject('POST', '/v1/api-keys', asKey((await addKey(['read', 'write'])).token), { name: 'escalate', scopes: ['admin'] }), 403);
    });
  });

  describe('roles', () => {
    it('lets agents and managers work with customers but not manage keys or users', async () => {
      for (const role of ['agent', 'manager'] as const) {
        const user = await addUser(role);
        const session = asSession(sessionOf(await login(user.email, user.password))!);
        expect((await inject('GET', '/v1/customers', session)).statusCode).toBe(200);
        expectProblem(await inject('POST', '/v1/api-keys', session, { name: 'mine', scopes: ['read'] }), 403, 'FORBIDDEN');
        expectProblem(await inject('GET', '/v1/api-keys', session), 403);
        expectProblem(await inject('GET', '/v1/users', session), 403);
        // Their colleagues' names they may read (who took a case's step), and nothing else of them.
        const names = await inject('GET', '/v1/users/names', session);
        expect(names.statusCode).toBe(200);
        expect(names.json().data).toEqual(expect.arrayContaining([{ id: user.id, name: `A ${role}` }, expect.objectContaining({ name: 'Admin' })]));
        expect(names.body).not.toContain('@');
        // Nor promote themselves.
        expectProblem(await inject('PATCH', `/v1/users/${user.id}`, session, { role: 'admin' }), 403);
        const {
          rows: [row],
        } = await r.db.pool.query('SELECT role FROM users WHERE tenant_id = $1 AND id = $2', [t.tenantId, user.id]);
        expect(row.role).toBe(role);
      }
      const { rows } = await r.db.pool.query("SELECT 1 FROM api_keys WHERE tenant_id = $1 AND name = 'mine'", [t.tenantId]);
      expect(rows).toEqual([]);
    });
  });

  describe('Idempotency-Key', () => {
    const customer = (email: string) => ({ given_name: '雷', family_name: '赵', identities: { email } });
    const identityCount = async (tenantId: string, email: string) =>
      (await r.db.pool.query("SELECT count(*)::int AS n FROM customer_identities WHERE tenant_id = $1 AND kind = 'email' AND value = $2", [tenantId, email]))
        .rows[0].n as number;

    it('replays the first answer for the same key and body, and refuses the key with another body', async () => {
      const email = `zhao.${randomBytes(3).toString('hex')}@example.com`;
      const headers = { ...t.headers, 'idempotency-key': `create-${email}` };
      const first = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: customer(email) });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const replay = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: customer(email) });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json().id).toBe(first.json().id);
      expect(replay.json()).toEqual(first.json());
      expect(await identityCount(t.tenantId, email)).toBe(1);

      const otherEmail = `other.${email}`;
      const reused = await r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: customer(otherEmail) });
      const problem = expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'header.idempotency-key' })]);
      expect(await identityCount(t.tenantId, otherEmail)).toBe(0);
    });

    it('does the work once when the same request races itself', async () => {
      const email = `race.${randomBytes(3).toString('hex')}@example.com`;
      const headers = { ...t.headers, 'idempotency-key': `race-${email}` };
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => r.app.inject({ method: 'POST', url: '/v1/customers', headers, payload: customer(email) })),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(
        statuses.every((s) => s === 201 || s === 409),
        statuses.join(),
      ).toBe(true);
      const ids = new Set(answers.filter((a) => a.statusCode === 201).map((a) => a.json().id));
      expect(ids.size).toBe(1);
      expect(await identityCount(t.tenantId, email)).toBe(1);
    });

    it('keeps keys apart per tenant: the same key in another tenant is a new request', async () => {
      const other = await createTestTenant(r);
      const key = `shared-${randomBytes(3).toString('hex')}`;
      const email = `${key}@example.com`;
      const mine = await r.app.inject({ method: 'POST', url: '/v1/customers', headers: { ...t.headers, 'idempotency-key': key }, payload: customer(email) });
      const theirs = await r.app.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: { ...other.headers, 'idempotency-key': key },
        payload: customer(email),
      });
      expect(mine.statusCode).toBe(201);
      expect(theirs.statusCode).toBe(201);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.json().id).not.toBe(mine.json().id);
      expect(await identityCount(other.tenantId, email)).toBe(1);
    });

    it('replays an ingest answer as it was, accepted rather than duplicate', async () => {
      const id = `idem-${randomBytes(3).toString('hex')}`;
      const payload = { events: [{ id, type: 'sign_up', occurred_at: '2026-01-01T00:00:00Z', identities: { email: `${id}@example.com` } }] };
      const headers = { ...t.headers, 'idempotency-key': id };
      const first = await r.app.inject({ method: 'POST', url: '/v1/events', headers, payload });
      const again = await r.app.inject({ method: 'POST', url: '/v1/events', headers, payload });
      expect(first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      // Without the key, the event's own id still keeps it from counting twice.
      const noKey = await r.app.inject({ method: 'POST', url: '/v1/events', headers: t.headers, payload });
      expect(noKey.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    });
  });
});
