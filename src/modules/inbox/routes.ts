// HTTP for the inbox: channels, conversations and their messages, agents, teams, routing rules, SLA
// policies, canned replies, and the agents' real-time feed (a WebSocket on GET /v1/inbox/feed).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { InboxService } from './inbox-service.js';
import { ChannelInput, ChannelPatch, channelView } from './manage-channels.js';
import { AgentInput, AgentPatch, TeamInput, TeamPatch } from './manage-agents.js';
import { RoutingRuleInput, RoutingRulePatch } from './manage-routing-rules.js';
import { SlaPolicyInput } from './manage-sla-policies.js';
import { CannedReplyInput } from './manage-canned-replies.js';
import { agentNotFound } from './errors.js';
import { inboxWebhookRoutes } from './webhook-routes.js';
import {
  ChannelView,
  ConversationView,
  ConversationListItem,
  MessageView,
  AgentView,
  TeamView,
  CannedReplyView,
  RoutingRuleView,
  SlaPolicyView,
  ConversationContext,
  listOf,
} from './contract.js';
import { Id, MessageParams, Obj, Created, StartBody, StartedOut, List, ConversationsQuery, ConversationPatch, ReplyBody } from './contract.js';

const Tags = ['inbox'];

// The address the admin reached Rapport at (behind a proxy, the forwarded one): what providers reach too.
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** Types a browser shows without running anything; every other type is served as application/octet-stream. */
const PASSIVE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp|avif|heic|heif|tiff)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain|text\/csv)$/;

function passiveTypeOf(contentType: string): string {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  return PASSIVE_TYPES.test(essence) ? contentType : 'application/octet-stream';
}

