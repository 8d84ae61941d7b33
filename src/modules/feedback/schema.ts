// Tables the feedback module owns: surveys and their versions, scheduled and issued invitations,
// responses (partial ones too), the trigger marks it keeps from the events it watches, and the
// per-tenant key that signs survey links. Customer ids are kept as text, never as foreign keys.
import { sql } from 'drizzle-orm';
import {
  pgTable,
  text,
  timestamp,
  jsonb,
  integer,
  smallint,
  bigint,
  date,
  primaryKey,
  index,
  uniqueIndex,
  foreignKey,
  check,
  customType,
  pgView,
} from 'drizzle-orm/pg-core';
import type { Trigger } from './manage-surveys.js';
import type { Answers, SurveyDefinition } from './survey-definition.js';

/** Machine identifiers compare byte by byte (see migrations/0002_c-collation-keys.sql). */
export const key = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const surveys = pgTable(
  'surveys',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    // nps | csat | ces | custom: which question gives the survey's headline score
    kind: text('kind').notNull(),
    // active | paused | archived
    status: text('status').notNull().default('active'),
    currentVersion: integer('current_version').notNull().default(1),
    // Days between two surveys of one customer; null follows the tenant setting.
    throttleDays: integer('throttle_days'),
    consentPurpose: text('consent_purpose').notNull().default('service'),
    channel: text('channel').notNull().default('email'),
    touchpoint: text('touchpoint'),
    // purchase | use | service
    journeyStage: text('journey_stage'),
    triggers: jsonb('triggers').$type<Trigger[]>().notNull().default([]),
    linkTtlHours: integer('link_ttl_hours').notNull().default(336),
    lastPeriodicAt: timestamp('last_periodic_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('surveys_kind_check', sql`${t.kind} IN ('nps','csat','ces','custom')`),
    check('surveys_status_check', sql`${t.status} IN ('active','paused','archived')`),
  ],
);

export const surveyVersions = pgTable(
  'survey_versions',
  {
    tenantId: key('tenant_id').notNull(),
    surveyId: key('survey_id').notNull(),
    version: integer('version').notNull(),
    // { title: {en, zh-CN}, intro, thanks, questions: [...] }
    definition: jsonb('definition').$type<SurveyDefinition>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.surveyId, t.version] }),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
  ],
);

// Survey sends waiting for their time: a delayed event trigger, an abandonment check, a send held
// until the customer's contact window opens. pg-boss wakes the sweep; this table is the truth.
export const surveySchedules = pgTable(
  'survey_schedules',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    surveyId: key('survey_id').notNull(),
    customerId: key('customer_id').notNull(),
    // invite | abandonment
    kind: text('kind').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    sourceKey: key('source_key').notNull(),
    context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
    // waiting | done
    state: text('state').notNull().default('waiting'),
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('survey_schedules_source_key').on(t.tenantId, t.surveyId, t.sourceKey),
    index('survey_schedules_due_idx').on(t.state, t.dueAt),
    index('survey_schedules_customer_idx').on(t.customerId, t.tenantId),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
  ],
);

export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    surveyId: key('survey_id').notNull(),
    surveyVersion: integer('survey_version').notNull(),
    customerId: key('customer_id').notNull(),
    channel: text('channel').notNull(),
    touchpoint: text('touchpoint'),
    journeyStage: text('journey_stage'),
    trigger: text('trigger').notNull(),
    sourceKey: key('source_key').notNull(),
    // issued | partial | answered
    status: text('status').notNull().default('issued'),
    context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('survey_invitations_source_key').on(t.tenantId, t.surveyId, t.sourceKey),
    index('survey_invitations_customer_idx').on(t.customerId, t.tenantId, t.createdAt),
    index('survey_invitations_survey_idx').on(t.surveyId, t.tenantId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
  ],
);

