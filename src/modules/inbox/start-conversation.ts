// An agent writes first: a shipping problem spotted, a callback promised. The message goes out on the
// channel the agent picks, to the customer's address for it, and lands in the customer's one open
// conversation — a new one when there is none, owned by the agent who wrote. No first-response SLA
// starts: the company has already spoken; the customer's answer starts the usual timers.
import { withTransaction } from '../../platform/db.js';
import { newId, randomToken } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { Actor } from '../../platform/audit.js';
import { customerNotFound } from '../customers/index.js';
import { newEffects, releaseEffects, type InboxDeps } from './effects.js';
import { sendReply } from './send-reply.js';
import { assign } from './assign-conversation.js';
import type { ChannelAdapter } from './channels/adapter.js';
import type { ChannelKind } from './manage-channels.js';
import type { Priority } from './routing-rules.js';
import { agentNotFound, channelNotFound, noRecipient } from './errors.js';
import { inboxConversations } from './schema.js';

const ConversationId = rowOf(inboxConversations, ['id']);

// Where a first message can go: the customer's address of this kind (web chat and API channels reach
// a visitor or a system the customer already used, checked when the message is sent).
const ADDRESS_FOR: Partial<Record<ChannelKind, 'email' | 'sms' | 'wechat'>> = { email: 'email', sms: 'sms', whatsapp: 'sms', wechat: 'wechat' };

export interface StartConversationInput {
  customer_id: string;
  channel_id: string;
  text: string;
  html?: string;
  subject?: string;
  agent_id?: string;
  priority?: Priority;
}

export async function startConversation(
  deps: InboxDeps & { adapters: Record<ChannelKind, ChannelAdapter> },
  tenantId: string,
  input: StartConversationInput,
  actor: Actor,
) {
  const found = await deps.customers.findCustomerId(tenantId, input.customer_id);
  if (!found || found.status !== 'active') throw customerNotFound();
  const channel = await deps.channels.get(tenantId, input.channel_id, { fresh: true });
  if (!channel || !channel.isEnabled) throw channelNotFound();
  const addressKind = ADDRESS_FOR[channel.kind];
  if (addressKind) {
    const profile = (await deps.customers.readContactProfiles(tenantId, [found.id])).get(found.id);
    if (!profile?.addresses[addressKind]) throw noRecipient(`The customer has no address to reach on this ${channel.kind} channel`);
  }
  if (input.agent_id) {
    const { rowCount } = await deps.pool.query('SELECT 1 FROM inbox_agents WHERE tenant_id = $1 AND id = $2', [tenantId, input.agent_id]);
    if (!rowCount) throw agentNotFound();
  }
  const fx = newEffects();
  const at = deps.clock.now();
  const opened = await withTransaction(deps.pool, async (tx) => {
    fx.feed.length = 0;
    fx.bus.length = 0;
    fx.timers.length = 0;
    const id = newId('cnv');
    const priority = input.priority ?? 'normal';
    const ins = await queryRow(
      tx,
      ConversationId,
      `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, priority, subject, last_channel_id, last_channel_kind, reply_token, last_message_at, created_at, updated_at)
       VALUES ($1,$2,$3,'open',$4,$5,$6,$7,$8,$9,$9,$9)
       ON CONFLICT (tenant_id, customer_id) WHERE status <> 'resolved' DO NOTHING RETURNING id`,
      [
        tenantId,
        id,
        found.id,
        priority,
        input.subject?.slice(0, 500) ?? null,
        channel.id,
        channel.kind,
        randomToken(12).replace(/[-_]/g, 'x').toLowerCase(),
        at,
      ],
    );
    if (!ins) {
      // The insert met the customer's open conversation, which the conflict leaves in place.
      const open = await queryRow(tx, ConversationId, `SELECT id FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = $2 AND status <> 'resolved'`, [
        tenantId,
        found.id,
      ]);
      return { id: open!.id, isNew: false };
    }
    await deps.events.append(tx, tenantId, [
      {
        id: `inbox:${id}:opened`,
        customerId: found.id,
        type: 'conversation.opened',
        source: 'inbox',
        occurredAt: at,
        properties: { conversation_id: id, channel: channel.kind, priority, initiated_by: 'agent' },
      },
    ]);
    fx.feed.push({
      type: 'conversation.created',
      tenantId,
      conversationId: id,
      teamId: null,
      assigneeId: null,
      data: { customer_id: found.id, channel: channel.kind, priority, subject: input.subject ?? null, initiated_by: 'agent' },
    });
    return { id, isNew: true };
  });
  await releaseEffects(deps, fx);
  if (opened.isNew && input.agent_id) await assign(deps, tenantId, opened.id, { agent_id: input.agent_id, force: true }, actor, 'started');
  const message = await sendReply(deps, tenantId, opened.id, { text: input.text, html: input.html, channel_id: channel.id, agent_id: input.agent_id }, actor);
  return { conversationId: opened.id, isNew: opened.isNew, message };
}
