// The inbox service: channels, conversations, agents and teams, routing, SLA timers and the agent
// feed, wired with their context. The routes and webhooks call into this; other modules get the
// bus messages message.received and conversation.resolved.
import { perTenant, type BusMessage } from '../../platform/bus.js';
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import type { CustomersService, CustomerErased } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { createAgentFeed } from './agent-feed.js';
import { createSecretBox, loadSecretKey } from '../../platform/secret-box.js';
import { createChannelStore, type ChannelKind, type ChannelInput, type ChannelPatch } from './manage-channels.js';
import { SLA_QUEUE, type InboxDeps, type SlaTarget } from './effects.js';
import { receiveMessages, type InboundMessage } from './receive-message.js';
import { createInboundQueue } from './inbound-queue.js';
import { sendReply, addNote, type ReplyInput } from './send-reply.js';
import { sendOutbound, type OutboundKind, type OutboundRequest } from './send-outbound.js';
import { startConversation, type StartConversationInput } from './start-conversation.js';
import {
  updateConversation,
  assign,
  mergeConversations,
  pickConversation,
  transferConversation,
  wakeSnoozed,
  mergeInto,
  type ConversationPatch,
} from './manage-conversation.js';
import { checkSla, sweepSla } from './sla-timers.js';
import {
  createAgent,
  updateAgent,
  getAgent,
  listAgents,
  createTeam,
  updateTeam,
  getTeam,
  listTeams,
  type AgentInput,
  type AgentPatch,
  type TeamInput,
  type TeamPatch,
} from './manage-agents.js';
import {
  createRoutingRule,
  listRoutingRules,
  getRoutingRule,
  updateRoutingRule,
  deleteRoutingRule,
  type RoutingRuleInput,
  type RoutingRulePatch,
} from './manage-routing-rules.js';
import { createSlaPolicy, listSlaPolicies, getSlaPolicy, deleteSlaPolicy, type SlaPolicyInput } from './manage-sla-policies.js';
import { createCannedReply, listCannedReplies, deleteCannedReply, type CannedReplyInput } from './manage-canned-replies.js';
import { listConversations, getConversation, listMessages, listAssignments, getAttachment, type ConversationQuery } from './read-conversations.js';
import { getAgentContext, hintLanguageOf } from './agent-context.js';
import { startSmtpListener, type SmtpListener } from './smtp-listener.js';
import { createEmailAdapter } from './channels/email.js';
import { createTwilioAdapter } from './channels/twilio.js';
import { createWechatAdapter } from './channels/wechat.js';
import { createApiAdapter } from './channels/api.js';
import { createWebchatAdapter } from './channels/webchat.js';
import type { ChannelAdapter } from './channels/adapter.js';
import { newEffects } from './effects.js';
import { safeEqual, visitorToken } from './verify-signatures.js';
import { createReplyHandler, REPLY_KIND } from './deliver-reply.js';
import { continueByEmail, runContinueByEmail, CONTINUE_BY_EMAIL_QUEUE } from './continue-by-email.js';
import { messageNotFound } from './errors.js';
import { receiveAutomated, type AutomatedMail } from './receive-automated.js';
import { recordWechatEvent } from './record-wechat-event.js';
import { identifyVisitor, type VisitorIdentityKind } from './identify-visitor.js';
import { useNonceOnce, releaseNonce, type NonceUse } from '../../platform/replay-guard.js';
import type { Channel } from './manage-channels.js';

export interface InboxOptions {
  /** Deliver feed events to other nodes through LISTEN/NOTIFY (default on). */
  crossNode?: boolean;
  /** Installation key for sealing channel secrets (RAPPORT_SECRET_KEY). */
  secretKey?: string;
  /** Start the inbound SMTP listener on this port (RAPPORT_SMTP_PORT). */
  smtpPort?: number;
}

/** A web chat visitor whose socket just opened; send() writes one frame to that socket. */
export interface ConnectedVisitor {
  tenantId: string;
  channelId: string;
  anonymousId: string;
  send(frame: Record<string, unknown>): void;
}
export type VisitorHook = (v: ConnectedVisitor) => Promise<void>;

