// Tables the inbox owns: channels, conversations, messages and their attachments, agents, teams,
// routing rules, SLA policies, canned replies, assignment history and the customer signals it keeps
// from other modules' events. Customer ids are kept as text, never as foreign keys.
import { sql } from 'drizzle-orm';
import { pgTable, pgView, text, timestamp, jsonb, integer, boolean, primaryKey, index, uniqueIndex, foreignKey, customType, check } from 'drizzle-orm/pg-core';

// Machine identifiers compare byte by byte (see migrations/0002): COLLATE "C".
const key = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
// Generic in the name, so each column keeps its own SQL name in its type (typed reads name columns by it).
const tstz = <N extends string>(name: N) => timestamp(name, { withTimezone: true });

export const inboxChannels = pgTable(
  'inbox_channels',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    // webchat | email | sms | whatsapp | wechat | api
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    // Non-secret settings: addresses, app ids, SMTP host, public webhook URL.
    settings: jsonb('settings').notNull().default({}),
    // Provider secrets (auth tokens, signing keys, AES keys), AES-256-GCM encrypted as one JSON object.
    secrets: text('secrets').notNull(),
    // Lower-cased inbound email address, for the SMTP listener and provider webhooks to find the channel.
    inboundAddress: key('inbound_address'),
    isEnabled: boolean('is_enabled').notNull().default(true),
    // A sandbox keeps what it would send (marked sent, with a sandbox: provider id) and contacts no provider.
    isSandbox: boolean('is_sandbox').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('inbox_channels_address_idx').on(t.inboundAddress),
    check('inbox_channels_kind_check', sql`${t.kind} IN ('webchat','email','sms','whatsapp','wechat','api')`),
  ],
);

export const inboxTeams = pgTable(
  'inbox_teams',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    // round_robin | least_loaded
    assignment: text('assignment').notNull().default('round_robin'),
    managerAgentId: key('manager_agent_id'),
    // The agent who got the last round-robin assignment; the next one goes to whoever follows.
    lastAssignedAgentId: key('last_assigned_agent_id'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('inbox_teams_assignment_check', sql`${t.assignment} IN ('round_robin','least_loaded')`)],
);

export const inboxAgents = pgTable(
  'inbox_agents',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    userId: key('user_id'),
    // online | away | offline
    status: text('status').notNull().default('offline'),
    capacity: integer('capacity').notNull().default(5),
    isSenior: boolean('is_senior').notNull().default(false),
    lastAssignedAt: tstz('last_assigned_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    /** Conversations assigned to the agent that are open or pending: kept by triggers (migration 0050), read by routing. */
    openLoad: integer('open_load').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('inbox_agents_status_check', sql`${t.status} IN ('online','away','offline')`),
    check('inbox_agents_capacity_check', sql`${t.capacity} >= 0`),
  ],
);

export const inboxTeamMembers = pgTable(
  'inbox_team_members',
  {
    tenantId: key('tenant_id').notNull(),
    teamId: key('team_id').notNull(),
    agentId: key('agent_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.teamId, t.agentId] }),
    index('inbox_team_members_agent_idx').on(t.tenantId, t.agentId),
    foreignKey({ columns: [t.tenantId, t.teamId], foreignColumns: [inboxTeams.tenantId, inboxTeams.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.agentId], foreignColumns: [inboxAgents.tenantId, inboxAgents.id] }).onDelete('cascade'),
  ],
);

export const inboxRoutingRules = pgTable(
  'inbox_routing_rules',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    // { channels?, languages?, keywords?, is_core?, min_clv?, tiers?, business_hours?: 'open'|'closed', calendar? }
    conditions: jsonb('conditions').notNull().default({}),
    teamId: key('team_id').notNull(),
    priority: text('priority'),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('inbox_routing_rules_position_idx').on(t.tenantId, t.position),
    foreignKey({ columns: [t.tenantId, t.teamId], foreignColumns: [inboxTeams.tenantId, inboxTeams.id] }),
  ],
);

