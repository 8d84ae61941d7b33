// Inbound messages from any channel, stored a batch at a time: each sender resolves to one customer,
// and each message joins that customer's open conversation (on whichever channel it was opened) or
// opens one, which is routed and given its SLA targets. Retries of one provider delivery are stored
// once, whether the first copy came in an earlier batch or earlier in the same one. A batch is one
// transaction and a handful of statements however many messages it holds; a batch that fails is
// taken apart, so one message the database refuses never costs the others their place.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { FieldProblem } from '../../platform/errors.js';
import type { Identities } from '../customers/index.js';
import type { TimelineEntry } from '../events/index.js';
import { parseRoutingRules, matchRoute, assignNewConversations, type Priority } from './route-conversation.js';
import { startSla, loadPolicies, parsePolicies, pickPolicy, slaDueTimes, schedule, type LoadedPolicy } from './sla-timers.js';
import { addBusinessMinutes } from './business-hours.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps } from './effects.js';
import { messageInvalid } from './errors.js';
import type { Channel } from './manage-channels.js';
import type { AutomatedMail } from './receive-automated.js';

export interface InboundAttachment {
  filename?: string | null;
  contentType: string;
  size?: number;
  contentId?: string | null;
  content?: Buffer;
  url?: string;
}

export interface InboundMessage {
  channel: Channel;
  /** The provider's id for this delivery (Message-ID, MessageSid, MsgId): a retry with it is a duplicate. */
  externalId?: string;
  identities: Record<string, string | undefined>;
  /** A name the channel told us (WhatsApp ProfileName, email display name). */
  senderName?: string;
  text: string;
  html?: string | null;
  subject?: string | null;
  language?: string | null;
  /** Where a reply goes on this channel: email address, phone, openid, anonymous id. */
  replyAddress: string;
  meta?: Record<string, unknown>;
  attachments?: InboundAttachment[];
  /** Email threading: Message-IDs this message answers (In-Reply-To, then References). */
  threadRefs?: string[];
  /** The token of a reply+token address. */
  replyToken?: string;
  occurredAt?: Date;
  /** A bounce or automatic reply: kept out of conversations (receive-automated.ts). */
  automated?: AutomatedMail;
}

export interface ReceiveResult {
  status: 'accepted' | 'duplicate';
  messageId: string;
  conversationId: string;
  customerId: string;
  isNewConversation: boolean;
}

/** What became of one message of a batch: stored (or recognised as a retry), or why not. */
export type ReceiveOutcome = ReceiveResult | Error;

interface Item {
  m: InboundMessage;
  index: number;
  identities: Identities;
  at: Date;
  /** channel id + provider id: the same key is the same delivery. */
  key?: string;
  metaJson: string;
}

interface Conversation {
  id: string;
  customer_id: string;
  reply_token: string;
  team_id: string | null;
  assignee_id: string | null;
  subject: string | null;
  merged_into: string | null;
  priority: string;
  sla_policy_id: string | null;
  first_responded_at: Date | null;
  next_response_due_at: Date | null;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A first guess at the language when the channel does not say: Chinese script or the customer's own. */
function guessLanguage(text: string, customerLanguage: string | null): string | null {
  if (CJK.test(text)) return 'zh';
  return customerLanguage;
}

// PostgreSQL text and jsonb cannot hold NUL characters; a provider that sends one loses nothing by it.
const NUL = /\u0000/g;
const clean = <T extends string | null | undefined>(s: T): T => (typeof s === 'string' && s.includes('\u0000') ? (s.replace(NUL, '') as T) : s);
function cleanDeep(v: unknown): unknown {
  if (typeof v === 'string') return clean(v);
  if (Array.isArray(v)) return v.map(cleanDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), cleanDeep(x)]));
  return v;
}

