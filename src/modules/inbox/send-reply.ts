// An agent's reply or private note. A reply goes out on the channel the customer last wrote on unless
// the agent picks another, to the address the customer used there; it is stored before it is sent
// and its delivery status recorded after, so a provider failure never loses the agent's text.
import { withTransaction } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { Actor } from '../../platform/audit.js';
import { newEffects, releaseEffects, type InboxDeps } from './effects.js';
import { recordAgentResponse } from './sla-timers.js';
import type { ChannelAdapter } from './channels/adapter.js';
import { REPLY_KIND, type ReplyPayload } from './deliver-reply.js';
import type { ChannelKind } from './manage-channels.js';
import { conversationNotFound, channelNotFound, noRecipient, cannedReplyNotFound, agentNotFound } from './errors.js';
import { ConversationRow } from './read-conversations.js';
import { inboxAgents, inboxCannedReplies, inboxConversations, inboxMessages } from './schema.js';

const ReplyTarget = rowOf(inboxConversations, ['id', 'customer_id', 'last_channel_id']);
const LastInbound = rowOf(inboxMessages, ['meta', 'external_id', 'subject']);
/** What an inbound message's meta says of where to answer (channels/*.ts write it). */
type ReplyMeta = { reply_address?: string; references?: string[] };
const NoteTarget = rowOf(inboxConversations, ['id', 'customer_id', 'team_id', 'assignee_id']);

export interface ReplyInput {
  text?: string;
  html?: string;
  channel_id?: string;
  agent_id?: string;
  canned_reply_id?: string;
}

const IDENTITY_FOR: Record<ChannelKind, string> = {
  email: 'email',
  sms: 'phone',
  whatsapp: 'phone',
  wechat: 'wechat_openid',
  webchat: 'anonymous_id',
  api: 'external_id',
};

/** {{customer.name}}, {{agent.name}}, {{conversation.id}}; unknown variables are left empty. */
export function renderTemplate(body: string, vars: Record<string, string | null | undefined>): string {
  return body.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (_, k: string) => vars[k] ?? '');
}

