import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { databases } from '../../test/helpers.js';
import { newId } from './ids.js';
import { createRateLimiter, type RateLimit } from './rate-limit.js';

describe.each(databases)('rate limiter on $name', ({ url }) => {
  // Two pools stand for two API processes: the limit must hold across them.
  let a: pg.Pool;
  let b: pg.Pool;
  beforeAll(() => {
    a = new pg.Pool({ connectionString: url, max: 2 });
    b = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => {
    await a.end();
    await b.end();
  });
  const rule = (): RateLimit => ({ name: newId('lim'), limit: 5, windowSeconds: 3600 });

  it('allows the limit across processes, then refuses with a retry-after, per key and per tenant', async () => {
    const r = rule();
    const one = createRateLimiter(a),
      two = createRateLimiter(b);
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 ? one : two).take('ten_a', r, '203.0.113.9'));
    expect(verdicts.map((v) => v.isAllowed)).toEqual([true, true, true, true, true, false]);
    expect(verdicts[5].retryAfterSeconds).toBeGreaterThan(0);
    expect((await one.take('ten_a', r, '203.0.113.10')).isAllowed).toBe(true);
    expect((await one.take('ten_b', r, '203.0.113.9')).isAllowed).toBe(true);
    expect((await one.take('ten_a', { ...r, name: newId('lim') }, '203.0.113.9')).isAllowed).toBe(true);
  });

  it('counts hits in parallel without losing any', async () => {
    const r = { ...rule(), limit: 10 };
    const one = createRateLimiter(a),
      two = createRateLimiter(b);
    const verdicts = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? one : two).take('ten_a', r, 'k')));
    expect(verdicts.filter((v) => v.isAllowed)).toHaveLength(10);
  });

  it('checks without counting, and counts failures without checking', async () => {
    const r = { ...rule(), limit: 3 };
    const limiter = createRateLimiter(a);
    for (let i = 0; i < 5; i++) expect((await limiter.check('-', r, 'acct')).isAllowed).toBe(true);
    await limiter.hit('-', r, ['acct', 'ip']);
    await limiter.hit('-', r, ['acct', 'ip']);
    expect((await limiter.check('-', r, 'acct')).isAllowed).toBe(true);
    await limiter.hit('-', r, ['acct']);
    expect((await limiter.check('-', r, 'acct')).isAllowed).toBe(false);
    expect((await limiter.check('-', r, 'ip')).isAllowed).toBe(true);
    const { rows } = await a.query('SELECT key FROM rate_limit_windows WHERE tenant_id = $1 AND key LIKE $2', ['-', `${r.name}:%`]);
    expect(rows.map((x) => x.key).join()).not.toContain('acct');
  });
});
