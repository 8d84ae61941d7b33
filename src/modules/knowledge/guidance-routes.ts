// HTTP for agent guidance: suggestions for a customer's message, next best actions, guided scripts and
// their runs on a conversation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, IdParam } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { KnowledgeService } from './knowledge-service.js';
import { Language, Id, SuggestInput, Suggestions, NodeId, ScriptInput, Script, ScriptRun } from './contract.js';

const tags = ['knowledge'];

export function knowledgeGuidanceRoutes(service: KnowledgeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/knowledge/suggestions',
      {
        config: { scope: 'read' },
        schema: {
          tags,
          summary: "Articles and canned replies for a customer's message",
          body: SuggestInput,
          response: { 200: Suggestions, ...problemResponses },
        },
      },
      async (req) => service.suggestForMessage(principalOf(req).tenantId, req.body),
    );
    app.post(
      '/v1/knowledge/next-best-actions',
      {
        config: { scope: 'read' },
        schema: {
          tags,
          summary: 'Scripts and articles an agent should turn to next',
          body: z
            .object({
              case_type: z.string().max(100).optional(),
              text: z.string().max(10_000).optional(),
              language: Language.optional(),
              limit: z.number().int().min(1).max(20).optional(),
            })
            .strict(),
          response: {
            200: z.object({
              data: z.array(z.object({ kind: z.enum(['script', 'article']), id: z.string(), title: z.string(), reason: z.string(), language: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => ({ data: await service.nextBestActions(principalOf(req).tenantId, req.body) }),
    );

    app.post(
      '/v1/knowledge/scripts',
      { schema: { tags, summary: 'Create a guided script', body: ScriptInput, response: { 201: Script, ...problemResponses } } },
      async (req, reply) => reply.status(201).send(await service.createScript(principalOf(req).tenantId, req.body)),
    );
    app.get(
      '/v1/knowledge/scripts',
      {
        schema: {
          tags,
          summary: 'Guided scripts',
          querystring: z.object({ case_type: z.string().max(100).optional(), language: Language.optional() }),
          response: { 200: z.object({ data: z.array(Script) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listScripts(principalOf(req).tenantId, req.query) }),
    );
    app.get(
      '/v1/knowledge/scripts/:id',
      { schema: { tags, summary: 'A guided script', params: IdParam, response: { 200: Script, ...problemResponses } } },
      async (req) => service.getScript(principalOf(req).tenantId, req.params.id),
    );
    app.put(
      '/v1/knowledge/scripts/:id',
      { schema: { tags, summary: 'Replace a guided script', params: IdParam, body: ScriptInput, response: { 200: Script, ...problemResponses } } },
      async (req) => service.updateScript(principalOf(req).tenantId, req.params.id, req.body),
    );

    app.post(
      '/v1/knowledge/script-runs',
      {
        schema: {
          tags,
          summary: 'Start following a script on a conversation',
          body: z.object({ script_id: Id, conversation_id: z.string().min(1).max(64) }).strict(),
          response: { 201: ScriptRun, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await service.startScriptRun(p.tenantId, req.body, actorOf(p)));
      },
    );
    app.get(
      '/v1/knowledge/script-runs',
      {
        schema: {
          tags,
          summary: 'Scripts followed on a conversation, with the path taken',
          querystring: z.object({ conversation_id: z.string().min(1).max(64).optional() }),
          response: { 200: z.object({ data: z.array(ScriptRun) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listScriptRuns(principalOf(req).tenantId, { conversationId: req.query.conversation_id }) }),
    );
    app.get(
      '/v1/knowledge/script-runs/:id',
      { schema: { tags, summary: 'A script run and its path', params: IdParam, response: { 200: ScriptRun, ...problemResponses } } },
      async (req) => service.getScriptRun(principalOf(req).tenantId, req.params.id),
    );
    app.post(
      '/v1/knowledge/script-runs/:id/steps',
      {
        schema: {
          tags,
          summary: 'Choose an option (or jump to a node) in a script run',
          params: IdParam,
          body: z.object({ option_id: NodeId.optional(), node_id: NodeId.optional(), note: z.string().max(2000).nullable().optional() }).strict(),
          response: { 200: ScriptRun, ...problemResponses },
        },
      },
      async (req) => service.takeScriptStep(principalOf(req).tenantId, req.params.id, req.body),
    );
    app.post(
      '/v1/knowledge/script-runs/:id/leave',
      {
        schema: {
          tags,
          summary: 'Leave a script run',
          params: IdParam,
          body: z.object({ note: z.string().max(2000).nullable().optional() }).strict(),
          response: { 200: ScriptRun, ...problemResponses },
        },
      },
      async (req) => service.leaveScriptRun(principalOf(req).tenantId, req.params.id, req.body.note),
    );
  };
}
