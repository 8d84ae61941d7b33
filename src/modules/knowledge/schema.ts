// Tables the knowledge module owns: categories, articles with their versions and translations, the
// search vocabulary and synonyms, searches (for content gaps), feedback, and guided scripts with the
// paths agents took through them. Conversation ids are the inbox's, kept as text.
import { pgTable, text, timestamp, jsonb, integer, boolean, primaryKey, index, uniqueIndex, foreignKey, check, customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const knowledgeCategories = pgTable(
  'knowledge_categories',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    parentId: text('parent_id'),
    slug: text('slug').notNull(),
    // { "en": "Billing", "zh-CN": "账单" }: a category is one thing shown in several languages.
    names: jsonb('names').notNull().default({}),
    descriptions: jsonb('descriptions').notNull().default({}),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('knowledge_categories_slug_idx').on(t.slug, t.tenantId),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
  ],
);

export const knowledgeArticles = pgTable(
  'knowledge_articles',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    // Translations of one article share a group (the first article's id); one article per language in it.
    groupId: text('group_id').notNull(),
    categoryId: text('category_id'),
    language: text('language').notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('draft'),
    visibility: text('visibility').notNull().default('public'),
    version: integer('version').notNull().default(1),
    // Segmented title (weight A) and body (weight B) in the 'simple' configuration; see segment-text.ts.
    searchVector: tsvector('search_vector').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('knowledge_articles_translation_idx').on(t.groupId, t.tenantId, t.language),
    index('knowledge_articles_category_idx').on(t.categoryId, t.tenantId, t.language),
    index('knowledge_articles_updated_idx').on(t.tenantId, t.updatedAt),
    index('knowledge_articles_search_idx').using('gin', t.searchVector),
    foreignKey({ columns: [t.tenantId, t.categoryId], foreignColumns: [knowledgeCategories.tenantId, knowledgeCategories.id] }),
    check('knowledge_articles_language_check', sql`${t.language} IN ('zh-CN', 'zh-TW', 'en')`),
    check('knowledge_articles_status_check', sql`${t.status} IN ('draft', 'published')`),
    check('knowledge_articles_visibility_check', sql`${t.visibility} IN ('public', 'internal')`),
  ],
);

export const knowledgeArticleVersions = pgTable(
  'knowledge_article_versions',
  {
    tenantId: text('tenant_id').notNull(),
    articleId: text('article_id').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull(),
    visibility: text('visibility').notNull(),
    categoryId: text('category_id'),
    authorType: text('author_type').notNull(),
    authorId: text('author_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.articleId, t.version] }),
    foreignKey({ columns: [t.tenantId, t.articleId], foreignColumns: [knowledgeArticles.tenantId, knowledgeArticles.id] }).onDelete('cascade'),
  ],
);

export const knowledgeFeedback = pgTable(
  'knowledge_feedback',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    articleId: text('article_id').notNull(),
    isHelpful: boolean('is_helpful').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('knowledge_feedback_article_idx').on(t.tenantId, t.articleId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.articleId], foreignColumns: [knowledgeArticles.tenantId, knowledgeArticles.id] }).onDelete('cascade'),
  ],
);

// Each row is a set of words a tenant's customers use for one thing (退款, 退钱, refund).
export const knowledgeSynonyms = pgTable(
  'knowledge_synonyms',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    terms: text('terms').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

// The words of a tenant's articles that a misspelt query word can be corrected to, with how many
// article saves used them (an approximate document frequency: saves are counted, removals are not).
export const knowledgeTerms = pgTable(
  'knowledge_terms',
  {
    tenantId: text('tenant_id').notNull(),
    term: text('term').notNull(),
    weight: integer('weight').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term] })],
);

export const knowledgeSearches = pgTable(
  'knowledge_searches',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    query: text('query').notNull(),
    // The query's words after segmentation, stop words, corrections and synonyms, sorted: similar
    // queries ("退款 怎么办", "怎么 退款") share it.
    queryKey: text('query_key').notNull(),
    language: text('language'),
    // widget | help_centre | api
    source: text('source').notNull(),
    resultCount: integer('result_count').notNull(),
    anonymousId: text('anonymous_id'),
    // Set when the visitor is known: their chat's customer. Merges move it, erasure deletes the row.
    customerId: text('customer_id'),
    conversationId: text('conversation_id'),
    followedByChatAt: timestamp('followed_by_chat_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('knowledge_searches_created_idx').on(t.tenantId, t.createdAt),
    index('knowledge_searches_visitor_idx').on(t.tenantId, t.anonymousId, t.createdAt),
    index('knowledge_searches_customer_idx').on(t.tenantId, t.customerId),
    index('knowledge_searches_conversation_idx').on(t.tenantId, t.conversationId),
  ],
);

export const knowledgeScripts = pgTable(
  'knowledge_scripts',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    caseType: text('case_type').notNull(),
    title: text('title').notNull(),
    language: text('language').notNull(),
    // [{ id, kind: 'question'|'action', text, article_id?, options: [{ id, label, next }] }]
    nodes: jsonb('nodes').notNull(),
    rootNode: text('root_node').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('knowledge_scripts_case_type_idx').on(t.caseType, t.tenantId)],
);

export const knowledgeScriptRuns = pgTable(
  'knowledge_script_runs',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    scriptId: text('script_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    // active | completed | left
    status: text('status').notNull().default('active'),
    currentNode: text('current_node'),
    agentType: text('agent_type').notNull(),
    agentId: text('agent_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('knowledge_script_runs_conversation_idx').on(t.conversationId, t.tenantId, t.startedAt),
    foreignKey({ columns: [t.tenantId, t.scriptId], foreignColumns: [knowledgeScripts.tenantId, knowledgeScripts.id] }).onDelete('cascade'),
    check('knowledge_script_runs_status_check', sql`${t.status} IN ('active', 'completed', 'left')`),
  ],
);

export const knowledgeScriptSteps = pgTable(
  'knowledge_script_steps',
  {
    tenantId: text('tenant_id').notNull(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    optionId: text('option_id'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.seq] }),
    foreignKey({ columns: [t.tenantId, t.runId], foreignColumns: [knowledgeScriptRuns.tenantId, knowledgeScriptRuns.id] }).onDelete('cascade'),
  ],
);
