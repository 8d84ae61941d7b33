// Earning: points given directly, points for a purchase (through the rules), for engagement (with
// anti-farming limits), for a referral when the friend's first purchase lands, and location surprises.
// Each runs inside a keyed write (runKeyedWrite) with the customer's account locked.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { computedRow, queryRow } from '../../platform/query-rows.js';
import type { BusMessage } from '../../platform/bus.js';
import type { LedgerResult, WriteOutcome } from './ledger.js';
import { beginCustomerWrite, earn, earnWrite, type EarnWriteInput } from './ledger-lots.js';
import type { LoyaltyContext } from './loyalty-context.js';
import { evaluatePurchase, type PurchaseInput, type RuleStep } from './evaluate-purchase.js';
import { expiryFor, type Program, type EngagementKind } from './program.js';
import { upgradeIfQualified, type TierDeps } from './tiers.js';
import { qualifyingGoodwill, toBaseCurrency, type LoyaltySettings } from './settings.js';

export interface EarnContext extends TierDeps {
  program: Program;
  settings: LoyaltySettings;
  /** The clock's instant for this write. */
  now: Date;
}

/** Why a purchase in this currency earns nothing, or null when it converts. */
export function currencyRefusal(s: LoyaltySettings, currency: string): string | null {
  return toBaseCurrency(s, 1, currency)
    ? null
    : `no rate from ${currency} to the programme currency ${s.base_currency} in the loyalty settings (currency_rates): the purchase earns no points`;
}

export interface ManualEarn {
  customerId: string;
  points: number;
  key: string;
  hash: string;
  reason?: string;
  pendingDays?: number;
  expiresAt?: Date | null;
}

/** What a manual earn books: its reason, when its points become available and when they expire. */
export function manualEarn(ctx: EarnContext, e: ManualEarn): EarnWriteInput {
  return {
    points: e.points,
    key: e.key,
    hash: e.hash,
    reason: e.reason ? `manual:${e.reason}` : 'manual',
    availableAt: new Date(ctx.now.getTime() + (e.pendingDays ?? 0) * 86_400_000),
    expiresAt: e.expiresAt !== undefined ? e.expiresAt : expiryFor(ctx.program, ctx.now),
  };
}

/** Goodwill counts toward a tier only for the reasons the settings name: otherwise it cannot move one. */
export const movesTier = (ctx: EarnContext, reason: string) => qualifyingGoodwill(ctx.settings).includes(reason);

/**
 * Points given through the API (POST /v1/loyalty/earn): written in the tenant's next batch, unless the
 * earn can move a tier, which takes its own keyed write (as does whatever the batch does not write).
 */
export async function earnByRequest(lc: LoyaltyContext, tenantId: string, input: Omit<ManualEarn, 'hash'>) {
  const ctx = await lc.withProgram(tenantId);
  return lc.batchedFor(
    tenantId,
    input.customerId,
    input.key,
    { op: 'earn', ...input, expiresAt: input.expiresAt?.toISOString() },
    (hash) => {
      const e = manualEarn(ctx, { ...input, hash });
      return movesTier(ctx, e.reason) ? undefined : (account, now) => earnWrite(account, e, now);
    },
    (tx, hash, customerId) => earnPoints(tx, ctx, tenantId, { ...input, customerId, hash }),
  );
}

export async function earnPoints(tx: pg.PoolClient, ctx: EarnContext, tenantId: string, e: ManualEarn): Promise<WriteOutcome> {
  const now = ctx.now;
  const account = await beginCustomerWrite(tx, tenantId, e.customerId, e.key, now);
  const result = await earn(tx, tenantId, account, manualEarn(ctx, e), now);
  const publish = movesTier(ctx, result.reason) ? await afterEarn(tx, ctx, tenantId, account, now) : [];
  return { result, publish };
}

async function afterEarn(
  tx: pg.PoolClient,
  ctx: EarnContext,
  tenantId: string,
  account: Parameters<typeof upgradeIfQualified>[3],
  now: Date,
): Promise<BusMessage[]> {
  const changed = await upgradeIfQualified(tx, ctx, tenantId, account, ctx.program, now, qualifyingGoodwill(ctx.settings));
  return changed ? [changed] : [];
}

export interface PurchaseEarn {
  customerId: string;
  orderId: string;
  amount: number;
  currency: string;
  storeId?: string;
  items?: PurchaseInput['items'];
  occurredAt: Date;
  key: string;
  hash: string;
}

