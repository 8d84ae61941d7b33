// Joins inbox and feedback: a conversation the inbox resolved asks its customer for a rating (CSAT),
// through every active survey with a conversation_resolved trigger, after that trigger's delay.
import type { EventBus } from '../platform/bus.js';
import type { FeedbackService } from '../modules/feedback/index.js';

/** The inbox's conversation.resolved payload, as this flow reads it. */
type ConversationResolved = { conversationId: string; customerId: string; channel: string; teamId?: string; requestCsat?: boolean };

export function resolvedConversationAsksCsat({ bus, feedback }: { bus: EventBus; feedback: FeedbackService }): void {
  bus.subscribe('conversation.resolved', async (msg) => {
    const c = msg.payload as ConversationResolved;
    // The agent may say "no rating this time" (a spam chat, a complaint that would be insulted by one).
    if (c?.requestCsat === false) return;
    if (c?.conversationId && c.customerId)
      await feedback.onConversationResolved(msg.tenantId, {
        conversationId: c.conversationId,
        customerId: c.customerId,
        channel: c.channel,
        ...(c.teamId ? { teamId: c.teamId } : {}),
      });
  });
}