export function inboxRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    await app.register(inboxWebhookRoutes(inbox));

    // Channels
    app.post(
      '/v1/inbox/channels',
      {
        config: { scope: 'admin', hasSecretAnswer: true },
        schema: { tags: Tags, summary: 'Configure a channel', body: ChannelInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const { channel, generated } = await inbox.createChannel(p.tenantId, req.body);
        return reply.status(201).send(channelView(channel, generated, originOf(req)));
      },
    );
    app.get(
      '/v1/inbox/channels',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'List channels (secrets masked)', response: { 200: listOf(ChannelView), ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return { data: (await inbox.listChannels(p.tenantId)).map((c) => channelView(c, {}, originOf(req))) };
      },
    );
    app.get(
      '/v1/inbox/channels/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'A channel (secrets masked)', params: Id, response: { 200: ChannelView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return channelView(await inbox.getChannel(p.tenantId, req.params.id), {}, originOf(req));
      },
    );
    app.patch(
      '/v1/inbox/channels/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a channel', params: Id, body: ChannelPatch, response: { 200: ChannelView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return channelView(await inbox.updateChannel(p.tenantId, req.params.id, req.body), {}, originOf(req));
      },
    );
    app.delete(
      '/v1/inbox/channels/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Disable a channel', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.removeChannel(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    // Conversations
    app.get(
      '/v1/conversations',
      {
        schema: {
          tags: Tags,
          summary: 'List conversations',
          querystring: ConversationsQuery,
          response: { 200: z.object({ data: z.array(ConversationListItem), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        return inbox.listConversations(p.tenantId, { ...q, is_unassigned: q.unassigned === 'true' });
      },
    );
    app.get(
      '/v1/conversations/:id',
      { schema: { tags: Tags, summary: 'A conversation', params: Id, response: { 200: ConversationView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.patch(
      '/v1/conversations/:id',
      {
        schema: {
          tags: Tags,
          summary: 'Change status (open, pending, snoozed until, resolved), priority or tags',
          params: Id,
          body: ConversationPatch,
          response: { 200: ConversationView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.updateConversation(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/conversations/:id/messages',
      { schema: { tags: Tags, summary: 'Messages and notes of a conversation', params: Id, response: { 200: listOf(MessageView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listMessages(p.tenantId, req.params.id) };
      },
    );
    app.post(
      '/v1/conversations',
      {
        schema: {
          tags: Tags,
          summary: 'Write to a customer first: opens their conversation on the chosen channel (or joins the open one, answering 200)',
          body: StartBody,
          response: { 201: StartedOut, 200: StartedOut, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const started = await inbox.startConversation(p.tenantId, req.body, actorOf(p));
        return reply
          .status(started.isNew ? 201 : 200)
          .send({ conversation: await inbox.getConversation(p.tenantId, started.conversationId), message: started.message });
      },
    );
    app.post(
      '/v1/conversations/:id/messages',
      {
        schema: {
          tags: Tags,
          summary: 'Reply to the customer (on the last channel they used unless channel_id is given)',
          params: Id,
          body: ReplyBody,
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.reply(p.tenantId, req.params.id, req.body, actorOf(p)));
      },
    );
    app.post(
      '/v1/conversations/:id/messages/:message_id/resend',
      {
        schema: {
          tags: Tags,
          summary: 'Send a failed reply again (its retries start afresh)',
          params: MessageParams,
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.resend(p.tenantId, req.params.id, req.params.message_id);
      },
    );
    app.get(
      '/v1/conversations/:id/messages/:message_id/delivery',
      { schema: { tags: Tags, summary: 'Delivery status of a reply and every attempt', params: MessageParams, response: { 200: Obj, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.deliveryOf(p.tenantId, req.params.id, req.params.message_id);
      },
    );
    app.post(
      '/v1/conversations/:id/notes',
      {
        schema: {
          tags: Tags,
          summary: 'Add a private note',
          params: Id,
          body: z.object({ text: z.string().trim().min(1).max(20_000), agent_id: z.string().min(1).max(64).optional() }).strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.addNote(p.tenantId, req.params.id, req.body, actorOf(p)));
      },
    );
    app.post(
      '/v1/conversations/:id/assignment',
      {
        schema: {
          tags: Tags,
          summary: 'Assign to an agent or a team (routed within it), or unassign with agent_id null',
          params: Id,
          body: z
            .object({
              agent_id: z.string().min(1).max(64).nullable().optional(),
              team_id: z.string().min(1).max(64).nullable().optional(),
              force: z.boolean().optional(),
            })
            .strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.assign(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.post(
      '/v1/conversations/:id/transfer',
      {
        schema: {
          tags: Tags,
          summary: 'Hand a conversation to another agent (and team), with a reason kept in the audit log',
          params: Id,
          body: z
            .object({
              agent_id: z.string().min(1).max(64),
              team_id: z.string().min(1).max(64).nullable().optional(),
              reason: z.string().trim().min(1).max(500),
              force: z.boolean().optional(),
            })
            .strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.transfer(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );

    app.post(
      '/v1/conversations/:id/pick',
      {
        schema: {
          tags: Tags,
          summary: 'An agent takes a waiting conversation of one of their teams (never one another agent holds: that is a transfer)',
          params: Id,
          body: z.object({ agent_id: z.string().min(1).max(64) }).strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.pick(p.tenantId, req.params.id, req.body.agent_id, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/conversations/:id/assignments',
      { schema: { tags: Tags, summary: 'Assignment history', params: Id, response: { 200: List, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listAssignments(p.tenantId, req.params.id) };
      },
    );
    app.post(
      '/v1/conversations/:id/merge',
      {
        schema: {
          tags: Tags,
          summary: 'Merge another conversation into this one',
          params: Id,
          body: z.object({ conversation_id: z.string().min(1).max(64) }).strict(),
          response: { 200: ConversationView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.merge(p.tenantId, req.params.id, req.body.conversation_id, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/conversations/:id/context',
      {
        schema: {
          tags: Tags,
          summary: "Agent context: profile, value, consent, timeline, cases, feedback, next-best-action hints (in the language asked, else the console user's)",
          params: Id,
          querystring: z.object({ language: z.enum(['en', 'zh-CN']).optional() }),
          response: { 200: ConversationContext, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.context(p.tenantId, req.params.id, actorOf(p), req.query.language);
      },
    );
    app.get(
      '/v1/inbox/attachments/:id',
      { schema: { tags: Tags, summary: 'Download an attachment', params: Id, response: { ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        const a = await inbox.getAttachment(p.tenantId, req.params.id);
        if (!a) throw notFound('No such attachment');
        if (!a.content) return reply.redirect(a.url ?? '/', 302);
        // The sender chose the type: one a browser would run (HTML, SVG, XML, script) is served as bytes,
        // never sniffed, and sandboxed should it be opened anyway, so it cannot act on this origin.
        return reply
          .type(passiveTypeOf(a.content_type))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', 'sandbox')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename ?? 'attachment')}`)
          .send(a.content as never);
      },
    );

    // Agents and teams
    app.post(
      '/v1/inbox/agents',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Create an agent', body: AgentInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createAgent(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/agents',
      { schema: { tags: Tags, summary: 'List agents with their load', response: { 200: listOf(AgentView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listAgents(p.tenantId) };
      },
    );
    app.get(
      '/v1/inbox/agents/:id',
      { schema: { tags: Tags, summary: 'An agent', params: Id, response: { 200: AgentView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        const a = await inbox.getAgent(p.tenantId, req.params.id);
        if (!a) throw agentNotFound();
        return a;
      },
    );
    app.patch(
      '/v1/inbox/agents/:id',
      {
        schema: {
          tags: Tags,
          summary: 'Change availability (online, away, offline), capacity or teams',
          params: Id,
          body: AgentPatch,
          response: { 200: AgentView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateAgent(p.tenantId, req.params.id, req.body);
      },
    );
    app.post(
      '/v1/inbox/teams',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Create a team', body: TeamInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createTeam(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/teams',
      { schema: { tags: Tags, summary: 'List teams with their queues', response: { 200: listOf(TeamView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listTeams(p.tenantId) };
      },
    );
    app.get('/v1/inbox/teams/:id', { schema: { tags: Tags, summary: 'A team', params: Id, response: { 200: TeamView, ...problemResponses } } }, async (req) => {
      const p = principalOf(req);
      const t = await inbox.getTeam(p.tenantId, req.params.id);
      if (!t) throw notFound('No such team');
      return t;
    });
    app.patch(
      '/v1/inbox/teams/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a team', params: Id, body: TeamPatch, response: { 200: TeamView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateTeam(p.tenantId, req.params.id, req.body);
      },
    );

    // Routing rules, SLA policies, canned replies
    app.post(
      '/v1/inbox/routing-rules',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Add a routing rule', body: RoutingRuleInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createRoutingRule(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/routing-rules',
      { schema: { tags: Tags, summary: 'Routing rules in evaluation order', response: { 200: listOf(RoutingRuleView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listRoutingRules(p.tenantId) };
      },
    );
    app.patch(
      '/v1/inbox/routing-rules/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a routing rule', params: Id, body: RoutingRulePatch, response: { 200: RoutingRuleView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateRoutingRule(p.tenantId, req.params.id, req.body);
      },
    );
    app.delete(
      '/v1/inbox/routing-rules/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Remove a routing rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteRoutingRule(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/v1/inbox/sla-policies',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Add an SLA policy', body: SlaPolicyInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createSlaPolicy(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/sla-policies',
      { schema: { tags: Tags, summary: 'SLA policies', response: { 200: listOf(SlaPolicyView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listSlaPolicies(p.tenantId) };
      },
    );
    app.get(
      '/v1/inbox/sla-policies/:id',
      { schema: { tags: Tags, summary: 'An SLA policy', params: Id, response: { 200: SlaPolicyView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.getSlaPolicy(p.tenantId, req.params.id);
      },
    );
    app.delete(
      '/v1/inbox/sla-policies/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Remove an SLA policy', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteSlaPolicy(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/v1/inbox/canned-replies',
      { schema: { tags: Tags, summary: 'Add a canned reply', body: CannedReplyInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createCannedReply(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/canned-replies',
      {
        schema: {
          tags: Tags,
          summary: 'Canned replies, by shortcut or title',
          querystring: z.object({ q: z.string().max(100).optional() }),
          response: { 200: listOf(CannedReplyView), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listCannedReplies(p.tenantId, req.query.q) };
      },
    );
    app.delete(
      '/v1/inbox/canned-replies/:id',
      { schema: { tags: Tags, summary: 'Remove a canned reply', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteCannedReply(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    // The agents' feed: a WebSocket (upgrade) of new conversations, messages, assignments and SLA
    // warnings; a plain GET answers how many agent sockets the tenant has open.
    app.route({
      method: 'GET',
      url: '/v1/inbox/feed',
      schema: {
        tags: Tags,
        summary: "Agent feed (WebSocket); agent_id limits it to the agent's teams, assignments and the unrouted queue",
        querystring: z.object({ agent_id: z.string().min(1).max(64).optional() }),
        response: { 200: z.object({ connections: z.number() }), ...problemResponses },
      },
      handler: async (req) => {
        const p = principalOf(req);
        if (req.query.agent_id && !(await inbox.getAgent(p.tenantId, req.query.agent_id))) throw agentNotFound();
        return { connections: inbox.feed.connections(p.tenantId) };
      },
      wsHandler: async (socket, req) => {
        const p = req.principal!;
        const agentId = (req.query as { agent_id?: string }).agent_id;
        // Frames published while the team lookup runs are buffered, then sent in order.
        const pending: string[] = [];
        let ready = false;
        // ws keeps its TCP socket as _socket; corking it lets a burst of frames leave in one write.
        const raw = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
        const target = {
          send: (s: string) => (ready ? socket.send(s) : pending.push(s)),
          cork: () => raw?.cork(),
          uncork: () => raw?.uncork(),
        };
        const teamIds = agentId ? await inbox.teamIdsOf(p.tenantId, agentId) : [];
        if (!teamIds) {
          socket.close(4404, 'no such agent');
          return;
        }
        const remove = inbox.feed.addAgent(target, { tenantId: p.tenantId, agentId, teamIds: new Set(teamIds) });
        socket.on('close', remove);
        socket.send(JSON.stringify({ type: 'ready', agent_id: agentId ?? null, team_ids: teamIds }));
        ready = true;
        for (const f of pending) socket.send(f);
      },
    });
  };
}
