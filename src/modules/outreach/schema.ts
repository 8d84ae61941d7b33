// Tables the outreach module owns: settings (SMTP, caps, quiet hours), templates, messages and their
// delivery history, suppressions fed by other modules' events, segments, campaigns, journeys and the
// customers enrolled in them, and the read models kept from other modules' events (tiers, feedback).
// Customer ids are kept as text: the customers module owns customers.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, boolean, primaryKey, index, uniqueIndex, check, foreignKey, numeric } from 'drizzle-orm/pg-core';

export const outreachSettings = pgTable(
  'outreach_settings',
  {
    tenantId: text('tenant_id').notNull(),
    // { host, port, secure, user, from, password_enc } — the password is encrypted, never returned.
    smtp: jsonb('smtp'),
    // { marketing: { per_day, per_week, over_cap: 'drop'|'defer' }, service: {...}, transactional: {...} }
    caps: jsonb('caps').notNull().default({}),
    // The window used when a customer has not chosen one: { start, end, days } in their own timezone.
    defaultWindow: jsonb('default_window')
      .notNull()
      .default({ start: '09:00', end: '21:00', days: [1, 2, 3, 4, 5, 6, 7] }),
    defaultTimezone: text('default_timezone').notNull().default('Asia/Shanghai'),
    defaultLocale: text('default_locale').notNull().default('zh-CN'),
    // Messages per minute each channel may send for this tenant.
    throttle: jsonb('throttle').notNull().default({ email: 600, sms: 120, wechat: 300 }),
    // Case types that suppress marketing while open.
    suppressCaseTypes: text('suppress_case_types').array().notNull().default(sql`ARRAY['complaint','detractor','negative_mention']::text[]`),
    publicBaseUrl: text('public_base_url'),
    // Periodic loyalty statements: { template_id, every: 'month' | 'quarter' }, or null for none.
    statements: jsonb('statements'),
    // The template survey invitations go out through; null: the one Rapport provides.
    surveyTemplateId: text('survey_template_id'),
    // Count opens (a pixel) and clicks (signed redirects) of emails.
    trackEmail: boolean('track_email').notNull().default(true),
    // HMAC key for unsubscribe, tracking and preference links.
    signingKey: text('signing_key').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

export const outreachTemplates = pgTable(
  'outreach_templates',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    // transactional | service | marketing
    purpose: text('purpose').notNull(),
    defaultLocale: text('default_locale').notNull(),
    // { "<locale>": { email?: { subject, html, text }, sms?: { text }, wechat?: { template_id, url?, fields } } }
    content: jsonb('content').notNull(),
    channels: text('channels').array().notNull(),
    // [{ name, required, description? }]: the variables a send passes, besides the built-in ones
    variables: jsonb('variables').notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('outreach_templates_purpose_check', sql`${t.purpose} IN ('transactional','service','marketing')`)],
);

export const outreachMessages = pgTable(
  'outreach_messages',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    customerId: text('customer_id').notNull(),
    templateId: text('template_id').notNull(),
    purpose: text('purpose').notNull(),
    // Null while no channel could be chosen (the message is then dropped with that reason).
    channel: text('channel'),
    // queued | sending | sent | delivered | opened | clicked | failed | bounced | dropped | suppressed | cancelled | skipped (a required variable had no value)
    status: text('status').notNull(),
    // Why it was sent (journey step, campaign, API caller) or why it was not.
    reason: text('reason').notNull(),
    statusReason: text('status_reason'),
    isUrgent: boolean('is_urgent').notNull().default(false),
    campaignId: text('campaign_id'),
    journeyId: text('journey_id'),
    enrollmentId: text('enrollment_id'),
    locale: text('locale'),
    variables: jsonb('variables').notNull().default({}),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    toAddress: text('to_address'),
    subject: text('subject'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    clickedAt: timestamp('clicked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Caps count a customer's messages of one purpose around a time, on every channel.
    index('outreach_messages_customer_idx').on(t.customerId, t.tenantId, t.purpose, t.scheduledAt),
    // The dispatcher's queue: due queued messages only.
    index('outreach_messages_due_idx').on(t.tenantId, t.scheduledAt).where(sql`${t.status} = 'queued'`),
    index('outreach_messages_provider_idx').on(t.tenantId, t.providerMessageId).where(sql`${t.providerMessageId} IS NOT NULL`),
    // No index on campaign_id: a campaign's message ids share a prefix (msg_<campaign>_<customer>), so the
    // primary key both finds them and keeps one message per customer per campaign.
    check(
      'outreach_messages_status_check',
      sql`${t.status} IN ('queued','sending','sent','delivered','opened','clicked','failed','bounced','dropped','suppressed','cancelled','skipped')`,
    ),
  ],
);

// Every status change a channel reported, in order (delivered, bounced, opened...).
export const outreachMessageEvents = pgTable(
  'outreach_message_events',
  {
    tenantId: text('tenant_id').notNull(),
    messageId: text('message_id').notNull(),
    // Provider's event id or our own: a replayed report is stored once.
    id: text('id').notNull(),
    status: text('status').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.messageId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.messageId], foreignColumns: [outreachMessages.tenantId, outreachMessages.id] }).onDelete('cascade'),
  ],
);

