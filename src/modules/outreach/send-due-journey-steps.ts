// The journey runner: enrollments whose next step is due are claimed a batch at a time, the step's
// message is sent, and the enrollment moves on (or records why the step could not be sent).
import { claimDueEnrollments, advanceEnrollment } from './run-journeys.js';
import { sendMessage } from './send-message.js';
import type { OutreachContext } from './outreach-context.js';

export async function sendDueJourneySteps(oc: OutreachContext, tenantId: string | null = null, at: Date = oc.now()) {
  let planned = 0;
  for (;;) {
    const due = await claimDueEnrollments(oc.pool, at, tenantId);
    if (!due.length) return planned;
    for (const e of due) {
      const step = e.steps[e.step];
      try {
        await sendMessage(
          oc,
          e.tenantId,
          {
            customerId: e.customerId,
            templateId: step.template_id,
            reason: `journey: ${e.journeyName} (step ${e.step + 1} of ${e.steps.length})`,
            variables: e.variables,
            isUrgent: step.is_urgent,
            journeyId: e.journeyId,
            enrollmentId: e.id,
          },
          at,
        );
        await advanceEnrollment(oc.pool, e, at);
        planned++;
      } catch (err) {
        await advanceEnrollment(oc.pool, e, at, (err as Error).message.slice(0, 200));
      }
    }
  }
}
