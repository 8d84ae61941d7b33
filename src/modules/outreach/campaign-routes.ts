// HTTP for outreach's segments (rules previewed, saved, counted) and campaigns (a template to a
// segment, planned). Registered by outreachRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { OutreachService } from './outreach-service.js';
import { segmentNotFound, campaignNotFound } from './errors.js';
import { Id, SegmentOut, CampaignOut, CampaignDetail } from './contract.js';

export function outreachCampaignRoutes(service: OutreachService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/outreach/segments/preview',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Count the customers a set of rules selects',
          body: z.object({ rules: z.unknown() }),
          response: { 200: z.object({ count: z.number() }), ...problemResponses },
        },
      },
      async (req) => ({ count: await service.countRules(principalOf(req).tenantId, req.body.rules) }),
    );
    app.post(
      '/v1/outreach/segments',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Create a segment',
          body: z.object({ name: z.string().trim().min(1).max(200), rules: z.unknown() }),
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createSegment(principalOf(req).tenantId, req.body) }),
    );
    app.get(
      '/v1/outreach/segments',
      { schema: { tags: ['outreach'], summary: 'List segments', response: { 200: z.object({ data: z.array(SegmentOut) }), ...problemResponses } } },
      async (req) => ({ data: await service.listSegments(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/outreach/segments/:id',
      { schema: { tags: ['outreach'], summary: 'A segment', params: IdParam, response: { 200: SegmentOut, ...problemResponses } } },
      async (req) => {
        const s = await service.getSegment(principalOf(req).tenantId, req.params.id);
        if (!s) throw segmentNotFound();
        return s;
      },
    );
    app.get(
      '/v1/outreach/segments/:id/count',
      {
        schema: {
          tags: ['outreach'],
          summary: 'How many customers the segment holds now',
          params: IdParam,
          response: { 200: z.object({ count: z.number() }), ...problemResponses },
        },
      },
      async (req) => ({ count: await service.countSegment(principalOf(req).tenantId, req.params.id) }),
    );

    app.post(
      '/v1/outreach/campaigns',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Create a campaign (a template to a segment)',
          body: z.object({ name: z.string().trim().min(1).max(200), segment_id: Id, template_id: Id }),
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createCampaign(principalOf(req).tenantId, req.body) }),
    );
    app.get(
      '/v1/outreach/campaigns',
      { schema: { tags: ['outreach'], summary: 'List campaigns', response: { 200: z.object({ data: z.array(CampaignOut) }), ...problemResponses } } },
      async (req) => ({ data: await service.listCampaigns(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/outreach/campaigns/:id',
      {
        schema: {
          tags: ['outreach'],
          summary: 'A campaign, its plan figures and its messages counted by status now (delivery)',
          params: IdParam,
          response: { 200: CampaignDetail, ...problemResponses },
        },
      },
      async (req) => {
        const c = await service.getCampaign(principalOf(req).tenantId, req.params.id);
        if (!c) throw campaignNotFound();
        return c;
      },
    );
    app.post(
      '/v1/outreach/campaigns/:id/plan',
      {
        schema: { tags: ['outreach'], summary: 'Plan every message of a draft campaign', params: IdParam, response: { 200: CampaignOut, ...problemResponses } },
      },
      async (req) => service.planCampaign(principalOf(req).tenantId, req.params.id),
    );
  };
}
