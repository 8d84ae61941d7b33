// Taking answers in: through the API (an app, an integration) or a signed link (an invitation, a page's
// button). Responses with nothing to merge with are written in group commits (write-response-batches.ts);
// one that completes a partial response, or whose key is stored already, goes one by one.
import { withTransaction } from '../../platform/db.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { submitResponse, type SubmitInput, type StoredResponse, type SurveyForSubmit } from './submit-response.js';
import { prepareResponse } from './prepare-response.js';
import { createResponseBatcher, submittedPayload } from './write-response-batches.js';
import { analyzeResponses } from './analyze-responses.js';
import { openLink } from './open-link.js';
import type { SurveyRow } from './manage-surveys.js';
import type { Answers } from './survey-definition.js';
import { alreadyAnswered, noSuchCustomer, surveyNotFound } from './errors.js';

export function createResponseReceiver(deps: FeedbackDeps) {
  const { pool, bus, log, events, customers, clock, caches } = deps;

  /** After a response written one by one (an invitation's answers, a partial completed later). */
  async function afterSubmit(tenantId: string, r: StoredResponse) {
    if (r.status !== 'complete') return;
    bus.publish({ type: 'feedback.response.submitted', tenantId, payload: submittedPayload(r) });
    if (r.openText && deps.analyzer())
      await analyzeResponses(deps, tenantId, [r.id]).catch((err) => log.warn({ err: (err as Error).message }, 'text analysis failed; left for re-processing'));
  }

  /** One response in its own transaction: merges with a partial response of the same invitation or key. */
  async function submitOne(tenantId: string, survey: SurveyForSubmit, input: SubmitInput): Promise<StoredResponse> {
    const run = () => withTransaction(pool, (tx) => submitResponse(tx, tenantId, survey, input, (t, entries) => events.append(t, tenantId, entries)));
    let r: StoredResponse;
    try {
      r = await run();
    } catch (err) {
      // Two first submissions of one invitation or key at once: the loser sees the winner's row.
      if ((err as { code?: string }).code !== '23505') throw err;
      r = await run();
    }
    await afterSubmit(tenantId, r);
    return r;
  }

  /** The input with its client-given customer id checked, and followed to the survivor of a merge. */
  async function withCheckedCustomer(tenantId: string, input: SubmitInput): Promise<SubmitInput> {
    if (!input.customerId) return input;
    const found = await customers.findCustomerId(tenantId, input.customerId);
    if (!found || found.status !== 'active') throw noSuchCustomer();
    return { ...input, customerId: found.id };
  }

  const batcher = createResponseBatcher({
    pool,
    bus,
    log,
    analyzer: deps.analyzer,
    submitOne: async (tenantId, row) => submitOne(tenantId, row.survey, row.checkCustomer ? await withCheckedCustomer(tenantId, row.input) : row.input),
  });

  /**
   * Responses with nothing to merge with go through the group commit; so does a keyed one, which falls
   * back to the one-by-one path when its key turns out to be stored already. `checkCustomer`: the
   * customer id came from the client and is checked (in the batch, for all at once).
   */
  async function submit(
    tenantId: string,
    survey: SurveyRow,
    version: number,
    input: SubmitInput,
    opts: { checkCustomer?: boolean } = {},
  ): Promise<StoredResponse> {
    const s: SurveyForSubmit = {
      id: survey.id,
      kind: survey.kind,
      status: survey.status,
      version,
      definition: await caches.definition(tenantId, survey.id, version),
    };
    if (!input.invitationId) {
      let prepared: ReturnType<typeof prepareResponse> | undefined;
      try {
        prepared = prepareResponse(s, input);
      } catch (err) {
        // With a key, earlier partial answers may make these answers whole: the one-by-one path decides.
        if (!input.submissionKey) throw err;
      }
      if (prepared) return batcher.enqueue(tenantId, { ...prepared.row, checkCustomer: !!opts.checkCustomer }, prepared.stored);
    }
    return submitOne(tenantId, s, opts.checkCustomer ? await withCheckedCustomer(tenantId, input) : input);
  }

  return {
    /** A response through the API (an app, an integration); the customer is resolved first. */
    async submitResponse(tenantId: string, input: Omit<SubmitInput, 'at'> & { at?: Date }) {
      const survey = await caches.survey(tenantId, input.surveyId);
      if (!survey) throw surveyNotFound();
      return submit(
        tenantId,
        survey,
        survey.current_version,
        { ...input, customerId: input.customerId ?? null, answersInvitation: !input.invitationId, at: input.at ?? clock.now() },
        { checkCustomer: true },
      );
    },

    /** Answers arriving through a signed link: the invitation fixes customer, version and touchpoint. */
    async submitByLink(token: string, body: { answers: Answers; isPartial: boolean; pageUrl?: string; language?: string }, now: Date = clock.now()) {
      const l = await openLink(deps, token, now, { withProfile: false });
      if (l.invitation) {
        if (l.invitation.status === 'answered') throw alreadyAnswered();
        return submit(l.tenantId, l.survey, l.version, {
          surveyId: l.survey.id,
          answers: body.answers,
          isPartial: body.isPartial,
          customerId: l.invitation.customer_id,
          invitationId: l.invitation.id,
          channel: l.invitation.channel,
          touchpoint: l.invitation.touchpoint,
          journeyStage: l.invitation.journey_stage,
          trigger: l.invitation.trigger,
          conversationId: typeof l.invitation.context?.conversation_id === 'string' ? l.invitation.context.conversation_id : null,
          language: body.language ?? null,
          at: now,
        });
      }
      // The page button: customer-initiated, anonymous, with the page it was pressed on.
      return submit(l.tenantId, l.survey, l.version, {
        surveyId: l.survey.id,
        answers: body.answers,
        isPartial: body.isPartial,
        channel: 'web',
        touchpoint: l.survey.touchpoint,
        journeyStage: l.survey.journey_stage,
        trigger: 'button',
        language: body.language ?? null,
        pageUrl: body.pageUrl ?? null,
        at: now,
      });
    },
  };
}
