// HTTP for outreach: settings, templates and previews, sends and delivery reports. Segments and
// campaigns are in campaign-routes.ts, loyalty statements in statement-routes.ts, journeys in
// journey-routes.ts (all registered in this plugin); the public one-click unsubscribe, preference page
// and tracking are in public-routes.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { OutreachService } from './outreach-service.js';
import { TemplateInput } from './manage-templates.js';
import { SettingsInput } from './settings.js';
import { DeliveryReport } from './record-delivery-status.js';
import { outreachPublicRoutes } from './public-routes.js';
import { templateNotFound, messageNotFound } from './errors.js';
import { Id, Variables, TemplateOut, MessageOut, OutreachSettingsOut, PreviewBody, TemplatePreview } from './contract.js';
import { outreachCampaignRoutes } from './campaign-routes.js';
import { outreachStatementRoutes } from './statement-routes.js';
import { outreachJourneyRoutes } from './journey-routes.js';

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
        schema: {
          tags: ['outreach'],
          summary: 'Outreach settings (the SMTP password is never returned)',
          response: { 200: OutreachSettingsOut, ...problemResponses },
        },
      },
      async (req) => (await import('./settings.js')).publicSettings(await service.settings(principalOf(req).tenantId)),
    );
    app.put(
      '/v1/outreach/settings',
      {
        config: { scope: 'admin' },
        schema: { tags: ['outreach'], summary: 'Change outreach settings', body: SettingsInput, response: { 200: OutreachSettingsOut, ...problemResponses } },
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
          body: PreviewBody,
          response: { 200: TemplatePreview, ...problemResponses },
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

    // Segments and campaigns, statements, journeys: files of their own, registered in this same plugin.
    await outreachCampaignRoutes(service)(app, {});
    await outreachStatementRoutes(service)(app, {});
    await outreachJourneyRoutes(service)(app, {});

    // Public: reached from a message, proven by the link's signature (public-routes.ts).
    await app.register(outreachPublicRoutes(service));
  };
}
