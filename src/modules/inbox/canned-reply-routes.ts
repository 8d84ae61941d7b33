// HTTP for canned replies: an agent's saved answers, found by shortcut or title.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { CannedReplyInput } from './manage-canned-replies.js';
import { CannedReplyView, listOf, Id, Created } from './contract.js';

const Tags = ['inbox'];

export function cannedReplyRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/inbox/canned-replies',
      { schema: { tags: Tags, summary: 'Add a canned reply', body: CannedReplyInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createCannedReply(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/canned-replies',
      {
        schema: {
          tags: Tags,
          summary: 'Canned replies, by shortcut or title',
          querystring: z.object({ q: z.string().max(100).optional() }),
          response: { 200: listOf(CannedReplyView), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listCannedReplies(p.tenantId, req.query.q) };
      },
    );
    app.delete(
      '/v1/inbox/canned-replies/:id',
      { schema: { tags: Tags, summary: 'Remove a canned reply', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteCannedReply(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
