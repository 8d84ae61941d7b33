// Joins feedback, inbox and customers for the widget's survey pop-in: a survey the feedback module
// issues for the widget (a CSAT after a web chat is resolved) reaches the visitor's open chat socket
// at once, and any still unanswered reaches them when their socket next opens (a later page, a reconnect). Answers go back to the feedback
// module's signed-link door, so they are checked, stored once and put on the timeline like any other.
import type { Logger } from 'pino';
import type { EventBus } from '../platform/bus.js';
import type { CustomersService } from '../modules/customers/index.js';
import type { FeedbackService } from '../modules/feedback/index.js';
import type { InboxService } from '../modules/inbox/index.js';

const MAX_FRAME = 6000;

export function surveysReachWidgetVisitors(deps: { bus: EventBus; log: Logger; customers: CustomersService; feedback: FeedbackService; inbox: InboxService }) {
  const { bus, log, customers, feedback, inbox } = deps;

  bus.subscribe('feedback.invitation.created', async (msg) => {
    const p = msg.payload as { invitationId: string; channel: string; conversationId?: string };
    // Only a survey asked about a conversation knows which visitor socket to reach; others wait for the next connection.
    if (p.channel !== 'widget' || !p.conversationId) return;
    const [survey] = await feedback.widgetSurveys(msg.tenantId, { invitationId: p.invitationId });
    if (!survey) return;
    // Frames to a visitor on another node travel in a PostgreSQL NOTIFY (under 8000 bytes, counted in UTF-8). A long
    // survey is announced instead; the widget reconnects and gets it whole from the connection hook.
    const frame = Buffer.byteLength(JSON.stringify(survey)) > MAX_FRAME ? { type: 'survey_waiting', invitation_id: survey.invitation_id } : survey;
    if (!(await inbox.sendToVisitor(msg.tenantId, p.conversationId, frame))) {
      log.debug({ invitation: p.invitationId }, "widget survey waits for the visitor's next connection");
    }
  });

  inbox.onVisitorConnected(async (v) => {
    const { customerId } = await customers.lookup(v.tenantId, 'anonymous_id', v.anonymousId);
    if (!customerId) return;
    for (const survey of await feedback.widgetSurveys(v.tenantId, { customerId })) v.send(survey);
  });
}
