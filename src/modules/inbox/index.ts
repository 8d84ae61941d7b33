// Inbox: every channel into one conversation per customer, routing, SLAs and real-time agents.
export { createInboxService, type InboxService, type InboxOptions, type ConnectedVisitor, type VisitorHook } from './inbox-service.js';
export { inboxRoutes } from './routes.js';
export type { OutboundKind, OutboundRequest, OutboundResult } from './send-outbound.js';
