// An inbound message from any channel: its sender resolves to one customer, and it joins that
// customer's open conversation (on whichever channel it was opened) or opens one, which is routed
// and given its SLA targets. Retries of one provider delivery are stored once.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { Identities } from '../customers/index.js';
import { chooseRoute, assignWithinTeam, type Priority } from './route-conversation.js';
import { startSla, startNextResponse } from './sla-timers.js';
import { newEffects, releaseEffects, type InboxDeps } from './effects.js';
import type { Channel } from './manage-channels.js';

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
}

export interface ReceiveResult {
  status: 'accepted' | 'duplicate';
  messageId: string;
  conversationId: string;
  customerId: string;
  isNewConversation: boolean;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** A first guess at the language when the channel does not say: Chinese script or the customer's own. */
function guessLanguage(text: string, customerLanguage: string | null): string | null {
  if (CJK.test(text)) return 'zh';
  return customerLanguage;
}

async function findThreadedConversation(tx: pg.PoolClient, tenantId: string, m: InboundMessage): Promise<any | undefined> {
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

export async function receiveMessage(deps: InboxDeps, m: InboundMessage): Promise<ReceiveResult> {
  const tenantId = m.channel.tenantId;
  const fx = newEffects();
  const at = m.occurredAt ?? deps.now();
  const { identities, problems } = deps.customers.normalizeIdentities(m.identities);
  if (!Object.keys(identities).length) throw new Error(`inbound message without a usable identity (${problems.map((p) => p.kind).join(', ')})`);
  let merges: Parameters<InboxDeps['customers']['publishMerges']>[1] = [];

  const result = await withTransaction(deps.pool, async (tx): Promise<ReceiveResult> => {
    fx.feed.length = 0; fx.bus.length = 0; fx.timers.length = 0;
    if (m.externalId) {
      const { rows: [dup] } = await tx.query('SELECT id, conversation_id, customer_id FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $2 AND external_id = $3', [tenantId, m.channel.id, m.externalId]);
      if (dup) return { status: 'duplicate', messageId: dup.id, conversationId: dup.conversation_id, customerId: dup.customer_id, isNewConversation: false };
    }
    const resolved = await deps.customers.resolveCustomers(tx, tenantId, [identities as Identities], { type: 'system', id: `inbox:${m.channel.kind}` }, at);
    merges = resolved.merges;
    const customerId = resolved.customerIds[0]!;
    // A reply in an earlier thread of the same customer goes back there (reopened if it was resolved
    // and the customer has no other open conversation); the customer's open conversation otherwise.
    const threaded = await findThreadedConversation(tx, tenantId, m);
    let conv: any;
    // The customer's open conversation is locked and brought up to date in one statement: a customer
    // writing again wakes a pending or snoozed conversation. (Most inbound traffic ends up here.)
    const { rows: [open] } = await tx.query(
      `UPDATE inbox_conversations SET status = 'open', snoozed_until = NULL, last_channel_id = $3, last_channel_kind = $4, last_inbound_at = $5, last_message_at = $5, updated_at = $5
        WHERE tenant_id = $1 AND customer_id = $2 AND status <> 'resolved' RETURNING *`,
      [tenantId, customerId, m.channel.id, m.channel.kind, at],
    );
    const wokenUp = Boolean(open);
    if (open) conv = open;
    else if (threaded && threaded.customer_id === customerId && !threaded.merged_into) {
      const { rows: [re] } = await tx.query(
        `UPDATE inbox_conversations SET status = 'open', resolved_at = NULL, snoozed_until = NULL, updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'resolved' RETURNING *`,
        [tenantId, threaded.id, at],
      );
      conv = re;
      if (conv) {
        await deps.events.append(tx, tenantId, [{ customerId, type: 'conversation.reopened', source: 'inbox', occurredAt: at, properties: { conversation_id: conv.id, channel: m.channel.kind } }]);
        fx.feed.push({ type: 'conversation.reopened', tenantId, conversationId: conv.id, teamId: conv.team_id, assigneeId: conv.assignee_id, data: { customer_id: customerId } });
        await startSla(tx, tenantId, conv.id, conv.team_id, conv.priority, at, fx);
      }
    }

    let isNew = false;
    if (!conv) {
      const summary = await deps.customers.getSummary(tx, tenantId, customerId);
      const { rows: [signals] } = await tx.query('SELECT tier FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $2', [tenantId, customerId]);
      const language = m.language ?? guessLanguage(`${m.subject ?? ''} ${m.text}`, summary?.language ?? null);
      const route = await chooseRoute(tx, tenantId, {
        channel: m.channel.kind, language, text: `${m.subject ?? ''}\n${m.text}`, isCore: summary?.isCore ?? false, clv: summary?.clv ?? null, tier: signals?.tier ?? null, at,
      });
      // Core customers are served first even when no rule says so.
      const priority: Priority = route?.priority ?? (summary?.isCore ? 'high' : 'normal');
      const id = newId('cnv');
      const ins = await tx.query(
        `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, priority, subject, language, routing_rule_id, last_channel_id, last_channel_kind, reply_token, last_inbound_at, last_message_at, created_at, updated_at)
         VALUES ($1,$2,$3,'open',$4,$5,$6,$7,$8,$9,$10,$11,$11,$11,$11)
         ON CONFLICT (tenant_id, customer_id) WHERE status <> 'resolved' DO NOTHING RETURNING *`,
        [tenantId, id, customerId, priority, m.subject?.slice(0, 500) ?? null, language, route?.ruleId ?? null, m.channel.id, m.channel.kind, randomToken(12).replace(/[-_]/g, 'x').toLowerCase(), at],
      );
      if (ins.rows[0]) {
        conv = ins.rows[0];
        isNew = true;
        await deps.events.append(tx, tenantId, [{ id: `inbox:${id}:opened`, customerId, type: 'conversation.opened', source: 'inbox', occurredAt: at, properties: { conversation_id: id, channel: m.channel.kind, priority } }]);
        fx.feed.push({ type: 'conversation.created', tenantId, conversationId: id, teamId: route?.teamId ?? null, assigneeId: null, data: { customer_id: customerId, channel: m.channel.kind, priority, subject: conv.subject } });
        const agentId = await assignWithinTeam(tx, tenantId, id, route?.teamId ?? null, 'routing', fx, at);
        conv.team_id = route?.teamId ?? null;
        conv.assignee_id = agentId;
        await startSla(tx, tenantId, id, conv.team_id, priority, at, fx);
      } else {
        // Another message of this customer opened it a moment ago.
        conv = (await tx.query(`SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = $2 AND status <> 'resolved' FOR UPDATE`, [tenantId, customerId])).rows[0];
      }
    }
    if (!isNew) await startNextResponse(tx, tenantId, conv, at, fx);
    if (!isNew && !wokenUp) {
      await tx.query(
        `UPDATE inbox_conversations SET status = 'open', snoozed_until = NULL, last_channel_id = $3, last_channel_kind = $4, last_inbound_at = $5, last_message_at = $5, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
        [tenantId, conv.id, m.channel.id, m.channel.kind, at],
      );
    }

    const messageId = newId('msg');
    const meta = { ...(m.meta ?? {}), reply_address: m.replyAddress, ...(m.senderName ? { sender_name: m.senderName } : {}) };
    const inserted = await tx.query(
      `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, html, subject, external_id, meta, created_at)
       VALUES ($1,$2,$3,$4,'in',$5,$6,'customer',$7,$8,$9,$10,$11,$12) ON CONFLICT (tenant_id, channel_id, external_id) DO NOTHING`,
      [tenantId, messageId, conv.id, customerId, m.channel.kind, m.channel.id, m.text, m.html ?? null, m.subject ?? null, m.externalId ?? null, JSON.stringify(meta), at],
    );
    if (!inserted.rowCount) {
      // The same delivery raced in on another connection and won; roll back what this one did.
      throw Object.assign(new Error('duplicate delivery'), { code: 'INBOX_DUPLICATE' });
    }
    for (const a of m.attachments ?? []) {
      await tx.query(
        'INSERT INTO inbox_attachments (tenant_id, id, message_id, filename, content_type, size, content_id, content, url) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
        [tenantId, newId('att'), messageId, a.filename ?? null, a.contentType, a.size ?? a.content?.length ?? 0, a.contentId ?? null, a.content ?? null, a.url ?? null],
      );
    }
    await deps.events.append(tx, tenantId, [{
      id: `inbox:${messageId}`, customerId, type: 'message.received', source: 'inbox', occurredAt: at,
      properties: { conversation_id: conv.id, message_id: messageId, channel: m.channel.kind, text: m.text.slice(0, 1000), ...(m.subject ? { subject: m.subject } : {}) },
    }]);
    fx.feed.push({
      type: 'message.created', tenantId, conversationId: conv.id, teamId: conv.team_id, assigneeId: conv.assignee_id,
      data: { message_id: messageId, customer_id: customerId, direction: 'in', channel: m.channel.kind, text: m.text.slice(0, 4000), subject: m.subject ?? null, at: at.toISOString() },
    });
    fx.bus.push({ type: 'message.received', tenantId, payload: { conversationId: conv.id, messageId, customerId, channel: m.channel.kind, text: m.text, isNewConversation: isNew } });
    return { status: 'accepted', messageId, conversationId: conv.id, customerId, isNewConversation: isNew };
  }).catch(async (err) => {
    if ((err as { code?: string }).code !== 'INBOX_DUPLICATE') throw err;
    const { rows: [dup] } = await deps.pool.query('SELECT id, conversation_id, customer_id FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $2 AND external_id = $3', [tenantId, m.channel.id, m.externalId]);
    fx.feed.length = 0; fx.bus.length = 0; fx.timers.length = 0;
    return { status: 'duplicate' as const, messageId: dup.id, conversationId: dup.conversation_id, customerId: dup.customer_id, isNewConversation: false };
  });
  if (merges.length) deps.customers.publishMerges(tenantId, merges);
  await releaseEffects(deps, fx);
  return result;
}