export async function sendReply(
  deps: InboxDeps & { adapters: Record<ChannelKind, ChannelAdapter> },
  tenantId: string,
  conversationId: string,
  input: ReplyInput,
  actor: Actor,
) {
  const fx = newEffects();
  const at = deps.clock.now();
  // Everything read from the pool happens before the transaction opens: on the embedded database a
  // second connection's query waits for the open transaction, which would wait for it in turn.
  const c0 = await queryRow(deps.pool, ReplyTarget, 'SELECT id, customer_id, last_channel_id FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    conversationId,
  ]);
  if (!c0) throw conversationNotFound();
  const channelId = input.channel_id ?? c0.last_channel_id;
  const channel = channelId ? await deps.channels.get(tenantId, channelId, { fresh: true }) : undefined;
  if (!channel) throw channelNotFound(channelId ? 'No such channel' : 'The conversation has no channel yet; pick one');
  // Where the customer can be reached on it: the address of their last message there, else their profile.
  const last = await queryRow(
    deps.pool,
    LastInbound,
    `SELECT meta, external_id, subject FROM inbox_messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND channel_id = $3 ORDER BY created_at DESC LIMIT 1`,
    [tenantId, c0.id, channel.id],
  );
  const lastMeta = last?.meta as ReplyMeta | undefined;
  let to: string | undefined = lastMeta?.reply_address;
  if (!to) {
    const profile = await deps.customers.getCustomer(tenantId, c0.customer_id, actor).catch(() => undefined);
    const kind = IDENTITY_FOR[channel.kind];
    to = (profile as { identities?: { kind: string; value: string }[] } | undefined)?.identities?.find((i) => i.kind === kind)?.value;
  }
  if (!to) throw noRecipient(`The customer has no ${IDENTITY_FOR[channel.kind]} to reach on this ${channel.kind} channel`);
  const prepared = await withTransaction(deps.pool, async (tx) => {
    fx.feed.length = 0;
    fx.bus.length = 0;
    fx.timers.length = 0;
    const c = await queryRow(tx, ConversationRow, 'SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, conversationId]);
    if (!c) throw conversationNotFound();
    let agentName: string | null = null;
    if (input.agent_id) {
      const a = await queryRow(tx, rowOf(inboxAgents, ['name']), 'SELECT name FROM inbox_agents WHERE tenant_id = $1 AND id = $2', [tenantId, input.agent_id]);
      if (!a) throw agentNotFound();
      agentName = a.name;
    }
    let text = input.text ?? '';
    if (input.canned_reply_id) {
      const cr = await queryRow(tx, rowOf(inboxCannedReplies, ['body']), 'SELECT body FROM inbox_canned_replies WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        input.canned_reply_id,
      ]);
      if (!cr) throw cannedReplyNotFound();
      const summary = await deps.customers.getSummary(tx, tenantId, c.customer_id);
      text = renderTemplate(cr.body, { 'customer.name': summary?.name, 'agent.name': agentName, 'conversation.id': c.id }) + (text ? `\n${text}` : '');
    }
    const messageId = newId('msg');
    const domain = channel.kind === 'email' ? String(channel.settings.address).split('@')[1] : '';
    const externalId = channel.kind === 'email' ? `<${messageId}@${domain}>` : null;
    const inReplyTo = channel.kind === 'email' ? (last?.external_id ?? null) : null;
    const references = channel.kind === 'email' ? [...(lastMeta?.references ?? []), ...(inReplyTo ? [inReplyTo] : [])].slice(-20) : [];
    const subject = channel.kind === 'email' ? (last?.subject ?? c.subject ?? null) : null;
    await tx.query(
      `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, author_id, text, html, subject, external_id, meta, delivery_status, created_at)
       VALUES ($1,$2,$3,$4,'out',$5,$6,'agent',$7,$8,$9,$10,$11,$12,'queued',$13)`,
      [
        tenantId,
        messageId,
        c.id,
        c.customer_id,
        channel.kind,
        channel.id,
        input.agent_id ?? actor.id,
        text,
        input.html ?? null,
        subject,
        externalId,
        JSON.stringify({ to, ...(inReplyTo ? { in_reply_to: inReplyTo, references } : {}) }),
        at,
      ],
    );
    await recordAgentResponse(tx, tenantId, c.id, at);
    await tx.query('UPDATE inbox_conversations SET last_message_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, c.id, at]);
    await deps.events.append(tx, tenantId, [
      {
        id: `inbox:${messageId}`,
        customerId: c.customer_id,
        type: 'message.sent',
        source: 'inbox',
        occurredAt: at,
        properties: { conversation_id: c.id, message_id: messageId, channel: channel.kind, text: text.slice(0, 1000), agent_id: input.agent_id ?? null },
      },
    ]);
    fx.feed.push({
      type: 'message.created',
      tenantId,
      conversationId: c.id,
      teamId: c.team_id,
      assigneeId: c.assignee_id,
      data: {
        message_id: messageId,
        direction: 'out',
        channel: channel.kind,
        text: text.slice(0, 4000),
        agent_id: input.agent_id ?? null,
        at: at.toISOString(),
      },
    });
    await deps.outbox.enqueue(tx, { tenantId, id: messageId, kind: REPLY_KIND, payload: { conversation_id: c.id } satisfies ReplyPayload });
    return { messageId, out: { to: to!, text } };
  });
  await releaseEffects(deps, fx);
  // The first attempt is made at once, so the agent sees at once whether it left; the outbox retries
  // what failed for a reason worth retrying, and tells the conversation of each change.
  const state = await deps.outbox.dispatch(tenantId, prepared.messageId, { inline: true });
  if (state?.status === 'failed' || state?.status === 'queued') {
    deps.log.warn(
      { tenant: tenantId, conversation: conversationId, channel: channel.kind, err: state.last_error, retry_at: state.next_attempt_at },
      'reply not delivered',
    );
  }
  return {
    id: prepared.messageId,
    delivery_status: state?.status ?? 'queued',
    delivery_error: state?.status === 'sent' || state?.status === 'delivered' ? null : (state?.last_error ?? null),
    next_attempt_at: state?.next_attempt_at ?? null,
    channel_id: channel.id,
    to: prepared.out.to,
    text: prepared.out.text,
  };
}

export async function addNote(deps: InboxDeps, tenantId: string, conversationId: string, input: { text: string; agent_id?: string }, actor: Actor) {
  const fx = newEffects();
  const at = deps.clock.now();
  const id = await withTransaction(deps.pool, async (tx) => {
    fx.feed.length = 0;
    const c = await queryRow(tx, NoteTarget, 'SELECT id, customer_id, team_id, assignee_id FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      conversationId,
    ]);
    if (!c) throw conversationNotFound();
    if (input.agent_id) {
      const { rowCount } = await tx.query('SELECT 1 FROM inbox_agents WHERE tenant_id = $1 AND id = $2', [tenantId, input.agent_id]);
      if (!rowCount) throw agentNotFound();
    }
    const messageId = newId('msg');
    // Private notes stay inside the team: on the conversation, never on the customer's timeline.
    await tx.query(
      `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, author_type, author_id, text, created_at) VALUES ($1,$2,$3,$4,'note','agent',$5,$6,$7)`,
      [tenantId, messageId, c.id, c.customer_id, input.agent_id ?? actor.id, input.text, at],
    );
    fx.feed.push({
      type: 'note.created',
      tenantId,
      conversationId: c.id,
      teamId: c.team_id,
      assigneeId: c.assignee_id,
      data: { message_id: messageId, text: input.text.slice(0, 4000) },
    });
    return messageId;
  });
  await releaseEffects(deps, fx);
  return { id };
}
