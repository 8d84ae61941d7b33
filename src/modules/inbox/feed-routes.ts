// The agents' real-time feed on GET /v1/inbox/feed (a WebSocket; the @fastify/websocket plugin is
// registered by routes.ts, the parent of this plugin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { agentNotFound } from './errors.js';

const Tags = ['inbox'];

export function feedRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    // The agents' feed: a WebSocket (upgrade) of new conversations, messages, assignments and SLA
    // warnings; a plain GET answers how many agent sockets the tenant has open.
    app.route({
      method: 'GET',
      url: '/v1/inbox/feed',
      schema: {
        tags: Tags,
        summary: "Agent feed (WebSocket); agent_id limits it to the agent's teams, assignments and the unrouted queue",
        querystring: z.object({ agent_id: z.string().min(1).max(64).optional() }),
        response: { 200: z.object({ connections: z.number() }), ...problemResponses },
      },
      handler: async (req) => {
        const p = principalOf(req);
        if (req.query.agent_id && !(await inbox.getAgent(p.tenantId, req.query.agent_id))) throw agentNotFound();
        return { connections: inbox.feed.connections(p.tenantId) };
      },
      wsHandler: async (socket, req) => {
        const p = req.principal!;
        const agentId = (req.query as { agent_id?: string }).agent_id;
        // Frames published while the team lookup runs are buffered, then sent in order.
        const pending: string[] = [];
        let ready = false;
        // ws keeps its TCP socket as _socket; corking it lets a burst of frames leave in one write.
        const raw = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
        const target = {
          send: (s: string) => (ready ? socket.send(s) : pending.push(s)),
          cork: () => raw?.cork(),
          uncork: () => raw?.uncork(),
        };
        const teamIds = agentId ? await inbox.teamIdsOf(p.tenantId, agentId) : [];
        if (!teamIds) {
          socket.close(4404, 'no such agent');
          return;
        }
        const remove = inbox.feed.addAgent(target, { tenantId: p.tenantId, agentId, teamIds: new Set(teamIds) });
        socket.on('close', remove);
        socket.send(JSON.stringify({ type: 'ready', agent_id: agentId ?? null, team_ids: teamIds }));
        ready = true;
        for (const f of pending) socket.send(f);
      },
    });
  };
}
