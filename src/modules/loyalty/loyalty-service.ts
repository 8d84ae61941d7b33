// The loyalty service: the use cases routes and other modules call, each in its own file, wired with
// the loyalty context (loyalty-context.ts: the tenant's programme, the customer a request names, the
// keyed ledger write). What the module reacts to is in subscriptions.ts, its jobs in schedule-jobs.ts.
import { readAccount, type LedgerResult } from './ledger.js';
import { saveProgram, type Program, type EngagementKind } from './program.js';
import { awardEngagement, earnByRequest, type ManualEarn, type PurchaseEarn } from './earn-points.js';
import { spendByRequest, type SpendInput } from './spend-points.js';
import { refundPurchase } from './refund-purchase.js';
import { redeemReward, cancelRedemption, useVoucher, toRedemption, StoredRedemption } from './redeem-reward.js';
import { createReward, updateReward, getReward, listRewards, createOffer, listCustomerRewards, type RewardInput, type OfferInput } from './manage-rewards.js';
import { readStatements, templateVariables } from './read-statements.js';
import { readBalance, readStatement } from './read-balance.js';
import { listPointsHistory, listCustomerVouchers } from './list-customer-history.js';
import { computeLiability } from './compute-liability.js';
import { runExpiry, warnExpiring, settleAccount } from './expire-points.js';
import type { PurchaseInput } from './evaluate-purchase.js';
import { redemptionNotFound } from './errors.js';
import { requestTierReview, readTierReview } from './request-tier-review.js';
import { settingsArea } from '../../platform/settings.js';
import { queryRow } from '../../platform/query-rows.js';
import { LoyaltySettingsArea, qualifyingGoodwill } from './settings.js';
import { listUnappliedRefunds } from './keep-unapplied-refunds.js';
import { createLoyaltyContext, type LoyaltyModuleContext } from './loyalty-context.js';
import { applyEvent, type IngestedEvent } from './apply-event.js';
import { reconcileEvents } from './reconcile-events.js';
import { recordPurchase } from './record-purchase.js';
import { referFriend } from './refer-friend.js';
import { reviewTiers } from './review-tiers.js';
import { dryRunPurchase } from './dry-run-purchase.js';
import { subscribeLoyalty } from './subscriptions.js';
import { scheduleLoyaltyJobs } from './schedule-jobs.js';

export function createLoyaltyService(ctx: LoyaltyModuleContext) {
  const lc = createLoyaltyContext(ctx);
  const { pool, clock, bus, events, programOf, resolveCustomer, keyed, keyedFor, withProgram } = lc;
  subscribeLoyalty(lc);

  return {
    /** Where this service reads "now" (routes default a missing date to it). */
    clock,
    programOf,
    async getProgram(tenantId: string) {
      return (await programOf(tenantId)).program;
    },
    /** The settings areas this module declares (GET/PATCH /v1/settings/loyalty). */
    settingsAreas: [settingsArea({ name: 'loyalty', schema: LoyaltySettingsArea, onChange: (tenantId) => lc.programs.forget(tenantId) })],
    async setProgram(tenantId: string, program: Program) {
      await saveProgram(pool, tenantId, program);
      lc.programs.forget(tenantId);
      return program;
    },
    resolveCustomer,

    dryRun: (tenantId: string, input: { customerId?: string; tier?: string | null; purchase: PurchaseInput }) => dryRunPurchase(lc, tenantId, input),

    earn: (tenantId: string, input: Omit<ManualEarn, 'hash'>) => earnByRequest(lc, tenantId, input),
    spend: (tenantId: string, input: Omit<SpendInput, 'hash'>) => spendByRequest(lc, tenantId, input),
    purchase: (tenantId: string, input: Omit<PurchaseEarn, 'hash'>) => recordPurchase(lc, tenantId, input),
    async refund(tenantId: string, input: { customerId: string; orderId: string; amount?: number; key: string }) {
      return keyedFor(tenantId, input.customerId, input.key, { op: 'refund', ...input }, (tx, hash, customerId) =>
        refundPurchase(tx, tenantId, { ...input, customerId, hash }, clock.now()),
      );
    },
    async engage(tenantId: string, input: { customerId: string; kind: EngagementKind; sourceId: string }) {
      const key = `engagement:${input.kind}:${input.sourceId}`;
      const earnCtx = await withProgram(tenantId);
      return keyedFor(tenantId, input.customerId, key, { kind: input.kind, source: input.sourceId }, (tx, hash, customerId) =>
        awardEngagement(tx, earnCtx, tenantId, { customerId, kind: input.kind, sourceId: input.sourceId, key, hash }),
      );
    },
    refer: (tenantId: string, referrer: string, friend: string) => referFriend(lc, tenantId, referrer, friend),

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
      return listCustomerVouchers(pool, tenantId, await resolveCustomer(tenantId, customer, 'id'), clock.now());
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
      return keyedFor(tenantId, input.customerId, input.key, { op: 'redeem', ...input }, (tx, hash, customerId) =>
        redeemReward(tx, tenantId, { ...input, customerId, hash }, clock.now()),
      );
    },
    async cancelRedemption(tenantId: string, id: string) {
      const { program } = await programOf(tenantId);
      const key = `cancel:${id}`;
      const {
        rows: [found],
      } = await pool.query('SELECT 1 FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!found) throw redemptionNotFound();
      return keyed(tenantId, key, key, (tx, hash) => cancelRedemption(tx, tenantId, program, id, hash, clock.now()));
    },
    async getRedemption(tenantId: string, id: string) {
      const r = await queryRow(pool, StoredRedemption, 'SELECT * FROM loyalty_redemptions WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
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
    reviewTiers: (tenantId: string, now = clock.now()) => reviewTiers(lc, tenantId, now),
    /** Queues a review of every tiered member; the answer's id is what readTierReview reads. */
    requestTierReview: (tenantId: string) => requestTierReview(pool, lc.jobs, tenantId, clock.now()),
    readTierReview: (tenantId: string, id: string) => readTierReview(pool, tenantId, id),
    reconcileTenant: (tenantId: string, now = clock.now()) => reconcileEvents(lc, tenantId, now),
    applyEvent: (tenantId: string, e: IngestedEvent) => applyEvent(lc, tenantId, e),

    startJobs: () => scheduleLoyaltyJobs(lc),
  };
}

export type LoyaltyService = ReturnType<typeof createLoyaltyService>;
export type { LedgerResult };
