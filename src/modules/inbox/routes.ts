// HTTP for the inbox: channels, conversations and their messages, agents, teams, routing rules, SLA
// policies, canned replies, and the agents' real-time feed (a WebSocket on GET /v1/inbox/feed).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import websocket from '@fastify/websocket';
import type { InboxService } from './inbox-service.js';
import { inboxWebhookRoutes } from './webhook-routes.js';
import { channelRoutes } from './channel-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import { messageRoutes } from './message-routes.js';
import { assignmentRoutes } from './assignment-routes.js';
import { agentRoutes } from './agent-routes.js';
import { slaPolicyRoutes } from './sla-policy-routes.js';
import { cannedReplyRoutes } from './canned-reply-routes.js';
import { feedRoutes } from './feed-routes.js';

// Each resource is its own plugin, registered here after the WebSocket plugin so that the agents' feed
// and the web chat socket (inside the webhooks) inherit it; the webhooks' raw-body content-type parsers
// stay inside their own plugin and never reach the /v1 routes.
export function inboxRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    await app.register(inboxWebhookRoutes(inbox));
    await app.register(channelRoutes(inbox));
    await app.register(conversationRoutes(inbox));
    await app.register(messageRoutes(inbox));
    await app.register(assignmentRoutes(inbox));
    await app.register(agentRoutes(inbox));
    await app.register(slaPolicyRoutes(inbox));
    await app.register(cannedReplyRoutes(inbox));
    await app.register(feedRoutes(inbox));
  };
}
