// The numbered steps of storing one batch of inbound messages in one transaction (receive-message.ts
// runs them in order): 1 to 5 here decide which conversation each message joins, 6 to 9 in
// receive-message-writes.ts write the messages and what follows from them. Locks are taken in one order
// by every batch: the customers' open conversations in customer order (step 3), then the teams, by
// assigning new conversations last (step 8).
import type pg from 'pg';
import { newId, randomToken } from '../../platform/ids.js';
import { queryRow, queryRows } from '../../platform/query-rows.js';
import type { Identities } from '../customers/index.js';
import type { TimelineEntry } from '../events/index.js';
import { matchRoute, type Priority } from './routing-rules.js';
import { startSla, loadPolicies, pickPolicy, slaDueTimes, schedule, type LoadedPolicy } from './sla-timers.js';
import type { Effects, InboxDeps } from './effects.js';
import type { InboundMessage, ReceiveResult } from './receive-message.js';
import { STORED_DELIVERIES, StoredDelivery, findThreadedConversation, wakeOpen, loadRoutingFacts } from './receive-message-lookups.js';
import { ConversationRow, type Conversation } from './read-conversations.js';

/** One message of a batch, checked (receive-message.ts prepare). */
export interface Item {
  m: InboundMessage;
  index: number;
  identities: Identities;
  at: Date;
  /** channel id + provider id: the same key is the same delivery. */
  key?: string;
  metaJson: string;
}

/** What one try of a batch leaves for after commit: merges to publish, and each message's answer. */
export interface BatchState {
  merges: Parameters<InboxDeps['customers']['publishMerges']>[1];
  results: Map<Item, ReceiveResult>;
}

/** A batch in its transaction, as the steps after the senders were resolved share it. */
export interface Batch {
  tx: pg.PoolClient;
  deps: InboxDeps;
  tenantId: string;
  fx: Effects;
  todo: Item[];
  customerOf(it: Item): string;
  byCustomer: Map<string, Item[]>;
  firstOf(cid: string): Item;
  lastOf(cid: string): Item;
  /** Each customer's conversation this batch's messages join. */
  convOf: Map<string, Conversation>;
  /** Customers whose conversation this batch opened. */
  opened: Set<string>;
  timeline: TimelineEntry[];
  toAssign: { conv: Conversation; teamId: string | null; at: Date }[];
  policies?: LoadedPolicy[];
}

/** Raised when another connection stored or opened what this batch was about to: the batch runs again. */
export const RACED = 'INBOX_RACED';
export const raced = (message: string) => Object.assign(new Error(message), { code: RACED });

export const policiesOf = async (b: Batch) => (b.policies ??= await loadPolicies(b.tx, b.tenantId));

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A first guess at the language when the channel does not say: Chinese script or the customer's own. */
function guessLanguage(text: string, customerLanguage: string | null): string | null {
  if (CJK.test(text)) return 'zh';
  return customerLanguage;
}

/** 1. Retries of deliveries stored before: answered with what the first copy became, nothing else done. The rest is returned. */
export async function answerRetries(tx: pg.PoolClient, tenantId: string, items: Item[], state: BatchState): Promise<Item[]> {
  const keyed = items.filter((it) => it.key);
  if (!keyed.length) return items;
  const rows = await queryRows(tx, StoredDelivery, STORED_DELIVERIES, [tenantId, keyed.map((it) => it.m.channel.id), keyed.map((it) => it.m.externalId)]);
  if (!rows.length) return items;
  const stored = new Map(rows.map((r) => [`${r.channel_id}\u0000${r.external_id}`, r]));
  const todo: Item[] = [];
  for (const it of items) {
    const dup = it.key ? stored.get(it.key) : undefined;
    if (dup)
      state.results.set(it, {
        status: 'duplicate',
        messageId: dup.id,
        conversationId: dup.conversation_id,
        customerId: dup.customer_id,
        isNewConversation: false,
      });
    else todo.push(it);
  }
  return todo;
}

