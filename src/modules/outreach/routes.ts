// HTTP for outreach: settings, templates and previews, sends and delivery reports, segments,
// campaigns, journeys; the public one-click unsubscribe, preference page and tracking are in public-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { OutreachService } from './outreach-service.js';
import { TemplateInput } from './manage-templates.js';
import { SettingsInput } from './settings.js';
import { DeliveryReport } from './record-delivery-status.js';
import { JourneyInput } from './run-journeys.js';
import { outreachPublicRoutes } from './public-routes.js';
import { templateNotFound, messageNotFound, segmentNotFound, campaignNotFound, journeyNotFound } from './errors.js';
import { Id, Variables, TemplateOut, MessageOut, SegmentOut, CampaignOut, JourneyOut } from './contract.js';

const templateOut = (t: Awaited<ReturnType<OutreachService['getTemplate']>> & object) => ({
  id: t.id,
  name: t.name,
  purpose: t.purpose,
  default_locale: t.defaultLocale,
  content: t.content,
  channels: t.channels,
  variables: t.variables,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export function outreachRoutes(service: OutreachService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/outreach/settings',
      {
        config: { scope: 'admin' },
        schema: { tags: ['outreach'], summary: 'Outreach settings (the SMTP password is never returned)', response: { 200: z.unknown(), ...problemResponses } },
      },
      async (req) => (await import('./settings.js')).publicSettings(await service.settings(principalOf(req).tenantId)),
    );
    app.put(
      '/v1/outreach/settings',
      {
        config: { scope: 'admin' },
        schema: { tags: ['outreach'], summary: 'Change outreach settings', body: SettingsInput, response: { 200: z.unknown(), ...problemResponses } },
      },
      async (req) => (await import('./settings.js')).publicSettings(await service.updateSettings(principalOf(req).tenantId, req.body)),
    );

    app.post(
      '/v1/outreach/templates',
      { schema: { tags: ['outreach'], summary: 'Create a template', body: TemplateInput, response: { 201: TemplateOut, ...problemResponses } } },
      async (req, reply) => reply.status(201).send(templateOut(await service.createTemplate(principalOf(req).tenantId, req.body))),
    );
    app.get(
      '/v1/outreach/templates',
      { schema: { tags: ['outreach'], summary: 'List templates', response: { 200: z.object({ data: z.array(TemplateOut) }), ...problemResponses } } },
      async (req) => ({ data: (await service.listTemplates(principalOf(req).tenantId)).map(templateOut) }),
    );
    app.get(
      '/v1/outreach/templates/:id',
      { schema: { tags: ['outreach'], summary: 'A template', params: IdParam, response: { 200: TemplateOut, ...problemResponses } } },
      async (req) => {
        const t = await service.getTemplate(principalOf(req).tenantId, req.params.id);
        if (!t) throw templateNotFound();
        return templateOut(t);
      },
    );
    app.put(
      '/v1/outreach/templates/:id',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Replace a template',
          params: IdParam,
          body: TemplateInput,
          response: { 200: TemplateOut, ...problemResponses },
        },
      },
      async (req) => {
        const t = await service.updateTemplate(principalOf(req).tenantId, req.params.id, req.body);
        if (!t) throw templateNotFound();
        return templateOut(t);
      },
    );
    app.post(
      '/v1/outreach/templates/:id/preview',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Render a template for one customer',
          params: IdParam,
          body: z.object({ customer_id: Id, variables: Variables.optional(), locale: z.string().max(35).optional() }),
          response: { 200: z.unknown(), ...problemResponses },
        },
      },
      async (req) =>
        service.previewTemplate(principalOf(req).tenantId, req.params.id, req.body.customer_id, { variables: req.body.variables, locale: req.body.locale }),
    );

    app.post(
      '/v1/outreach/messages',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Send a template to a customer (channel, quiet hours, caps and suppression apply)',
          body: z.object({
            customer_id: Id,
            template_id: Id,
            reason: z.string().min(1).max(500),
            variables: Variables.optional(),
            is_urgent: z.boolean().default(false),
          }),
          response: {
            201: z.object({
              id: z.string(),
              status: z.string(),
              status_reason: z.string().nullable(),
              channel: z.string().nullable(),
              scheduled_at: z.string(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const m = await service.send(principalOf(req).tenantId, {
          customerId: b.customer_id,
          templateId: b.template_id,
          reason: b.reason,
          variables: b.variables,
          isUrgent: b.is_urgent,
        });
        return reply.status(201).send({ id: m.id, status: m.status, status_reason: m.statusReason, channel: m.channel, scheduled_at: m.scheduledAt });
      },
    );
    app.get(
      '/v1/outreach/messages',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Recent messages, by customer or campaign',
          querystring: z.object({ customer_id: Id.optional(), campaign_id: Id.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ data: z.array(MessageOut) }), ...problemResponses },
        },
      },
      async (req) => ({
        data: await service.listMessages(principalOf(req).tenantId, {
          customerId: req.query.customer_id,
          campaignId: req.query.campaign_id,
          limit: req.query.limit,
        }),
      }),
    );
    app.get(
      '/v1/outreach/messages/:id',
      {
        schema: {
          tags: ['outreach'],
          summary: 'A message and its delivery history',
          params: IdParam,
          response: {
            200: MessageOut.extend({ history: z.array(z.object({ status: z.string(), at: z.string(), details: z.unknown() })) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const m = await service.getMessage(principalOf(req).tenantId, req.params.id);
        if (!m) throw messageNotFound();
        return m;
      },
    );
    app.post(
      '/v1/outreach/delivery-reports',
      {
        config: { scope: 'ingest' },
        schema: {
          tags: ['outreach'],
          summary: 'A channel reports delivered / opened / clicked / bounced / complained / failed',
          body: DeliveryReport,
          response: { 200: z.object({ id: z.string(), status: z.string() }), ...problemResponses },
        },
      },
      async (req) => {
        const r = await service.recordDeliveryStatus(principalOf(req).tenantId, req.body);
        if (!r) throw messageNotFound();
        return r;
      },
    );

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
          response: { 200: CampaignOut.extend({ delivery: z.record(z.string(), z.number()) }), ...problemResponses },
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

    // Periodic loyalty statements, by email (through a template) or as a post-ready PDF.
    // A day (midnight UTC) or an instant with its offset, as everywhere else in the API.
    const Instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).describe('A date (midnight UTC) or a date-time with offset');
    const instantOf = (v: string) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
    const Period = z
      .object({ from: Instant, to: Instant })
      .refine((p) => instantOf(p.from) < instantOf(p.to), { message: 'must be before to', path: ['from'] })
      .refine((p) => instantOf(p.to).getTime() - instantOf(p.from).getTime() <= 366 * 86_400_000, {
        message: 'a statement covers at most a year',
        path: ['to'],
      });
    const periodOf = (p: { from: string; to: string }) => ({ from: instantOf(p.from), to: instantOf(p.to) });
    app.post(
      '/v1/outreach/statements',
      {
        schema: {
          tags: ['outreach'],
          summary: "Plan every member's loyalty statement for [from, to) through a template, in the background (once per member, template and period)",
          body: z.object({ template_id: Id }).and(Period),
          response: { 202: z.object({ status: z.literal('queued'), template_id: z.string(), from: z.string(), to: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        await service.queueStatements(principalOf(req).tenantId, req.body.template_id, periodOf(req.body));
        return reply.status(202).send({ status: 'queued' as const, template_id: req.body.template_id, from: req.body.from, to: req.body.to });
      },
    );
    app.get(
      '/v1/outreach/statements/pdf',
      {
        schema: {
          tags: ['outreach'],
          summary:
            'Post-ready loyalty statements for [from, to): one A4 page per member with the postal address (attribute postal_address) in the envelope window. ' +
            'Members come in customer-id order, `limit` per file; the Rapport-Next-After header is the `after` of the next file (absent on the last). ' +
            'Rapport-Without-Address counts the members in this file who have no postal address.',
          querystring: Period.and(z.object({ after: Id.optional(), customer_id: Id.optional(), limit: z.coerce.number().int().min(1).max(2000).default(500) })),
          response: { 200: z.unknown().describe('application/pdf'), ...problemResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const doc = await service.statementsPdf(principalOf(req).tenantId, periodOf(q), {
          customerIds: q.customer_id ? [q.customer_id] : undefined,
          after: q.after,
          limit: q.limit,
        });
        if (doc.next) reply.header('rapport-next-after', doc.next);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="statements-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}.pdf"`)
          .header('rapport-pages', String(doc.pages))
          .header('rapport-without-address', String(doc.withoutAddress.length))
          .send(doc.pdf);
      },
    );

    app.post(
      '/v1/outreach/journeys',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Create a triggered journey',
          body: JourneyInput,
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createJourney(principalOf(req).tenantId, req.body) }),
    );
    app.get(
      '/v1/outreach/journeys',
      { schema: { tags: ['outreach'], summary: 'List journeys', response: { 200: z.object({ data: z.array(JourneyOut) }), ...problemResponses } } },
      async (req) => ({ data: await service.listJourneys(principalOf(req).tenantId) }),
    );
    app.get(
      '/v1/outreach/journeys/:id',
      {
        schema: { tags: ['outreach'], summary: 'A journey and its enrollments by status', params: IdParam, response: { 200: JourneyOut, ...problemResponses } },
      },
      async (req) => {
        const j = await service.getJourney(principalOf(req).tenantId, req.params.id);
        if (!j) throw journeyNotFound();
        return j;
      },
    );
    app.patch(
      '/v1/outreach/journeys/:id',
      {
        schema: {
          tags: ['outreach'],
          summary: 'Pause or resume a journey',
          params: IdParam,
          body: z.object({ is_active: z.boolean() }),
          response: { 200: JourneyOut, ...problemResponses },
        },
      },
      async (req) => {
        const tenantId = principalOf(req).tenantId;
        if (!(await service.setJourneyActive(tenantId, req.params.id, req.body.is_active))) throw journeyNotFound();
        return (await service.getJourney(tenantId, req.params.id))!;
      },
    );

    // Public: reached from a message, proven by the link's signature (public-routes.ts).
    await app.register(outreachPublicRoutes(service));
  };
}
