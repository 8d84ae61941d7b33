// Customer value: RFM scores (1-5 against the tenant's quintile boundaries), a CLV estimate that
// shrinks short histories, and the core-customer flag (top N% by CLV). One set-based statement per
// tenant, so a million customers is one pass, not a million round trips.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customers } from './schema.js';

export interface ValueSettings {
  /** Share of customers flagged core, by CLV (percent). */
  corePercent: number;
  /** Expected remaining relationship in years, for CLV. */
  lifespanYears: number;
}

/** Years of the tenant's average repeat rate a customer's own history must outweigh (the rate's prior). */
const RATE_PRIOR_YEARS = 1;
/** Orders at the tenant's average order value a customer's own orders must outweigh (the value's prior). */
const VALUE_PRIOR_ORDERS = 2;

/**
 * RFM: each score is 1 plus the number of the tenant's quintile boundaries (20/40/60/80th percentiles
 * among customers who bought) the customer's value exceeds, so equal values always get equal scores
 * (ntile split ties: two customers with 2 orders each could get F 3 and F 4). Non-buyers score 1.
 *
 * CLV = expected orders per year x expected order value x lifespan, each a posterior mean that weighs
 * the customer's own history against the tenant's (empirical Bayes, in the spirit of BG/NBD with
 * Gamma-Gamma, without their dropout term):
 * - orders per year: repeat purchases (after the first) over tenure, as the Gamma-Poisson posterior
 *   (RATE_PRIOR_YEARS x tenant rate + repeats) / (RATE_PRIOR_YEARS + tenure years); a customer seen
 *   for a day gets the tenant's rate, one seen for years mostly their own;
 * - order value: (VALUE_PRIOR_ORDERS x tenant average order + spend) / (VALUE_PRIOR_ORDERS + orders).
 * So one 3,500 purchase today is worth the tenant's typical repeat rate at a value pulled toward the
 * average, not 3,500 a month for three years (the former annualisation over a one-month minimum).
 * Spend in several currencies is summed as is; tenants with one currency (the common case) get exact figures.
 */
export async function computeCustomerValue(
  db: pg.Pool | pg.PoolClient,
  tenantId: string,
  s: ValueSettings,
  now: Date,
): Promise<{ customers: number; core: number }> {
  const rows = await queryRows(
    db,
    rowOf(customers, ['is_core']),
    `WITH base AS (
       SELECT c.id, c.last_purchase_at, c.order_count, coalesce(sum(s.amount), 0) AS spend,
              greatest(c.order_count - 1, 0) AS repeats,
              greatest(extract(epoch FROM $4::timestamptz - coalesce(c.first_seen_at, $4::timestamptz)) / 31557600.0, 0) AS years
         FROM customers c LEFT JOIN customer_spend s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id
        WHERE c.tenant_id = $1 AND c.status = 'active'
        GROUP BY c.tenant_id, c.id),
     tenant AS (
       SELECT percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY extract(epoch FROM last_purchase_at)) FILTER (WHERE last_purchase_at IS NOT NULL) AS r,
              percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY order_count) FILTER (WHERE order_count > 0) AS f,
              percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY spend) FILTER (WHERE spend > 0) AS m,
              coalesce(sum(repeats) FILTER (WHERE order_count > 0) / nullif(sum(years) FILTER (WHERE order_count > 0), 0), 0) AS rate,
              coalesce(sum(spend) / nullif(sum(order_count), 0), 0) AS aov
         FROM base),
     scored AS (
       SELECT b.id,
              CASE WHEN b.last_purchase_at IS NULL THEN 1 ELSE 1 + (SELECT count(*) FROM unnest(t.r) v WHERE extract(epoch FROM b.last_purchase_at) > v) END AS r,
              CASE WHEN b.order_count = 0 THEN 1 ELSE 1 + (SELECT count(*) FROM unnest(t.f) v WHERE b.order_count > v) END AS f,
              CASE WHEN b.spend <= 0 THEN 1 ELSE 1 + (SELECT count(*) FROM unnest(t.m) v WHERE b.spend > v) END AS m,
              CASE WHEN b.order_count = 0 THEN 0
                   ELSE round(((${RATE_PRIOR_YEARS} * t.rate + b.repeats) / (${RATE_PRIOR_YEARS} + b.years))
                              * ((${VALUE_PRIOR_ORDERS} * t.aov + b.spend) / (${VALUE_PRIOR_ORDERS} + b.order_count)) * $2, 2)
              END AS clv
         FROM base b CROSS JOIN tenant t),
     ranked AS (SELECT id, r, f, m, clv, percent_rank() OVER (ORDER BY clv DESC) AS pr FROM scored)
     UPDATE customers c SET recency_score = ranked.r, frequency_score = ranked.f, monetary_score = ranked.m, clv = ranked.clv,
            is_core = (ranked.clv > 0 AND ranked.pr < $3 / 100.0), value_computed_at = $4
       FROM ranked WHERE c.tenant_id = $1 AND c.id = ranked.id
     RETURNING c.is_core`,
    [tenantId, s.lifespanYears, s.corePercent, now],
  );
  return { customers: rows.length, core: rows.filter((r) => r.is_core).length };
}
