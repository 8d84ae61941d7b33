// One rate limiter for every node: hits are counted in PostgreSQL (rate_limit_windows), so a limit
// holds across API processes, not once per process. Each key counts in fixed windows, and a request is
// judged on a sliding estimate: this window's hits plus the previous window's, weighted by how much of
// it still lies within one window's length (the approximation Cloudflare describes in "How we built
// rate limiting capable of scaling to millions of domains"), so a burst across a window edge does not
// pass twice the limit. Keys are hashed before they are stored: addresses and emails stay out.
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { computedRow, queryRow, rowOf } from './query-rows.js';
import { rateLimitWindows } from './schema.js';

export interface RateLimit {
  /** Names the limit; keys of different limits never share a count. */
  name: string;
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateVerdict {
  isAllowed: boolean;
  /** Seconds until the estimate falls under the limit again (an upper bound), 0 when allowed. */
  retryAfterSeconds: number;
}

/** Keys that belong to no tenant (an unknown tenant's login) are counted under this one. */
export const NO_TENANT = '-';

export interface RateLimiter {
  /** Counts one hit on the key, then judges it: a refused request counts too, so a flood stays refused. */
  take(tenantId: string, rule: RateLimit, key: string): Promise<RateVerdict>;
  /** Judges one more hit on the key without counting it (may another login fail?). */
  check(tenantId: string, rule: RateLimit, key: string): Promise<RateVerdict>;
  /** Counts one hit without judging (a failed login). */
  hit(tenantId: string, rule: RateLimit, keys: string[]): Promise<void>;
}

// previous: an integer (take) or a sum of them, a bigint (check); elapsed: extract() gives a numeric.
type Counted = { previous: number; elapsed: string };
const Taken = rowOf(rateLimitWindows, ['hits']).and<Counted>(['previous', 'elapsed']);
const Checked = computedRow<{ hits: number } & Counted>(['hits', 'previous', 'elapsed']);

const hashKey = (rule: RateLimit, key: string) => `${rule.name}:${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

// Windows older than an hour past their own length are never read again; one request in a thousand
// clears them, which keeps the table small without a timer that a jobs-off process would not run.
const SWEEP_ODDS = 0.001;

export function createRateLimiter(pool: pg.Pool): RateLimiter {
  function verdict(rule: RateLimit, row: typeof Checked.row): RateVerdict {
    const w = rule.windowSeconds;
    const elapsed = Math.min(Math.max(Number(row.elapsed), 0), w);
    const estimate = row.previous * (1 - elapsed / w) + row.hits;
    if (estimate <= rule.limit) return { isAllowed: true, retryAfterSeconds: 0 };
    return { isAllowed: false, retryAfterSeconds: Math.ceil(w - elapsed + (row.hits > rule.limit ? w : 0)) };
  }

  function sweep() {
    if (Math.random() >= SWEEP_ODDS) return;
    void pool.query(`DELETE FROM rate_limit_windows WHERE window_start < now() - interval '1 day'`).catch(() => undefined);
  }

  // The window containing now(), with the previous window's hits and the seconds since this one began.
  // The database's clock, not the product's: a limit counts requests in real elapsed time, shared by every
  // node, and a test that moves its clock must neither reset nor fill it.
  const WINDOW = `to_timestamp(floor(extract(epoch FROM now()) / $3::int) * $3::int)`;

  return {
    async take(tenantId, rule, key) {
      sweep();
      const row = await queryRow(
        pool,
        Taken,
        `WITH hit AS (
           INSERT INTO rate_limit_windows (tenant_id, key, window_start, hits) VALUES ($1, $2, ${WINDOW}, 1)
           ON CONFLICT (tenant_id, key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
           RETURNING hits, window_start)
         SELECT hit.hits,
                coalesce((SELECT p.hits FROM rate_limit_windows p WHERE p.tenant_id = $1 AND p.key = $2 AND p.window_start = hit.window_start - make_interval(secs => $3::int)), 0) AS previous,
                extract(epoch FROM now() - hit.window_start) AS elapsed
           FROM hit`,
        [tenantId, hashKey(rule, key), rule.windowSeconds],
      );
      // One row always: the CTE's insert or update returns the key's window.
      return verdict(rule, row!);
    },
    async check(tenantId, rule, key) {
      const row = await queryRow(
        pool,
        Checked,
        `SELECT coalesce(sum(hits) FILTER (WHERE window_start = ${WINDOW}), 0) AS hits,
                coalesce(sum(hits) FILTER (WHERE window_start = ${WINDOW} - make_interval(secs => $3::int)), 0) AS previous,
                extract(epoch FROM now() - ${WINDOW}) AS elapsed
           FROM rate_limit_windows
          WHERE tenant_id = $1 AND key = $2 AND window_start >= ${WINDOW} - make_interval(secs => $3::int)`,
        [tenantId, hashKey(rule, key), rule.windowSeconds],
      );
      // Judged as if this request were counted, so check-then-hit agrees with take.
      // One row always: an aggregate without GROUP BY.
      return verdict(rule, { ...row!, hits: row!.hits + 1 });
    },
    async hit(tenantId, rule, keys) {
      sweep();
      await pool.query(
        `INSERT INTO rate_limit_windows (tenant_id, key, window_start, hits)
         SELECT $1, k, ${WINDOW}, 1 FROM unnest($2::text[]) AS k
         ON CONFLICT (tenant_id, key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1`,
        [tenantId, [...new Set(keys)].map((k) => hashKey(rule, k)), rule.windowSeconds],
      );
    },
  };
}
