// HTTP for the loop: loop metrics, the rules that open cases and the routing rules; cases in
// case-routes.ts, their workflow (notes, contacts, resolution, notices) in case-work-routes.ts, systemic
// issues in issue-routes.ts. The parts register on this plugin's own instance, in this order, so they
// share its encapsulation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { unprocessable } from '../../platform/errors.js';
import type { LoopService } from './loop-service.js';
import { Id, Team, Created, CaseType, TeamLoopMetrics, SIGNALS, RuleCondition, RoutingMatch } from './contract.js';
import { loopCaseRoutes } from './case-routes.js';
import { loopCaseWorkRoutes } from './case-work-routes.js';
import { loopIssueRoutes } from './issue-routes.js';

const tags = ['loop'];

export function loopRoutes(service: LoopService): FastifyPluginAsyncZod {
  return async (app) => {
    // Cases: opened by hand, listed, read, assigned, topics corrected (case-routes.ts).
    await loopCaseRoutes(service)(app, {});
    // Notes, contacts, resolution, won't fix, notices sent again (case-work-routes.ts).
    await loopCaseWorkRoutes(service)(app, {});

    app.get(
      '/v1/case-metrics',
      {
        schema: {
          tags,
          summary: 'Loop-closure rate, time to first contact and time to resolve, by team',
          querystring: z.object({ from: Timestamp.optional(), to: Timestamp.optional() }),
          response: { 200: z.object({ data: z.array(TeamLoopMetrics) }), ...problemResponses },
        },
      },
      async (req) => {
        const to = req.query.to ? new Date(req.query.to) : service.clock.now();
        const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 90 * 86_400_000);
        if (from >= to) throw unprocessable('from must be before to', [{ field: 'query.from', message: 'must be before to' }]);
        return { data: await service.metrics(principalOf(req).tenantId, { from, to }) };
      },
    );

    const Rule = z.object({
      id: z.string(),
      name: z.string(),
      signal: z.string(),
      condition: z.record(z.string(), z.unknown()),
      case_type: z.string(),
      is_enabled: z.boolean(),
    });
    app.get(
      '/v1/case-rules',
      {
        schema: {
          tags,
          summary: 'Rules that open cases (the defaults until the tenant adds its own)',
          response: { 200: z.object({ data: z.array(Rule) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listRules(principalOf(req).tenantId) }),
    );
    app.post(
      '/v1/case-rules',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Add a rule that opens cases (replaces the defaults)',
          body: z
            .object({ name: z.string().trim().min(1).max(200), signal: z.enum(SIGNALS), condition: RuleCondition.default({}), case_type: CaseType })
            .strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) =>
        reply.status(201).send({
          id: await service.createRule(principalOf(req).tenantId, {
            name: req.body.name,
            signal: req.body.signal,
            condition: req.body.condition,
            caseType: req.body.case_type,
          }),
        }),
    );
    app.delete(
      '/v1/case-rules/:id',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Remove a rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteRule(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    const Routing = z.object({ id: z.string(), position: z.number(), match: z.record(z.string(), z.unknown()), team: z.string() });
    app.get(
      '/v1/case-routing-rules',
      {
        schema: {
          tags,
          summary: 'Which team gets which case, first match by position',
          response: { 200: z.object({ data: z.array(Routing) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listRouting(principalOf(req).tenantId) }),
    );
    app.post(
      '/v1/case-routing-rules',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Add a routing rule',
          body: z.object({ position: z.number().int().min(0).max(100000).default(100), match: RoutingMatch, team: Team }).strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createRouting(principalOf(req).tenantId, req.body) }),
    );
    app.delete(
      '/v1/case-routing-rules/:id',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Remove a routing rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteRouting(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    // Systemic issues (issue-routes.ts).
    await loopIssueRoutes(service)(app, {});
  };
}
