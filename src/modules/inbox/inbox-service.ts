// The inbox service: channels, conversations, agents and teams, routing, SLA timers and the agent
// feed, wired with their context. The routes and webhooks call into this; other modules get the
// bus messages message.received and conversation.resolved.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { users } from '../../platform/schema.js';
import type { CustomersService } from '../customers/index.js';
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
import { updateConversation, type ConversationPatch } from './update-conversation.js';
import { assign } from './assign-conversation.js';
import { mergeConversations } from './merge-conversations.js';
import { pickConversation } from './pick-conversation.js';
import { transferConversation } from './transfer-conversation.js';
import { wakeSnoozed } from './wake-snoozed.js';
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
import { createReplyHandler, REPLY_KIND } from './deliver-reply.js';
import { continueByEmail, runContinueByEmail, CONTINUE_BY_EMAIL_QUEUE } from './continue-by-email.js';
import { receiveAutomated, type AutomatedMail } from './receive-automated.js';
import { recordWechatEvent } from './record-wechat-event.js';
import { identifyVisitor, type VisitorIdentityKind } from './identify-visitor.js';
import { useNonceOnce, releaseNonce, type NonceUse } from '../../platform/replay-guard.js';
import type { Channel } from './manage-channels.js';
import { registerCustomerHooks } from './customer-hooks.js';
import { recordCustomerSignals } from './customer-signals.js';
import { replyDelivery } from './reply-delivery.js';
import { webchatVisitors } from './webchat-visitors.js';

export interface InboxOptions {
  /** Deliver feed events to other nodes through LISTEN/NOTIFY (default on). */
  crossNode?: boolean;
  /** Installation key for sealing channel secrets (RAPPORT_SECRET_KEY). */
  secretKey?: string;
  /** Start the inbound SMTP listener on this port (RAPPORT_SMTP_PORT). */
  smtpPort?: number;
}

export function createInboxService(
  ctx: ModuleContext & { customers: CustomersService; events: EventsService } & Pick<InboxDeps, 'openCasesOf' | 'lastFeedbackOf'>,
  opts: InboxOptions = {},
) {
  const { db, customers, events, bus, log, openCasesOf, lastFeedbackOf } = ctx;
  const pool = db.pool;
  const box = createSecretBox(loadSecretKey(opts.secretKey ?? process.env.RAPPORT_SECRET_KEY, ctx.config.dataDir));
  const channels = createChannelStore(pool, box);
  const feed = createAgentFeed({ url: db.url, log, crossNode: opts.crossNode ?? true });
  const deps: InboxDeps = {
    pool,
    customers,
    events,
    bus,
    jobs: ctx.jobs,
    feed,
    channels,
    log,
    clock: ctx.clock,
    mailer: ctx.mailer,
    outbox: ctx.outbox,
    openCasesOf,
    lastFeedbackOf,
  };
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
  registerCustomerHooks(deps);
  recordCustomerSignals(deps);

  // Every inbound message, whatever its channel, goes through one group-commit queue.
  const inbound = createInboundQueue((tenantId, messages) => receiveMessages(deps, tenantId, messages));
  const receive = (m: InboundMessage) => (m.automated ? receiveAutomated(deps, m as InboundMessage & { automated: AutomatedMail }) : inbound.submit(m));

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
    ...replyDelivery(deps),
    ...webchatVisitors(deps),
    /** Sends outside any conversation (outreach) through the tenant's enabled channel of this kind. */
    sendOutbound: (tenantId: string, kind: OutboundKind, req: OutboundRequest) => sendOutbound({ channels, adapters }, tenantId, kind, req),
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
          ? (await queryRow(pool, rowOf(users, ['locale']), 'SELECT locale FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, actor.id]))?.locale
          : undefined);
      return getAgentContext(deps, tenantId, id, actor, hintLanguageOf(asked));
    },

    /** Mails the conversation's web chat replies left unseen past the channel's delay (the job's work, callable at once). */
    continueByEmail: (tenantId: string, conversationId: string) => continueByEmail(deps, tenantId, conversationId),

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
