// Tables the analytics module owns: its settings, the record of each tenant's last refresh (with the
// churn model it trained), and the roll-ups the refresh rebuilds from the other modules' tables. The
// dashboards read only these, so a year of a million customers costs hundreds of rows per answer.
// Empty strings stand for "none" so they can sit in primary keys; 'infinity' for "no next month".
// A customer's channel and touchpoint are those of their last NPS or CSAT answer.
// Roll-ups with a `dims` column come in two tables, one per grouping of the same rows (written from one
// GROUPING SETS scan): dims 0 in the table the default dashboards read, as small as before; dims 1 in
// its sibling (_by_answer, _by_store, _by_customer), read only when a filter needs it. See customerCube
// in filters.ts.
import {
  pgTable,
  text,
  timestamp,
  jsonb,
  integer,
  numeric,
  boolean,
  real,
  smallint,
  date,
  bigint,
  doublePrecision,
  primaryKey,
  index,
  customType,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** Machine identifiers compared byte by byte (the COLLATE "C" convention of migrations/0002). */
const key = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
// Generic in the name, so a row shape (platform/query-rows.ts) knows each column by its SQL name.
const tstz = <N extends string>(name: N) => timestamp(name, { withTimezone: true });
const dim = <N extends string>(name: N) => text(name).notNull().default('');

export const analyticsSettings = pgTable('analytics_settings', {
  tenantId: key('tenant_id').notNull().primaryKey(),
  // What an hour of an agent's time costs, for the cost of a complaint.
  hourlyCost: numeric('hourly_cost', { precision: 12, scale: 2 }).notNull().default('30'),
  // Agent time per action on a case (a note, a contact, a status change), in minutes.
  minutesPerAction: integer('minutes_per_action').notNull().default(6),
  // IANA zone the hour-of-week coverage is read in.
  timezone: text('timezone').notNull().default('UTC'),
  // { "1": ["09:00", "18:00"], ... } ISO weekday (1 = Monday) -> staffed span.
  staffedHours: jsonb('staffed_hours')
    .notNull()
    .default({ 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] }),
  digestRecipients: text('digest_recipients').array().notNull().default([]),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const analyticsRefreshes = pgTable('analytics_refreshes', {
  tenantId: key('tenant_id').notNull().primaryKey(),
  refreshedAt: tstz('refreshed_at').notNull(),
  // The as-of time every "now" of the roll-ups means (recency, lapsed, open backlog).
  asOf: tstz('as_of').notNull(),
  seconds: doublePrecision('seconds').notNull(),
  // full | incremental: what the last refresh was, and when the last full rebuild ran (the safety net
  // that also retrains the churn model).
  mode: text('mode').notNull().default('full'),
  fullAt: tstz('full_at'),
  fullSeconds: doublePrecision('full_seconds'),
  // The high-water mark of the source tables' change columns the roll-ups include, one for all of them:
  // { "all": "2026-..." } (rows written before 2026-11-25 hold one copy per table, read by their customer_events key).
  watermarks: jsonb('watermarks').notNull().default({}),
  // The churn model: coefficients, feature means, AUC on the held-out period.
  model: jsonb('model').notNull().default({}),
  // Point-in-time figures: backlog, members, liability...
  snapshot: jsonb('snapshot').notNull().default({}),
});

// One row per customer who ever bought or answered: the figures every per-customer measure reads.
export const analyticsCustomers = pgTable(
  'analytics_customers',
  {
    tenantId: key('tenant_id').notNull(),
    customerId: key('customer_id').notNull(),
    cohort: date('cohort'),
    firstPurchaseAt: tstz('first_purchase_at'),
    lastPurchaseAt: tstz('last_purchase_at'),
    orders: integer('orders').notNull().default(0),
    revenue: numeric('revenue', { precision: 16, scale: 2 }).notNull().default('0'),
    store: dim('store'),
    segment: dim('segment'),
    tier: dim('tier'),
    channel: dim('channel'),
    touchpoint: dim('touchpoint'),
    // A loyalty programme member (an open account), bought or not.
    isMember: boolean('is_member').notNull().default(false),
    isCore: boolean('is_core').notNull().default(false),
    clv: numeric('clv', { precision: 14, scale: 2 }),
    recencyScore: smallint('recency_score'),
    frequencyScore: smallint('frequency_score'),
    monetaryScore: smallint('monetary_score'),
    lastNps: smallint('last_nps'),
    lastCsat: smallint('last_csat'),
    lastNpsAt: tstz('last_nps_at'),
    complaints: integer('complaints').notNull().default(0),
    hasReferred: boolean('has_referred').notNull().default(false),
    isSatisfied: boolean('is_satisfied').notNull().default(false),
    hasLeft: boolean('has_left').notNull().default(false),
    churnRisk: real('churn_risk'),
    // The churn model's features as of the refresh (FEATURES in churn-model.ts), so the profile can say
    // which of them raise this customer's risk.
    churnFeatures: real('churn_features').array(),
    // The customer's purchase months (unordered), with the orders and revenue of each: everything the
    // customer contributes to the month and cohort roll-ups, so an incremental refresh can take a
    // customer's old contribution out and put the new one in without rereading the timeline.
    months: date('months').array().notNull().default(sql`'{}'`),
    monthOrders: integer('month_orders').array().notNull().default(sql`'{}'`),
    monthRevenue: numeric('month_revenue', { precision: 16, scale: 2 }).array().notNull().default(sql`'{}'`),
    // The months with a loyalty transaction (unordered), for the member-month roll-up likewise.
    ledgerMonths: date('ledger_months').array().notNull().default(sql`'{}'`),
    // Purchases in a currency the loyalty settings give no rate for, kept out of revenue:
    // [{ currency, month, purchases, amount }], the amount in that currency. NULL when there are none.
    unconverted: jsonb('unconverted'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    // Satisfied customers who left, and promoters, in a range: the filters are in the index, so a count
    // reads the index alone (a range held 100,000 of them, and their rows all over the table).
    index('analytics_customers_left_idx')
      .on(t.tenantId, t.lastPurchaseAt, t.channel, t.touchpoint, t.store, t.segment, t.tier)
      .where(sql`${t.isSatisfied} AND ${t.hasLeft}`),
    index('analytics_customers_risk_idx').on(t.tenantId, t.churnRisk).where(sql`NOT ${t.hasLeft} AND ${t.churnRisk} IS NOT NULL`),
    index('analytics_customers_unconverted_idx').on(t.tenantId).where(sql`${t.unconverted} IS NOT NULL`),
    // Filters no roll-up grouping covers (a store with a channel or touchpoint) read customers of one store:
    // the channel and touchpoint are checked in the index, so only the matching customers' rows are read
    // (a store's customers lie all over the table: by store alone that was most of its pages).
    index('analytics_customers_store_idx').on(t.tenantId, t.store, t.touchpoint, t.channel),
    // An RFM segment (with a store, channel or touchpoint) picks customers from this index alone: its
    // INCLUDE (customer_id, tier, is_member) columns, which drizzle cannot declare, are in migration 0045.
    // Read through the store index, a store's tier movements under a segment fetched every row of the
    // store to check the segment (386 ms on 250,000 customers, 9 ms from this one).
    index('analytics_customers_segment_idx').on(t.tenantId, t.segment, t.store, t.touchpoint, t.channel),
    index('analytics_customers_promoter_idx')
      .on(t.tenantId, t.lastNpsAt, t.channel, t.touchpoint, t.store, t.segment, t.tier, t.hasReferred)
      .where(sql`${t.lastNps} >= 9`),
    // Customers crossing the lapse line since the last refresh (incremental refresh).
    index('analytics_customers_last_purchase_idx').on(t.tenantId, t.lastPurchaseAt),
  ],
);

// Snapshot distributions of customers (RFM scores, CLV and churn-risk bands, satisfied-but-left,
// promoters who referred), small enough to filter by store, segment and tier at every request.
const customerGroupsTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      // 0: by store, segment, tier; 1: by channel, touchpoint, segment, tier.
      dims: smallint('dims').notNull().default(0),
      // segment | recency | frequency | monetary | clv | churn_risk | satisfied_left | promoter | member
      kind: text('kind').notNull(),
      bucket: text('bucket').notNull(),
      store: dim('store'),
      segment: dim('segment'),
      tier: dim('tier'),
      channel: dim('channel'),
      touchpoint: dim('touchpoint'),
      n: integer('n').notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.kind, t.bucket, t.store, t.segment, t.tier, t.channel, t.touchpoint] })],
  );