/** 2. Senders to customers, all at once; the batch grouped by customer, in the order of arrival. */
export async function resolveSenders(tx: pg.PoolClient, deps: InboxDeps, tenantId: string, todo: Item[], fx: Effects, state: BatchState): Promise<Batch> {
  const kinds = [...new Set(todo.map((it) => it.m.channel.kind))];
  const earliest = new Date(Math.min(...todo.map((it) => it.at.getTime())));
  const resolved = await deps.customers.resolveCustomers(
    tx,
    tenantId,
    todo.map((it) => it.identities),
    { type: 'system', id: kinds.length === 1 ? `inbox:${kinds[0]}` : 'inbox' },
    earliest,
  );
  state.merges = resolved.merges;
  const customerOfItem = new Map<Item, string>(todo.map((it, k) => [it, resolved.customerIds[k]!]));
  const customerOf = (it: Item) => customerOfItem.get(it)!;
  const byCustomer = new Map<string, Item[]>();
  for (const it of todo) {
    const list = byCustomer.get(customerOf(it));
    if (list) list.push(it);
    else byCustomer.set(customerOf(it), [it]);
  }
  return {
    tx,
    deps,
    tenantId,
    fx,
    todo,
    customerOf,
    byCustomer,
    firstOf: (cid) => byCustomer.get(cid)![0],
    lastOf: (cid) => {
      const l = byCustomer.get(cid)!;
      return l[l.length - 1];
    },
    convOf: new Map(),
    opened: new Set(),
    timeline: [],
    toAssign: [],
  };
}

/** 3. Customers with a conversation not yet resolved join it (locked in customer order, and woken). */
export async function joinOpenConversations(b: Batch) {
  for (const c of await wakeOpen(b.tx, b.tenantId, [...b.byCustomer.keys()].map(b.lastOf), b.customerOf)) b.convOf.set(c.customer_id, c);
}

/**
 * 4. A reply in an earlier thread of the same customer goes back there (reopened, as the customer has
 * no other open conversation). Answers the customers who still need a new conversation.
 */
export async function reopenThreads(b: Batch): Promise<string[]> {
  const { tx, tenantId } = b;
  const waiting: string[] = [];
  for (const cid of b.byCustomer.keys()) {
    if (b.convOf.has(cid)) continue;
    const first = b.firstOf(cid);
    const threaded = first.m.threadRefs?.length || first.m.replyToken ? await findThreadedConversation(tx, tenantId, first.m) : undefined;
    if (threaded && threaded.customer_id === cid && !threaded.merged_into) {
      // Reopened in one statement, on the channel the customer came back on (their last message's).
      const last = b.lastOf(cid);
      const re = await queryRow(
        tx,
        ConversationRow,
        `UPDATE inbox_conversations SET status = 'open', resolved_at = NULL, snoozed_until = NULL, last_channel_id = $3, last_channel_kind = $4, last_inbound_at = $5, last_message_at = $5, updated_at = $5
          WHERE tenant_id = $1 AND id = $2 AND status = 'resolved' RETURNING *`,
        [tenantId, threaded.id, last.m.channel.id, last.m.channel.kind, last.at],
      );
      if (re) {
        b.convOf.set(cid, re);
        await b.deps.events.append(tx, tenantId, [
          {
            customerId: cid,
            type: 'conversation.reopened',
            source: 'inbox',
            occurredAt: first.at,
            properties: { conversation_id: re.id, channel: first.m.channel.kind },
          },
        ]);
        b.fx.feed.push({
          type: 'conversation.reopened',
          tenantId,
          conversationId: re.id,
          teamId: re.team_id,
          assigneeId: re.assignee_id,
          data: { customer_id: cid },
        });
        await startSla(tx, tenantId, re.id, re.team_id, re.priority, first.at, b.fx, await policiesOf(b));
        continue;
      }
    }
    waiting.push(cid);
  }
  return waiting;
}

