// Inbound messages from any channel, stored a batch at a time: each sender resolves to one customer,
// and each message joins that customer's open conversation (on whichever channel it was opened) or
// opens one, which is routed and given its SLA targets. Retries of one provider delivery are stored
// once, whether the first copy came in an earlier batch or earlier in the same one. A batch is one
// transaction and a handful of statements however many messages it holds; a batch that fails is
// taken apart, so one message the database refuses never costs the others their place.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import type { FieldProblem } from '../../platform/errors.js';
import type { Identities } from '../customers/index.js';
import { newEffects, releaseEffects, type Effects, type InboxDeps } from './effects.js';
import { messageInvalid } from './errors.js';
import type { Channel } from './manage-channels.js';
import type { AutomatedMail } from './receive-automated.js';
import { STORED_DELIVERIES } from './receive-message-lookups.js';
import {
  answerRetries,
  resolveSenders,
  joinOpenConversations,
  reopenThreads,
  openConversations,
  RACED,
  type BatchState,
  type Item,
} from './receive-message-steps.js';
import { startNextResponseClocks, insertMessages, assignOpenedConversations, announceMessages } from './receive-message-writes.js';

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
    ...raw,
    externalId: clean(raw.externalId),
    senderName: clean(raw.senderName),
    text: clean(raw.text),
    html: clean(raw.html),
    subject: clean(raw.subject),
    replyAddress: clean(raw.replyAddress),
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
    if (raw.channel.tenantId !== tenantId) {
      out[index] = new Error('inbound message of another tenant in this batch');
      return;
    }
    const item = prepare(deps, raw, index);
    if (item instanceof Error) {
      out[index] = item;
      return;
    }
    const first = item.key ? firstOf.get(item.key) : undefined;
    if (first) {
      copies.push({ index, of: first });
      return;
    }
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

async function storeBatch(deps: InboxDeps, tenantId: string, items: Item[]): Promise<Map<Item, ReceiveResult>> {
  for (let attempt = 1; ; attempt++) {
    const fx = newEffects();
    const state: BatchState = { merges: [], results: new Map() };
    try {
      await withTransaction(
        deps.pool,
        async (tx) => {
          // A deadlock retry runs this again from the start: nothing collected by the failed try survives.
          fx.feed.length = 0;
          fx.bus.length = 0;
          fx.timers.length = 0;
          fx.after.length = 0;
          state.merges = [];
          state.results = new Map();
          await storeInTransaction(tx, deps, tenantId, items, fx, state);
        },
        { customPlans: true },
      );
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
 * One batch in its transaction, step by step (receive-message-steps.ts, receive-message-writes.ts).
 * Locks are taken in one order by every batch: the customers' open conversations, in customer order
 * (3), then the teams, by assigning new conversations last (8).
 */
async function storeInTransaction(tx: pg.PoolClient, deps: InboxDeps, tenantId: string, items: Item[], fx: Effects, state: BatchState): Promise<void> {
  // 1. Retries of deliveries stored before: answered with what the first copy became, nothing else done.
  const todo = await answerRetries(tx, tenantId, items, state);
  if (!todo.length) return;
  // 2. Senders to customers, all at once.
  const b = await resolveSenders(tx, deps, tenantId, todo, fx, state);
  // 3. Customers with a conversation not yet resolved join it.
  await joinOpenConversations(b);
  // 4. A reply in an earlier thread of the same customer goes back there; everyone else waits for a new conversation.
  const waiting = await reopenThreads(b);
  // 5. New conversations: routed, given their SLA targets and opened in one statement (assigned in 8).
  if (waiting.length) await openConversations(b, waiting);
  // 6. A customer who writes again after an agent answered starts the next-response clock.
  await startNextResponseClocks(b);
  // 7. The messages, in one statement, with their attachments and timeline items.
  const messageIds = await insertMessages(b);
  // 8. The new conversations' agents, last: assigning locks the teams, held for as short a time as possible.
  await assignOpenedConversations(b);
  // 9. What the agents' feeds and the bus hear after commit, and each message's answer.
  announceMessages(b, messageIds, state);
}

export { STORED_DELIVERIES };
