// Tables the listening module owns: sources, the watch-list, mentions, crisis alerts and settings.
import { pgTable, text, timestamp, jsonb, integer, real, doublePrecision, boolean, primaryKey, index, uniqueIndex, check, pgView } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

// Generic in the name, so a row shape (platform/query-rows.ts) knows each key column by its SQL name.
const key = <N extends string>(name: N) => text(name).notNull();

export const listeningSources = pgTable(
  'listening_sources',
  {
    tenantId: key('tenant_id'),
    id: key('id'),
    // rss | webhook | import
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    url: text('url'),
    pollMinutes: integer('poll_minutes'),
    // Connector webhook secret, AES-256-GCM encrypted (secret-box.ts); never returned after creation.
    secretEnc: text('secret_enc'),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('listening_sources_kind', sql`${t.kind} in ('rss', 'webhook', 'import')`)],
);

export const watchTerms = pgTable(
  'listening_watch_terms',
  {
    tenantId: key('tenant_id'),
    id: key('id'),
    angle: text('angle').notNull(),
    term: text('term').notNull(),
    aliases: jsonb('aliases').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('listening_watch_terms_term_idx').on(t.tenantId, t.angle, t.term)],
);

export const mentions = pgTable(
  'listening_mentions',
  {
    tenantId: key('tenant_id'),
    id: key('id'),
    sourceId: text('source_id'),
    // weibo, wechat, forum, review, video, app_store, rss, ... as the connector names it
    channel: text('channel').notNull(),
    url: text('url'),
    author: text('author'),
    authorHandle: text('author_handle'),
    reach: integer('reach'),
    text: text('text').notNull(),
    media: jsonb('media').$type<string[]>(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    language: text('language').notNull(),
    sentiment: text('sentiment').notNull(),
    score: real('score').notNull(),
    topics: jsonb('topics').notNull().default([]),
    angles: jsonb('angles').$type<string[]>().notNull().default([]),
    matchedTerms: jsonb('matched_terms').$type<string[]>().notNull().default([]),
    aboutCompany: boolean('about_company').notNull().default(false),
    customerId: text('customer_id'),
    // 64-bit SimHash as four 16-bit bands: two texts within 3 bits share at least one band.
    simhashHi: integer('simhash_hi').notNull(),
    simhashLo: integer('simhash_lo').notNull(),
    band0: integer('band0').notNull(),
    band1: integer('band1').notNull(),
    band2: integer('band2').notNull(),
    band3: integer('band3').notNull(),
  },
  (t) => [
    // Partitioned by month of published_at (migration 0042): keys must include it. The same post is
    // found by URL under the tenant's ingestion lock; the unique index is the backstop within a time.
    primaryKey({ columns: [t.tenantId, t.id, t.publishedAt] }),
    uniqueIndex('listening_mentions_url_idx').on(t.tenantId, t.url, t.publishedAt).where(sql`${t.url} is not null`),
    index('listening_mentions_published_idx').on(t.tenantId, t.publishedAt),
    index('listening_mentions_band0_idx').on(t.tenantId, t.band0),
    index('listening_mentions_band1_idx').on(t.tenantId, t.band1),
    index('listening_mentions_band2_idx').on(t.tenantId, t.band2),
    index('listening_mentions_band3_idx').on(t.tenantId, t.band3),
    index('listening_mentions_customer_idx').on(t.tenantId, t.customerId),
    check('listening_mentions_sentiment', sql`${t.sentiment} in ('negative', 'neutral', 'positive')`),
  ],
);

// Published for other modules' set-based reads (analytics' roll-up refresh): mentions without their
// text, author or address. Migration 0047 creates it; a column is added here and there together, and
// never removed while a reader uses it.
export const mentionsView = pgView('mentions_v', {
  tenantId: text('tenant_id').notNull(),
  customerId: text('customer_id'),
  channel: text('channel').notNull(),
  sentiment: text('sentiment').notNull(),
  reach: integer('reach'),
  angles: jsonb('angles').$type<string[]>().notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
}).existing();

export const crisisAlerts = pgTable(
  'listening_alerts',
  {
    tenantId: key('tenant_id'),
    id: key('id'),
    // all | angle | topic
    scopeKind: text('scope_kind').notNull(),
    scopeKey: text('scope_key').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastHourAt: timestamp('last_hour_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    volume: integer('volume').notNull(),
    baseline: real('baseline').notNull(),
    negativeShare: real('negative_share').notNull(),
    baselineNegativeShare: real('baseline_negative_share').notNull(),
    pValue: doublePrecision('p_value').notNull(),
    topTerms: jsonb('top_terms').notNull().default([]),
    examples: jsonb('examples').notNull().default([]),
    // { webhook: the outbox status (queued | sending | sent | failed) or 'not configured', webhook_error, email: ... }
    delivery: jsonb('delivery').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // At most one open alert per scope: that is what deduplicates alerts while a crisis lasts.
    uniqueIndex('listening_alerts_open_idx').on(t.tenantId, t.scopeKind, t.scopeKey).where(sql`${t.endedAt} is null`),
    index('listening_alerts_started_idx').on(t.tenantId, t.startedAt),
  ],
);

export const listeningSettings = pgTable(
  'listening_settings',
  {
    tenantId: key('tenant_id'),
    alertWebhookUrl: text('alert_webhook_url'),
    // whsec_ secret of the Standard Webhooks signature, AES-256-GCM encrypted.
    alertWebhookSecretEnc: text('alert_webhook_secret_enc'),
    alertEmail: text('alert_email'),
    minVolume: integer('min_volume').notNull().default(20),
    userWords: jsonb('user_words').$type<string[]>().notNull().default([]),
    topics: jsonb('topics').notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
