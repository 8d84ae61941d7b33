// Inbox: every channel into one conversation per customer, routing, SLAs and real-time agents.
export { createInboxService, type InboxService, type InboxOptions } from './inbox-service.js';
export type { ConnectedVisitor, VisitorHook } from './webchat-visitors.js';
export { inboxRoutes } from './routes.js';
export type { OutboundKind, OutboundRequest, OutboundResult } from './send-outbound.js';
