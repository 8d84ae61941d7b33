// What outreach reacts to: cases opened and resolved (suppression of marketing while a complaint is
// open), conversations resolved, messages received (sentiment), tier changes, feedback scores, survey
// invitations to send, any bus message a journey starts or ends on; and the customers module's merge,
// erasure and export of a customer.
import { perTenant } from '../../platform/bus.js';
import { onCasesOpened, onResolved, onMessageReceived, onTierChanged, onFeedback } from './handle-signals.js';
import { enrollFromMessage, exitFromMessage } from './run-journeys.js';
import { sendSurveyInvitation } from './send-survey-invitations.js';
import { mergeOutreachRows, eraseOutreachRows, exportOutreachMessages } from './customer-hooks.js';
import type { OutreachContext } from './outreach-context.js';

export function subscribeOutreach(oc: OutreachContext) {
  const { bus, pool, customers, now } = oc;
  customers.onMerge((tx, tenantId, survivorId, mergedId) => mergeOutreachRows(tx, tenantId, survivorId, mergedId));
  customers.onErase((tx, tenantId, ids) => eraseOutreachRows(tx, oc.outbox, tenantId, ids));
  customers.addExportSection('outreach_messages', (tenantId, ids) => exportOutreachMessages(pool, tenantId, ids));

  bus.subscribeBatch('case.opened', (msgs) =>
    perTenant(msgs, async (tenantId, list) => onCasesOpened(pool, tenantId, list, await oc.suppressTypes.get(tenantId))),
  );
  bus.subscribe('case.resolved', (msg) => onResolved(pool, msg, 'case', now()));
  bus.subscribe('conversation.resolved', (msg) => onResolved(pool, msg, 'conversation', now()));
  bus.subscribe('message.received', (msg) => onMessageReceived(pool, msg, oc.sentimentOf));
  bus.subscribe('loyalty.tier.changed', (msg) => onTierChanged(pool, msg, now()));
  bus.subscribeBatch('feedback.response.submitted', (msgs) => perTenant(msgs, (tenantId, list) => onFeedback(pool, tenantId, list, now())));
  bus.subscribe('feedback.invitation.created', (msg) => sendSurveyInvitation(oc, msg));
  // Journeys: any bus message may trigger or end one; outreach's own timeline items never do.
  bus.subscribe('*', (msg) => {
    if (msg.type.startsWith('outreach.') || msg.type === 'customer.changed') return;
    const types = oc.journeyTypes.peek(msg.tenantId);
    // The common case, a message no journey names, stays synchronous: no promise per ingested event.
    if (types && !types.exits.has(msg.type) && !types.triggers.has(msg.type)) return;
    return (async () => {
      const t = types ?? (await oc.journeyTypes.get(msg.tenantId));
      if (t.exits.has(msg.type)) await exitFromMessage(pool, msg);
      if (t.triggers.has(msg.type)) await enrollFromMessage(pool, msg, now());
    })();
  });
}