export const analyticsCustomerGroups = customerGroupsTable('analytics_customer_groups');
export const analyticsCustomerGroupsByAnswer = customerGroupsTable('analytics_customer_groups_by_answer');

// Customers' purchase months: a customer active in [a, b] has exactly one month in [a, b] whose next
// purchase month is after b, so distinct customers of any range are a sum over this table.
const customerMonthsTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      month: date('month').notNull(),
      nextMonth: date('next_month').notNull(),
      // At least two orders up to and including this month.
      isRepeat: boolean('is_repeat').notNull(),
      store: dim('store'),
      segment: dim('segment'),
      tier: dim('tier'),
      channel: dim('channel'),
      touchpoint: dim('touchpoint'),
      customers: integer('customers').notNull(),
      orders: integer('orders').notNull(),
      revenue: numeric('revenue', { precision: 16, scale: 2 }).notNull(),
      // Revenue of the customers flagged core by the customers module.
      coreRevenue: numeric('core_revenue', { precision: 16, scale: 2 }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.month, t.nextMonth, t.isRepeat, t.store, t.segment, t.tier, t.channel, t.touchpoint] })],
  );
export const analyticsCustomerMonths = customerMonthsTable('analytics_customer_months');
export const analyticsCustomerMonthsByAnswer = customerMonthsTable('analytics_customer_months_by_answer');

