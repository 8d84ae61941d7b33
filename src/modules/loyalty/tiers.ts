// Tiers: qualification on points earned or money spent in a rolling window or the calendar year.
// Upgrades happen the moment a write qualifies; downgrades only at a review, after the optional grace
// period. Every change lands on the customer's timeline and is published as loyalty.tier.changed.
import type pg from 'pg';
import type { BusMessage } from '../../platform/bus.js';
import { computedRow, queryRows } from '../../platform/query-rows.js';
import type { Account } from './ledger.js';
import { sortedTiers, type Program } from './program.js';

export interface TierDeps {
  appendTimeline(
    tx: pg.PoolClient,
    tenantId: string,
    entries: { id: string; customerId: string; type: string; source: string; properties: Record<string, unknown> }[],
  ): Promise<unknown>;
}

export function windowStart(p: Program, now: Date): Date {
  const q = p.tier_qualification;
  return q.window === 'calendar_year' ? new Date(Date.UTC(now.getUTCFullYear(), 0, 1)) : new Date(now.getTime() - q.rolling_days * 86_400_000);
}

/**
 * The qualifying value over loyalty_transactions aliased `t`, summed: points earned net of refunds, or
 * money spent net of refunds in the base currency. Points given directly (reasons manual, manual:<why>)
 * count only for the reasons the tenant's settings name, in the text[] parameter `goodwill` (points only).
 */
export function qualifyingSum(p: Program, goodwill: string, when: string): string {
  return p.tier_qualification.metric === 'points'
    ? `coalesce(sum(t.points) FILTER (WHERE t.kind IN ('earn', 'refund') AND ((t.reason <> 'manual' AND t.reason NOT LIKE 'manual:%') OR t.reason = ANY(${goodwill}::text[])) AND ${when}), 0)::float8`
    : `coalesce(sum(coalesce(t.base_money, t.money)) FILTER (WHERE t.reason IN ('purchase', 'purchase_refund') AND ${when}), 0)::float8`;
}

/** Points earned (net of refunds) or money spent (net of refunds) in the qualification window. */
export async function qualifyingValue(
  db: pg.PoolClient | pg.Pool,
  tenantId: string,
  customerId: string,
  p: Program,
  now: Date,
  goodwill: string[] = [],
): Promise<number> {
  const [r] = await queryRows(
    db,
    computedRow<{ v: number }>(['v']),
    `SELECT ${qualifyingSum(p, '$4', 't.occurred_at >= $3')} AS v FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.customer_id = $2 AND t.occurred_at >= $3`,
    // The spend sum names no goodwill parameter, and PostgreSQL refuses a parameter it cannot type.
    [tenantId, customerId, windowStart(p, now), ...(p.tier_qualification.metric === 'points' ? [goodwill] : [])],
  );
  return r.v;
}

/** The highest tier a qualifying value reaches, or null. */
export function tierFor(p: Program, value: number): string | null {
  let best: string | null = null;
  for (const t of sortedTiers(p)) if (value >= t.threshold) best = t.id;
  return best;
}

function rank(p: Program, tier: string | null): number {
  if (!tier) return -1;
  return sortedTiers(p).findIndex((t) => t.id === tier);
}

export async function changeTier(
  tx: pg.PoolClient,
  deps: TierDeps,
  tenantId: string,
  account: Account,
  to: string | null,
  why: string,
  now: Date,
): Promise<BusMessage> {
  const from = account.tier;
  await tx.query('UPDATE loyalty_accounts SET tier = $3, tier_since = $4, tier_grace_until = NULL WHERE tenant_id = $1 AND customer_id = $2', [
    tenantId,
    account.customerId,
    to,
    now,
  ]);
  account.tier = to;
  account.tierSince = now;
  account.tierGraceUntil = null;
  await deps.appendTimeline(tx, tenantId, [
    {
      id: `loyalty:tier:${account.customerId}:${now.getTime()}:${to ?? 'none'}`,
      customerId: account.customerId,
      type: 'loyalty.tier.changed',
      source: 'loyalty',
      properties: { from, to, reason: why },
    },
  ]);
  return { type: 'loyalty.tier.changed', tenantId, payload: { customerId: account.customerId, from, to } };
}

/** Upgrades at once when the customer now qualifies for a higher tier; never downgrades. */
export async function upgradeIfQualified(
  tx: pg.PoolClient,
  deps: TierDeps,
  tenantId: string,
  account: Account,
  p: Program,
  now: Date,
  goodwill: string[] = [],
): Promise<BusMessage | undefined> {
  if (!p.tiers.length) return undefined;
  const value = await qualifyingValue(tx, tenantId, account.customerId, p, now, goodwill);
  const target = tierFor(p, value);
  if (rank(p, target) > rank(p, account.tier)) return changeTier(tx, deps, tenantId, account, target, `qualified with ${value}`, now);
  if (account.tierGraceUntil && rank(p, target) >= rank(p, account.tier)) {
    // Requalified during the grace period: the pending downgrade is off.
    await tx.query('UPDATE loyalty_accounts SET tier_grace_until = NULL WHERE tenant_id = $1 AND customer_id = $2', [tenantId, account.customerId]);
    account.tierGraceUntil = null;
  }
  return undefined;
}

/**
 * A review of one locked account: below its tier, the customer enters the grace period (when there is
 * one) or moves down to the tier the qualifying value reaches; a grace period that ended moves them down.
 */
export async function reviewAccount(
  tx: pg.PoolClient,
  deps: TierDeps,
  tenantId: string,
  account: Account,
  p: Program,
  now: Date,
  goodwill: string[] = [],
): Promise<BusMessage | undefined> {
  const value = await qualifyingValue(tx, tenantId, account.customerId, p, now, goodwill);
  const target = tierFor(p, value);
  if (rank(p, target) > rank(p, account.tier)) return changeTier(tx, deps, tenantId, account, target, `qualified with ${value}`, now);
  if (rank(p, target) === rank(p, account.tier)) {
    if (account.tierGraceUntil)
      await tx.query('UPDATE loyalty_accounts SET tier_grace_until = NULL WHERE tenant_id = $1 AND customer_id = $2', [tenantId, account.customerId]);
    return undefined;
  }
  const grace = p.tier_qualification.grace_days;
  if (grace > 0 && !account.tierGraceUntil) {
    const until = new Date(now.getTime() + grace * 86_400_000);
    await tx.query('UPDATE loyalty_accounts SET tier_grace_until = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, account.customerId, until]);
    account.tierGraceUntil = until;
    return undefined;
  }
  if (account.tierGraceUntil && account.tierGraceUntil > now) return undefined;
  return changeTier(tx, deps, tenantId, account, target, `review found ${value}, below the tier`, now);
}
