// Tables the widget owns: each tenant's publishable widget key and allowed sites, and the feedback
// visitors leave with the widget's button. customer_id is the customers module's id, kept as text.
import { pgTable, text, timestamp, integer, primaryKey, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const widgetSettings = pgTable(
  'widget_settings',
  {
    tenantId: text('tenant_id').notNull(),
    // Publishable (it sits in every page's HTML); it names the tenant, it grants no reading.
    key: text('key').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

export const widgetFeedback = pgTable(
  'widget_feedback',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    customerId: text('customer_id'),
    text: text('text').notNull(),
    rating: integer('rating'),
    pageUrl: text('page_url'),
    // As the visitor typed it: shown to the team, never used to find or join a profile.
    email: text('email'),
    // SHA-256 of the client address: enough to throttle a flood, useless for finding a person.
    clientHash: text('client_hash').notNull(),
    // The widget's id for the submission (FeedbackBody.submission_key): a resend finds the row it stored.
    submissionKey: text('submission_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('widget_feedback_submission_key').on(t.tenantId, t.submissionKey).where(sql`${t.submissionKey} IS NOT NULL`),
    index('widget_feedback_created_idx').on(t.tenantId, t.createdAt),
    index('widget_feedback_client_idx').on(t.tenantId, t.clientHash, t.createdAt),
    index('widget_feedback_customer_idx').on(t.tenantId, t.customerId),
    check('widget_feedback_rating_range', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`),
  ],
);