// Why marketing must wait: an open complaint case or an unresolved negative conversation.
export const outreachSuppressions = pgTable(
  'outreach_suppressions',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    // case | conversation
    sourceKind: text('source_kind').notNull(),
    sourceId: text('source_id').notNull(),
    reason: text('reason').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sourceKind, t.sourceId] }),
    index('outreach_suppressions_customer_idx').on(t.tenantId, t.customerId).where(sql`${t.resolvedAt} IS NULL`),
  ],
);

export const outreachSegments = pgTable(
  'outreach_segments',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    rules: jsonb('rules').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const outreachCampaigns = pgTable(
  'outreach_campaigns',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    segmentId: text('segment_id').notNull(),
    templateId: text('template_id').notNull(),
    // draft | planning (claimed while its messages are planned; back to draft if that fails) | planned | cancelled
    status: text('status').notNull().default('draft'),
    plannedAt: timestamp('planned_at', { withTimezone: true }),
    // { segment, queued, suppressed, no_channel, capped_dropped, deferred, by_channel }
    stats: jsonb('stats').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.segmentId], foreignColumns: [outreachSegments.tenantId, outreachSegments.id] }),
    foreignKey({ columns: [t.tenantId, t.templateId], foreignColumns: [outreachTemplates.tenantId, outreachTemplates.id] }),
  ],
);

export const outreachJourneys = pgTable(
  'outreach_journeys',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    // A bus message type: event.purchase, event.sign_up, points.expiring...
    trigger: text('trigger').notNull(),
    // [{ delay_minutes, template_id, is_urgent }]
    steps: jsonb('steps').notNull(),
    // Event types that end an enrollment early (event.review_submitted...).
    exitOn: text('exit_on').array().notNull().default(sql`ARRAY[]::text[]`),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('outreach_journeys_trigger_idx').on(t.trigger, t.tenantId)],
);

export const outreachEnrollments = pgTable(
  'outreach_enrollments',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    journeyId: text('journey_id').notNull(),
    customerId: text('customer_id').notNull(),
    // The triggering event's id: a replayed event enrols nobody twice.
    triggerId: text('trigger_id').notNull(),
    step: integer('step').notNull().default(0),
    nextAt: timestamp('next_at', { withTimezone: true }),
    // active | completed | exited
    status: text('status').notNull().default('active'),
    exitReason: text('exit_reason'),
    variables: jsonb('variables').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('outreach_enrollments_trigger_key').on(t.tenantId, t.journeyId, t.triggerId),
    index('outreach_enrollments_due_idx').on(t.tenantId, t.nextAt).where(sql`${t.status} = 'active'`),
    index('outreach_enrollments_customer_idx').on(t.customerId, t.tenantId),
    foreignKey({ columns: [t.tenantId, t.journeyId], foreignColumns: [outreachJourneys.tenantId, outreachJourneys.id] }).onDelete('cascade'),
  ],
);

// Read models kept from other modules' events, so segments can use tier and feedback without
// reading those modules' tables: loyalty.tier.changed and feedback.response.submitted.
export const outreachCustomerTiers = pgTable(
  'outreach_customer_tiers',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: text('customer_id').notNull(),
    tier: text('tier').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

export const outreachFeedbackScores = pgTable(
  'outreach_feedback_scores',
  {
    tenantId: text('tenant_id').notNull(),
    responseId: text('response_id').notNull(),
    customerId: text('customer_id').notNull(),
    kind: text('kind').notNull(),
    score: numeric('score', { precision: 6, scale: 2 }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.responseId] }), index('outreach_feedback_scores_customer_idx').on(t.tenantId, t.customerId, t.kind, t.at)],
);
