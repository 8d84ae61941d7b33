// HTTP for working a case: notes, contacts with the customer, resolving it (and telling the customer) or
// closing it as won't fix, and sending a notice again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { LoopService } from './loop-service.js';
import { channelName } from '../customers/index.js';
import { Id, Message, CaseDetail, Ok } from './contract.js';
import { caseDetailOf } from './case-routes.js';

const tags = ['loop'];

export function loopCaseWorkRoutes(service: LoopService): FastifyPluginAsyncZod {
  return async (app) => {
    const detail = caseDetailOf(service);

    app.post(
      '/v1/cases/:id/notes',
      {
        schema: {
          tags,
          summary: 'Add a note',
          params: Id,
          body: z.object({ body: z.string().trim().min(1).max(10000) }).strict(),
          response: { 201: Ok, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        await service.addNote(p.tenantId, req.params.id, req.body.body, actorOf(p));
        return reply.status(201).send({ ok: true as const });
      },
    );

    app.post(
      '/v1/cases/:id/contacts',
      {
        schema: {
          tags,
          summary: 'Record a contact with the customer (moves the case to contacted)',
          params: Id,
          body: z
            .object({ channel: channelName(['phone', 'email', 'sms', 'wechat', 'webchat', 'in_person', 'other']), body: z.string().trim().min(1).max(10000) })
            .strict(),
          response: { 201: Ok, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        await service.recordContact(p.tenantId, req.params.id, req.body, actorOf(p));
        return reply.status(201).send({ ok: true as const });
      },
    );

    app.post(
      '/v1/cases/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve a case and tell the customer what was done',
          params: Id,
          body: z.object({ resolution: z.string().trim().min(1).max(5000), notify_customer: z.boolean().default(true), message: Message.optional() }).strict(),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.resolveCase(
          p.tenantId,
          req.params.id,
          { resolution: req.body.resolution, notify: req.body.notify_customer, message: req.body.message },
          actorOf(p),
        );
        return detail(p, req.params.id) as never;
      },
    );

    app.post(
      '/v1/cases/:id/wont-fix',
      {
        schema: {
          tags,
          summary: "Close a case as won't fix, with the reason",
          params: Id,
          body: z.object({ reason: z.string().trim().min(1).max(5000) }).strict(),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.wontFix(p.tenantId, req.params.id, req.body.reason, actorOf(p));
        return detail(p, req.params.id) as never;
      },
    );

    app.post(
      '/v1/case-notices/:id/resend',
      {
        schema: {
          tags,
          summary: 'Send a notice to the customer again (a failed one, or one waiting for a retry)',
          params: Id,
          response: {
            200: z.object({
              id: z.string(),
              channel: z.string(),
              recipient: z.string().nullable(),
              status: z.string(),
              error: z.string().nullable(),
              sent_at: z.string().nullable(),
              attempts: z.number(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        return service.resendNotice(principalOf(req).tenantId, req.params.id);
      },
    );
  };
}
