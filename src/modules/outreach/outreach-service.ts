// The outreach service: templates, sends, the dispatcher, delivery reports, unsubscribe and
// preferences, segments, campaigns, journeys and statements, each in its own file, wired with the
// outreach context (outreach-context.ts) and the delivery seam. What the module reacts to is in
// subscriptions.ts, its jobs in schedule-jobs.ts.
import { settingsArea } from '../../platform/settings.js';
import { createTemplate, getTemplate, listTemplates, updateTemplate, type TemplateInput } from './manage-templates.js';
import type { Channel } from './render-template.js';
import type { SendRequest } from './plan-message.js';
import { dispatchTenants } from './dispatch-messages.js';
import { createOutreachHandler, OUTREACH_KIND } from './deliver-message.js';
import { recordDeliveryStatus, type DeliveryReport } from './record-delivery-status.js';
import { updateSettings, SuppressionArea, type SettingsInput } from './settings.js';
import type { LinkPayload } from './sign-link.js';
import { recordTracked } from './track-email.js';
import { readLink, unsubscribeOneClick, preferencePage, savePreferences } from './unsubscribe.js';
import type { JourneyInput } from './run-journeys.js';
import { templateNotFound } from './errors.js';
import { createOutreachContext, type OutreachDeps } from './outreach-context.js';
import { sendMessage } from './send-message.js';
import { previewTemplate } from './preview-template.js';
import { getMessage, listMessages } from './list-messages.js';
import { countRules, createSegment, getSegment, listSegments, countSegment, segmentMembers } from './manage-segments.js';
import { createCampaign, getCampaign, listCampaigns, planCampaignMessages } from './manage-campaigns.js';
import { createJourney, getJourney, listJourneys, setJourneyActive } from './manage-journeys.js';
import { sendDueJourneySteps } from './send-due-journey-steps.js';
import { sendLoyaltyStatements, queueStatements, statementsPdf, runScheduledStatements } from './send-loyalty-statements.js';
import { subscribeOutreach } from './subscriptions.js';
import { scheduleOutreachJobs } from './schedule-jobs.js';

export type { OutreachDeps, LoyaltyStatementsProvider } from './outreach-context.js';
export type { SegmentMembers } from './manage-segments.js';

