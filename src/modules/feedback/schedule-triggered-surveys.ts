// Triggers turn what happened into survey schedules: an ingested event a survey watches (after a
// purchase, an abandoned checkout, the first visit), or a conversation the inbox resolved (CSAT).
import type { FeedbackDeps } from './feedback-deps.js';
import { schedulesForEvent, type ObservedEvent } from './run-triggers.js';
import { scheduleSurvey } from './process-due-invitations.js';

export async function scheduleForEvent(deps: FeedbackDeps, tenantId: string, e: ObservedEvent, now: Date = deps.clock.now()) {
  const { triggers, watched } = await deps.caches.triggers.get(tenantId);
  if (!watched.has(e.type)) return;
  const firstId = await deps.recordMark(tenantId, e);
  for (const s of schedulesForEvent(triggers, e, firstId, now)) await scheduleSurvey(deps, tenantId, s, now);
}

export interface ResolvedConversation {
  conversationId: string;
  customerId: string;
  channel: string;
  teamId?: string;
}

/** Each active survey with a conversation_resolved trigger asks the conversation's customer after its delay. */
export async function scheduleAfterConversation(deps: FeedbackDeps, tenantId: string, c: ResolvedConversation, now: Date = deps.clock.now()) {
  const { triggers } = await deps.caches.triggers.get(tenantId);
  for (const { surveyId, trigger: t } of triggers) {
    if (t.type !== 'conversation_resolved') continue;
    await scheduleSurvey(
      deps,
      tenantId,
      {
        surveyId,
        customerId: c.customerId,
        kind: 'invite',
        dueAt: new Date(now.getTime() + t.delay_minutes * 60_000),
        sourceKey: `conversation:${c.conversationId}`,
        // A web chat visitor is asked in the widget they chatted in (the inbox's channel kind is "webchat").
        context: {
          trigger: 'conversation_resolved',
          channel: c.channel === 'webchat' ? 'widget' : c.channel,
          conversation_id: c.conversationId,
          ...(c.teamId ? { team_id: c.teamId } : {}),
        },
      },
      now,
    );
  }
}