/** Checks one message on its own, before any batch: an unusable sender or time is this message's problem only. */
function prepare(deps: InboxDeps, raw: InboundMessage, index: number): Item | Error {
  const { identities, problems } = deps.customers.normalizeIdentities(raw.identities);
  const errors: FieldProblem[] = problems.map((p) => ({ field: `identities.${p.kind}`, message: p.message }));
  if (!Object.keys(identities).length && !errors.length) errors.push({ field: 'identities', message: 'must name the sender with at least one identity' });
  const at = raw.occurredAt ?? deps.clock.now();
  if (Number.isNaN(at.getTime())) errors.push({ field: 'occurred_at', message: 'is not a valid time' });
  if (!Object.keys(identities).length || Number.isNaN(at.getTime())) return messageInvalid('The inbound message names no usable sender or time', errors);
  const m: InboundMessage = {
    ...raw, externalId: clean(raw.externalId), senderName: clean(raw.senderName), text: clean(raw.text), html: clean(raw.html), subject: clean(raw.subject), replyAddress: clean(raw.replyAddress),
  };
  const meta = { ...(m.meta ?? {}), reply_address: m.replyAddress, ...(m.senderName ? { sender_name: m.senderName } : {}) };
  let metaJson = JSON.stringify(meta);
  if (metaJson.includes('\\u0000')) metaJson = JSON.stringify(cleanDeep(meta));
  return { m, index, identities: identities as Identities, at, key: m.externalId ? `${m.channel.id}\u0000${m.externalId}` : undefined, metaJson };
}

/** Stores a batch of one tenant's inbound messages; the outcomes are in the order of the messages. */
export async function receiveMessages(deps: InboxDeps, tenantId: string, messages: readonly InboundMessage[]): Promise<ReceiveOutcome[]> {
  const out: ReceiveOutcome[] = new Array(messages.length);
  const fresh: Item[] = [];
  const firstOf = new Map<string, Item>();
  const copies: { index: number; of: Item }[] = [];
  messages.forEach((raw, index) => {
    if (raw.channel.tenantId !== tenantId) { out[index] = new Error('inbound message of another tenant in this batch'); return; }
    const item = prepare(deps, raw, index);
    if (item instanceof Error) { out[index] = item; return; }
    const first = item.key ? firstOf.get(item.key) : undefined;
    if (first) { copies.push({ index, of: first }); return; }
    if (item.key) firstOf.set(item.key, item);
    fresh.push(item);
  });

  if (fresh.length) {
    try {
      const stored = await storeBatch(deps, tenantId, fresh);
      for (const it of fresh) out[it.index] = stored.get(it)!;
    } catch (err) {
      if (fresh.length === 1) out[fresh[0].index] = err as Error;
      // One message the database refuses must not cost the others their place: each goes alone.
      else for (const it of fresh) out[it.index] = (await receiveMessages(deps, tenantId, [it.m]))[0];
    }
  }
  // A retry that arrived in the same batch as its first copy gets the first copy's answer.
  for (const { index, of } of copies) {
    const first = out[of.index];
    out[index] = first instanceof Error ? first : { ...first, status: 'duplicate', isNewConversation: false };
  }
  return out;
}

const RACED = 'INBOX_RACED';

async function storeBatch(deps: InboxDeps, tenantId: string, items: Item[]): Promise<Map<Item, ReceiveResult>> {
  for (let attempt = 1; ; attempt++) {
    const fx = newEffects();
    const state = { merges: [] as Parameters<InboxDeps['customers']['publishMerges']>[1], results: new Map<Item, ReceiveResult>() };
    try {
      await withTransaction(deps.pool, async (tx) => {
        // A deadlock retry runs this again from the start: nothing collected by the failed try survives.
        fx.feed.length = 0; fx.bus.length = 0; fx.timers.length = 0; fx.after.length = 0;
        state.merges = [];
        state.results = new Map();
        await storeInTransaction(tx, deps, tenantId, items, fx, state);
      });
    } catch (err) {
      // The same delivery was stored by another node between our look-up and our insert: run the
      // batch again, and the look-up now finds it.
      if ((err as { code?: string }).code === RACED && attempt < 3) continue;
      throw err;
    }
    // Committed: whatever happens next, these messages are stored and must not be stored again.
    try {
      if (state.merges.length) deps.customers.publishMerges(tenantId, state.merges);
      await releaseEffects(deps, fx);
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'inbound batch stored; telling others failed');
    }
    return state.results;
  }
}

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

async function findThreadedConversation(tx: pg.PoolClient, tenantId: string, m: InboundMessage): Promise<Conversation | undefined> {
  if (m.threadRefs?.length) {
    const { rows } = await tx.query(
      `SELECT c.* FROM inbox_messages msg JOIN inbox_conversations c ON c.tenant_id = msg.tenant_id AND c.id = msg.conversation_id
        WHERE msg.tenant_id = $1 AND msg.external_id = ANY($2::text[]) ORDER BY msg.created_at DESC LIMIT 1`,
      [tenantId, m.threadRefs.slice(0, 100)],
    );
    if (rows[0]) return rows[0];
  }
  if (m.replyToken) {
    const { rows } = await tx.query('SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND reply_token = $2', [tenantId, m.replyToken]);
    if (rows[0]) return rows[0];
  }
  return undefined;
}