export const surveyResponses = pgTable(
  'survey_responses',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    surveyId: key('survey_id').notNull(),
    surveyVersion: integer('survey_version').notNull(),
    // Null for anonymous feedback from the page button.
    customerId: key('customer_id'),
    invitationId: key('invitation_id'),
    // The client's own id for the submission: a replay with it stores nothing twice.
    submissionKey: key('submission_key'),
    kind: text('kind').notNull(),
    score: smallint('score'),
    answers: jsonb('answers').$type<Answers>().notNull().default({}),
    // Every open-text answer joined, raw, for the text module to read.
    openText: text('open_text'),
    // partial | complete
    status: text('status').notNull(),
    channel: text('channel'),
    touchpoint: text('touchpoint'),
    journeyStage: text('journey_stage'),
    trigger: text('trigger'),
    language: text('language'),
    pageUrl: text('page_url'),
    // Filled by text analysis (sentiment, topics); null until processed.
    sentiment: text('sentiment'),
    topics: text('topics').array().notNull().default([]),
    // The polarity of each topic named, by topic: the complaint and the praise in one answer told apart.
    topicSentiments: jsonb('topic_sentiments').$type<Record<string, string>>().notNull().default({}),
    textProcessedAt: timestamp('text_processed_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // One response per invitation and per submission key; most responses have neither, and a row without
    // one costs these indexes nothing.
    uniqueIndex('survey_responses_invitation_key').on(t.tenantId, t.invitationId).where(sql`${t.invitationId} IS NOT NULL`),
    uniqueIndex('survey_responses_submission_key').on(t.tenantId, t.surveyId, t.submissionKey).where(sql`${t.submissionKey} IS NOT NULL`),
    // Dashboards read score by kind and week, grouped by touchpoint: all from the index.
    index('survey_responses_measure_idx').on(t.tenantId, t.kind, t.submittedAt, t.touchpoint, t.score),
    // Topics among detractors and promoters: only answers with topics, read from the index alone.
    index('survey_responses_topics_idx').on(t.tenantId, t.kind, t.submittedAt, t.score, t.topics).where(sql`${t.topics} <> '{}'`),
    index('survey_responses_customer_idx').on(t.customerId, t.tenantId),
    index('survey_responses_unprocessed_idx').on(t.tenantId, t.updatedAt).where(sql`${t.openText} IS NOT NULL AND ${t.textProcessedAt} IS NULL`),
    check('survey_responses_status_check', sql`${t.status} IN ('partial','complete')`),
    foreignKey({ columns: [t.tenantId, t.surveyId], foreignColumns: [surveys.tenantId, surveys.id] }),
  ],
);

// Published for other modules' set-based reads (analytics' roll-up refresh and measures): the scored
// answers without their text, answers or page address. Migration 0047 creates it; a column is added
// here and there together, and never removed while a reader uses it. Keys are declared as text: a
// view's columns keep the table's collation.
export const surveyResponsesView = pgView('survey_responses_v', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  customerId: text('customer_id'),
  kind: text('kind').notNull(),
  score: smallint('score'),
  status: text('status').notNull(),
  channel: text('channel'),
  touchpoint: text('touchpoint'),
  topics: text('topics').array().notNull(),
  topicSentiments: jsonb('topic_sentiments').notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).existing();

// What the triggers need to know of a customer's events, kept from the bus: the first occurrence
// (first-time triggers) and the latest (abandonment, "satisfied but left").
export const feedbackMarks = pgTable(
  'feedback_marks',
  {
    tenantId: key('tenant_id').notNull(),
    customerId: key('customer_id').notNull(),
    eventType: key('event_type').notNull(),
    firstEventId: key('first_event_id').notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.eventType] })],
);

export const feedbackKeys = pgTable(
  'feedback_keys',
  {
    tenantId: key('tenant_id').notNull(),
    // HMAC-SHA256 key for survey links; a link names no secret, only its signature.
    linkKey: text('link_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

// Daily sums of complete responses, kept in the writing transaction, so dashboards over a year read
// hundreds of rows instead of a million. Empty strings stand for "none" so they can be in the key.
export const feedbackRollups = pgTable(
  'feedback_rollups',
  {
    tenantId: key('tenant_id').notNull(),
    kind: key('kind').notNull(),
    day: date('day').notNull(),
    surveyId: key('survey_id').notNull(),
    touchpoint: text('touchpoint').notNull().default(''),
    channel: text('channel').notNull().default(''),
    journeyStage: text('journey_stage').notNull().default(''),
    n: integer('n').notNull().default(0),
    promoters: integer('promoters').notNull().default(0),
    passives: integer('passives').notNull().default(0),
    detractors: integer('detractors').notNull().default(0),
    satisfied: integer('satisfied').notNull().default(0),
    sum: bigint('sum', { mode: 'number' }).notNull().default(0),
    sumSquares: bigint('sum_squares', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.day, t.surveyId, t.touchpoint, t.channel, t.journeyStage] })],
);

// Topics by day among detractors (NPS 0-6) and promoters (9-10), kept as text analysis records them.
export const feedbackTopicRollups = pgTable(
  'feedback_topic_rollups',
  {
    tenantId: key('tenant_id').notNull(),
    kind: key('kind').notNull(),
    day: date('day').notNull(),
    topic: text('topic').notNull(),
    n: integer('n').notNull().default(0),
    detractors: integer('detractors').notNull().default(0),
    promoters: integer('promoters').notNull().default(0),
    // Answers that named the topic with a complaint, and with praise (survey_responses.topic_sentiments).
    negative: integer('negative').notNull().default(0),
    positive: integer('positive').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.day, t.topic] })],
);
