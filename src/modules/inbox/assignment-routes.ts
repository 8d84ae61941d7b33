// HTTP for who holds a conversation: assigning, transferring with a reason, an agent picking from their
// teams' queue, and the assignment history.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { actorOf } from '../../platform/audit.js';
import { Id, Obj, List } from './contract.js';

const Tags = ['inbox'];

export function assignmentRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/conversations/:id/assignment',
      {
        schema: {
          tags: Tags,
          summary: 'Assign to an agent or a team (routed within it), or unassign with agent_id null',
          params: Id,
          body: z
            .object({
              agent_id: z.string().min(1).max(64).nullable().optional(),
              team_id: z.string().min(1).max(64).nullable().optional(),
              force: z.boolean().optional(),
            })
            .strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.assign(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.post(
      '/v1/conversations/:id/transfer',
      {
        schema: {
          tags: Tags,
          summary: 'Hand a conversation to another agent (and team), with a reason kept in the audit log',
          params: Id,
          body: z
            .object({
              agent_id: z.string().min(1).max(64),
              team_id: z.string().min(1).max(64).nullable().optional(),
              reason: z.string().trim().min(1).max(500),
              force: z.boolean().optional(),
            })
            .strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.transfer(p.tenantId, req.params.id, req.body, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.post(
      '/v1/conversations/:id/pick',
      {
        schema: {
          tags: Tags,
          summary: 'An agent takes a waiting conversation of one of their teams (never one another agent holds: that is a transfer)',
          params: Id,
          body: z.object({ agent_id: z.string().min(1).max(64) }).strict(),
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await inbox.pick(p.tenantId, req.params.id, req.body.agent_id, actorOf(p));
        return inbox.getConversation(p.tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/conversations/:id/assignments',
      { schema: { tags: Tags, summary: 'Assignment history', params: Id, response: { 200: List, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listAssignments(p.tenantId, req.params.id) };
      },
    );
  };
}
