// The loyalty service: the use cases routes and subscribers call, wired with their context, plus the
// merge/erase/export hooks, the bus subscriptions and the jobs (expiry, warnings, tier review,
// reconciliation of ingested events).
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db.js';
import { perTenant, type BusMessage } from '../../platform/bus.js';
import { AppError } from '../../platform/errors.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { hashRequest, runKeyedWrite, lockAccount, readAccount, usePreparedStatements, AccountMissing, AccountMoved, type WriteOutcome, type LedgerResult } from './ledger.js';
import { loadProgram, saveProgram, DEFAULT_PROGRAM, type Program, type EngagementKind } from './program.js';
import { earnPoints, earnForPurchase, awardEngagement, awardSurprise, givesSurprises, currencyRefusal, type ManualEarn, type PurchaseEarn } from './earn-points.js';
import { spendPoints } from './spend-points.js';
import { refundPurchase } from './refund-purchase.js';
import { redeemReward, cancelRedemption, useVoucher, toRedemption } from './redeem-reward.js';
import { createReward, updateReward, getReward, listRewards, createOffer, listCustomerRewards, type RewardInput, type OfferInput } from './manage-rewards.js';
import { readStatements, templateVariables } from './read-statements.js';
import { readBalance, readStatement } from './read-balance.js';
import { listPointsHistory, listCustomerVouchers } from './list-customer-history.js';
import { computeLiability } from './compute-liability.js';
import { runExpiry, warnExpiring, settleAccount } from './expire-points.js';
import { reviewAccount, type TierDeps } from './tiers.js';
import { evaluatePurchase, type PurchaseInput } from './evaluate-purchase.js';
import { currencyNotConfigured, customerNotFound, invalidReferral, referralExists, redemptionNotFound } from './errors.js';
import { newId } from '../../platform/ids.js';
import { requestTierReview, readTierReview, runTierReview, TIER_REVIEW_JOB } from './request-tier-review.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { settingsArea } from '../../platform/settings.js';
import { LoyaltySettingsArea, loyaltySettingsOf, qualifyingGoodwill, type LoyaltySettings } from './settings.js';
import { recordUnappliedRefund, forgetUnappliedRefund, listUnappliedRefunds, listRefundsToRetry } from './keep-unapplied-refunds.js';

const PROGRAM_TTL_MS = 5_000;
const RECONCILE_OVERLAP_MS = 10 * 60_000;

