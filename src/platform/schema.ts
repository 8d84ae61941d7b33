import { pgTable, text, timestamp, jsonb, integer, boolean, primaryKey, uniqueIndex, index, foreignKey } from 'drizzle-orm/pg-core';
import type { OutboxStatus } from './outbox.js';

export const tenants = pgTable(
  'tenants',
  {
    tenantId: text('tenant_id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tenants_slug_key').on(t.slug)],
);

export const users = pgTable(
  'users',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: text('id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('users_email_key').on(t.email, t.tenantId)],
);

export const sessions = pgTable(
  'sessions',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete('cascade'),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.tenantId),
    id: text('id').notNull(),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Operator-chosen keys (RAPPORT_DEMO_API_KEY) carry no tenant in the token and are found by hash.
    index('api_keys_secret_hash_idx').on(t.secretHash),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    // The answer carried a secret shown once, so it was not stored and is not replayed.
    isWithheld: boolean('is_withheld').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.route, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('audit_log_subject_idx').on(t.tenantId, t.subjectType, t.subjectId, t.at)],
);

// Hits per key in fixed windows for the platform rate limiter; tenant '-' holds keys that belong to
// no tenant (logins to an unknown tenant). Keys are hashes: no address or email is stored here.
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key, t.windowStart] }), index('rate_limit_windows_start_idx').on(t.windowStart)],
);

// Nonces a signed webhook has used (a Mailgun token, a WeChat timestamp and nonce), kept until the
// signature would be refused as stale anyway: a captured request cannot be replayed on any node.
export const webhookNonces = pgTable(
  'webhook_nonces',
  {
    tenantId: text('tenant_id').notNull(),
    scope: text('scope').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.nonce] }), index('webhook_nonces_expires_idx').on(t.expiresAt)],
);

// The platform outbox (outbox.ts): one row per message Rapport sends, and one per attempt to deliver it.
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('queued'),
    payload: jsonb('payload').notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    giveUpAt: timestamp('give_up_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const outboxAttempts = pgTable(
  'outbox_attempts',
  {
    tenantId: text('tenant_id').notNull(),
    messageId: text('message_id').notNull(),
    n: integer('n').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: text('outcome'),
    error: text('error'),
    httpStatus: integer('http_status'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.messageId, t.n] }),
    foreignKey({ columns: [t.tenantId, t.messageId], foreignColumns: [outboxMessages.tenantId, outboxMessages.id] }).onDelete('cascade'),
  ],
);