export type PurchaseResult = LedgerResult & { rules: RuleStep[] };

export async function earnForPurchase(tx: pg.PoolClient, ctx: EarnContext, tenantId: string, p: PurchaseEarn): Promise<WriteOutcome<PurchaseResult>> {
  const now = ctx.now;
  const account = await beginCustomerWrite(tx, tenantId, p.customerId, p.key, now);
  const base = toBaseCurrency(ctx.settings, p.amount, p.currency);
  if (!base) {
    // Recorded under the purchase's key with its reason, so the event is answered (a replay answers the
    // same) and the refusal shows in the customer's history; the money is kept out of every sum in base currency.
    const reason = currencyRefusal(ctx.settings, p.currency)!;
    const refused = { code: 'LOYALTY_CURRENCY_NOT_CONFIGURED', message: reason };
    const result = await earn(
      tx,
      tenantId,
      account,
      {
        points: 0,
        key: p.key,
        hash: p.hash,
        reason: 'purchase',
        reference: p.orderId,
        currency: p.currency,
        occurredAt: p.occurredAt,
        availableAt: now,
        expiresAt: null,
        details: { store_id: p.storeId ?? null, refused: refused.code, amount: p.amount, currency: p.currency },
        extra: { order_id: p.orderId, refused },
      },
      now,
    );
    return { result: { ...result, rules: [{ step: 'rate', rule: 'currency', fired: false, reason, points: 0 }] } };
  }
  const caps = ctx.program.purchase.caps;
  let pointsToday = 0;
  if (caps.per_customer_per_day !== undefined) {
    const r = await queryRow(
      tx,
      computedRow<{ n: number }>(['n']),
      `SELECT coalesce(sum(points), 0)::int AS n FROM loyalty_transactions
        WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'earn' AND reason = 'purchase' AND created_at >= date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [tenantId, p.customerId, now],
    );
    pointsToday = r!.n; // an aggregate without GROUP BY: always one row
  }
  // The rules are written in the programme currency: a purchase in another earns on its converted amount
  // (item prices are only weights, so they need no conversion).
  const evaluation = evaluatePurchase(
    ctx.program,
    { amount: base.amount, store_id: p.storeId, items: p.items, occurred_at: p.occurredAt },
    { tier: account.tier, pointsToday },
  );
  const result = await earn(
    tx,
    tenantId,
    account,
    {
      points: evaluation.points,
      key: p.key,
      hash: p.hash,
      reason: 'purchase',
      reference: p.orderId,
      money: p.amount,
      currency: p.currency,
      baseMoney: base.amount,
      occurredAt: p.occurredAt,
      availableAt: new Date(now.getTime() + ctx.program.pending_days * 86_400_000),
      expiresAt: expiryFor(ctx.program, now),
      details: {
        store_id: p.storeId ?? null,
        rules_fired: evaluation.steps.filter((s) => s.fired).map((s) => s.rule),
        ...(base.rate !== 1 ? { rate: base.rate } : {}),
      },
      extra: { order_id: p.orderId, ...(base.rate !== 1 ? { base_amount: base.amount, base_currency: ctx.settings.base_currency, rate: base.rate } : {}) },
    },
    now,
  );
  const publish = await afterEarn(tx, ctx, tenantId, account, now);
  return { result: { ...result, rules: evaluation.steps }, publish };
}

export class EngagementLimited extends Error {
  constructor(readonly limit: string) {
    super(`engagement limit ${limit} reached`);
  }
}

/**
 * Engagement points, at most once per source (review, response, mention...) and within the
 * programme's per-customer limits per day, month and in total. A limited engagement still records a
 * zero-point transaction under its key, so a replay of the same source answers the same.
 */
export async function awardEngagement(
  tx: pg.PoolClient,
  ctx: EarnContext,
  tenantId: string,
  e: { customerId: string; kind: EngagementKind; sourceId: string; key: string; hash: string },
): Promise<WriteOutcome> {
  const now = ctx.now;
  const rule = ctx.program.engagement[e.kind];
  const account = await beginCustomerWrite(tx, tenantId, e.customerId, e.key, now);
  let points = rule?.points ?? 0;
  let limitedBy: string | null = rule ? null : 'not_in_programme';
  if (rule && points > 0) {
    const c = (await queryRow(
      tx,
      computedRow<{ day: number; month: number; total: number }>(['day', 'month', 'total']),
      `SELECT count(*) FILTER (WHERE created_at >= $4::timestamptz - interval '1 day')::int AS day,
              count(*) FILTER (WHERE created_at >= $4::timestamptz - interval '30 days')::int AS month,
              count(*)::int AS total
         FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND reason = $3 AND points > 0`,
      [tenantId, e.customerId, `engagement:${e.kind}`, now],
    ))!; // an aggregate without GROUP BY: always one row
    if (rule.max_per_day !== undefined && c.day >= rule.max_per_day) limitedBy = 'max_per_day';
    else if (rule.max_per_month !== undefined && c.month >= rule.max_per_month) limitedBy = 'max_per_month';
    else if (rule.max_total !== undefined && c.total >= rule.max_total) limitedBy = 'max_total';
    if (limitedBy) points = 0;
  }
  const result = await earn(
    tx,
    tenantId,
    account,
    {
      points,
      key: e.key,
      hash: e.hash,
      reason: `engagement:${e.kind}`,
      reference: e.sourceId,
      availableAt: now,
      expiresAt: expiryFor(ctx.program, now),
      details: { limited_by: limitedBy },
      extra: { limited_by: limitedBy },
    },
    now,
  );
  const publish = points > 0 ? await afterEarn(tx, ctx, tenantId, account, now) : [];
  return { result, publish };
}

/** Great-circle distance in metres (haversine, mean Earth radius 6,371 km). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A draw in [0, 1) fixed by the event: a replayed location event draws the same, so replays agree. */
export function drawFor(tenantId: string, eventId: string): number {
  return createHash('sha256').update(`${tenantId}\u0000${eventId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * A location event inside a store's geofence may win a surprise: with the programme's probability,
 * within the customer's daily limit and the tenant's monthly budget. The budget is read under a lock
 * on the programme row, so concurrent surprises cannot overspend it.
 */
/** Whether the programme gives location surprises at all: without, a location event costs no write. */
export const givesSurprises = (p: Program) => !!p.location_surprise && p.location_surprise.points > 0 && p.location_surprise.probability > 0;

export async function awardSurprise(
  tx: pg.PoolClient,
  ctx: EarnContext,
  tenantId: string,
  e: { customerId: string; eventId: string; lat: number; lng: number; key: string; hash: string },
): Promise<WriteOutcome | undefined> {
  const s = ctx.program.location_surprise;
  if (!s || !givesSurprises(ctx.program)) return undefined;
  const store = s.stores.find((g) => distanceMetres(g, e) <= g.radius_m);
  if (!store) return undefined;
  if (drawFor(tenantId, e.eventId) >= s.probability) return undefined;
  const now = ctx.now;
  const account = await beginCustomerWrite(tx, tenantId, e.customerId, e.key, now);
  await tx.query('SELECT 1 FROM loyalty_programs WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
  const b = (await queryRow(
    tx,
    computedRow<{ month: number; customer_day: number; customer_wins: number }>(['month', 'customer_day', 'customer_wins']),
    `SELECT coalesce(sum(points), 0)::int AS month,
            coalesce(sum(points) FILTER (WHERE customer_id = $2 AND created_at >= $3::timestamptz - interval '1 day'), 0)::int AS customer_day,
            count(*) FILTER (WHERE customer_id = $2 AND created_at >= $3::timestamptz - interval '1 day' AND points > 0)::int AS customer_wins
       FROM loyalty_transactions WHERE tenant_id = $1 AND reason = 'surprise' AND created_at >= date_trunc('month', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [tenantId, e.customerId, now],
  ))!; // an aggregate without GROUP BY: always one row
  if (b.customer_wins >= s.max_per_customer_per_day || b.month + s.points > s.monthly_budget) return undefined;
  const result = await earn(
    tx,
    tenantId,
    account,
    {
      points: s.points,
      key: e.key,
      hash: e.hash,
      reason: 'surprise',
      reference: e.eventId,
      availableAt: now,
      expiresAt: expiryFor(ctx.program, now),
      details: { store_id: store.store_id },
      extra: { store_id: store.store_id },
    },
    now,
  );
  return { result, publish: await afterEarn(tx, ctx, tenantId, account, now) };
}
