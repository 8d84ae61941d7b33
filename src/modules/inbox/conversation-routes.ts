// HTTP for conversations themselves: the list, one conversation, its status, starting one, merging two,
// and the agent's context beside it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { InboxService } from './inbox-service.js';
import { ConversationView, ConversationListItem, ConversationContext, Id, StartBody, StartedOut, ConversationsQuery, ConversationPatch } from './contract.js';

const Tags = ['inbox'];

export function conversationRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/conversations',
      {
        schema: {
          tags: Tags,
          summary: 'List conversations',
          querystring: ConversationsQuery,
          response: { 200: z.object({ data: z.array(ConversationListItem), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        return inbox.listConversations(p.tenantId, { ...q, is_unassigned: q.unassigned === 'true' });
      },
    );
    app.get(
      '/v1/conversations/:id',
      { schema: { tags: Tags, summary: 'A conversation', params: Id, response: { 200: ConversationView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.patch(
      '/v1/conversations/:id',
      {
        schema: {
          tags: Tags,
          summary: 'Change status (open, pending, snoozed until, resolved), priority or tags',
          params: Id,
          body: ConversationPatch,
          response: { 200: ConversationView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.updateConversation(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.post(
      '/v1/conversations',
      {
        schema: {
          tags: Tags,
          summary: 'Write to a customer first: opens their conversation on the chosen channel (or joins the open one, answering 200)',
          body: StartBody,
          response: { 201: StartedOut, 200: StartedOut, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const started = await inbox.startConversation(p.tenantId, req.body, actorOf(p));
        return reply
          .status(started.isNew ? 201 : 200)
          .send({ conversation: await inbox.getConversation(p.tenantId, started.conversationId), message: started.message });
      },
    );
    app.post(
      '/v1/conversations/:id/merge',
      {
        schema: {
          tags: Tags,
          summary: 'Merge another conversation into this one',
          params: Id,
          body: z.object({ conversation_id: z.string().min(1).max(64) }).strict(),
          response: { 200: ConversationView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.merge(p.tenantId, req.params.id, req.body.conversation_id, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/conversations/:id/context',
      {
        schema: {
          tags: Tags,
          summary: "Agent context: profile, value, consent, timeline, cases, feedback, next-best-action hints (in the language asked, else the console user's)",
          params: Id,
          querystring: z.object({ language: z.enum(['en', 'zh-CN']).optional() }),
          response: { 200: ConversationContext, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.context(p.tenantId, req.params.id, actorOf(p), req.query.language);
      },
    );
  };
}