export const inboxSlaPolicies = pgTable(
  'inbox_sla_policies',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    name: text('name').notNull(),
    // Null matches any team / any priority; the most specific policy wins.
    teamId: key('team_id'),
    priority: text('priority'),
    firstResponseMinutes: integer('first_response_minutes'),
    nextResponseMinutes: integer('next_response_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    // Share of the target after which a warning goes out (80 = at 80 % of the time).
    warningPercent: integer('warning_percent').notNull().default(80),
    // { kind: '24x7' } or { kind: 'business_hours', timezone, hours: { "1": ["09:00","18:00"], ... }, holidays: ["2026-10-01"] }
    calendar: jsonb('calendar').notNull().default({ kind: '24x7' }),
    // { reassign?: boolean, notify_manager?: boolean }
    escalation: jsonb('escalation').notNull().default({}),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), check('inbox_sla_policies_warning_check', sql`${t.warningPercent} BETWEEN 1 AND 99`)],
);

export const inboxConversations = pgTable(
  'inbox_conversations',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    customerId: key('customer_id').notNull(),
    // open | pending | snoozed | resolved
    status: text('status').notNull().default('open'),
    snoozedUntil: tstz('snoozed_until'),
    // low | normal | high | urgent
    priority: text('priority').notNull().default('normal'),
    tags: text('tags').array().notNull().default([]),
    subject: text('subject'),
    language: text('language'),
    teamId: key('team_id'),
    assigneeId: key('assignee_id'),
    routingRuleId: key('routing_rule_id'),
    // Where replies go unless the agent picks another channel: the channel the customer last wrote on.
    lastChannelId: key('last_channel_id'),
    lastChannelKind: text('last_channel_kind'),
    // The token of the reply+token email address for this conversation.
    replyToken: key('reply_token').notNull(),
    slaPolicyId: key('sla_policy_id'),
    firstResponseDueAt: tstz('first_response_due_at'),
    nextResponseDueAt: tstz('next_response_due_at'),
    resolutionDueAt: tstz('resolution_due_at'),
    firstRespondedAt: tstz('first_responded_at'),
    // ok | warning | breached; sla_events lists what happened: [{ target, stage, at }]
    slaStatus: text('sla_status').notNull().default('ok'),
    slaEvents: jsonb('sla_events').notNull().default([]),
    mergedInto: key('merged_into'),
    lastInboundAt: tstz('last_inbound_at'),
    lastMessageAt: tstz('last_message_at'),
    resolvedAt: tstz('resolved_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // One open conversation per customer: inbound messages on any channel join it.
    uniqueIndex('inbox_conversations_one_open_key').on(t.tenantId, t.customerId).where(sql`${t.status} <> 'resolved'`),
    // Led by their own column, not tenant_id: only the primary key answers (tenant_id, id), the shape of
    // PostgreSQL's foreign-key checks, whatever the planner believes of a new tenant (migration 0051).
    uniqueIndex('inbox_conversations_reply_token_key').on(t.replyToken, t.tenantId),
    index('inbox_conversations_customer_idx').on(t.customerId, t.tenantId, t.createdAt),
    index('inbox_conversations_queue_idx').on(t.tenantId, t.teamId, t.createdAt).where(sql`${t.status} <> 'resolved' AND ${t.assigneeId} IS NULL`),
    index('inbox_conversations_assignee_idx').on(t.tenantId, t.assigneeId).where(sql`${t.status} <> 'resolved'`),
    // Led by the customer (ids are unique across tenants): a new tenant's open conversation is one probe
    // even before the planner has statistics for the tenant.
    index('inbox_conversations_open_customer_idx').on(t.customerId, t.tenantId).where(sql`${t.status} <> 'resolved'`),
    check('inbox_conversations_status_check', sql`${t.status} IN ('open','pending','snoozed','resolved')`),
    check('inbox_conversations_priority_check', sql`${t.priority} IN ('low','normal','high','urgent')`),
  ],
);

