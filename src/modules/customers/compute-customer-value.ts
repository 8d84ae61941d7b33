// Customer value: RFM scores (1-5 by quintile within the tenant), a simple CLV estimate and the
// core-customer flag (top N% by CLV). One set-based statement per tenant, so a million customers is
// one pass, not a million round trips.
import type pg from 'pg';

export interface ValueSettings {
  /** Share of customers flagged core, by CLV (percent). */
  corePercent: number;
  /** Expected remaining relationship in years, for CLV. */
  lifespanYears: number;
}

export async function computeCustomerValue(db: pg.Pool | pg.PoolClient, tenantId: string, s: ValueSettings, now: Date): Promise<{ customers: number; core: number }> {
  // CLV = average order value x orders per year (since first seen, at least one month) x lifespan.
  // Spend in several currencies is summed as is; tenants with one currency (the common case) get exact figures.
  const { rows } = await db.query(
    `WITH base AS (
       SELECT c.id, c.last_purchase_at, c.order_count, c.first_seen_at, coalesce(sum(s.amount), 0) AS spend
         FROM customers c LEFT JOIN customer_spend s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id
        WHERE c.tenant_id = $1 AND c.status = 'active'
        GROUP BY c.tenant_id, c.id),
     scored AS (
       SELECT id,
              CASE WHEN last_purchase_at IS NULL THEN 1 ELSE ntile(5) OVER (ORDER BY last_purchase_at NULLS FIRST) END AS r,
              CASE WHEN order_count = 0 THEN 1 ELSE ntile(5) OVER (ORDER BY order_count) END AS f,
              CASE WHEN spend <= 0 THEN 1 ELSE ntile(5) OVER (ORDER BY spend) END AS m,
              CASE WHEN order_count = 0 THEN 0
                   ELSE round((spend / order_count) * (order_count / greatest(extract(epoch FROM $4::timestamptz - coalesce(first_seen_at, $4::timestamptz)) / 31557600.0, 1.0 / 12)) * $2, 2)
              END AS clv
         FROM base),
     ranked AS (SELECT id, r, f, m, clv, percent_rank() OVER (ORDER BY clv DESC) AS pr FROM scored)
     UPDATE customers c SET recency_score = ranked.r, frequency_score = ranked.f, monetary_score = ranked.m, clv = ranked.clv,
            is_core = (ranked.clv > 0 AND ranked.pr < $3 / 100.0), value_computed_at = $4
       FROM ranked WHERE c.tenant_id = $1 AND c.id = ranked.id
     RETURNING c.is_core`,
    [tenantId, s.lifespanYears, s.corePercent, now],
  );
  return { customers: rows.length, core: rows.filter((r) => r.is_core).length };
}
