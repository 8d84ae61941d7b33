// HTTP for feedback: surveys and versions, invitations, responses through the API, and the measures
// the console reads. The hosted page and the page button are in public-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { unprocessable } from '../../platform/errors.js';
import type { FeedbackService } from './feedback-service.js';
import { SurveyInput, SurveyPatch, JOURNEY_STAGES, SURVEY_CHANNELS } from './manage-surveys.js';
import { AnswersInput, SurveyDefinition, type Answers } from './survey-definition.js';
import { GROUPS, BUCKETS } from './measure-feedback.js';
import { surveyNotFound, responseNotFound, noSuchCustomer } from './errors.js';
import { TopicCorrectionInput } from '../text/index.js';
import { channelName } from '../customers/index.js';
import { Id, Survey, Response, Submitted, Range, ListLimit } from './contract.js';

function range(q: { from?: string; to?: string }, now: Date, days = 90) {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - days * 86_400_000);
  if (from >= to) throw unprocessable('from must be before to', [{ field: 'query.from', message: 'must be before to' }]);
  return { from, to };
}

export function feedbackRoutes(service: FeedbackService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['feedback'];

    app.post(
      '/v1/surveys',
      { schema: { tags, summary: 'Create a survey (version 1)', body: SurveyInput, response: { 201: Survey, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        const id = await service.createSurvey(p.tenantId, req.body);
        return reply.status(201).send({ ...(await service.getSurvey(p.tenantId, id))!, definition: req.body.definition });
      },
    );

    app.get(
      '/v1/surveys',
      {
        schema: {
          tags,
          summary: 'List surveys',
          querystring: z.object({ status: z.enum(['active', 'paused', 'archived']).optional() }),
          response: { 200: z.object({ data: z.array(Survey) }), ...problemResponses },
        },
      },
      async (req) => {
        return { data: await service.listSurveys(principalOf(req).tenantId, { status: req.query.status }) };
      },
    );

    app.get(
      '/v1/surveys/:id',
      { schema: { tags, summary: 'A survey with its current definition', params: Id, response: { 200: Survey, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        const s = await service.getSurvey(p.tenantId, req.params.id);
        if (!s) throw surveyNotFound();
        return { ...s, definition: await service.definitionOf(p.tenantId, s.id, s.current_version) };
      },
    );

    app.patch(
      '/v1/surveys/:id',
      {
        schema: {
          tags,
          summary: 'Change a survey; a new definition becomes a new version',
          params: Id,
          body: SurveyPatch,
          response: { 200: Survey, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.updateSurvey(p.tenantId, req.params.id, req.body))) throw surveyNotFound();
        const s = (await service.getSurvey(p.tenantId, req.params.id))!;
        return { ...s, definition: await service.definitionOf(p.tenantId, s.id, s.current_version) };
      },
    );

    app.get(
      '/v1/surveys/:id/versions',
      {
        schema: {
          tags,
          summary: 'Every version of a survey',
          params: Id,
          response: {
            200: z.object({ data: z.array(z.object({ version: z.number(), definition: SurveyDefinition, created_at: z.string() })) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.getSurvey(p.tenantId, req.params.id))) throw surveyNotFound();
        return { data: await service.listSurveyVersions(p.tenantId, req.params.id) };
      },
    );

    app.get(
      '/v1/surveys/:id/button',
      {
        schema: {
          tags,
          summary: 'The script tag for the feedback button on any page of a site',
          params: Id,
          response: { 200: z.object({ token: z.string(), snippet: z.string() }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.getSurvey(p.tenantId, req.params.id))) throw surveyNotFound();
        const token = await service.buttonToken(p.tenantId, req.params.id);
        const origin = `${req.protocol}://${req.host}`;
        return { token, snippet: `<script async src="${origin}/feedback/button.js" data-survey="${token}"></script>` };
      },
    );

    app.post(
      '/v1/surveys/:id/invitations',
      {
        schema: {
          tags,
          summary: 'Ask one customer now (consent, contact window and throttling apply)',
          params: Id,
          body: z
            .object({
              customer_id: z.string().min(1).max(64),
              channel: channelName(SURVEY_CHANNELS).optional(),
              source_key: z.string().min(1).max(200).optional(),
            })
            .strict(),
          response: {
            200: z.object({ outcome: z.string(), invitation_id: z.string().optional(), url: z.string().optional(), next_window_at: z.string().optional() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (!(await service.getSurvey(p.tenantId, req.params.id))) throw surveyNotFound();
        const r = await service.issue(
          p.tenantId,
          {
            surveyId: req.params.id,
            customerId: req.body.customer_id,
            trigger: 'manual',
            sourceKey: req.body.source_key ?? `manual:${req.id}`,
            channel: req.body.channel,
          },
          service.clock.now(),
        );
        if (r.outcome === 'no_customer') throw noSuchCustomer();
        return {
          outcome: r.outcome,
          ...(r.outcome === 'issued' ? { invitation_id: r.invitationId, url: r.url } : {}),
          ...(r.outcome === 'outside_window' && r.next ? { next_window_at: r.next.toISOString() } : {}),
        };
      },
    );

    app.get(
      '/v1/survey-invitations',
      {
        schema: {
          tags,
          summary: 'Invitations issued',
          querystring: z.object({ survey_id: z.string().max(64).optional(), customer_id: z.string().max(64).optional(), limit: ListLimit }),
          response: { 200: z.object({ data: z.array(z.record(z.string(), z.unknown())) }), ...problemResponses },
        },
      },
      async (req) => ({
        data: await service.listInvitations(principalOf(req).tenantId, {
          surveyId: req.query.survey_id,
          customerId: req.query.customer_id,
          limit: req.query.limit,
        }),
      }),
    );

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
          summary: 'Responses, newest first',
          querystring: z.object({
            survey_id: z.string().max(64).optional(),
            customer_id: z.string().max(64).optional(),
            status: z.enum(['partial', 'complete']).optional(),
            limit: ListLimit,
          }),
          response: { 200: z.object({ data: z.array(Response) }), ...problemResponses },
        },
      },
      async (req) => ({
        data: await service.listResponses(principalOf(req).tenantId, {
          surveyId: req.query.survey_id,
          customerId: req.query.customer_id,
          status: req.query.status,
          limit: req.query.limit,
        }),
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

    const ScoreRow = z.object({
      group: z.string(),
      bucket: z.string().nullable(),
      count: z.number(),
      score: z.number(),
      ci_low: z.number(),
      ci_high: z.number(),
      mean: z.number(),
      promoters: z.number().optional(),
      passives: z.number().optional(),
      detractors: z.number().optional(),
    });
    const MeasureQuery = Range.extend({
      kind: z.enum(['nps', 'csat', 'ces']).default('nps'),
      group_by: z.enum(Object.keys(GROUPS) as [keyof typeof GROUPS]).default('none'),
      bucket: z.enum(BUCKETS).default('none'),
      survey_id: z.string().max(64).optional(),
    });
    app.get(
      '/v1/feedback/measures',
      {
        schema: {
          tags,
          summary: 'NPS, CSAT or CES with counts and 95% intervals, by group and time bucket',
          querystring: MeasureQuery,
          response: { 200: z.object({ data: z.array(ScoreRow) }), ...problemResponses },
        },
      },
      async (req) => {
        const q = req.query;
        return {
          data: await service.measureScores(principalOf(req).tenantId, {
            kind: q.kind,
            groupBy: q.group_by,
            bucket: q.bucket,
            surveyId: q.survey_id,
            ...range(q, service.clock.now()),
          }),
        };
      },
    );
    app.get(
      '/v1/feedback/distribution',
      {
        schema: {
          tags,
          summary: 'How many answered each score',
          querystring: MeasureQuery.omit({ group_by: true, bucket: true }),
          response: { 200: z.object({ data: z.array(z.object({ score: z.number(), count: z.number() })) }), ...problemResponses },
        },
      },
      async (req) => ({
        data: await service.scoreDistribution(principalOf(req).tenantId, {
          kind: req.query.kind,
          groupBy: 'none',
          bucket: 'none',
          surveyId: req.query.survey_id,
          ...range(req.query, service.clock.now()),
        }),
      }),
    );
    app.get(
      '/v1/feedback/response-rates',
      {
        schema: {
          tags,
          summary: 'Invitations issued and answered, by survey',
          querystring: Range,
          response: { 200: z.object({ data: z.array(z.record(z.string(), z.unknown())) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.responseRates(principalOf(req).tenantId, range(req.query, service.clock.now())) }),
    );
    app.get(
      '/v1/feedback/topics',
      {
        schema: {
          tags,
          summary: 'Top topics among detractors against promoters',
          querystring: Range,
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  topic: z.string(),
                  detractors: z.number(),
                  promoters: z.number(),
                  negative: z.number().describe('Answers that named the topic with a complaint'),
                  positive: z.number().describe('Answers that named the topic with praise'),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => ({ data: await service.topicsBySentiment(principalOf(req).tenantId, range(req.query, service.clock.now())) }),
    );
    app.get(
      '/v1/feedback/satisfied-but-left',
      {
        schema: {
          tags,
          summary: 'Customers who answered satisfied and then made no purchase for N days',
          querystring: z.object({ days: z.coerce.number().int().min(1).max(3650).default(90) }),
          response: {
            200: z.object({ data: z.array(z.object({ customer_id: z.string(), kind: z.string(), score: z.number(), answered_at: z.string() })) }),
            ...problemResponses,
          },
        },
      },
      async (req) => ({ data: await service.satisfiedButLeft(principalOf(req).tenantId, { days: req.query.days }) }),
    );
  };
}
