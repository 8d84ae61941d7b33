// Tables the loyalty module owns: the programme (rules as data), accounts, the append-only ledger
// (transactions and their double-entry postings), lots, rewards, offers, redemptions, referrals and
// the cursor of the reconciliation pass over ingested events. Customer ids are kept as text.
import { sql } from 'drizzle-orm';
import {
  pgTable,
  customType,
  timestamp,
  jsonb,
  integer,
  numeric,
  boolean,
  primaryKey,
  index,
  uniqueIndex,
  foreignKey,
  check,
  bigint,
  text,
  pgView,
} from 'drizzle-orm/pg-core';

/** Machine identifiers compared byte by byte (the COLLATE "C" convention of migrations/0002). */
const key = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const loyaltyPrograms = pgTable('loyalty_programs', {
  tenantId: key('tenant_id').notNull().primaryKey(),
  // The programme document (earning rules, expiry, tiers): validated by Program in program.ts.
  rules: jsonb('rules').notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// One row per customer: the balances the ledger's postings add up to, kept in the same transaction as
// the postings and locked (SELECT ... FOR UPDATE) by every write for that customer.
export const loyaltyAccounts = pgTable(
  'loyalty_accounts',
  {
    tenantId: key('tenant_id').notNull(),
    customerId: key('customer_id').notNull(),
    available: integer('available').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    // Points a refund took back that had already been spent; the next earnings repay it first.
    debt: integer('debt').notNull().default(0),
    tier: text('tier'),
    tierSince: timestamp('tier_since', { withTimezone: true }),
    // Set by a review that found the customer below their tier: the downgrade waits until then.
    tierGraceUntil: timestamp('tier_grace_until', { withTimezone: true }),
    // Earliest time a lot of this account becomes available or expires: writes settle lots only then.
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    // Set when the customer was merged into another: writes naming this id go to the survivor.
    mergedInto: key('merged_into'),
    // Set when the customer was erased: no more writes.
    isClosed: boolean('is_closed').notNull().default(false),
    version: integer('version').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    check('loyalty_accounts_available_nonnegative', sql`${t.available} >= 0`),
    check('loyalty_accounts_pending_nonnegative', sql`${t.pending} >= 0`),
    check('loyalty_accounts_debt_nonnegative', sql`${t.debt} >= 0`),
    index('loyalty_accounts_due_idx').on(t.nextDueAt),
  ],
);

// A ledger write: earn, spend, refund, expire, release, adjust, transfer. Never updated except to
// record its own outcome; corrections are new transactions.
export const loyaltyTransactions = pgTable(
  'loyalty_transactions',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    customerId: key('customer_id').notNull(),
    // earn | spend | refund | expire | release | transfer | cancel_redemption
    kind: text('kind').notNull(),
    // purchase | manual | engagement:<kind> | referral | surprise | redemption | event | merge | job
    reason: text('reason').notNull(),
    idempotencyKey: key('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    // Net change of the customer's points (available + pending - debt).
    points: integer('points').notNull(),
    // The purchase's amount for spend-based tier qualification and partial refunds.
    money: numeric('money', { precision: 14, scale: 2 }),
    currency: text('currency'),
    // The money in the programme's base currency (loyalty settings' rates); NULL before conversion existed.
    baseMoney: numeric('base_money', { precision: 14, scale: 2 }),
    // An order id, event id, reward id: what the transaction is about.
    reference: key('reference'),
    details: jsonb('details').notNull().default({}),
    result: jsonb('result').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('loyalty_transactions_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('loyalty_transactions_customer_idx').on(t.customerId, t.tenantId, t.createdAt),
    index('loyalty_transactions_reference_idx').on(t.reference, t.tenantId),
  ],
);

// Double-entry postings: every transaction's postings sum to zero. Customer-side accounts are
// available, pending and debt (a debt is a negative balance); the programme's side is issued, redeemed,
// expired and reversed. Append-only.
export const loyaltyEntries = pgTable(
  'loyalty_entries',
  {
    tenantId: key('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    transactionId: key('transaction_id').notNull(),
    customerId: key('customer_id').notNull(),
    account: text('account').notNull(),
    lotId: key('lot_id'),
    amount: integer('amount').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('loyalty_entries_amount_nonzero', sql`${t.amount} <> 0`),
    check('loyalty_entries_account_known', sql`${t.account} IN ('available','pending','debt','issued','redeemed','expired','reversed','transferred')`),
    index('loyalty_entries_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('loyalty_entries_transaction_idx').on(t.tenantId, t.transactionId),
    index('loyalty_entries_lot_idx').on(t.tenantId, t.lotId),
  ],
);

// What an earning created: spent soonest-expiring first; pending until available_at.
export const loyaltyLots = pgTable(
  'loyalty_lots',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    customerId: key('customer_id').notNull(),
    transactionId: key('transaction_id').notNull(),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    isReleased: boolean('is_released').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('loyalty_lots_remaining_in_range', sql`${t.remaining} >= 0 AND ${t.remaining} <= ${t.amount}`),
    check('loyalty_lots_amount_positive', sql`${t.amount} > 0`),
    index('loyalty_lots_open_idx').on(t.tenantId, t.customerId, t.expiresAt).where(sql`${t.remaining} > 0`),
    index('loyalty_lots_transaction_idx').on(t.tenantId, t.transactionId),
    index('loyalty_lots_expiring_idx').on(t.expiresAt).where(sql`${t.remaining} > 0 AND ${t.expiresAt} IS NOT NULL`),
  ],
);

export const loyaltyRewards = pgTable(
  'loyalty_rewards',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    costPoints: integer('cost_points').notNull(),
    // NULL: unlimited.
    stock: integer('stock'),
    perCustomerLimit: integer('per_customer_limit'),
    // Empty: every tier (and customers without one).
    tiers: text('tiers').array().notNull().default([]),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    voucherValidDays: integer('voucher_valid_days').notNull().default(30),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('loyalty_rewards_cost_positive', sql`${t.costPoints} > 0`),
    check('loyalty_rewards_stock_nonnegative', sql`${t.stock} IS NULL OR ${t.stock} >= 0`),
  ],
);

// A personalised offer: a reward at its own price for one customer or a segment (tiers).
export const loyaltyOffers = pgTable(
  'loyalty_offers',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    rewardId: key('reward_id').notNull(),
    customerId: key('customer_id'),
    tiers: text('tiers').array().notNull().default([]),
    costPoints: integer('cost_points'),
    validFrom: timestamp('valid_from', { withTimezone: true }),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.rewardId], foreignColumns: [loyaltyRewards.tenantId, loyaltyRewards.id] }),
    index('loyalty_offers_customer_idx').on(t.tenantId, t.customerId),
  ],
);

