// A tier review asked for through the API. Reviewing every tiered member takes seconds to minutes
// (16 s on the demo), longer than a client or proxy should hold a request: the request records the
// review and queues it, the job runs it, and the status URL reads its row.
import type pg from 'pg';
import type { Jobs } from '../../platform/jobs.js';
import { newId } from '../../platform/ids.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { tierReviewNotFound } from './errors.js';
import { loyaltyTierReviews } from './schema.js';

export const TIER_REVIEW_JOB = 'loyalty-tier-review';

export interface TierReview {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  reviewed: number | null;
  changed: number | null;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const StoredReview = rowOf(loyaltyTierReviews, '*');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toReview = (r: typeof StoredReview.row): TierReview => ({
  id: r.id,
  // The table's check allows only these.
  status: r.status as TierReview['status'],
  reviewed: r.reviewed,
  changed: r.changed,
  requested_at: r.requested_at.toISOString(),
  started_at: iso(r.started_at),
  finished_at: iso(r.finished_at),
});

export async function requestTierReview(pool: pg.Pool, jobs: Jobs, tenantId: string, now: Date): Promise<TierReview> {
  const id = newId('trv');
  const [r] = await queryRows(
    pool,
    StoredReview,
    `INSERT INTO loyalty_tier_reviews (tenant_id, id, status, requested_at) VALUES ($1, $2, 'queued', $3) RETURNING *`,
    [tenantId, id, now],
  );
  await jobs.send(TIER_REVIEW_JOB, { tenantId, reviewId: id });
  return toReview(r);
}

export async function readTierReview(pool: pg.Pool, tenantId: string, id: string): Promise<TierReview> {
  const r = await queryRow(pool, StoredReview, 'SELECT * FROM loyalty_tier_reviews WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r) throw tierReviewNotFound();
  return toReview(r);
}

/** The job: marks the review running, runs it, and records its counts (or that it failed). */
export async function runTierReview(
  pool: pg.Pool,
  clock: { now(): Date },
  tenantId: string,
  reviewId: string,
  review: (tenantId: string, now: Date) => Promise<{ reviewed: number; changed: number }>,
): Promise<void> {
  const started = await pool.query(
    `UPDATE loyalty_tier_reviews SET status = 'running', started_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'queued'`,
    [tenantId, reviewId, clock.now()],
  );
  // A job delivered twice (pg-boss is at least once) finds its review no longer queued.
  if (!started.rowCount) return;
  try {
    const r = await review(tenantId, clock.now());
    await pool.query(`UPDATE loyalty_tier_reviews SET status = 'done', reviewed = $3, changed = $4, finished_at = $5 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      reviewId,
      r.reviewed,
      r.changed,
      clock.now(),
    ]);
  } catch (err) {
    await pool.query(`UPDATE loyalty_tier_reviews SET status = 'failed', finished_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, reviewId, clock.now()]);
    throw err;
  }
}
