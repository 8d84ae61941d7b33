// HTTP for the feedback measures the console reads: scores with their intervals, the distribution,
// response rates, topics by sentiment, satisfied customers who left. Registered by feedbackRoutes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { unprocessable } from '../../platform/errors.js';
import type { FeedbackService } from './feedback-service.js';
import { GROUPS, BUCKETS } from './measure-feedback.js';
import { Range, ResponseRate, ScoreCount, ScoreRow, TopicCount } from './contract.js';

const tags = ['feedback'];

function range(q: { from?: string; to?: string }, now: Date, days = 90) {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - days * 86_400_000);
  if (from >= to) throw unprocessable('from must be before to', [{ field: 'query.from', message: 'must be before to' }]);
  return { from, to };
}

export function feedbackMeasureRoutes(service: FeedbackService): FastifyPluginAsyncZod {
  return async (app) => {
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
          response: { 200: z.object({ data: z.array(ScoreCount) }), ...problemResponses },
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
          response: { 200: z.object({ data: z.array(ResponseRate) }), ...problemResponses },
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
            200: z.object({ data: z.array(TopicCount) }),
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
