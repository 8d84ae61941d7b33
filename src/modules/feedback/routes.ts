// HTTP for feedback: surveys and versions, the page button's snippet, invitations. Responses through
// the API are in response-routes.ts and the measures the console reads in measure-routes.ts, both
// registered in this plugin; the hosted page and the page button are in public-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { FeedbackService } from './feedback-service.js';
import { SurveyInput, SurveyPatch, SURVEY_CHANNELS } from './manage-surveys.js';
import { SurveyDefinition } from './survey-definition.js';
import { surveyNotFound, noSuchCustomer } from './errors.js';
import { channelName } from '../customers/index.js';
import { Id, Invitation, Survey, ListLimit } from './contract.js';
import { feedbackResponseRoutes } from './response-routes.js';
import { feedbackMeasureRoutes } from './measure-routes.js';

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
          response: { 200: z.object({ data: z.array(Invitation) }), ...problemResponses },
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

    // Responses and measures, in files of their own, registered in this same plugin.
    await feedbackResponseRoutes(service)(app, {});
    await feedbackMeasureRoutes(service)(app, {});
  };
}
