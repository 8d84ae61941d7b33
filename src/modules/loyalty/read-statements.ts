// What other modules say about a member: the figures a message template names ({loyalty_points},
// {loyalty_tier_name}, {loyalty_to_next_tier}...) and the periodic statement of every member (opening
// balance, earned, spent, expired, closing, points about to expire, tier progress). Statements are
// read a page of members at a time in two set-based statements, never one customer at a time, so a
// million-member statement run is a few thousand queries.
import type pg from 'pg';
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { readBalance } from './read-balance.js';
import { sortedTiers, type Program } from './program.js';
import { qualifyingSum, qualifyingValue, windowStart } from './tiers.js';
import { loyaltyAccounts, loyaltyLots } from './schema.js';

const MemberFigures = rowOf(loyaltyAccounts, ['customer_id', 'tier']).and<{
  opening: number;
  earned: number;
  spent: number;
  expired: number;
  closing: number;
  transactions: number;
  qualifying: number;
}>(['opening', 'earned', 'spent', 'expired', 'closing', 'transactions', 'qualifying']);
const Expiring = rowOf(loyaltyLots, ['customer_id']).and<{ points: number; first: Date }>(['points', 'first']);

export interface StatementFigures {
  customer_id: string;
  from: string;
  to: string;
  opening: number;
  earned: number;
  spent: number;
  expired: number;
  /** Refunds, adjustments and transfers: closing - opening - earned + spent + expired. */
  other: number;
  closing: number;
  transactions: number;
  expiring_points: number;
  expiring_at: string | null;
  tier: string | null;
  tier_name: string | null;
  next_tier: string | null;
  next_tier_name: string | null;
  /** Qualifying points (or spend) still needed for the next tier; null at the top. */
  to_next_tier: number | null;
}

function tierProgress(p: Program, tier: string | null, qualifying: number) {
  const tiers = sortedTiers(p);
  const current = tiers.find((t) => t.id === tier) ?? null;
  const next = tiers.find((t) => t.threshold > (current?.threshold ?? -1) && t.id !== tier) ?? null;
  return {
    tier: current?.id ?? null,
    tier_name: current?.name ?? null,
    next_tier: next?.id ?? null,
    next_tier_name: next?.name ?? null,
    to_next_tier: next ? Math.max(0, Math.ceil((next.threshold - qualifying) * 100) / 100) : null,
  };
}

/** One member's figures for message templates, flattened by outreach as loyalty_<name>. */
export async function templateVariables(db: pg.Pool, tenantId: string, customerId: string, p: Program, now: Date, goodwill: string[] = []) {
  const b = await readBalance(db, tenantId, customerId, p, now);
  const qualifying = p.tiers.length ? await qualifyingValue(db, tenantId, customerId, p, now, goodwill) : 0;
  return {
    points: b.available,
    pending: b.pending,
    expiring_points: b.expiring_soon.points,
    expiring_at: b.expiring_soon.first_expires_at ? new Date(b.expiring_soon.first_expires_at) : null,
    ...tierProgress(p, b.tier, qualifying),
  };
}

/**
 * Statements for [from, to) of every open member with activity in the period or points left, in
 * customer-id order, `pageSize` members per round trip pair.
 */
export async function* readStatements(
  db: Queryable,
  tenantId: string,
  p: Program,
  period: { from: Date; to: Date },
  opts: { pageSize?: number; customerIds?: string[]; after?: string; goodwill?: string[] } = {},
): AsyncGenerator<StatementFigures> {
  const pageSize = opts.pageSize ?? 1000;
  const since = windowStart(p, period.to);
  const qualifying = qualifyingSum(p, '$8', 't.occurred_at >= $6 AND t.occurred_at < $5');
  const horizon = new Date(period.to.getTime() + p.expiry.warning_days * 86_400_000);
  let after = opts.after ?? '';
  for (;;) {
    const rows = await queryRows(
      db,
      MemberFigures,
      `WITH page AS (
         SELECT customer_id, tier FROM loyalty_accounts
          WHERE tenant_id = $1 AND customer_id > $2 AND NOT is_closed AND merged_into IS NULL AND ($7::text[] IS NULL OR customer_id = ANY($7::text[]))
          ORDER BY customer_id LIMIT $3)
       SELECT p.customer_id, p.tier,
              coalesce(sum(t.points) FILTER (WHERE t.created_at < $4), 0)::int AS opening,
              coalesce(sum(t.points) FILTER (WHERE t.created_at >= $4 AND t.kind = 'earn'), 0)::int AS earned,
              coalesce(-sum(t.points) FILTER (WHERE t.created_at >= $4 AND t.kind = 'spend'), 0)::int AS spent,
              coalesce(-sum(t.points) FILTER (WHERE t.created_at >= $4 AND t.kind = 'expire'), 0)::int AS expired,
              coalesce(sum(t.points), 0)::int AS closing,
              count(t.id) FILTER (WHERE t.created_at >= $4)::int AS transactions,
              ${qualifying} AS qualifying
         FROM page p
         LEFT JOIN loyalty_transactions t ON t.tenant_id = $1 AND t.customer_id = p.customer_id AND t.created_at < $5
        GROUP BY p.customer_id, p.tier ORDER BY p.customer_id`,
      [
        tenantId,
        after,
        pageSize,
        period.from,
        period.to,
        since,
        opts.customerIds ?? null,
        ...(p.tier_qualification.metric === 'points' ? [opts.goodwill ?? []] : []),
      ],
    );
    if (!rows.length) return;
    after = rows[rows.length - 1].customer_id;
    const ids = rows.map((r) => r.customer_id);
    const soon = await queryRows(
      db,
      Expiring,
      `SELECT customer_id, sum(remaining)::int AS points, min(expires_at) AS first FROM loyalty_lots
        WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND remaining > 0 AND is_released AND expires_at > $3 AND expires_at <= $4
        GROUP BY customer_id`,
      [tenantId, ids, period.to, horizon],
    );
    const expiring = new Map(soon.map((r) => [r.customer_id, r]));
    for (const r of rows) {
      if (!r.transactions && !r.closing) continue;
      const e = expiring.get(r.customer_id);
      yield {
        customer_id: r.customer_id,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        opening: r.opening,
        earned: r.earned,
        spent: r.spent,
        expired: r.expired,
        closing: r.closing,
        other: r.closing - r.opening - r.earned + r.spent + r.expired,
        transactions: r.transactions,
        expiring_points: e?.points ?? 0,
        expiring_at: e ? e.first.toISOString() : null,
        ...tierProgress(p, r.tier, r.qualifying),
      };
    }
    if (rows.length < pageSize) return;
  }
}
