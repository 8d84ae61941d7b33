// Tables the loop module owns: the rules that open and route cases, the cases with their activity
// and the notices that told the customer, and systemic issues that group cases under one fix.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, primaryKey, index, uniqueIndex, foreignKey, check, customType, boolean, pgView } from 'drizzle-orm/pg-core';

const key = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

// Which signals open a case. With no rule of its own a tenant gets the defaults in open-case-rules.ts.
export const caseRules = pgTable(
  'case_rules',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    // response | analysis | mention | complaint
    signal: text('signal').notNull(),
    // { kinds?, max_score?, sentiment?, triggers?, about_company? }
    condition: jsonb('condition').notNull().default({}),
    caseType: text('case_type').notNull(),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

// First match by position wins: { topics?, touchpoints?, keywords?, case_types? } -> team.
export const routingRules = pgTable(
  'case_routing_rules',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    position: integer('position').notNull().default(100),
    match: jsonb('match').notNull().default({}),
    teamId: key('team_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('case_routing_rules_position_idx').on(t.tenantId, t.position)],
);

export const loopIssues = pgTable(
  'loop_issues',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    title: text('title').notNull(),
    rootCause: text('root_cause'),
    action: text('action'),
    // open | fixed
    status: text('status').notNull().default('open'),
    fixMessage: jsonb('fix_message'),
    fixedAt: timestamp('fixed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const cases = pgTable(
  'cases',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    // detractor | low_csat | negative_text | abandonment | negative_mention | complaint | manual
    type: text('type').notNull(),
    // What opened it: response, mention, conversation... and its id; one case per source.
    sourceType: text('source_type').notNull(),
    sourceId: key('source_id').notNull(),
    customerId: key('customer_id'),
    // new | contacted | resolved | wont_fix
    status: text('status').notNull().default('new'),
    priority: text('priority').notNull().default('normal'),
    teamId: key('team_id'),
    ownerId: key('owner_id'),
    summary: text('summary'),
    touchpoint: text('touchpoint'),
    topics: text('topics').array().notNull().default([]),
    details: jsonb('details').notNull().default({}),
    issueId: key('issue_id'),
    firstContactDueAt: timestamp('first_contact_due_at', { withTimezone: true }),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
    escalationLevel: integer('escalation_level').notNull().default(0),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    wontFixReason: text('wont_fix_reason'),
    customerToldAt: timestamp('customer_told_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('cases_source_key').on(t.sourceId, t.tenantId, t.sourceType),
    index('cases_status_idx').on(t.status, t.tenantId, t.createdAt),
    index('cases_customer_idx').on(t.customerId, t.tenantId),
    index('cases_issue_idx').on(t.issueId, t.tenantId),
    check('cases_status_check', sql`${t.status} IN ('new','contacted','resolved','wont_fix')`),
    check('cases_priority_check', sql`${t.priority} IN ('low','normal','high','urgent')`),
    foreignKey({ columns: [t.tenantId, t.issueId], foreignColumns: [loopIssues.tenantId, loopIssues.id] }),
  ],
);

// Notes, contacts with the customer, status changes and escalations, in order.
export const caseActivities = pgTable(
  'case_activities',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    caseId: key('case_id').notNull(),
    // note | contact | status | escalation | notice | topics
    kind: text('kind').notNull(),
    body: text('body'),
    channel: text('channel'),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('case_activities_case_idx').on(t.tenantId, t.caseId, t.at),
    foreignKey({ columns: [t.tenantId, t.caseId], foreignColumns: [cases.tenantId, cases.id] }),
  ],
);

// Published for other modules' set-based reads (analytics' roll-up refresh): cases without their
// summary, details or resolution (cases_v), and who acted on each case when, without the notes
// (case_activities_v). Migration 0047 creates them; a column is added here and there together, and
// never removed while a reader uses it. Keys are declared as text: a view's columns keep the table's
// collation.
export const casesView = pgView('cases_v', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  customerId: text('customer_id'),
  status: text('status').notNull(),
  sourceType: text('source_type').notNull(),
  sourceId: text('source_id').notNull(),
  touchpoint: text('touchpoint'),
  resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  customerToldAt: timestamp('customer_told_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).existing();
export const caseActivitiesView = pgView('case_activities_v', {
  tenantId: text('tenant_id').notNull(),
  caseId: text('case_id').notNull(),
  actor: text('actor').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}).existing();

// Every message that told a customer what was done, with its delivery outcome. One per case (or per
// customer of a fixed issue): dedupe_key makes a retried resolution send nothing twice.
export const caseNotices = pgTable(
  'case_notices',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    dedupeKey: key('dedupe_key').notNull(),
    caseId: key('case_id'),
    issueId: key('issue_id'),
    customerId: key('customer_id').notNull(),
    channel: text('channel').notNull(),
    recipient: text('recipient'),
    language: text('language'),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    // queued | sent | failed | no_address
    status: text('status').notNull().default('queued'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('case_notices_dedupe_key').on(t.tenantId, t.dedupeKey),
    index('case_notices_customer_idx').on(t.customerId, t.tenantId),
  ],
);