export const loyaltyRedemptions = pgTable(
  'loyalty_redemptions',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    customerId: key('customer_id').notNull(),
    rewardId: key('reward_id').notNull(),
    offerId: key('offer_id'),
    points: integer('points').notNull(),
    voucherCode: key('voucher_code').notNull(),
    // issued | used | cancelled
    status: text('status').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    transactionId: key('transaction_id').notNull(),
    cancelTransactionId: key('cancel_transaction_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('loyalty_redemptions_voucher_key').on(t.tenantId, t.voucherCode),
    index('loyalty_redemptions_customer_idx').on(t.customerId, t.tenantId, t.rewardId),
    foreignKey({ columns: [t.tenantId, t.rewardId], foreignColumns: [loyaltyRewards.tenantId, loyaltyRewards.id] }),
  ],
);

// A friend is referred once; the referrer is rewarded when the friend's first purchase lands.
export const loyaltyReferrals = pgTable(
  'loyalty_referrals',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    referrerId: key('referrer_id').notNull(),
    friendId: key('friend_id').notNull(),
    // pending | rewarded
    status: text('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rewardedAt: timestamp('rewarded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('loyalty_referrals_friend_key').on(t.tenantId, t.friendId),
    index('loyalty_referrals_referrer_idx').on(t.tenantId, t.referrerId),
  ],
);

// Refund events that arrived before their purchase's points: kept until the purchase arrives, then applied.
export const loyaltyUnappliedRefunds = pgTable(
  'loyalty_unapplied_refunds',
  {
    tenantId: key('tenant_id').notNull(),
    eventId: key('event_id').notNull(),
    customerId: key('customer_id').notNull(),
    orderId: key('order_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }),
    reason: text('reason').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] }), index('loyalty_unapplied_refunds_order_idx').on(t.tenantId, t.orderId)],
);

// How far the reconciliation pass has read the ingested events of a tenant.
export const loyaltyEventCursors = pgTable('loyalty_event_cursors', {
  tenantId: key('tenant_id').notNull().primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Tier reviews asked for through the API: each runs as a job, and its row is what the status URL reads. */
export const loyaltyTierReviews = pgTable(
  'loyalty_tier_reviews',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    // queued | running | done | failed
    status: text('status').notNull(),
    reviewed: integer('reviewed'),
    changed: integer('changed'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('loyalty_tier_reviews_status_check', sql`${t.status} IN ('queued', 'running', 'done', 'failed')`)],
);

// Published for other modules' set-based reads (analytics' roll-up refresh): each account's tier and
// standing, when each customer's ledger moved (ledger_transactions_v), the postings without their lots
// (ledger_entries_v), and who referred a friend when (referrals_v). Migration 0047 creates them; a
// column is added here and there together, and never removed while a reader uses it. Keys are declared
// as text: a view's columns keep the table's collation.
export const loyaltyAccountsView = pgView('loyalty_accounts_v', {
  tenantId: text('tenant_id').notNull(),
  customerId: text('customer_id').notNull(),
  tier: text('tier'),
  isClosed: boolean('is_closed').notNull(),
  mergedInto: text('merged_into'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).existing();
export const ledgerTransactionsView = pgView('ledger_transactions_v', {
  tenantId: text('tenant_id').notNull(),
  customerId: text('customer_id').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
}).existing();
export const ledgerEntriesView = pgView('ledger_entries_v', {
  tenantId: text('tenant_id').notNull(),
  customerId: text('customer_id').notNull(),
  account: text('account').notNull(),
  amount: integer('amount').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}).existing();
export const referralsView = pgView('referrals_v', {
  tenantId: text('tenant_id').notNull(),
  referrerId: text('referrer_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}).existing();