// Monthly cohorts by first purchase: customers of the cohort buying `age` months later.
const cohortsTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      cohort: date('cohort').notNull(),
      age: integer('age').notNull(),
      store: dim('store'),
      segment: dim('segment'),
      tier: dim('tier'),
      channel: dim('channel'),
      touchpoint: dim('touchpoint'),
      customers: integer('customers').notNull(),
      // On the age-0 row: how many of the cohort have lapsed (no purchase for the lapse window).
      lapsed: integer('lapsed').notNull().default(0),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.cohort, t.age, t.store, t.segment, t.tier, t.channel, t.touchpoint] })],
  );
export const analyticsCohorts = cohortsTable('analytics_cohorts');
export const analyticsCohortsByAnswer = cohortsTable('analytics_cohorts_by_answer');

// dims 0: by touchpoint, channel, segment and tier; 1: by touchpoint, channel and store.
const experienceTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      // week | month
      grain: text('grain').notNull(),
      period: date('period').notNull(),
      kind: text('kind').notNull(),
      touchpoint: dim('touchpoint'),
      channel: dim('channel'),
      segment: dim('segment'),
      tier: dim('tier'),
      store: dim('store'),
      n: integer('n').notNull(),
      promoters: integer('promoters').notNull(),
      detractors: integer('detractors').notNull(),
      satisfied: integer('satisfied').notNull(),
      sum: bigint('sum', { mode: 'number' }).notNull(),
      sumSquares: bigint('sum_squares', { mode: 'number' }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.grain, t.period, t.kind, t.touchpoint, t.channel, t.segment, t.tier, t.store] })],
  );
export const analyticsExperience = experienceTable('analytics_experience');
export const analyticsExperienceByStore = experienceTable('analytics_experience_by_store');

// NPS answers grouped by what the driver regression needs: the touchpoint and the set of topics.
const driversTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      // As analytics_experience's.
      dims: smallint('dims').notNull().default(0),
      month: date('month').notNull(),
      touchpoint: dim('touchpoint'),
      // Sorted topics joined by '|'.
      topics: dim('topics'),
      channel: dim('channel'),
      segment: dim('segment'),
      tier: dim('tier'),
      store: dim('store'),
      n: integer('n').notNull(),
      sum: bigint('sum', { mode: 'number' }).notNull(),
      sumSquares: bigint('sum_squares', { mode: 'number' }).notNull(),
      promoters: integer('promoters').notNull(),
      detractors: integer('detractors').notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.month, t.touchpoint, t.topics, t.channel, t.segment, t.tier, t.store] })],
  );
export const analyticsDrivers = driversTable('analytics_drivers');
export const analyticsDriversByStore = driversTable('analytics_drivers_by_store');

// Conversations by the day they opened (first response) and the day they were resolved (resolution).
export const analyticsConversations = pgTable(
  'analytics_conversations',
  {
    tenantId: key('tenant_id').notNull(),
    day: date('day').notNull(),
    channel: dim('channel'),
    // The conversation's customer's.
    segment: dim('segment'),
    tier: dim('tier'),
    store: dim('store'),
    opened: integer('opened').notNull().default(0),
    firstResponses: integer('first_responses').notNull().default(0),
    firstResponseSeconds: doublePrecision('first_response_seconds').notNull().default(0),
    firstResponseTargets: integer('first_response_targets').notNull().default(0),
    firstResponseMet: integer('first_response_met').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    resolutionSeconds: doublePrecision('resolution_seconds').notNull().default(0),
    resolutionTargets: integer('resolution_targets').notNull().default(0),
    resolutionMet: integer('resolution_met').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.channel, t.segment, t.tier, t.store] })],
);

