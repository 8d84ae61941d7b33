// HTTP for periodic loyalty statements: by email through a template, or as post-ready PDF files.
// Registered by outreachRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { OutreachService } from './outreach-service.js';
import { Id } from './contract.js';

export function outreachStatementRoutes(service: OutreachService): FastifyPluginAsyncZod {
  return async (app) => {
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
  };
}