export function createOutreachService(deps: OutreachDeps) {
  const oc = createOutreachContext(deps);
  const { pool, customers, events, senders, settings, box, now } = oc;
  // Outreach's messages leave through the platform outbox, which retries them; the handler renders and sends.
  deps.outbox.register(
    OUTREACH_KIND,
    createOutreachHandler({
      pool,
      customers,
      events,
      senders,
      settings,
      loyaltyVariables: oc.loyaltyVariables,
      log: oc.log,
      clock: deps.clock,
      publicBaseUrl: `http://localhost:${deps.config.port}`,
    }),
  );
  const dispatchDeps = { pool, customers, outbox: deps.outbox, settings, log: oc.log, channels: Object.keys(senders) as Channel[] };
  subscribeOutreach(oc);

  return {
    settings,
    settingsAreas: [
      settingsArea({
        name: 'outreach',
        schema: SuppressionArea,
        read: async (tenantId) => ({ suppress_case_types: (await settings(tenantId)).suppressCaseTypes }),
        write: async (tenantId, v) => {
          await updateSettings(pool, tenantId, { suppress_case_types: v.suppress_case_types }, box);
        },
        onChange: (tenantId) => oc.suppressTypes.forget(tenantId),
      }),
    ],
    async updateSettings(tenantId: string, input: SettingsInput) {
      if (input.statements && !(await getTemplate(pool, tenantId, input.statements.template_id))) {
        throw templateNotFound('No such template', [{ field: 'statements.template_id', message: 'no such template' }]);
      }
      if (input.survey_template_id && !(await getTemplate(pool, tenantId, input.survey_template_id))) {
        throw templateNotFound('No such template', [{ field: 'survey_template_id', message: 'no such template' }]);
      }
      const s = await updateSettings(pool, tenantId, input, box);
      oc.suppressTypes.forget(tenantId);
      return s;
    },
    senders,

    createTemplate: (tenantId: string, input: TemplateInput) => createTemplate(pool, tenantId, input),
    updateTemplate: (tenantId: string, id: string, input: TemplateInput) => updateTemplate(pool, tenantId, id, input),
    getTemplate: (tenantId: string, id: string) => getTemplate(pool, tenantId, id),
    listTemplates: (tenantId: string) => listTemplates(pool, tenantId),
    /** Renders a template for one customer on every channel it has, and says which channel a send would take. */
    previewTemplate: (tenantId: string, templateId: string, customerRef: string, opts: { variables?: Record<string, unknown>; locale?: string } = {}) =>
      previewTemplate(oc, tenantId, templateId, customerRef, opts),

    send: (tenantId: string, req: SendRequest, at: Date = now()) => sendMessage(oc, tenantId, req, at),
    dispatch: (tenantId?: string, at: Date = now()) => dispatchTenants(dispatchDeps, tenantId, at),
    recordDeliveryStatus: (tenantId: string, r: DeliveryReport) => recordDeliveryStatus({ pool, customers, events }, tenantId, r, now()),
    getMessage: (tenantId: string, id: string) => getMessage(pool, tenantId, id),
    listMessages: (tenantId: string, q: { customerId?: string; campaignId?: string; limit: number }) => listMessages(pool, tenantId, q),

    readLink: (token: string) => readLink(pool, token),
    /** An open (no url) or a click on `url` from a tracked email; false when the token does not hold. */
    recordTracked: (token: string, url?: string) => recordTracked({ pool, customers, events }, token, url, now()),
    unsubscribeOneClick: (link: LinkPayload) => unsubscribeOneClick(customers, link),
    preferencePage: (link: LinkPayload, token: string, opts?: { isSaved?: boolean }) => preferencePage(customers, link, token, opts),
    savePreferences: (link: LinkPayload, form: URLSearchParams) => savePreferences(customers, link, form),

    createSegment: (tenantId: string, input: { name: string; rules: unknown }) => createSegment(oc, tenantId, input),
    getSegment: (tenantId: string, id: string) => getSegment(oc, tenantId, id),
    listSegments: (tenantId: string) => listSegments(oc, tenantId),
    countRules: (tenantId: string, rules: unknown, at: Date = now()) => countRules(oc, tenantId, rules, at),
    countSegment: (tenantId: string, id: string) => countSegment(oc, tenantId, id),
    /** A saved segment's members now, as a subquery builder for analytics; undefined when the tenant has no such segment. */
    segmentMembers: (tenantId: string, id: string) => segmentMembers(oc, tenantId, id),

    createCampaign: (tenantId: string, input: { name: string; segment_id: string; template_id: string }) => createCampaign(oc, tenantId, input),
    /** A campaign with its messages counted by status now (the plan's figures are kept in stats). */
    getCampaign: (tenantId: string, id: string) => getCampaign(oc, tenantId, id),
    listCampaigns: (tenantId: string) => listCampaigns(oc, tenantId),
    /** Plans every message of the campaign in set-based SQL; the dispatcher then sends them, throttled. */
    planCampaign: (tenantId: string, id: string, at: Date = now()) => planCampaignMessages(oc, tenantId, id, at),

    createJourney: (tenantId: string, input: JourneyInput) => createJourney(oc, tenantId, input),
    getJourney: (tenantId: string, id: string) => getJourney(oc, tenantId, id),
    listJourneys: (tenantId: string) => listJourneys(oc, tenantId),
    setJourneyActive: (tenantId: string, id: string, isActive: boolean) => setJourneyActive(oc, tenantId, id, isActive),
    runJourneys: (tenantId: string | null = null, at: Date = now()) => sendDueJourneySteps(oc, tenantId, at),

    /** Plans each member's loyalty statement for [from, to), once per template and period however often it runs. */
    sendLoyaltyStatements: (tenantId: string, templateId: string, period: { from: Date; to: Date }, at: Date = now()) =>
      sendLoyaltyStatements(oc, tenantId, templateId, period, at),
    queueStatements: (tenantId: string, templateId: string, period: { from: Date; to: Date }) => queueStatements(oc, tenantId, templateId, period),
    /** Post-ready statements: one A4 page per member, `limit` members per file from the `after` cursor. */
    statementsPdf: (tenantId: string, period: { from: Date; to: Date }, opts: { customerIds?: string[]; after?: string; limit: number }) =>
      statementsPdf(oc, tenantId, period, opts),
    /** The periodic run: on the first day of a period, every tenant with a statement schedule (or the one named) gets last period's statements. */
    runScheduledStatements: (at: Date = now(), tenantId?: string) => runScheduledStatements(oc, at, tenantId),

    startJobs: () => scheduleOutreachJobs(oc, dispatchDeps),
  };
}

export type OutreachService = ReturnType<typeof createOutreachService>;
