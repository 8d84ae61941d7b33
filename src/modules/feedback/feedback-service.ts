// The feedback service: the use cases of surveys, triggers and invitations, responses and their
// reading, wired with their context. Each use case is its own file; this one only assembles them.
import { withTransaction } from '../../platform/db.js';
import type { ModuleContext } from '../../platform/context.js';
import { settingsArea } from '../../platform/settings.js';
import { FeedbackSettingsArea } from './contract.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { createSurvey, updateSurvey, getSurvey, listSurveys, listSurveyVersions, type SurveyInput, type SurveyPatch } from './manage-surveys.js';
import { createSurveyCaches } from './survey-caches.js';
import { createLinkKeys, invitationUrl, buttonToken } from './sign-link.js';
import { createMarkRecorder } from './run-triggers.js';
import { inviteCustomer } from './invite-customer.js';
import { processDueInvitations } from './process-due-invitations.js';
import { scheduleForEvent, scheduleAfterConversation, type ResolvedConversation } from './schedule-triggered-surveys.js';
import { runPeriodicSurveys } from './run-periodic-surveys.js';
import { createResponseReceiver } from './receive-responses.js';
import { openLink, pendingPartial } from './open-link.js';
import { analyzeResponses, recordTextAnalysis, reprocessText, type TextAnalysis, type TextAnalyzer } from './analyze-responses.js';
import { listInvitations, listResponses, getResponse, lastFeedbackOf, type ResponseQuery } from './read-responses.js';
import { listWidgetSurveys } from './list-widget-surveys.js';
import { correctResponseTopics } from './correct-response-topics.js';
import { rebuildRollups } from './keep-rollups.js';
import { measureScores, scoreDistribution, responseRates, topicsBySentiment, satisfiedButLeft, type MeasureQuery } from './measure-feedback.js';
import { subscribeFeedback } from './subscriptions.js';
import type { InvitationRequest } from './issue-invitation.js';
import type { ObservedEvent } from './run-triggers.js';
import type { Language } from './survey-definition.js';

export type { TextAnalysis, TextAnalyzer };
export type { ResponseSubmitted } from './write-response-batches.js';

