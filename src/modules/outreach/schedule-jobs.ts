// The outreach jobs: the dispatcher and the journey runner every minute (and on demand for messages due
// now), statements queued on request, and the statement schedule on the first day of each month.
import type { OutreachContext } from './outreach-context.js';
import { dispatchTenants, type DispatchDeps } from './dispatch-messages.js';
import { sendDueJourneySteps } from './send-due-journey-steps.js';
import { sendLoyaltyStatements, runScheduledStatements } from './send-loyalty-statements.js';

export async function scheduleOutreachJobs(oc: OutreachContext, dispatchDeps: DispatchDeps) {
  const { jobs, log } = oc;
  await jobs.define<{ tenantId?: string }>(
    'outreach-dispatch',
    async (data) => {
      await dispatchTenants(dispatchDeps, data.tenantId, oc.now());
    },
    { cron: '* * * * *' },
  );
  await jobs.define(
    'outreach-journeys',
    async () => {
      await sendDueJourneySteps(oc);
    },
    { cron: '* * * * *' },
  );
  await jobs.define<{ tenantId: string; templateId: string; from: string; to: string }>('outreach-statements', async (d) => {
    const r = await sendLoyaltyStatements(oc, d.tenantId, d.templateId, { from: new Date(d.from), to: new Date(d.to) });
    log.info({ tenant: d.tenantId, ...r }, 'loyalty statements planned');
  });
  await jobs.define(
    'outreach-statements-schedule',
    async () => {
      await runScheduledStatements(oc);
    },
    { cron: '0 2 1 * *' },
  );
}
