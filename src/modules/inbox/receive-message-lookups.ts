// The look-ups receiving a batch of inbound messages makes (receive-message.ts): deliveries stored
// before, the thread a reply belongs to, the customers' open conversations (locked and woken), and what
// routing new conversations needs. Those that read a row per item are driven from the batch, a probe per
// item with the tenant as an InitPlan value, so that their plans cannot depend on statistics that predate
// a new tenant's growth.
import type pg from 'pg';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { parseRoutingRules, type RuleRow } from './routing-rules.js';
import { parsePolicies, type PolicyRow } from './sla-timers.js';
import { ConversationRow, type Conversation } from './read-conversations.js';
import type { InboundMessage } from './receive-message.js';
import type { Item } from './receive-message-steps.js';
import { inboxMessages } from './schema.js';

/** A row of STORED_DELIVERIES. */
export const StoredDelivery = rowOf(inboxMessages, ['id', 'conversation_id', 'customer_id', 'channel_id', 'external_id']);
// json_agg of the rows: timestamps come as strings, so the rows are read as their parsers take them.
const RoutingFacts = computedRow<{ rules: RuleRow[]; policies: PolicyRow[]; tiers: [string, string | null][] }>(['rules', 'policies', 'tiers']);

/**
 * The messages already stored for some deliveries ($2 channel ids, $3 external ids): a probe per
 * delivery, driven from the batch, the tenant as an InitPlan value. With statistics that predate a new
 * tenant's growth, the (channel_id, external_id) IN (unnest ...) form scanned all of the tenant's
 * messages for every batch.
 */
export const STORED_DELIVERIES = `SELECT m.id, m.conversation_id, m.customer_id, m.channel_id, m.external_id
         FROM unnest($2::text[], $3::text[]) AS u(channel_id, external_id)
         CROSS JOIN LATERAL (SELECT x.id, x.conversation_id, x.customer_id, x.channel_id, x.external_id FROM inbox_messages x
                              WHERE x.tenant_id = (SELECT $1::text) AND x.channel_id = u.channel_id AND x.external_id = u.external_id LIMIT 1) AS m`;

export async function findThreadedConversation(tx: pg.PoolClient, tenantId: string, m: InboundMessage): Promise<Conversation | undefined> {
  if (m.threadRefs?.length) {
    const c = await queryRow(
      tx,
      ConversationRow,
      `SELECT c.* FROM inbox_messages msg JOIN inbox_conversations c ON c.tenant_id = msg.tenant_id AND c.id = msg.conversation_id
        WHERE msg.tenant_id = $1 AND msg.external_id = ANY($2::text[]) ORDER BY msg.created_at DESC LIMIT 1`,
      [tenantId, m.threadRefs.slice(0, 100)],
    );
    if (c) return c;
  }
  if (m.replyToken) {
    const c = await queryRow(tx, ConversationRow, 'SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND reply_token = $2', [tenantId, m.replyToken]);
    if (c) return c;
  }
  return undefined;
}

/**
 * Locks the open (or pending, or snoozed) conversation of each customer and brings it up to date
 * with the customer's last message: a customer writing again wakes it. Most traffic ends here.
 */
export async function wakeOpen(tx: pg.PoolClient, tenantId: string, lastOf: readonly Item[], customerOf: (it: Item) => string): Promise<Conversation[]> {
  if (!lastOf.length) return [];
  // In customer order, so that two batches locking the same customers take the locks in one order.
  const sorted = [...lastOf].sort((a, b) => (customerOf(a) < customerOf(b) ? -1 : 1));
  // Driven from the batch, a customer at a time, so that the plan cannot depend on statistics. An
  // UPDATE ... FROM unnest(...) let the planner scan all of the tenant's conversations whenever the
  // statistics predate the tenant's growth (a new tenant in a fresh database): it then believes the
  // tenant has a row or two. Each customer's conversation is looked up in the subquery (the tenant
  // as an InitPlan value, so stale figures for one tenant cannot make a tenant-only index look
  // cheaper than the customer's), and written by primary-key upsert, whose arbiter finds each row by
  // an index probe. Every id names a conversation that exists (conversations are never deleted), so
  // the insert arm never runs; the conflict's WHERE re-checks the status on the locked row, so a
  // conversation resolved meanwhile is neither woken nor returned, as the UPDATE's re-check did.
  return queryRows(
    tx,
    ConversationRow,
    `INSERT INTO inbox_conversations AS c (tenant_id, id, customer_id, reply_token, last_channel_id, last_channel_kind, last_inbound_at, last_message_at, updated_at)
       SELECT $1, o.id, o.customer_id, o.reply_token, u.channel_id, u.kind, u.at, u.at, u.at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(customer_id, channel_id, kind, at)
         CROSS JOIN LATERAL (SELECT x.id, x.customer_id, x.reply_token FROM inbox_conversations x
                              WHERE x.tenant_id = (SELECT $1::text) AND x.customer_id = u.customer_id AND x.status <> 'resolved' LIMIT 1) AS o
     ON CONFLICT (tenant_id, id) DO UPDATE SET status = 'open', snoozed_until = NULL, last_channel_id = excluded.last_channel_id, last_channel_kind = excluded.last_channel_kind,
          last_inbound_at = excluded.last_inbound_at, last_message_at = excluded.last_message_at, updated_at = excluded.updated_at
        WHERE c.status <> 'resolved'
     RETURNING c.*`,
    [tenantId, sorted.map(customerOf), sorted.map((it) => it.m.channel.id), sorted.map((it) => it.m.channel.kind), sorted.map((it) => it.at)],
  );
}

/** What routing new conversations needs from the inbox's own tables, in one round trip: rules, SLA policies, the customers' tiers (a primary-key probe each). */
export async function loadRoutingFacts(tx: pg.PoolClient, tenantId: string, customerIds: string[]) {
  const r = await queryRow(
    tx,
    RoutingFacts,
    `SELECT (SELECT coalesce(json_agg(x ORDER BY x.position, x.created_at), '[]') FROM inbox_routing_rules x WHERE x.tenant_id = $1 AND x.is_enabled) AS rules,
            (SELECT coalesce(json_agg(p ORDER BY p.created_at), '[]') FROM inbox_sla_policies p WHERE p.tenant_id = $1) AS policies,
            (SELECT coalesce(json_agg(json_build_array(s.customer_id, s.tier)), '[]') FROM unnest($2::text[]) AS u(id)
               CROSS JOIN LATERAL (SELECT x.customer_id, x.tier FROM inbox_customer_signals x WHERE x.tenant_id = (SELECT $1::text) AND x.customer_id = u.id) s) AS tiers`,
    [tenantId, customerIds],
  );
  // One row always: a SELECT of subqueries without FROM.
  const { rules, policies, tiers } = r!;
  return {
    rules: parseRoutingRules(rules),
    policies: parsePolicies(policies),
    tiers: new Map<string, string | null>(tiers.map(([id, tier]) => [id, tier])),
  };
}