export function createInboxService(ctx: ModuleContext & { customers: CustomersService; events: EventsService }, opts: InboxOptions = {}) {
  const { db, customers, events, bus, log } = ctx;
  const pool = db.pool;
  const box = createSecretBox(loadSecretKey(opts.secretKey ?? process.env.RAPPORT_SECRET_KEY, ctx.config.dataDir));
  const channels = createChannelStore(pool, box);
  const feed = createAgentFeed({ url: db.url, log, crossNode: opts.crossNode ?? true });
  const deps: InboxDeps = { pool, customers, events, bus, jobs: ctx.jobs, feed, channels, log, clock: ctx.clock, mailer: ctx.mailer, outbox: ctx.outbox };
  const twilioSend = createTwilioAdapter(ctx.config.publicUrl, ctx.egress);
  const adapters: Record<ChannelKind, ChannelAdapter> = {
    email: createEmailAdapter(ctx.mailer),
    sms: twilioSend,
    whatsapp: twilioSend,
    wechat: createWechatAdapter(ctx.egress),
    api: createApiAdapter(ctx.clock, ctx.egress),
    webchat: createWebchatAdapter(feed),
  };
  let smtp: SmtpListener | undefined;
  ctx.outbox.register(REPLY_KIND, createReplyHandler(deps, adapters));

  // Customer merges: the merged profile's conversations and messages follow it to the survivor; if
  // both had an open conversation they become one.
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    const { rows } = await tx.query(
      `SELECT * FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status <> 'resolved' ORDER BY created_at FOR UPDATE`,
      [tenantId, [survivorId, mergedId]],
    );
    const survivorOpen = rows.find((r) => r.customer_id === survivorId);
    const mergedOpen = rows.find((r) => r.customer_id === mergedId);
    if (survivorOpen && mergedOpen) await mergeInto(tx, tenantId, survivorOpen, mergedOpen, 'system:customer_merge', newEffects(), deps.clock.now());
    await tx.query('UPDATE inbox_conversations SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE inbox_messages SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query(
      `INSERT INTO inbox_customer_signals (tenant_id, customer_id, open_cases, last_feedback, tier)
       SELECT tenant_id, $2, open_cases, last_feedback, tier FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $3
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET open_cases = inbox_customer_signals.open_cases || excluded.open_cases,
         last_feedback = coalesce(inbox_customer_signals.last_feedback, excluded.last_feedback), tier = coalesce(inbox_customer_signals.tier, excluded.tier)`,
      [tenantId, survivorId, mergedId],
    );
    await tx.query('DELETE FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  });

  // Erasure: message contents, subjects, addresses and attachments go; the conversation skeleton
  // (times, statuses, SLA figures) stays for the operations reports.
  customers.onErase(async (tx, tenantId, customerIds) => {
    await tx.query(
      `DELETE FROM inbox_attachments WHERE tenant_id = $1 AND message_id IN (SELECT id FROM inbox_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]))`,
      [tenantId, customerIds],
    );
    // A provider's message id often carries the sender's address (a Message-ID's local part, a chat's
    // anonymous id): it is kept only as a hash, which still recognises a late retry of the same message.
    // A failed reply's reason can name the recipient ("invalid 'To' number +86…"), here and in the outbox.
    const { rows: messages } = await tx.query(
      `UPDATE inbox_messages SET text = '', html = NULL, subject = NULL, meta = '{}', delivery_error = NULL,
              external_id = CASE WHEN external_id IS NULL OR external_id LIKE 'erased:%' THEN external_id ELSE 'erased:' || md5(external_id) END
        WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, customerIds],
    );
    await ctx.outbox.forget(
      tx,
      tenantId,
      messages.map((m) => m.id as string),
    );
    const { rows: conversations } = await tx.query(
      `UPDATE inbox_conversations SET subject = NULL, tags = '{}' WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, customerIds],
    );
    await tx.query('DELETE FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, customerIds]);
    return conversations.map((c) => c.id as string);
  });

  // An erased customer is no longer someone to answer: their open conversations are resolved (no CSAT),
  // which frees the agents holding them and stops the SLA timers.
  bus.subscribe('customer.erased', async (msg) => {
    const { customerIds } = msg.payload as CustomerErased;
    const { rows } = await pool.query(`SELECT id FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status <> 'resolved'`, [
      msg.tenantId,
      customerIds,
    ]);
    for (const c of rows) await updateConversation(deps, msg.tenantId, c.id, { status: 'resolved', request_csat: false }, { type: 'system', id: 'erasure' });
  });

  customers.addExportSection('conversations', async (tenantId, customerIds) => {
    const { rows: convs } = await pool.query(
      'SELECT id, status, priority, subject, last_channel_kind, created_at, resolved_at FROM inbox_conversations WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at',
      [tenantId, customerIds],
    );
    const { rows: msgs } = await pool.query(
      `SELECT id, conversation_id, direction, channel_kind, text, subject, created_at FROM inbox_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND direction <> 'note' ORDER BY created_at`,
      [tenantId, customerIds],
    );
    return convs.map((c) => ({ ...c, messages: msgs.filter((m) => m.conversation_id === c.id) }));
  });

  // What other modules tell us about a customer, for routing and agent hints. Each handler is keyed
  // on the source id, so a replay changes nothing.
  const upsertSignals = (tenantId: string, customerId: string, set: string, args: unknown[]) =>
    pool
      .query(`INSERT INTO inbox_customer_signals (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;`, [tenantId, customerId])
      .then(() =>
        pool.query(`UPDATE inbox_customer_signals SET ${set}, updated_at = now() WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, customerId, ...args]),
      );
  // Cases and responses arrive in batches (many submissions commit together): one upsert per batch,
  // rows in customer order so two batches lock them in the same order.
  const upsertSignalsMany = (tenantId: string, byCustomer: Map<string, unknown>, column: 'open_cases' | 'last_feedback', merge: string) => {
    const rows = [...byCustomer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pool.query(
      `INSERT INTO inbox_customer_signals (tenant_id, customer_id, ${column}) SELECT $1, s.customer_id, s.value::jsonb FROM unnest($2::text[], $3::text[]) AS s(customer_id, value)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET ${column} = ${merge}, updated_at = now()`,
      [tenantId, rows.map(([c]) => c), rows.map(([, v]) => JSON.stringify(v))],
    );
  };
  bus.subscribeBatch('case.opened', (msgs) =>
    perTenant(msgs, (tenantId, list) => {
      const byCustomer = new Map<string, Record<string, { type: string }>>();
      for (const { payload: p } of list as BusMessage<{ caseId: string; customerId?: string; type: string }>[]) {
        if (p.customerId) byCustomer.set(p.customerId, { ...byCustomer.get(p.customerId), [p.caseId]: { type: p.type } });
      }
      return byCustomer.size
        ? upsertSignalsMany(tenantId, byCustomer, 'open_cases', 'inbox_customer_signals.open_cases || excluded.open_cases')
        : Promise.resolve();
    }),
  );
  bus.subscribe('case.resolved', async (msg) => {
    const p = msg.payload as { caseId: string; customerId?: string };
    if (p.customerId) await upsertSignals(msg.tenantId, p.customerId, 'open_cases = open_cases - $3::text', [p.caseId]);
  });
  bus.subscribeBatch('feedback.response.submitted', (msgs) =>
    perTenant(msgs, (tenantId, list) => {
      // A customer's latest response in the batch is their last feedback.
      const byCustomer = new Map<string, unknown>();
      for (const { payload: p } of list as BusMessage<{ responseId: string; customerId: string; kind: string; score: number; text?: string }>[]) {
        if (p.customerId) byCustomer.set(p.customerId, { response_id: p.responseId, kind: p.kind, score: p.score, text: p.text?.slice(0, 500) ?? null });
      }
      return byCustomer.size ? upsertSignalsMany(tenantId, byCustomer, 'last_feedback', 'excluded.last_feedback') : Promise.resolve();
    }),
  );
  bus.subscribe('loyalty.tier.changed', async (msg) => {
    const p = msg.payload as { customerId: string; to: string };
    if (p.customerId) await upsertSignals(msg.tenantId, p.customerId, 'tier = $3', [p.to]);
  });

  // Every inbound message, whatever its channel, goes through one group-commit queue.
  const inbound = createInboundQueue((tenantId, messages) => receiveMessages(deps, tenantId, messages));
  const receive = (m: InboundMessage) => (m.automated ? receiveAutomated(deps, m as InboundMessage & { automated: AutomatedMail }) : inbound.submit(m));

  // Other modules speak to a web chat visitor (a survey pop-in in the widget) through these two doors:
  // a hook when a visitor's socket opens, and a frame sent to the visitor of a conversation.
  const visitorHooks: VisitorHook[] = [];
  async function visitorConnected(v: ConnectedVisitor) {
    for (const hook of visitorHooks) {
      try {
        await hook(v);
      } catch (err) {
        log.warn({ err: (err as Error).message, channel: v.channelId }, 'web chat visitor hook failed');
      }
    }
  }

  return {
    feed,
    channels,
    adapters,
    log,
    clock: ctx.clock,

    createChannel: (tenantId: string, input: ChannelInput) => channels.create(tenantId, input),
    updateChannel: (tenantId: string, id: string, patch: ChannelPatch) => channels.update(tenantId, id, patch),
    listChannels: (tenantId: string) => channels.list(tenantId),
    getChannel: (tenantId: string, id: string) => channels.require(tenantId, id),
    removeChannel: (tenantId: string, id: string) => channels.remove(tenantId, id),

    receive,
    recordWechatEvent: (channel: Channel, x: Record<string, string>) => recordWechatEvent(deps, channel, x),
    /** Undefined when the visitor is now the customer with this identity; otherwise why not. */
    identifyVisitor: (channel: Channel, anonymousId: string, kind: VisitorIdentityKind, value: string) =>
      identifyVisitor(deps, channel, anonymousId, kind, value),
    /** True the first time a webhook's nonce is seen (see platform/replay-guard.ts). */
    useWebhookNonce: (use: Omit<NonceUse, 'now'>) => useNonceOnce(pool, { ...use, now: ctx.clock.now() }),
    releaseWebhookNonce: (use: Pick<NonceUse, 'tenantId' | 'scope' | 'nonce'>) => releaseNonce(pool, use),
    reply: (tenantId: string, id: string, input: ReplyInput, actor: Actor) => sendReply({ ...deps, adapters }, tenantId, id, input, actor),
    /** An agent writes first: the message opens the customer's conversation (or joins the open one). */
    startConversation: (tenantId: string, input: StartConversationInput, actor: Actor) => startConversation({ ...deps, adapters }, tenantId, input, actor),
    /** Sends outside any conversation (outreach) through the tenant's enabled channel of this kind. */
    sendOutbound: (tenantId: string, kind: OutboundKind, req: OutboundRequest) => sendOutbound({ channels, adapters }, tenantId, kind, req),
    /** A reply that failed (or waits for its next retry) tried again now, with a fresh retry time. */
    async resend(tenantId: string, conversationId: string, messageId: string) {
      const {
        rows: [m],
      } = await pool.query(`SELECT id FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND conversation_id = $3 AND direction = 'out'`, [
        tenantId,
        messageId,
        conversationId,
      ]);
      if (!m) throw messageNotFound();
      const state = await ctx.outbox.resend(tenantId, messageId, { inline: true });
      if (!state) throw messageNotFound('This message was not sent through the outbox');
      return state;
    },
    /** The delivery story of an outbound message: its status and every attempt. */
    async deliveryOf(tenantId: string, conversationId: string, messageId: string) {
      const {
        rows: [m],
      } = await pool.query(`SELECT id FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND conversation_id = $3 AND direction = 'out'`, [
        tenantId,
        messageId,
        conversationId,
      ]);
      const state = m ? await ctx.outbox.get(tenantId, messageId) : undefined;
      if (!state) throw messageNotFound();
      return state;
    },
    addNote: (tenantId: string, id: string, input: { text: string; agent_id?: string }, actor: Actor) => addNote(deps, tenantId, id, input, actor),
    updateConversation: (tenantId: string, id: string, patch: ConversationPatch, actor: Actor) => updateConversation(deps, tenantId, id, patch, actor),
    assign: (tenantId: string, id: string, to: { agent_id?: string | null; team_id?: string | null; force?: boolean }, actor: Actor) =>
      assign(deps, tenantId, id, to, actor),
    pick: (tenantId: string, id: string, agentId: string, actor: Actor) => pickConversation(deps, tenantId, id, agentId, actor),
    transfer: (tenantId: string, id: string, to: { agent_id: string; team_id?: string | null; reason: string; force?: boolean }, actor: Actor) =>
      transferConversation(deps, tenantId, id, to, actor),
    merge: (tenantId: string, targetId: string, sourceId: string, actor: Actor) => mergeConversations(deps, tenantId, targetId, sourceId, actor),
    // A list screen: may read a replica a moment behind (db.read).
    listConversations: (tenantId: string, q: ConversationQuery) => listConversations(ctx.db.read, tenantId, q),
    getConversation: (tenantId: string, id: string) => getConversation(pool, tenantId, id),
    listMessages: (tenantId: string, id: string) => listMessages(pool, tenantId, id),
    listAssignments: (tenantId: string, id: string) => listAssignments(pool, tenantId, id),
    getAttachment: (tenantId: string, id: string) => getAttachment(pool, tenantId, id),
    /** Hints in the language asked, else that of the console user asking, else English. */
    async context(tenantId: string, id: string, actor: Actor, language?: string) {
      const asked =
        language ??
        (actor.type === 'user'
          ? (await pool.query('SELECT locale FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, actor.id])).rows[0]?.locale
          : undefined);
      return getAgentContext(deps, tenantId, id, actor, hintLanguageOf(asked));
    },

    /** A provider's receipt for a message it accepted earlier (Twilio's StatusCallback). */
    recordReceipt: (tenantId: string, providerId: string, receipt: { status: 'delivered' | 'failed'; error?: string }) =>
      ctx.outbox.recordReceipt(tenantId, { providerId }, receipt),
    /** Web chat replies to this visitor not yet confirmed by their widget, oldest first, as the frames the live feed sends. */
    async unconfirmedForVisitor(tenantId: string, channelId: string, anonymousId: string) {
      const { rows } = await pool.query(
        `SELECT id, conversation_id, text, created_at FROM inbox_messages
          WHERE tenant_id = $1 AND channel_id = $2 AND direction = 'out' AND channel_kind = 'webchat' AND meta->>'to' = $3 AND delivery_status IN ('sent','queued','sending')
            AND meta->>'emailed_as' IS NULL
          ORDER BY created_at, id LIMIT 200`,
        [tenantId, channelId, anonymousId],
      );
      return rows.map((m) => ({
        type: 'message',
        conversation_id: m.conversation_id,
        message_id: m.id,
        text: m.text,
        direction: 'out',
        at: m.created_at.toISOString(),
      }));
    },
    /** Mails the conversation's web chat replies left unseen past the channel's delay (the job's work, callable at once). */
    continueByEmail: (tenantId: string, conversationId: string) => continueByEmail(deps, tenantId, conversationId),
    /** The visitor's widget showed this reply: it is delivered, and never sent to them again. */
    async confirmByVisitor(tenantId: string, channelId: string, anonymousId: string, messageId: string) {
      const { rowCount } = await pool.query(
        `SELECT 1 FROM inbox_messages WHERE tenant_id = $1 AND id = $2 AND channel_id = $3 AND direction = 'out' AND meta->>'to' = $4`,
        [tenantId, messageId, channelId, anonymousId],
      );
      if (rowCount) await ctx.outbox.recordReceipt(tenantId, { id: messageId }, { status: 'delivered' });
    },
    onVisitorConnected(hook: VisitorHook) {
      visitorHooks.push(hook);
    },
    /**
     * Whether a visitor token proves this anonymous id: one of the tenant's enabled web chat channels
     * signed it when it issued the id. Other modules (the widget's feedback) honour an anonymous id
     * only with this proof, so that nobody can speak as, or join a profile to, a visitor they are not.
     */
    async isVisitor(tenantId: string, anonymousId: string, token: string): Promise<boolean> {
      const chats = (await channels.list(tenantId)).filter((c) => c.kind === 'webchat' && c.isEnabled && c.secrets.identity_secret);
      return chats.some((c) => safeEqual(visitorToken(c.secrets.identity_secret, anonymousId), token));
    },
    visitorConnected,
    /**
     * Sends a frame to the web chat visitor of a conversation, on whichever node their socket is: the
     * channel and anonymous id of the conversation's last web chat message. False when it has none.
     */
    async sendToVisitor(tenantId: string, conversationId: string, frame: { type: string } & Record<string, unknown>): Promise<boolean> {
      const {
        rows: [m],
      } = await pool.query(
        `SELECT channel_id, meta->>'reply_address' AS anonymous_id FROM inbox_messages
          WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND channel_kind = 'webchat' ORDER BY created_at DESC LIMIT 1`,
        [tenantId, conversationId],
      );
      if (!m?.anonymous_id) return false;
      const { type, ...data } = frame;
      feed.publish([{ type, tenantId, conversationId, visitor: { channelId: m.channel_id, anonymousId: m.anonymous_id }, data }]);
      return true;
    },

    createAgent: (tenantId: string, input: AgentInput) => createAgent(deps, tenantId, input),
    updateAgent: (tenantId: string, id: string, patch: AgentPatch) => updateAgent(deps, tenantId, id, patch),
    getAgent: (tenantId: string, id: string) => getAgent(pool, tenantId, id),
    listAgents: (tenantId: string) => listAgents(pool, tenantId),
    createTeam: (tenantId: string, input: TeamInput) => createTeam(deps, tenantId, input),
    updateTeam: (tenantId: string, id: string, patch: TeamPatch) => updateTeam(deps, tenantId, id, patch),
    getTeam: (tenantId: string, id: string) => getTeam(pool, tenantId, id),
    listTeams: (tenantId: string) => listTeams(pool, tenantId),
    async teamIdsOf(tenantId: string, agentId: string): Promise<string[] | undefined> {
      const a = await getAgent(pool, tenantId, agentId);
      return a?.team_ids;
    },

    createRoutingRule: (tenantId: string, input: RoutingRuleInput) => createRoutingRule(pool, tenantId, input),
    listRoutingRules: (tenantId: string) => listRoutingRules(pool, tenantId),
    getRoutingRule: (tenantId: string, id: string) => getRoutingRule(pool, tenantId, id),
    updateRoutingRule: (tenantId: string, id: string, patch: RoutingRulePatch) => updateRoutingRule(pool, tenantId, id, patch),
    deleteRoutingRule: (tenantId: string, id: string) => deleteRoutingRule(pool, tenantId, id),
    createSlaPolicy: (tenantId: string, input: SlaPolicyInput) => createSlaPolicy(pool, tenantId, input),
    listSlaPolicies: (tenantId: string) => listSlaPolicies(pool, tenantId),
    getSlaPolicy: (tenantId: string, id: string) => getSlaPolicy(pool, tenantId, id),
    deleteSlaPolicy: (tenantId: string, id: string) => deleteSlaPolicy(pool, tenantId, id),
    createCannedReply: (tenantId: string, input: CannedReplyInput) => createCannedReply(pool, tenantId, input),
    listCannedReplies: (tenantId: string, q?: string) => listCannedReplies(pool, tenantId, q),
    deleteCannedReply: (tenantId: string, id: string) => deleteCannedReply(pool, tenantId, id),

    checkSla: (tenantId: string, conversationId: string, target: SlaTarget, stage: 'warning' | 'breach', due: string) =>
      checkSla(deps, tenantId, conversationId, target, stage, due),
    sweepSla: (tenantId?: string) => sweepSla(deps, tenantId),
    wakeSnoozed: () => wakeSnoozed(deps),

    async startSmtp(o: { port: number; host?: string }) {
      smtp = await startSmtpListener({ ...o, log, channels, receive });
      return smtp;
    },

    async start() {
      await feed.start();
      await ctx.jobs.define<{ tenantId: string; conversationId: string; target: SlaTarget; stage: 'warning' | 'breach'; due: string }>(SLA_QUEUE, async (d) => {
        await checkSla(deps, d.tenantId, d.conversationId, d.target, d.stage, d.due);
      });
      await ctx.jobs.define<{ tenantId: string; conversationId: string }>(CONTINUE_BY_EMAIL_QUEUE, async (d) => {
        await runContinueByEmail(deps, d.tenantId, d.conversationId);
      });
      // The safety net: timers lost in a crash, snoozes that ran out.
      await ctx.jobs.define(
        'inbox-minute',
        async () => {
          await sweepSla(deps);
          await wakeSnoozed(deps);
        },
        { cron: '* * * * *' },
      );
      if (opts.smtpPort !== undefined) await this.startSmtp({ port: opts.smtpPort });
    },
    async stop() {
      await smtp?.close();
      await inbound.drain();
      await feed.stop();
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
