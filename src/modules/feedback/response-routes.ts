// HTTP for feedback's responses through the API: submitted (or partly), listed, read, and their
// topics corrected. Registered by feedbackRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { unprocessable } from '../../platform/errors.js';
import type { FeedbackService } from './feedback-service.js';
import { JOURNEY_STAGES, SURVEY_CHANNELS, SURVEY_KINDS } from './manage-surveys.js';
import { AnswersInput, type Answers } from './survey-definition.js';
import { surveyNotFound, responseNotFound } from './errors.js';
import { TopicCorrectionInput } from '../text/index.js';
import { channelName } from '../customers/index.js';
import { Id, Response, Submitted, ListLimit } from './contract.js';

const tags = ['feedback'];

export function feedbackResponseRoutes(service: FeedbackService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/survey-responses',
      {
        schema: {
          tags,
          summary: 'Submit a response (or part of one) through the API',
          body: z
            .object({
              survey_id: z.string().min(1).max(64),
              customer_id: z.string().min(1).max(64).optional(),
              answers: AnswersInput,
              partial: z.boolean().default(false),
              submission_key: z.string().min(1).max(200).optional(),
              channel: channelName(SURVEY_CHANNELS).optional(),
              touchpoint: z.string().min(1).max(100).optional(),
              journey_stage: z.enum(JOURNEY_STAGES).optional(),
              language: z.string().max(35).optional(),
              page_url: z.url().max(2000).optional(),
              submitted_at: Timestamp.optional(),
            })
            .strict(),
          response: { 201: Submitted, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const b = req.body;
        const at = b.submitted_at ? new Date(b.submitted_at) : undefined;
        if (at && at.getTime() > service.clock.now().getTime() + 300_000)
          throw unprocessable('submitted_at is in the future', [{ field: 'submitted_at', message: 'must not be in the future' }]);
        const survey = await service.cachedSurvey(p.tenantId, b.survey_id);
        if (!survey) throw surveyNotFound();
        const r = await service.submitResponse(p.tenantId, {
          surveyId: b.survey_id,
          customerId: b.customer_id,
          answers: b.answers as Answers,
          isPartial: b.partial,
          submissionKey: b.submission_key,
          channel: b.channel ?? survey.channel,
          touchpoint: b.touchpoint ?? survey.touchpoint,
          journeyStage: b.journey_stage ?? survey.journey_stage,
          trigger: 'api',
          language: b.language,
          pageUrl: b.page_url,
          at,
        });
        return reply.status(201).send({ id: r.id, status: r.status, survey_version: r.surveyVersion, score: r.score, missing: r.missing });
      },
    );

    app.get(
      '/v1/survey-responses',
      {
        schema: {
          tags,
          summary: 'Responses, newest first, a page at a time (pass next_cursor as cursor for the next)',
          querystring: z.object({
            survey_id: z.string().max(64).optional(),
            customer_id: z.string().max(64).optional(),
            status: z.enum(['partial', 'complete']).optional(),
            kind: z.enum(SURVEY_KINDS).optional(),
            cursor: z.string().max(64).optional(),
            limit: ListLimit,
          }),
          response: { 200: z.object({ data: z.array(Response), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) =>
        service.listResponses(principalOf(req).tenantId, {
          surveyId: req.query.survey_id,
          customerId: req.query.customer_id,
          status: req.query.status,
          kind: req.query.kind,
          cursor: req.query.cursor,
          limit: req.query.limit,
        }),
    );

    app.get(
      '/v1/survey-responses/:id',
      { schema: { tags, summary: 'One response', params: Id, response: { 200: Response, ...problemResponses } } },
      async (req) => {
        const r = await service.getResponse(principalOf(req).tenantId, req.params.id);
        if (!r) throw responseNotFound();
        return r;
      },
    );

    app.post(
      '/v1/survey-responses/:id/topics',
      {
        schema: {
          tags,
          summary: "Correct a response's topics: the text module learns from the correction",
          params: Id,
          body: TopicCorrectionInput,
          response: { 200: Response, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.correctTopics(p.tenantId, req.params.id, req.body, p.id))) throw responseNotFound();
        return (await service.getResponse(p.tenantId, req.params.id))!;
      },
    );
  };
}