/**
 * Locks the open (or pending, or snoozed) conversation of each customer and brings it up to date
 * with the customer's last message: a customer writing again wakes it. Most traffic ends here.
 */
async function wakeOpen(tx: pg.PoolClient, tenantId: string, lastOf: readonly Item[], customerOf: (it: Item) => string): Promise<Conversation[]> {
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
  const { rows } = await tx.query(
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
  return rows;
}

/** What routing new conversations needs from the inbox's own tables, in one round trip: rules, SLA policies, the customers' tiers (a primary-key probe each). */
async function loadRoutingFacts(tx: pg.PoolClient, tenantId: string, customerIds: string[]) {
  const { rows: [r] } = await tx.query(
    `SELECT (SELECT coalesce(json_agg(x ORDER BY x.position, x.created_at), '[]') FROM inbox_routing_rules x WHERE x.tenant_id = $1 AND x.is_enabled) AS rules,
            (SELECT coalesce(json_agg(p ORDER BY p.created_at), '[]') FROM inbox_sla_policies p WHERE p.tenant_id = $1) AS policies,
            (SELECT coalesce(json_agg(json_build_array(s.customer_id, s.tier)), '[]') FROM unnest($2::text[]) AS u(id)
               CROSS JOIN LATERAL (SELECT x.customer_id, x.tier FROM inbox_customer_signals x WHERE x.tenant_id = (SELECT $1::text) AND x.customer_id = u.id) s) AS tiers`,
    [tenantId, customerIds],
  );
  return {
    rules: parseRoutingRules(r.rules),
    policies: parsePolicies(r.policies),
    tiers: new Map<string, string | null>((r.tiers as [string, string | null][]).map(([id, tier]) => [id, tier])),
  };
}

async function storeInTransaction(
  tx: pg.PoolClient, deps: InboxDeps, tenantId: string, items: Item[], fx: Effects,
  state: { merges: Parameters<InboxDeps['customers']['publishMerges']>[1]; results: Map<Item, ReceiveResult> },
): Promise<void> {
  // 1. Retries of deliveries stored before: answered with what the first copy became, nothing else done.
  let todo = items;
  const keyed = items.filter((it) => it.key);
  if (keyed.length) {
    const { rows } = await tx.query(
      STORED_DELIVERIES,
      [tenantId, keyed.map((it) => it.m.channel.id), keyed.map((it) => it.m.externalId)],
    );
    if (rows.length) {
      const stored = new Map(rows.map((r) => [`${r.channel_id}\u0000${r.external_id}`, r]));
      todo = [];
      for (const it of items) {
        const dup = it.key ? stored.get(it.key) : undefined;
        if (dup) state.results.set(it, { status: 'duplicate', messageId: dup.id, conversationId: dup.conversation_id, customerId: dup.customer_id, isNewConversation: false });
        else todo.push(it);
      }
    }
  }
  if (!todo.length) return;

  // 2. Senders to customers, all at once.
  const kinds = [...new Set(todo.map((it) => it.m.channel.kind))];
  const earliest = new Date(Math.min(...todo.map((it) => it.at.getTime())));
  const resolved = await deps.customers.resolveCustomers(tx, tenantId, todo.map((it) => it.identities), { type: 'system', id: kinds.length === 1 ? `inbox:${kinds[0]}` : 'inbox' }, earliest);
  state.merges = resolved.merges;
  const customerOfItem = new Map<Item, string>(todo.map((it, k) => [it, resolved.customerIds[k]!]));
  const customerOf = (it: Item) => customerOfItem.get(it)!;
  const byCustomer = new Map<string, Item[]>();
  for (const it of todo) {
    const list = byCustomer.get(customerOf(it));
    if (list) list.push(it);
    else byCustomer.set(customerOf(it), [it]);
  }
  const firstOf = (cid: string) => byCustomer.get(cid)![0];
  const lastOf = (cid: string) => { const l = byCustomer.get(cid)!; return l[l.length - 1]; };

  // 3. Customers with a conversation not yet resolved join it.
  const convOf = new Map<string, Conversation>();
  for (const c of await wakeOpen(tx, tenantId, [...byCustomer.keys()].map(lastOf), customerOf)) convOf.set(c.customer_id, c);

  // 4. A reply in an earlier thread of the same customer goes back there (reopened, as the customer
  // has no other open conversation); everyone else gets a new conversation.
  let policies: LoadedPolicy[] | undefined;
  const policiesOf = async () => (policies ??= await loadPolicies(tx, tenantId));
  const waiting: string[] = [];
  for (const cid of byCustomer.keys()) {
    if (convOf.has(cid)) continue;
    const first = firstOf(cid);
    const threaded = first.m.threadRefs?.length || first.m.replyToken ? await findThreadedConversation(tx, tenantId, first.m) : undefined;
    if (threaded && threaded.customer_id === cid && !threaded.merged_into) {
      // Reopened in one statement, on the channel the customer came back on (their last message's).
      const last = lastOf(cid);
      const { rows: [re] } = await tx.query(
        `UPDATE inbox_conversations SET status = 'open', resolved_at = NULL, snoozed_until = NULL, last_channel_id = $3, last_channel_kind = $4, last_inbound_at = $5, last_message_at = $5, updated_at = $5
          WHERE tenant_id = $1 AND id = $2 AND status = 'resolved' RETURNING *`,
        [tenantId, threaded.id, last.m.channel.id, last.m.channel.kind, last.at],
      );
      if (re) {
        convOf.set(cid, re);
        await deps.events.append(tx, tenantId, [{ customerId: cid, type: 'conversation.reopened', source: 'inbox', occurredAt: first.at, properties: { conversation_id: re.id, channel: first.m.channel.kind } }]);
        fx.feed.push({ type: 'conversation.reopened', tenantId, conversationId: re.id, teamId: re.team_id, assigneeId: re.assignee_id, data: { customer_id: cid } });
        await startSla(tx, tenantId, re.id, re.team_id, re.priority, first.at, fx, await policiesOf());
        continue;
      }
    }
    waiting.push(cid);
  }

  // 5. New conversations: routed, given their SLA targets and opened in one statement (assigned in 8).
  const opened = new Set<string>();
  const timeline: TimelineEntry[] = [];
  const toAssign: { conv: Conversation; teamId: string | null; at: Date }[] = [];
  if (waiting.length) {
    const summaries = await deps.customers.getSummaries(tx, tenantId, waiting);
    const { tiers, rules, policies: allPolicies } = await loadRoutingFacts(tx, tenantId, waiting);
    policies = allPolicies;
    const plans = waiting.map((cid) => {
      const first = firstOf(cid);
      const last = lastOf(cid);
      const summary = summaries.get(cid);
      const language = first.m.language ?? guessLanguage(`${first.m.subject ?? ''} ${first.m.text}`, summary?.language ?? null);
      const route = matchRoute(rules, {
        channel: first.m.channel.kind, language, text: `${first.m.subject ?? ''}\n${first.m.text}`, isCore: summary?.isCore ?? false, clv: summary?.clv ?? null, tier: tiers.get(cid) ?? null, at: first.at,
      });
      // Core customers are served first even when no rule says so.
      const priority: Priority = route?.priority ?? (summary?.isCore ? 'high' : 'normal');
      const teamId = route?.teamId ?? null;
      const policy = pickPolicy(allPolicies, teamId, priority);
      const due = policy ? slaDueTimes(policy, first.at) : { first: null, resolution: null };
      return { cid, id: newId('cnv'), first, last, language, ruleId: route?.ruleId ?? null, priority, teamId, policy, due };
    });
    const { rows: inserted } = await tx.query(
      `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, priority, subject, language, routing_rule_id, team_id, last_channel_id, last_channel_kind, reply_token,
                                        sla_policy_id, first_response_due_at, resolution_due_at, last_inbound_at, last_message_at, created_at, updated_at)
         SELECT $1, u.id, u.customer_id, 'open', u.priority, u.subject, u.language, u.rule_id, u.team_id, u.channel_id, u.kind, u.token, u.policy_id, u.first_due, u.resolution_due, u.last_at, u.last_at, u.first_at, u.last_at
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[])
                AS u(id, customer_id, priority, subject, language, rule_id, team_id, channel_id, kind, token, policy_id, first_due, resolution_due, first_at, last_at)
       ON CONFLICT (tenant_id, customer_id) WHERE status <> 'resolved' DO NOTHING
       RETURNING *`,
      [tenantId, plans.map((p) => p.id), plans.map((p) => p.cid), plans.map((p) => p.priority), plans.map((p) => p.first.m.subject?.slice(0, 500) ?? null), plans.map((p) => p.language),
        plans.map((p) => p.ruleId), plans.map((p) => p.teamId), plans.map((p) => p.last.m.channel.id), plans.map((p) => p.last.m.channel.kind),
        plans.map(() => randomToken(12).replace(/[-_]/g, 'x').toLowerCase()), plans.map((p) => p.policy?.id ?? null), plans.map((p) => p.due.first), plans.map((p) => p.due.resolution),
        plans.map((p) => p.first.at), plans.map((p) => p.last.at)],
    );
    const insertedOf = new Map<string, Conversation>(inserted.map((r) => [r.customer_id, r]));
    // Another node opened a conversation for some of these customers a moment ago: they join it.
    const raced = plans.filter((p) => !insertedOf.has(p.cid));
    if (raced.length) {
      for (const c of await wakeOpen(tx, tenantId, raced.map((p) => p.last), customerOf)) convOf.set(c.customer_id, c);
      if (raced.some((p) => !convOf.has(p.cid))) throw Object.assign(new Error('conversation opened and closed under this batch'), { code: RACED });
    }
    const openedPlans = plans.filter((p) => insertedOf.has(p.cid));
    for (const p of openedPlans) {
      const conv = insertedOf.get(p.cid)!;
      convOf.set(p.cid, conv);
      opened.add(p.cid);
      timeline.push({ id: `inbox:${conv.id}:opened`, customerId: p.cid, type: 'conversation.opened', source: 'inbox', occurredAt: p.first.at, properties: { conversation_id: conv.id, channel: p.first.m.channel.kind, priority: p.priority } });
      fx.feed.push({ type: 'conversation.created', tenantId, conversationId: conv.id, teamId: p.teamId, assigneeId: null, data: { customer_id: p.cid, channel: p.first.m.channel.kind, priority: p.priority, subject: conv.subject } });
    }
    for (const p of openedPlans) {
      const conv = insertedOf.get(p.cid)!;
      toAssign.push({ conv, teamId: p.teamId, at: p.first.at });
      if (!p.policy) continue;
      if (p.due.first) schedule(fx, tenantId, conv.id, 'first_response', p.first.at, p.due.first, p.policy.warningPercent);
      if (p.due.resolution) schedule(fx, tenantId, conv.id, 'resolution', p.first.at, p.due.resolution, p.policy.warningPercent);
    }
  }

  // 6. A customer who writes again after an agent answered starts the next-response clock.
  const nextDue: { conv: Conversation; due: Date }[] = [];
  for (const [cid, conv] of convOf) {
    if (opened.has(cid) || !conv.first_responded_at || conv.next_response_due_at || !conv.sla_policy_id) continue;
    const p = (await policiesOf()).find((x) => x.id === conv.sla_policy_id);
    if (!p || p.nextResponseMinutes == null) continue;
    const at = firstOf(cid).at;
    const due = addBusinessMinutes(p.calendar, at, p.nextResponseMinutes);
    nextDue.push({ conv, due });
    schedule(fx, tenantId, conv.id, 'next_response', at, due, p.warningPercent);
  }
  if (nextDue.length) {
    // By primary-key upsert, so that each row is found by an index probe whatever the statistics say
    // (see wakeOpen). The rows are this batch's, woken or reopened above and locked: the insert arm
    // never runs, and their customer and reply token only fill its NOT NULL columns.
    await tx.query(
      `INSERT INTO inbox_conversations AS c (tenant_id, id, customer_id, reply_token, next_response_due_at)
         SELECT $1, u.id, u.customer_id, u.reply_token, u.due FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(id, customer_id, reply_token, due)
       ON CONFLICT (tenant_id, id) DO UPDATE SET next_response_due_at = excluded.next_response_due_at`,
      [tenantId, nextDue.map((n) => n.conv.id), nextDue.map((n) => n.conv.customer_id), nextDue.map((n) => n.conv.reply_token), nextDue.map((n) => n.due)],
    );
  }

  // 7. The messages, in one statement. One JSON document carries the batch: meta is already
  // serialised and is spliced in as it is.
  const messageIds = new Map<Item, string>(todo.map((it) => [it, newId('msg')]));
  // Messages of one batch often share a millisecond: a microsecond apiece keeps their stored order
  // (created_at, then id) the order they arrived in, and moves no time the rest of the code reads.
  const sameMs = new Map<number, number>();
  const storedAt = (it: Item) => {
    const k = sameMs.get(it.at.getTime()) ?? 0;
    sameMs.set(it.at.getTime(), k + 1);
    const iso = it.at.toISOString();
    return k ? `${iso.slice(0, -1)}${String(k).padStart(3, '0')}Z` : iso;
  };
  const rowsJson = '[' + todo.map((it) => {
    const conv = convOf.get(customerOf(it))!;
    return `[${JSON.stringify(messageIds.get(it))},${JSON.stringify(conv.id)},${JSON.stringify(customerOf(it))},${JSON.stringify(it.m.channel.kind)},${JSON.stringify(it.m.channel.id)},${JSON.stringify(it.m.text)},${JSON.stringify(it.m.html ?? null)},${JSON.stringify(it.m.subject ?? null)},${JSON.stringify(it.m.externalId ?? null)},${it.metaJson},"${storedAt(it)}"]`;
  }).join(',') + ']';
  const { rowCount } = await tx.query(
    `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, html, subject, external_id, meta, created_at)
       SELECT $1, r->>0, r->>1, r->>2, 'in', r->>3, r->>4, 'customer', r->>5, r->>6, r->>7, r->>8, r->9, (r->>10)::timestamptz FROM jsonb_array_elements($2::jsonb) AS r
     ON CONFLICT (tenant_id, channel_id, external_id) DO NOTHING`,
    [tenantId, rowsJson],
  );
  // Fewer rows than messages: a delivery raced in on another connection and won; run the batch again.
  if (rowCount !== todo.length) throw Object.assign(new Error('duplicate delivery raced this batch'), { code: RACED });

  const attachments = todo.flatMap((it) => (it.m.attachments ?? []).map((a) => ({ ...a, messageId: messageIds.get(it)! })));
  if (attachments.length) {
    await tx.query(
      `INSERT INTO inbox_attachments (tenant_id, id, message_id, filename, content_type, size, content_id, content, url)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bytea[], $9::text[])`,
      [tenantId, attachments.map(() => newId('att')), attachments.map((a) => a.messageId), attachments.map((a) => a.filename ?? null), attachments.map((a) => a.contentType),
        attachments.map((a) => a.size ?? a.content?.length ?? 0), attachments.map((a) => a.contentId ?? null), attachments.map((a) => a.content ?? null), attachments.map((a) => a.url ?? null)],
    );
  }

  for (const it of todo) {
    const messageId = messageIds.get(it)!;
    timeline.push({
      id: `inbox:${messageId}`, customerId: customerOf(it), type: 'message.received', source: 'inbox', occurredAt: it.at,
      properties: { conversation_id: convOf.get(customerOf(it))!.id, message_id: messageId, channel: it.m.channel.kind, text: it.m.text.slice(0, 1000), ...(it.m.subject ? { subject: it.m.subject } : {}) },
    });
  }
  await deps.events.append(tx, tenantId, timeline);

  // 8. The new conversations' agents, last: assigning locks the teams, and every batch opening
  // conversations in them waits for that lock until this one commits, so it is held for as short a
  // time as possible.
  if (toAssign.length) {
    const assigned = await assignNewConversations(tx, tenantId, toAssign.map((a) => ({ id: a.conv.id, teamId: a.teamId, at: a.at })), fx);
    for (const a of toAssign) {
      a.conv.team_id = a.teamId;
      a.conv.assignee_id = assigned.get(a.conv.id) ?? null;
    }
  }

  for (const it of todo) {
    const cid = customerOf(it);
    const conv = convOf.get(cid)!;
    const messageId = messageIds.get(it)!;
    const isNew = opened.has(cid) && firstOf(cid) === it;
    fx.feed.push({
      type: 'message.created', tenantId, conversationId: conv.id, teamId: conv.team_id, assigneeId: conv.assignee_id,
      data: { message_id: messageId, customer_id: cid, direction: 'in', channel: it.m.channel.kind, text: it.m.text.slice(0, 4000), subject: it.m.subject ?? null, at: it.at.toISOString() },
    });
    fx.bus.push({ type: 'message.received', tenantId, payload: { conversationId: conv.id, messageId, customerId: cid, channel: it.m.channel.kind, text: it.m.text, isNewConversation: isNew } });
    state.results.set(it, { status: 'accepted', messageId, conversationId: conv.id, customerId: cid, isNewConversation: isNew });
  }
}