export function createFeedbackService(ctx: ModuleContext & { customers: CustomersService; events: EventsService; publicUrl: string }) {
  const pool = ctx.db.pool;
  const { clock, jobs, bus } = ctx;
  let analyzer: TextAnalyzer | undefined;
  const deps: FeedbackDeps = {
    ...ctx,
    pool,
    caches: createSurveyCaches(pool),
    linkKeys: createLinkKeys(pool),
    recordMark: createMarkRecorder(pool),
    analyzer: () => analyzer,
  };
  const responses = createResponseReceiver(deps);
  subscribeFeedback(deps);

  return {
    /** The module's clock, for the routes' default periods. */
    clock,
    settingsAreas: [settingsArea({ name: 'feedback', schema: FeedbackSettingsArea })],

    async createSurvey(tenantId: string, input: SurveyInput) {
      const id = await withTransaction(pool, (tx) => createSurvey(tx, tenantId, input));
      deps.caches.forget(tenantId);
      return id;
    },
    async updateSurvey(tenantId: string, id: string, patch: SurveyPatch) {
      const ok = await withTransaction(pool, (tx) => updateSurvey(tx, tenantId, id, patch));
      deps.caches.forget(tenantId, id);
      return ok;
    },
    getSurvey: (tenantId: string, id: string) => getSurvey(pool, tenantId, id),
    listSurveys: (tenantId: string, opts: { status?: string } = {}) => listSurveys(pool, tenantId, opts),
    listSurveyVersions: (tenantId: string, id: string) => listSurveyVersions(pool, tenantId, id),
    /** A survey version's definition (versions never change once written). */
    definitionOf: deps.caches.definition,
    /** A survey as it was up to five seconds ago: for the hot submission path. */
    cachedSurvey: deps.caches.survey,

    submitResponse: responses.submitResponse,
    openLink: (token: string, now?: Date, opts?: { withProfile?: boolean }) => openLink(deps, token, now, opts),
    pendingPartial: (tenantId: string, invitationId: string) => pendingPartial(deps, tenantId, invitationId),
    submitByLink: responses.submitByLink,
    buttonToken: (tenantId: string, surveyId: string) => buttonToken(deps, tenantId, surveyId),
    invitationUrl: (tenantId: string, invitationId: string, expiresAt: Date) => invitationUrl(deps, tenantId, invitationId, expiresAt),
    widgetSurveys: (tenantId: string, q: { customerId?: string; invitationId?: string }, now?: Date) => listWidgetSurveys(deps, tenantId, q, now),

    issue: (tenantId: string, req: InvitationRequest, now: Date) => inviteCustomer(deps, tenantId, req, now),
    processDue: (tenantId: string | undefined, now?: Date) => processDueInvitations(deps, tenantId, now),
    onEvent: (tenantId: string, e: ObservedEvent, now?: Date) => scheduleForEvent(deps, tenantId, e, now),
    /** A conversation the inbox resolved: surveys with a conversation_resolved trigger ask its customer. */
    onConversationResolved: (tenantId: string, c: ResolvedConversation, now?: Date) => scheduleAfterConversation(deps, tenantId, c, now),
    runPeriodic: (tenantId: string | undefined, now?: Date) => runPeriodicSurveys(deps, tenantId, now),
    listInvitations: (tenantId: string, q: { surveyId?: string; customerId?: string; limit: number }) => listInvitations(pool, tenantId, q),
    listResponses: (tenantId: string, q: ResponseQuery) => listResponses(pool, tenantId, q),
    getResponse: (tenantId: string, id: string) => getResponse(pool, tenantId, id),
    /** The customer's latest complete response, read when an agent opens one of their conversations. */
    lastFeedbackOf: (tenantId: string, customerId: string) => lastFeedbackOf(pool, tenantId, customerId),

    /** A person's correction of a response's topics (console); the text module learns from it. */
    correctTopics: (tenantId: string, id: string, c: { add: string[]; remove: string[] }, by: string | null) =>
      correctResponseTopics(pool, bus, tenantId, id, c, by),
    /** The text module plugs in here; until it does, open text stays raw and waits for re-processing. */
    setTextAnalyzer(fn: TextAnalyzer) {
      analyzer = fn;
    },
    /** After responses were written straight into the table (a migration, a bulk load). */
    rebuildRollups: (tenantId: string) => rebuildRollups(pool, tenantId),
    analyzeResponses: (tenantId: string, ids?: string[], limit?: number) => analyzeResponses(deps, tenantId, ids, limit),
    recordTextAnalysis: (tenantId: string, responseId: string, a: TextAnalysis) => recordTextAnalysis(deps, tenantId, responseId, a),

    measureScores: (tenantId: string, q: MeasureQuery) => measureScores(pool, tenantId, q),
    scoreDistribution: (tenantId: string, q: MeasureQuery) => scoreDistribution(pool, tenantId, q),
    responseRates: (tenantId: string, q: { from: Date; to: Date }) => responseRates(pool, tenantId, q),
    topicsBySentiment: (tenantId: string, q: { from: Date; to: Date }) => topicsBySentiment(pool, tenantId, q),
    satisfiedButLeft: (tenantId: string, q: { days: number; now?: Date }) => satisfiedButLeft(pool, tenantId, { now: clock.now(), ...q }),

    async startJobs() {
      await jobs.define<{ tenantId?: string }>(
        'feedback-due',
        async (d) => {
          await processDueInvitations(deps, d.tenantId);
        },
        { cron: '* * * * *' },
      );
      await jobs.define<{ tenantId?: string }>(
        'feedback-periodic',
        async (d) => {
          await runPeriodicSurveys(deps, d.tenantId);
        },
        { cron: '7 * * * *' },
      );
      await jobs.define<{ tenantId?: string }>(
        'feedback-reprocess-text',
        async (d) => {
          await reprocessText(deps, d.tenantId);
        },
        { cron: '*/10 * * * *' },
      );
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
export type { Language };
