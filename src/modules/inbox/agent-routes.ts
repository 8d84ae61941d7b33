// HTTP for agents (availability, capacity, teams), teams and their queues, and the routing rules that
// decide which of them a new conversation goes to.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { notFound } from '../../platform/errors.js';
import { AgentInput, AgentPatch, TeamInput, TeamPatch } from './manage-agents.js';
import { RoutingRuleInput, RoutingRulePatch } from './manage-routing-rules.js';
import { agentNotFound } from './errors.js';
import { AgentView, TeamView, RoutingRuleView, listOf, Id, Created } from './contract.js';

const Tags = ['inbox'];

export function agentRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/inbox/agents',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Create an agent', body: AgentInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createAgent(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/agents',
      { schema: { tags: Tags, summary: 'List agents with their load', response: { 200: listOf(AgentView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listAgents(p.tenantId) };
      },
    );
    app.get(
      '/v1/inbox/agents/:id',
      { schema: { tags: Tags, summary: 'An agent', params: Id, response: { 200: AgentView, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        const a = await inbox.getAgent(p.tenantId, req.params.id);
        if (!a) throw agentNotFound();
        return a;
      },
    );
    app.patch(
      '/v1/inbox/agents/:id',
      {
        schema: {
          tags: Tags,
          summary: 'Change availability (online, away, offline), capacity or teams',
          params: Id,
          body: AgentPatch,
          response: { 200: AgentView, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateAgent(p.tenantId, req.params.id, req.body);
      },
    );
    app.post(
      '/v1/inbox/teams',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Create a team', body: TeamInput, response: { 201: Created, ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createTeam(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/teams',
      { schema: { tags: Tags, summary: 'List teams with their queues', response: { 200: listOf(TeamView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listTeams(p.tenantId) };
      },
    );
    app.get('/v1/inbox/teams/:id', { schema: { tags: Tags, summary: 'A team', params: Id, response: { 200: TeamView, ...problemResponses } } }, async (req) => {
      const p = principalOf(req);
      const t = await inbox.getTeam(p.tenantId, req.params.id);
      if (!t) throw notFound('No such team');
      return t;
    });
    app.patch(
      '/v1/inbox/teams/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a team', params: Id, body: TeamPatch, response: { 200: TeamView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateTeam(p.tenantId, req.params.id, req.body);
      },
    );
    app.post(
      '/v1/inbox/routing-rules',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Add a routing rule', body: RoutingRuleInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.createRoutingRule(p.tenantId, req.body));
      },
    );
    app.get(
      '/v1/inbox/routing-rules',
      { schema: { tags: Tags, summary: 'Routing rules in evaluation order', response: { 200: listOf(RoutingRuleView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listRoutingRules(p.tenantId) };
      },
    );
    app.patch(
      '/v1/inbox/routing-rules/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a routing rule', params: Id, body: RoutingRulePatch, response: { 200: RoutingRuleView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.updateRoutingRule(p.tenantId, req.params.id, req.body);
      },
    );
    app.delete(
      '/v1/inbox/routing-rules/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Remove a routing rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.deleteRoutingRule(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
