// Tables the portal owns: one-time sign-in codes and links, and the customers' portal sessions.
// Secrets are stored only as hashes; customer_id is the customers module's id, kept as text.
import { pgTable, text, timestamp, integer, primaryKey, index } from 'drizzle-orm/pg-core';

export const portalSignIns = pgTable(
  'portal_sign_ins',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    // Null when nobody has the address: the request is still counted for throttling, and nothing is sent.
    customerId: text('customer_id'),
    // SHA-256 of the normalised address, so throttling counts per address without keeping it.
    destinationHash: text('destination_hash').notNull(),
    requestedFrom: text('requested_from').notNull(),
    codeHash: text('code_hash').notNull(),
    linkHash: text('link_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('portal_sign_ins_destination_idx').on(t.destinationHash, t.tenantId, t.createdAt),
    index('portal_sign_ins_address_idx').on(t.requestedFrom, t.tenantId, t.createdAt),
    index('portal_sign_ins_customer_idx').on(t.customerId, t.tenantId),
  ],
);

export const portalSessions = pgTable(
  'portal_sessions',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    customerId: text('customer_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('portal_sessions_customer_idx').on(t.customerId, t.tenantId)],
);