export function createLoyaltyService(ctx: ModuleContext & { customers: CustomersService; events: EventsService }) {
  const { db, bus, customers, events, log, clock } = ctx;
  const pool = db.pool;
  const tierDeps: TierDeps = { appendTimeline: (tx, tenantId, entries) => events.append(tx, tenantId, entries) };
  // Every ingested purchase asks for its tenant's programme and settings (currency rates): one shared
  // load per tenant (tenant-cache), so converting a purchase costs the ledger no query.
  const programs = createTenantCache<{ program: Program; isConfigured: boolean; settings: LoyaltySettings }>({
    ttlMs: PROGRAM_TTL_MS,
    async load(tenantId) {
      const { rows } = await pool.query('SELECT rules FROM loyalty_programs WHERE tenant_id = $1', [tenantId]);
      const settings = loyaltySettingsOf((await getTenantSettings(pool, tenantId)).loyalty);
      return { program: rows[0] ? await loadProgram(pool, tenantId) : DEFAULT_PROGRAM, isConfigured: !!rows[0], settings };
    },
  });
  const programOf = (tenantId: string) => programs.get(tenantId);

  /** The customer a request names: merged ids lead to the survivor; unknown, foreign and erased ids are 404. */
  async function resolveCustomer(tenantId: string, id: string, field = 'customer_id'): Promise<string> {
    const found = await customers.findCustomerId(tenantId, id);
    if (!found || found.status !== 'active') throw customerNotFound(undefined, [{ field, message: 'no such customer' }]);
    return found.id;
  }

  let isPreparedChecked = false;
  async function keyed<T>(tenantId: string, key: string, request: unknown, fn: (tx: pg.PoolClient, hash: string) => Promise<WriteOutcome<T>>) {
    if (!isPreparedChecked) {
      const { rows: [v] } = await pool.query('SELECT version() AS v');
      usePreparedStatements(!/PGlite|emscripten/i.test(v.v));
      isPreparedChecked = true;
    }
    const hash = hashRequest(request);
    const out = await runKeyedWrite(pool, tenantId, key, hash, (tx) => fn(tx, hash));
    bus.publish(out.publish);
    return { result: out.result, replayed: out.replayed };
  }

  /**
   * A keyed write for one customer's account. An existing account proves the customer, so the common
   * write makes no call to the customers module; a missing account is created once the customers module
   * confirms the customer (404 otherwise, as for another tenant's id), and a merged customer's write
   * goes to the survivor.
   */
  async function keyedFor<T>(tenantId: string, customerId: string, key: string, request: unknown, fn: (tx: pg.PoolClient, hash: string, customerId: string) => Promise<WriteOutcome<T>>) {
    let id = customerId;
    for (let attempt = 0; ; attempt++) {
      try {
        return await keyed(tenantId, key, request, (tx, hash) => fn(tx, hash, id));
      } catch (err) {
        if (attempt >= 3 || !(err instanceof AccountMissing || err instanceof AccountMoved)) throw err;
        if (err instanceof AccountMoved) {
          id = err.survivorId;
          continue;
        }
        id = await resolveCustomer(tenantId, id);
        await pool.query('INSERT INTO loyalty_accounts (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT (tenant_id, customer_id) DO NOTHING', [tenantId, id]);
      }
    }
  }

  const withProgram = async (tenantId: string) => {
    const { program, settings } = await programOf(tenantId);
    return { ...tierDeps, program, settings, now: clock.now() };
  };

  async function earnForPurchaseEvent(tenantId: string, e: { id: string; customerId: string; occurredAt: Date; properties: Record<string, unknown> }) {
    const p = e.properties as { order_id: string; amount: number; currency: string; store_id?: string; items?: PurchaseInput['items'] };
    const input: Omit<PurchaseEarn, 'hash'> = { customerId: e.customerId, orderId: p.order_id, amount: p.amount, currency: p.currency, storeId: p.store_id, items: p.items, occurredAt: e.occurredAt, key: `event:${e.id}` };
    const earnCtx = await withProgram(tenantId);
    const r = await keyedFor(tenantId, e.customerId, input.key, { event: e.id }, (tx, hash, customerId) => earnForPurchase(tx, earnCtx, tenantId, { ...input, customerId, hash }));
    await rewardReferral(tenantId, e.customerId);
    return r;
  }

  /** The referrer of a friend whose first purchase just landed earns the referral reward, once. */
  async function rewardReferral(tenantId: string, friendId: string) {
    const { program } = await programOf(tenantId);
    if (!program.engagement.referral) return;
    const { rows: [ref] } = await pool.query(`SELECT id, referrer_id FROM loyalty_referrals WHERE tenant_id = $1 AND friend_id = $2 AND status = 'pending'`, [tenantId, friendId]);
    if (!ref) return;
    const key = `referral:${ref.id}`;
    const earnCtx = await withProgram(tenantId);
    await keyedFor(tenantId, ref.referrer_id, key, { referral: ref.id }, async (tx, hash, customerId) => {
      const out = await awardEngagement(tx, earnCtx, tenantId, { customerId, kind: 'referral', sourceId: ref.id, key, hash });
      await tx.query(`UPDATE loyalty_referrals SET status = 'rewarded', rewarded_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, ref.id, earnCtx.now]);
      return out;
    });
  }

  async function engagementFromEvent(tenantId: string, kind: EngagementKind, customerId: string, sourceId: string) {
    const { program, isConfigured, settings } = await programOf(tenantId);
    if (!isConfigured || !program.engagement[kind]) return undefined;
    const key = `engagement:${kind}:${sourceId}`;
    const earnCtx = { ...tierDeps, program, settings, now: clock.now() };
    return keyedFor(tenantId, customerId, key, { kind, source: sourceId }, (tx, hash, id) => awardEngagement(tx, earnCtx, tenantId, { customerId: id, kind, sourceId, key, hash }));
  }

  /** Applies one ingested event; idempotent on the event id, so the bus and the reconciliation pass may both call it. */
  async function applyEvent(tenantId: string, e: { id: string; type: string; customerId: string; occurredAt: Date; properties: Record<string, unknown> }) {
    const { program, isConfigured, settings } = await programOf(tenantId);
    if (!isConfigured) return;
    switch (e.type) {
      case 'purchase':
        await earnForPurchaseEvent(tenantId, e);
        return;
      case 'refund': {
        const p = e.properties as { order_id: string; amount?: number };
        const key = `event:${e.id}`;
        try {
          await keyedFor(tenantId, e.customerId, key, { event: e.id }, (tx, hash, customerId) => refundPurchase(tx, tenantId, { customerId, orderId: p.order_id, amount: p.amount, key, hash }, clock.now()));
        } catch (err) {
          // A refund ahead of its purchase is kept (and listed) until the purchase's points exist.
          if (!(err instanceof AppError && err.code === 'LOYALTY_PURCHASE_NOT_FOUND')) throw err;
          await recordUnappliedRefund(pool, tenantId, { eventId: e.id, customerId: e.customerId, orderId: p.order_id, amount: p.amount ?? null, reason: err.message, receivedAt: (e as { receivedAt?: Date }).receivedAt ?? clock.now() }, clock.now());
          throw err;
        }
        await forgetUnappliedRefund(pool, tenantId, e.id);
        return;
      }
      case 'location': {
        if (!givesSurprises(program)) return;
        // A surprise rewards being at the store now: an old location (an import, a late batch, the
        // reconciliation pass over history) pays nothing, or switching the rule on spends the budget on the past.
        if (Math.abs(ctx.clock.now().getTime() - e.occurredAt.getTime()) > SURPRISE_WINDOW_MS) return;
        const p = e.properties as { lat: number; lng: number };
        const key = `event:${e.id}`;
        const earnCtx = { ...tierDeps, program, settings, now: clock.now() };
        // No surprise is no write: nothing is stored, and a replay draws the same again.
        await keyedFor(tenantId, e.customerId, key, { event: e.id }, async (tx, hash, customerId) => (await awardSurprise(tx, earnCtx, tenantId, { customerId, eventId: e.id, lat: p.lat, lng: p.lng, key, hash })) ?? { result: undefined });
        return;
      }
      case 'review': case 'check_in': case 'profile_completed':
        await engagementFromEvent(tenantId, e.type, e.customerId, e.id);
    }
  }

  async function applyEventLogged(tenantId: string, e: Parameters<typeof applyEvent>[1]) {
    try {
      await applyEvent(tenantId, e);
    } catch (err) {
      // A refund that arrives before its purchase is retried by the next reconciliation pass.
      const level = err instanceof AppError ? 'info' : 'error';
      log[level]({ err: (err as Error).message, event: e.id, type: e.type }, 'loyalty could not apply an event yet');
    }
  }

  /**
   * Refunds kept because their purchase had not arrived: retried once the purchase's points exist,
   * however long after the refund that was (the pass below only looks a few minutes back).
   */
  async function applyUnappliedRefunds(tenantId: string) {
    let applied = 0;
    for (const e of await listRefundsToRetry(pool, tenantId, clock.now())) {
      await applyEventLogged(tenantId, e);
      applied++;
    }
    return applied;
  }

  async function reconcileTenant(tenantId: string, now = clock.now()) {
    const { isConfigured } = await programOf(tenantId);
    if (!isConfigured) return 0;
    const { rows: [c] } = await pool.query('SELECT received_at FROM loyalty_event_cursors WHERE tenant_id = $1', [tenantId]);
    let since = c ? new Date(new Date(c.received_at).getTime() - RECONCILE_OVERLAP_MS) : new Date(now.getTime() - 24 * 3600_000);
    let applied = 0;
    for (;;) {
      const batch = await events.listReceivedSince(tenantId, ['purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed'], since, 500);
      if (!batch.length) break;
      const { rows: done } = await pool.query('SELECT idempotency_key FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[])', [tenantId, batch.map((e) => `event:${e.id}`)]);
      const isDone = new Set(done.map((d) => d.idempotency_key as string));
      for (const e of batch) {
        if (isDone.has(`event:${e.id}`)) continue;
        await applyEventLogged(tenantId, e);
        applied++;
      }
      const last = batch[batch.length - 1].receivedAt;
      await pool.query(
        `INSERT INTO loyalty_event_cursors (tenant_id, received_at) VALUES ($1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET received_at = greatest(loyalty_event_cursors.received_at, excluded.received_at), updated_at = now()`,
        [tenantId, last],
      );
      if (batch.length < 500) break;
      since = last;
    }
    return applied + await applyUnappliedRefunds(tenantId);
  }

  // Purchases, refunds, locations and engagement events as they are ingested. One customer's events
  // are applied one after another in the order they arrived, so a refund ingested with its purchase
  // finds the purchase's points, and one customer's writes never wait on each other's locks.
  const lanes = new Map<string, Promise<void>>();
  function inCustomerOrder(tenantId: string, customerId: string, fn: () => Promise<void>): Promise<void> {
    const key = `${tenantId}\u0000${customerId}`;
    const next = (lanes.get(key) ?? Promise.resolve()).then(fn);
    lanes.set(key, next);
    return next.finally(() => { if (lanes.get(key) === next) lanes.delete(key); });
  }
  for (const type of ['purchase', 'refund', 'location', 'review', 'check_in', 'profile_completed']) {
    bus.subscribe(`event.${type}`, async (msg) => {
      const e = msg.payload as { id: string; type: string; customerId: string; occurredAt: Date; properties: Record<string, unknown> };
      // Without a programme (the common case of an ingest-only tenant) nothing is queued.
      if (e.customerId && (await programOf(msg.tenantId)).isConfigured) await inCustomerOrder(msg.tenantId, e.customerId, () => applyEventLogged(msg.tenantId, e));
    });
  }
  // Answered surveys, a batch at a time: a tenant without a programme costs one cached look-up per batch.
  bus.subscribeBatch('feedback.response.submitted', (msgs) => perTenant(msgs, async (tenantId, list) => {
    if (!(await programOf(tenantId)).isConfigured) return;
    for (const { payload: r } of list as BusMessage<{ responseId: string; customerId?: string; kind?: string }>[]) {
      if (!r.customerId) continue;
      // A review-kind response counts as a review; every other answered survey as a survey.
      await engagementFromEvent(tenantId, r.kind === 'review' ? 'review' : 'survey', r.customerId, `response:${r.responseId}`).catch((err) => log.warn({ err: err.message }, 'survey points not given'));
    }
  }));
  bus.subscribe('mention.created', async (msg) => {
    const m = msg.payload as { mentionId: string; customerId?: string; sentiment?: string; aboutCompany?: boolean };
    if (!m.customerId || m.sentiment !== 'positive' || !m.aboutCompany) return;
    await engagementFromEvent(msg.tenantId, 'share', m.customerId, `mention:${m.mentionId}`).catch((err) => log.warn({ err: err.message }, 'share points not given'));
  });

  // A merge moves the merged profile's points, lots, debt, redemptions and referrals to the survivor,
  // with a transfer transaction so each customer's balance still equals the sum of their postings.
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    const { rows: exists } = await tx.query('SELECT 1 FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
    if (!exists.length) return;
    const [first, second] = [survivorId, mergedId].sort();
    const a1 = (await lockAccount(tx, tenantId, first, undefined, { create: true })).account;
    const a2 = (await lockAccount(tx, tenantId, second, undefined, { create: true })).account;
    const survivor = first === survivorId ? a1 : a2;
    const merged = first === mergedId ? a1 : a2;
    const txId = newId('ltx');
    const at = clock.now();
    const moves: [string, string, number][] = [];
    if (merged.available) moves.push([mergedId, 'available', -merged.available], [survivorId, 'available', merged.available]);
    if (merged.pending) moves.push([mergedId, 'pending', -merged.pending], [survivorId, 'pending', merged.pending]);
    if (merged.debt) moves.push([mergedId, 'debt', merged.debt], [survivorId, 'debt', -merged.debt]);
    const result = { transaction_id: txId, kind: 'transfer', from: mergedId, to: survivorId, available: merged.available, pending: merged.pending, debt: merged.debt };
    await tx.query(
      `INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, reference, result, occurred_at, created_at)
       VALUES ($1, $2, $3, 'transfer', 'merge', $4, '-', $5, $6, $7, $8, $8)`,
      [tenantId, txId, survivorId, `merge:${mergedId}`, merged.available + merged.pending - merged.debt, mergedId, JSON.stringify(result), at],
    );
    if (moves.length) {
      await tx.query(
        `INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, amount, created_at) SELECT $1, $2, x.c, x.a, x.n, $6 FROM unnest($3::text[], $4::text[], $5::int[]) AS x(c, a, n)`,
        [tenantId, txId, moves.map((m) => m[0]), moves.map((m) => m[1]), moves.map((m) => m[2]), at],
      );
    }
    // The survivor keeps the higher tier of the two (by threshold), so nobody loses status by merging.
    const { program } = await programOf(tenantId);
    const rank = (t: string | null) => program.tiers.findIndex((x) => x.id === t);
    const tier = rank(merged.tier) > rank(survivor.tier) ? merged.tier : survivor.tier;
    await tx.query(
      `UPDATE loyalty_accounts SET available = available + $3, pending = pending + $4, debt = debt + $5, tier = $6,
              next_due_at = least(next_due_at, $7::timestamptz), updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`,
      [tenantId, survivorId, merged.available, merged.pending, merged.debt, tier, merged.nextDueAt],
    );
    await tx.query(`UPDATE loyalty_accounts SET available = 0, pending = 0, debt = 0, next_due_at = NULL, merged_into = $3, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, mergedId, survivorId]);
    // Profiles merged into this one earlier now lead here too.
    await tx.query('UPDATE loyalty_accounts SET merged_into = $2 WHERE tenant_id = $1 AND merged_into = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE loyalty_lots SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE loyalty_redemptions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE loyalty_referrals SET referrer_id = $2 WHERE tenant_id = $1 AND referrer_id = $3', [tenantId, survivorId, mergedId]);
    // A survivor already referred keeps that referral; the merged profile's own is dropped.
    await tx.query('UPDATE loyalty_referrals SET friend_id = $2 WHERE tenant_id = $1 AND friend_id = $3 AND NOT EXISTS (SELECT 1 FROM loyalty_referrals WHERE tenant_id = $1 AND friend_id = $2)', [tenantId, survivorId, mergedId]);
  });

  // The ledger is a financial record and holds no personal data beyond the customer id; erasure drops
  // the free-form details and the referral links between people, and keeps the amounts.
  customers.onErase(async (tx, tenantId, ids) => {
    await tx.query('UPDATE loyalty_accounts SET is_closed = true WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    await tx.query(`UPDATE loyalty_transactions SET details = '{}', reference = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`, [tenantId, ids]);
    await tx.query('DELETE FROM loyalty_referrals WHERE tenant_id = $1 AND (referrer_id = ANY($2::text[]) OR friend_id = ANY($2::text[]))', [tenantId, ids]);
    await tx.query('DELETE FROM loyalty_offers WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    // An erased customer's refunds can no longer apply: nothing to keep them for.
    await tx.query('DELETE FROM loyalty_unapplied_refunds WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  });

  customers.addExportSection('loyalty', async (tenantId, ids) => {
    const { rows: accounts } = await pool.query('SELECT customer_id, available, pending, debt, tier, tier_since FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    const { rows: transactions } = await pool.query('SELECT id, customer_id, kind, reason, points, reference, occurred_at, created_at FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at, id', [tenantId, ids]);
    const { rows: redemptions } = await pool.query('SELECT * FROM loyalty_redemptions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at', [tenantId, ids]);
    return { accounts, transactions, redemptions: redemptions.map(toRedemption) };
  });

  async function allTenants(): Promise<string[]> {
    const { rows } = await pool.query('SELECT tenant_id FROM loyalty_programs');
    return rows.map((r) => r.tenant_id as string);
  }

  return {
    /** Where this service reads "now" (routes default a missing date to it). */
    clock,
    programOf,
    async getProgram(tenantId: string) {
      return (await programOf(tenantId)).program;
    },
    /** The settings areas this module declares (GET/PATCH /v1/settings/loyalty). */
    settingsAreas: [settingsArea({ name: 'loyalty', schema: LoyaltySettingsArea, onChange: (tenantId) => programs.forget(tenantId) })],
    async setProgram(tenantId: string, program: Program) {
      await saveProgram(pool, tenantId, program);
      programs.forget(tenantId);
      return program;
    },
    resolveCustomer,

    async dryRun(tenantId: string, input: { customerId?: string; tier?: string | null; purchase: PurchaseInput }) {
      const { program } = await programOf(tenantId);
      let tier = input.tier ?? null;
      let pointsToday = 0;
      if (input.customerId) {
        const id = await resolveCustomer(tenantId, input.customerId);
        tier = input.tier !== undefined ? input.tier : (await readAccount(pool, tenantId, id))?.tier ?? null;
        const { rows: [r] } = await pool.query(`SELECT coalesce(sum(points), 0)::int AS n FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'earn' AND reason = 'purchase' AND created_at >= date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`, [tenantId, id, clock.now()]);
        pointsToday = r.n;
      }
      return { tier, ...evaluatePurchase(program, input.purchase, { tier, pointsToday }) };
    },

    async earn(tenantId: string, input: Omit<ManualEarn, 'hash'>) {
      const earnCtx = await withProgram(tenantId);
      return keyedFor(tenantId, input.customerId, input.key, { op: 'earn', ...input, expiresAt: input.expiresAt?.toISOString() }, (tx, hash, customerId) => earnPoints(tx, earnCtx, tenantId, { ...input, customerId, hash }));
    },
    async spend(tenantId: string, input: { customerId: string; points: number; key: string; reason?: string; reference?: string | null }) {
      return keyedFor(tenantId, input.customerId, input.key, { op: 'spend', ...input }, (tx, hash, customerId) => spendPoints(tx, tenantId, { ...input, customerId, hash }, clock.now()));
    },
    async purchase(tenantId: string, input: Omit<PurchaseEarn, 'hash'>) {
      const earnCtx = await withProgram(tenantId);
      // A caller is there to fix it: refused outright (an ingested event instead records the refusal).
      const refusal = currencyRefusal(earnCtx.settings, input.currency);
      if (refusal) throw currencyNotConfigured(`No points for a purchase in ${input.currency}: ${refusal}`, [{ field: 'currency', message: `no rate to ${earnCtx.settings.base_currency} in the loyalty settings` }]);
      let customerId = input.customerId;
      const r = await keyedFor(tenantId, input.customerId, input.key, { op: 'purchase', ...input, occurredAt: input.occurredAt.toISOString() }, (tx, hash, id) => {
        customerId = id;
        return earnForPurchase(tx, earnCtx, tenantId, { ...input, customerId: id, hash });
      });
      await rewardReferral(tenantId, customerId);
      return r;
    },
    async refund(tenantId: string, input: { customerId: string; orderId: string; amount?: number; key: string }) {
      return keyedFor(tenantId, input.customerId, input.key, { op: 'refund', ...input }, (tx, hash, customerId) => refundPurchase(tx, tenantId, { ...input, customerId, hash }, clock.now()));
    },
    async engage(tenantId: string, input: { customerId: string; kind: EngagementKind; sourceId: string }) {
      const key = `engagement:${input.kind}:${input.sourceId}`;
      const earnCtx = await withProgram(tenantId);
      return keyedFor(tenantId, input.customerId, key, { kind: input.kind, source: input.sourceId }, (tx, hash, customerId) => awardEngagement(tx, earnCtx, tenantId, { customerId, kind: input.kind, sourceId: input.sourceId, key, hash }));
    },
    async refer(tenantId: string, referrer: string, friend: string) {
      const referrerId = await resolveCustomer(tenantId, referrer, 'referrer_id');
      const friendId = await resolveCustomer(tenantId, friend, 'friend_id');
      if (referrerId === friendId) throw invalidReferral(undefined, [{ field: 'friend_id', message: 'is the referrer' }]);
      // Only a friend who has not bought yet can be referred: otherwise any customer could be claimed.
      const { rows: [bought] } = await pool.query(`SELECT 1 FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND reason = 'purchase' LIMIT 1`, [tenantId, friendId]);
      if (bought) throw invalidReferral('This friend is already a buying customer', [{ field: 'friend_id', message: 'already made a purchase' }]);
      const id = newId('rfl');
      const r = await pool.query(`INSERT INTO loyalty_referrals (tenant_id, id, referrer_id, friend_id) VALUES ($1,$2,$3,$4) ON CONFLICT (tenant_id, friend_id) DO NOTHING`, [tenantId, id, referrerId, friendId]);
      if (r.rowCount !== 1) throw referralExists(undefined, [{ field: 'friend_id', message: 'already referred' }]);
      return { id, referrer_id: referrerId, friend_id: friendId, status: 'pending' };
    },

    /** A customer's tier and its benefits, for other modules (the inbox routes priority customers first). */
    async benefitsOf(tenantId: string, customerId: string) {
      const { program } = await programOf(tenantId);
      const account = await readAccount(pool, tenantId, customerId);
      const tier = program.tiers.find((x) => x.id === account?.tier);
      return { tier: tier?.id ?? null, earnMultiplier: tier?.earn_multiplier ?? 1, isPriorityRouting: tier?.priority_routing ?? false };
    },
    async balance(tenantId: string, customer: string) {
      const id = await resolveCustomer(tenantId, customer, 'id');
      return readBalance(pool, tenantId, id, (await programOf(tenantId)).program, clock.now());
    },
    async statement(tenantId: string, customer: string, from: Date, to: Date) {
      const id = await resolveCustomer(tenantId, customer, 'id');
      return readStatement(pool, tenantId, id, from, to);
    },
    /** A member's figures for message templates (points, expiring points, tier and progress to the next). */
    async templateVariables(tenantId: string, customerId: string, now = clock.now()) {
      const { program, settings } = await programOf(tenantId);
      return templateVariables(pool, tenantId, customerId, program, now, qualifyingGoodwill(settings));
    },
    /** Every member's statement for [from, to), a page at a time (only members with activity or points). */
    async *statements(tenantId: string, period: { from: Date; to: Date }, opts: { customerIds?: string[]; after?: string; pageSize?: number } = {}) {
      const { program, settings } = await programOf(tenantId);
      yield* readStatements(pool, tenantId, program, period, { ...opts, goodwill: qualifyingGoodwill(settings) });
    },
    /** The member's points movements, newest first, with their reasons. */
    async pointsHistory(tenantId: string, customer: string, limit = 200) {
      return listPointsHistory(pool, tenantId, await resolveCustomer(tenantId, customer, 'id'), limit);
    },
    /** The vouchers the member's redemptions issued, with their status as of the clock's now. */
    async customerVouchers(tenantId: string, customer: string) {
      return listCustomerVouchers(pool, tenantId, await resolveCustomer(tenantId, customer, 'id'), ctx.clock.now());
    },
    async customerRewards(tenantId: string, customer: string) {
      const id = await resolveCustomer(tenantId, customer, 'id');
      const account = await readAccount(pool, tenantId, id);
      return listCustomerRewards(pool, tenantId, id, account?.tier ?? null, clock.now());
    },

    createReward: (tenantId: string, input: RewardInput) => createReward(pool, tenantId, input),
    updateReward: (tenantId: string, id: string, patch: Partial<RewardInput>) => updateReward(pool, tenantId, id, patch),
    getReward: (tenantId: string, id: string) => getReward(pool, tenantId, id),
    listRewards: (tenantId: string) => listRewards(pool, tenantId),
    async createOffer(tenantId: string, input: OfferInput) {
      const customerId = input.customer_id ? await resolveCustomer(tenantId, input.customer_id) : null;
      return createOffer(pool, tenantId, { ...input, customer_id: customerId });
    },
    async redeem(tenantId: string, input: { customerId: string; rewardId: string; offerId?: string; key: string }) {
      return keyedFor(tenantId, input.customerId, input.key, { op: 'redeem', ...input }, (tx, hash, customerId) => redeemReward(tx, tenantId, { ...input, customerId, hash }, clock.now()));
    },
    async cancelRedemption(tenantId: string, id: string) {
      const { program } = await programOf(tenantId);
      const key = `cancel:${id}`;
      const { rows: [found] } = await pool.query('SELECT 1 FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!found) throw redemptionNotFound();
      return keyed(tenantId, key, key, (tx, hash) => cancelRedemption(tx, tenantId, program, id, hash, clock.now()));
    },
    async getRedemption(tenantId: string, id: string) {
      const { rows: [r] } = await pool.query('SELECT * FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r) throw redemptionNotFound();
      return toRedemption(r);
    },
    useVoucher: (tenantId: string, code: string) => useVoucher(pool, tenantId, code, clock.now()),

    /** The programme's base currency and the rates other currencies convert at (loyalty settings), for other modules' money figures. */
    async currencyRates(tenantId: string): Promise<{ baseCurrency: string; rates: Record<string, number> }> {
      const { settings } = await programOf(tenantId);
      return { baseCurrency: settings.base_currency, rates: { ...settings.currency_rates, [settings.base_currency]: 1 } };
    },
    async liability(tenantId: string) {
      const { program, settings } = await programOf(tenantId);
      return computeLiability(pool, tenantId, program, settings, clock.now());
    },
    /** Refund events kept because their purchase has not arrived, oldest first. */
    unappliedRefunds: (tenantId: string, opts: { customerId?: string; limit?: number } = {}) => listUnappliedRefunds(pool, tenantId, opts),

    /** Settles due lots (release, expiry) of every account, or one tenant's. */
    runExpiry: (now = clock.now(), tenantId?: string) => runExpiry(pool, now, { tenantId }),
    settleAccount: (tenantId: string, customerId: string, now = clock.now()) => settleAccount(pool, tenantId, customerId, now),
    async warnExpiring(tenantId: string, now = clock.now()) {
      const { program } = await programOf(tenantId);
      const msgs = await warnExpiring(pool, tenantId, program, (tx, t, entries) => events.append(tx, t, entries), now);
      bus.publish(msgs);
      return msgs.length;
    },
    /** Reviews every account with a tier: downgrades after grace, upgrades missed ones. */
    async reviewTiers(tenantId: string, now = clock.now()) {
      const { program, settings } = await programOf(tenantId);
      const goodwill = qualifyingGoodwill(settings);
      const { rows } = await pool.query('SELECT customer_id FROM loyalty_accounts WHERE tenant_id = $1 AND tier IS NOT NULL', [tenantId]);
      let changed = 0;
      for (const r of rows) {
        const msgs: BusMessage[] = [];
        await withTransaction(pool, async (tx) => {
          const { account } = await lockAccount(tx, tenantId, r.customer_id);
          const m = await reviewAccount(tx, tierDeps, tenantId, account, program, now, goodwill);
          if (m) msgs.push(m);
        });
        if (msgs.length) changed++;
        bus.publish(msgs);
      }
      return { reviewed: rows.length, changed };
    },
    /** Queues a review of every tiered member; the answer's id is what readTierReview reads. */
    requestTierReview: (tenantId: string) => requestTierReview(pool, ctx.jobs, tenantId, ctx.clock.now()),
    readTierReview: (tenantId: string, id: string) => readTierReview(pool, tenantId, id),
    reconcileTenant,
    applyEvent,

    async startJobs() {
      await ctx.jobs.define('loyalty-expire-points', async () => {
        const r = await runExpiry(pool, clock.now());
        if (r.accounts) log.info(r, 'loyalty lots settled');
      }, { cron: '*/10 * * * *' });
      await ctx.jobs.define('loyalty-warn-expiring', async () => {
        for (const t of await allTenants()) {
          const { program } = await programOf(t);
          bus.publish(await warnExpiring(pool, t, program, (tx, tenant, entries) => events.append(tx, tenant, entries), clock.now()));
        }
      }, { cron: '7 4 * * *' });
      await ctx.jobs.define('loyalty-review-tiers', async () => {
        for (const t of await allTenants()) {
          const { program } = await programOf(t);
          if (program.tiers.length) await this.reviewTiers(t);
        }
      }, { cron: '23 3 1 * *' });
      await ctx.jobs.define<{ tenantId: string; reviewId: string }>(TIER_REVIEW_JOB, async ({ tenantId, reviewId }) => {
        await runTierReview(pool, ctx.clock, tenantId, reviewId, (t, now) => this.reviewTiers(t, now));
      });
      await ctx.jobs.define('loyalty-reconcile-events', async () => {
        for (const t of await allTenants()) await reconcileTenant(t);
      }, { cron: '* * * * *' });
    },
  };
}

/** How far from now a location event may be and still earn a surprise. */
const SURPRISE_WINDOW_MS = 10 * 60_000;

export type LoyaltyService = ReturnType<typeof createLoyaltyService>;
export type { LedgerResult };
