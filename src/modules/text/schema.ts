// Tables the text module owns: topic corrections made by people, and the per-tenant topic model trained on them.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, jsonb, integer, boolean, primaryKey, index } from 'drizzle-orm/pg-core';
import type { TenantTopicModel } from './classify-topics.js';

export const topicCorrections = pgTable(
  'topic_corrections',
  {
    tenantId: text('tenant_id').notNull(),
    // The normalised text (trimmed, at most 2,000 characters): the key of the exact-text correction.
    textKey: text('text_key').notNull(),
    topic: text('topic').notNull(),
    text: text('text').notNull(),
    // true: the text is about the topic; false: it is not (a keyword hit that was wrong).
    label: boolean('label').notNull(),
    // response | mention | case, and its id: where the person corrected it.
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id').notNull(),
    // The customer whose words these are: erasing the customer drops the corrections, which quote the text.
    customerId: text('customer_id'),
    correctedBy: text('corrected_by'),
    correctedAt: timestamp('corrected_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sourceType, t.sourceId, t.topic] }),
    index('topic_corrections_customer_idx').on(t.tenantId, t.customerId).where(sql`${t.customerId} IS NOT NULL`),
  ],
);

export const topicModels = pgTable('topic_models', {
  tenantId: text('tenant_id').primaryKey(),
  model: jsonb('model').$type<TenantTopicModel>().notNull(),
  corrections: integer('corrections').notNull(),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull(),
});