export const inboxMessages = pgTable(
  'inbox_messages',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    conversationId: key('conversation_id').notNull(),
    customerId: key('customer_id').notNull(),
    // in | out | note
    direction: text('direction').notNull(),
    channelKind: text('channel_kind'),
    channelId: key('channel_id'),
    // customer | agent | system
    authorType: text('author_type').notNull(),
    authorId: key('author_id'),
    text: text('text').notNull().default(''),
    html: text('html'),
    subject: text('subject'),
    // The provider's id (Message-ID, MessageSid, MsgId, ...): retries of one delivery are stored once.
    externalId: key('external_id'),
    // Channel details: email threading headers, recipient, WeChat MsgType, location, media URLs...
    meta: jsonb('meta').notNull().default({}),
    // queued | sent | failed (outbound only)
    deliveryStatus: text('delivery_status'),
    deliveryError: text('delivery_error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('inbox_messages_external_key').on(t.externalId, t.tenantId, t.channelId),
    index('inbox_messages_conversation_idx').on(t.conversationId, t.tenantId, t.createdAt),
    index('inbox_messages_customer_idx').on(t.customerId, t.tenantId),
    foreignKey({ columns: [t.tenantId, t.conversationId], foreignColumns: [inboxConversations.tenantId, inboxConversations.id] }),
    check('inbox_messages_direction_check', sql`${t.direction} IN ('in','out','note')`),
  ],
);

export const inboxAttachments = pgTable(
  'inbox_attachments',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    messageId: key('message_id').notNull(),
    filename: text('filename'),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    contentId: text('content_id'),
    content: bytea('content'),
    url: text('url'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('inbox_attachments_message_idx').on(t.tenantId, t.messageId),
    foreignKey({ columns: [t.tenantId, t.messageId], foreignColumns: [inboxMessages.tenantId, inboxMessages.id] }).onDelete('cascade'),
  ],
);

export const inboxAssignments = pgTable(
  'inbox_assignments',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    conversationId: key('conversation_id').notNull(),
    teamId: key('team_id'),
    agentId: key('agent_id'),
    // routing | manual | pick | agent_offline | sla_escalation | merge
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('inbox_assignments_conversation_idx').on(t.tenantId, t.conversationId, t.at),
    foreignKey({ columns: [t.tenantId, t.conversationId], foreignColumns: [inboxConversations.tenantId, inboxConversations.id] }),
  ],
);

export const inboxCannedReplies = pgTable(
  'inbox_canned_replies',
  {
    tenantId: key('tenant_id').notNull(),
    id: key('id').notNull(),
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    // Text with {{customer.name}}, {{agent.name}}, {{conversation.id}} variables.
    body: text('body').notNull(),
    language: text('language'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('inbox_canned_replies_shortcut_key').on(t.tenantId, t.shortcut)],
);

// The customer's loyalty tier, kept from loyalty's events because routing reads it in the same
// statement that places a new conversation (VIP routing). Open cases and last feedback are not kept:
// the agent context reads them from their modules when an agent opens a conversation.
export const inboxCustomerSignals = pgTable(
  'inbox_customer_signals',
  {
    tenantId: key('tenant_id').notNull(),
    customerId: key('customer_id').notNull(),
    tier: text('tier'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

// What the inbox publishes for other modules to read (analytics; migration 0047): columns, no words.
export const conversationsView = pgView('conversations_v', {
  tenantId: key('tenant_id').notNull(),
  id: key('id').notNull(),
  customerId: key('customer_id').notNull(),
  status: text('status').notNull(),
  lastChannelKind: text('last_channel_kind'),
  mergedInto: key('merged_into'),
  firstResponseDueAt: tstz('first_response_due_at'),
  firstRespondedAt: tstz('first_responded_at'),
  resolutionDueAt: tstz('resolution_due_at'),
  resolvedAt: tstz('resolved_at'),
  createdAt: tstz('created_at').notNull(),
  updatedAt: tstz('updated_at').notNull(),
}).existing();
export const messagesView = pgView('messages_v', {
  tenantId: key('tenant_id').notNull(),
  customerId: key('customer_id').notNull(),
  direction: text('direction').notNull(),
  channelKind: text('channel_kind'),
  createdAt: tstz('created_at').notNull(),
}).existing();