/** 5. New conversations: routed, given their SLA targets and opened in one statement (assigned in 8). */
export async function openConversations(b: Batch, waiting: string[]) {
  const { tx, tenantId, fx } = b;
  const summaries = await b.deps.customers.getSummaries(tx, tenantId, waiting);
  const { tiers, rules, policies: allPolicies } = await loadRoutingFacts(tx, tenantId, waiting);
  b.policies = allPolicies;
  const plans = waiting.map((cid) => {
    const first = b.firstOf(cid);
    const last = b.lastOf(cid);
    const summary = summaries.get(cid);
    const language = first.m.language ?? guessLanguage(`${first.m.subject ?? ''} ${first.m.text}`, summary?.language ?? null);
    const route = matchRoute(rules, {
      channel: first.m.channel.kind,
      language,
      text: `${first.m.subject ?? ''}\n${first.m.text}`,
      isCore: summary?.isCore ?? false,
      clv: summary?.clv ?? null,
      tier: tiers.get(cid) ?? null,
      at: first.at,
    });
    // Core customers are served first even when no rule says so.
    const priority: Priority = route?.priority ?? (summary?.isCore ? 'high' : 'normal');
    const teamId = route?.teamId ?? null;
    const policy = pickPolicy(allPolicies, teamId, priority);
    const due = policy ? slaDueTimes(policy, first.at) : { first: null, resolution: null };
    return { cid, id: newId('cnv'), first, last, language, ruleId: route?.ruleId ?? null, priority, teamId, policy, due };
  });
  const inserted = await queryRows(
    tx,
    ConversationRow,
    `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, priority, subject, language, routing_rule_id, team_id, last_channel_id, last_channel_kind, reply_token,
                                      sla_policy_id, first_response_due_at, resolution_due_at, last_inbound_at, last_message_at, created_at, updated_at)
       SELECT $1, u.id, u.customer_id, 'open', u.priority, u.subject, u.language, u.rule_id, u.team_id, u.channel_id, u.kind, u.token, u.policy_id, u.first_due, u.resolution_due, u.last_at, u.last_at, u.first_at, u.last_at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
              AS u(id, customer_id, priority, subject, language, rule_id, team_id, channel_id, kind, token, policy_id, first_due, resolution_due, first_at, last_at)
     ON CONFLICT (tenant_id, customer_id) WHERE status <> 'resolved' DO NOTHING
     RETURNING *`,
    [
      tenantId,
      plans.map((p) => p.id),
      plans.map((p) => p.cid),
      plans.map((p) => p.priority),
      plans.map((p) => p.first.m.subject?.slice(0, 500) ?? null),
      plans.map((p) => p.language),
      plans.map((p) => p.ruleId),
      plans.map((p) => p.teamId),
      plans.map((p) => p.last.m.channel.id),
      plans.map((p) => p.last.m.channel.kind),
      plans.map(() => randomToken(12).replace(/[-_]/g, 'x').toLowerCase()),
      plans.map((p) => p.policy?.id ?? null),
      plans.map((p) => p.due.first),
      plans.map((p) => p.due.resolution),
      plans.map((p) => p.first.at),
      plans.map((p) => p.last.at),
    ],
  );
  const insertedOf = new Map<string, Conversation>(inserted.map((r) => [r.customer_id, r]));
  // Another node opened a conversation for some of these customers a moment ago: they join it.
  const lost = plans.filter((p) => !insertedOf.has(p.cid));
  if (lost.length) {
    for (const c of await wakeOpen(
      tx,
      tenantId,
      lost.map((p) => p.last),
      b.customerOf,
    ))
      b.convOf.set(c.customer_id, c);
    if (lost.some((p) => !b.convOf.has(p.cid))) throw raced('conversation opened and closed under this batch');
  }
  const openedPlans = plans.filter((p) => insertedOf.has(p.cid));
  for (const p of openedPlans) {
    const conv = insertedOf.get(p.cid)!;
    b.convOf.set(p.cid, conv);
    b.opened.add(p.cid);
    b.timeline.push({
      id: `inbox:${conv.id}:opened`,
      customerId: p.cid,
      type: 'conversation.opened',
      source: 'inbox',
      occurredAt: p.first.at,
      properties: { conversation_id: conv.id, channel: p.first.m.channel.kind, priority: p.priority },
    });
    fx.feed.push({
      type: 'conversation.created',
      tenantId,
      conversationId: conv.id,
      teamId: p.teamId,
      assigneeId: null,
      data: { customer_id: p.cid, channel: p.first.m.channel.kind, priority: p.priority, subject: conv.subject },
    });
  }
  for (const p of openedPlans) {
    const conv = insertedOf.get(p.cid)!;
    b.toAssign.push({ conv, teamId: p.teamId, at: p.first.at });
    if (!p.policy) continue;
    if (p.due.first) schedule(fx, tenantId, conv.id, 'first_response', p.first.at, p.due.first, p.policy.warningPercent);
    if (p.due.resolution) schedule(fx, tenantId, conv.id, 'resolution', p.first.at, p.due.resolution, p.policy.warningPercent);
  }
}