// Messages by local day and hour (in the settings' timezone), channel and direction.
// dims 0: by channel; 1: by channel and the customer's segment, tier and store.
const messagesTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      day: date('day').notNull(),
      hour: smallint('hour').notNull(),
      channel: dim('channel'),
      direction: text('direction').notNull(),
      segment: dim('segment'),
      tier: dim('tier'),
      store: dim('store'),
      n: integer('n').notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.day, t.hour, t.channel, t.direction, t.segment, t.tier, t.store] })],
  );
export const analyticsMessages = messagesTable('analytics_messages');
export const analyticsMessagesByCustomer = messagesTable('analytics_messages_by_customer');

export const analyticsCases = pgTable(
  'analytics_cases',
  {
    tenantId: key('tenant_id').notNull(),
    day: date('day').notNull(),
    touchpoint: dim('touchpoint'),
    // The channel the complaint came through (its conversation's or response's), and the customer's dims.
    channel: dim('channel'),
    segment: dim('segment'),
    tier: dim('tier'),
    store: dim('store'),
    opened: integer('opened').notNull(),
    closed: integer('closed').notNull(),
    told: integer('told').notNull(),
    agentActions: integer('agent_actions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.touchpoint, t.channel, t.segment, t.tier, t.store] })],
);

// Programme-side ledger postings by month and account (issued, redeemed, expired, reversed).
// dims 0: by tier; 1: by tier and the member's segment, store, channel and touchpoint.
const pointsTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      month: date('month').notNull(),
      account: text('account').notNull(),
      tier: dim('tier'),
      segment: dim('segment'),
      store: dim('store'),
      channel: dim('channel'),
      touchpoint: dim('touchpoint'),
      points: bigint('points', { mode: 'number' }).notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.month, t.account, t.tier, t.segment, t.store, t.channel, t.touchpoint] })],
  );
export const analyticsPoints = pointsTable('analytics_points');
export const analyticsPointsByCustomer = pointsTable('analytics_points_by_customer');

// Members' ledger months, with the same next-month trick as customer months for distinct actives.
const memberMonthsTable = (name: string) =>
  pgTable(
    name,
    {
      tenantId: key('tenant_id').notNull(),
      dims: smallint('dims').notNull().default(0),
      month: date('month').notNull(),
      nextMonth: date('next_month').notNull(),
      tier: dim('tier'),
      segment: dim('segment'),
      store: dim('store'),
      channel: dim('channel'),
      touchpoint: dim('touchpoint'),
      members: integer('members').notNull(),
    },
    (t) => [primaryKey({ columns: [t.tenantId, t.dims, t.month, t.nextMonth, t.tier, t.segment, t.store, t.channel, t.touchpoint] })],
  );
export const analyticsMemberMonths = memberMonthsTable('analytics_member_months');
// Active members under customer filters are the rows whose next month is past the range: migration 0045
// indexes (tenant_id, next_month, month) with the dims and members included, read by index alone.
export const analyticsMemberMonthsByCustomer = memberMonthsTable('analytics_member_months_by_customer');

// Tier changes, one row per loyalty.tier.changed event (a few per member a year): found again by an
// incremental refresh, they are inserted once; the measure joins the customer's dims.
export const analyticsTierMoves = pgTable(
  'analytics_tier_moves',
  {
    tenantId: key('tenant_id').notNull(),
    eventId: key('event_id').notNull(),
    customerId: key('customer_id').notNull(),
    month: date('month').notNull(),
    fromTier: dim('from_tier'),
    toTier: dim('to_tier'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.eventId] }), index('analytics_tier_moves_month_idx').on(t.tenantId, t.month)],
);

// Mentions by day, channel and sentiment; angle '*' rows count every mention once, the others once per angle.
export const analyticsMentions = pgTable(
  'analytics_mentions',
  {
    tenantId: key('tenant_id').notNull(),
    day: date('day').notNull(),
    channel: dim('channel'),
    angle: dim('angle'),
    sentiment: text('sentiment').notNull(),
    n: integer('n').notNull(),
    reach: bigint('reach', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.channel, t.angle, t.sentiment] })],
);
