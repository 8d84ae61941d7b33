// Idempotency records as personal data and secrets: they live a day, and an answer carrying a secret
// shown once (a new API key's token) is never stored nor replayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from './helpers.js';
import { createTestClock } from '../src/platform/clock.js';
import type { Rapport } from '../src/app.js';

describe.each(databases)('idempotency records on $name', ({ url }) => {
  const clock = createTestClock('2027-03-01T10:00:00Z');
  let r: Rapport;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock });
    t = await createTestTenant(r);
  });
  afterAll(async () => r?.close());

  const post = (path: string, key: string, payload: object) =>
    r.app.inject({ method: 'POST', url: path, headers: { ...t.headers, 'idempotency-key': key }, payload });

  it('never stores or replays the token of a new API key, and says why on a retry', async () => {
    const first = await post('/v1/api-keys', 'key-once', { name: 'CI', scopes: ['read'] });
    expect(first.statusCode, first.body).toBe(201);
    const token = first.json().token as string;
    const { rows } = await r.db.pool.query('SELECT status_code, response, is_withheld FROM idempotency_keys WHERE tenant_id = $1 AND key = $2', [
      t.tenantId,
      'key-once',
    ]);
    expect(rows).toEqual([{ status_code: 201, response: null, is_withheld: true }]);
    const again = await post('/v1/api-keys', 'key-once', { name: 'CI', scopes: ['read'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('IDEMPOTENCY_ANSWER_WITHHELD');
    expect(again.body).not.toContain(token.split('.').pop());
    const secret = token.split('.').pop()!;
    const {
      rows: [hit],
    } = await r.db.pool.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE strpos(coalesce(response::text, ''), $1) > 0`, [secret]);
    expect(hit.n).toBe(0);
  });

  it('forgets a key after a day: the same key then starts a new request instead of replaying', async () => {
    const body = (email: string) => ({ identities: { email }, display_name: 'Day Old' });
    const first = await post('/v1/customers', 'daily-key', body('day.one@example.com'));
    expect(first.statusCode, first.body).toBe(201);
    clock.advance(23 * 3600_000);
    const replay = await post('/v1/customers', 'daily-key', body('day.one@example.com'));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);
    expect((await post('/v1/customers', 'daily-key', body('day.two@example.com'))).statusCode).toBe(422);

    clock.advance(2 * 3600_000);
    const fresh = await post('/v1/customers', 'daily-key', body('day.two@example.com'));
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.json().id).not.toBe(first.json().id);
  });

  it('replays an error as the problem document it was, and keys a path however it is spelled', async () => {
    const missing = { summary: 'About nobody', customer_id: 'cus_nobody' };
    const first = await post('/v1/cases', 'replayed-error', missing);
    const again = await post('/v1/cases', 'replayed-error', missing);
    expect([first.statusCode, again.statusCode]).toEqual([404, 404]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.json()).toEqual(first.json());

    // /%761/cases is /v1/cases to the router: the same key is the same request, not a second case.
    const once = await post('/v1/cases', 'spelled-twice', { summary: 'One case only' });
    const twice = await post('/%761/cases', 'spelled-twice', { summary: 'One case only' });
    expect([once.statusCode, twice.statusCode]).toEqual([201, 201]);
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(twice.json().id).toBe(once.json().id);
    const {
      rows: [n],
    } = await r.db.pool.query(`SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1 AND summary = 'One case only'`, [t.tenantId]);
    expect(n.n).toBe(1);
  });
});
