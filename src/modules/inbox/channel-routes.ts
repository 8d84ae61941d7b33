// HTTP for the inbox's channels (admin only): configure, read with secrets masked, change, disable.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { InboxService } from './inbox-service.js';
import { ChannelInput, ChannelPatch, channelView } from './manage-channels.js';
import { ChannelView, listOf, Id, Created } from './contract.js';

const Tags = ['inbox'];

// The address the admin reached Rapport at (behind a proxy, the forwarded one): what providers reach too.
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export function channelRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/inbox/channels',
      {
        config: { scope: 'admin', hasSecretAnswer: true },
        schema: { tags: Tags, summary: 'Configure a channel', body: ChannelInput, response: { 201: Created, ...problemResponses } },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const { channel, generated } = await inbox.createChannel(p.tenantId, req.body);
        return reply.status(201).send(channelView(channel, generated, originOf(req)));
      },
    );
    app.get(
      '/v1/inbox/channels',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'List channels (secrets masked)', response: { 200: listOf(ChannelView), ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return { data: (await inbox.listChannels(p.tenantId)).map((c) => channelView(c, {}, originOf(req))) };
      },
    );
    app.get(
      '/v1/inbox/channels/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'A channel (secrets masked)', params: Id, response: { 200: ChannelView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return channelView(await inbox.getChannel(p.tenantId, req.params.id), {}, originOf(req));
      },
    );
    app.patch(
      '/v1/inbox/channels/:id',
      {
        config: { scope: 'admin' },
        schema: { tags: Tags, summary: 'Change a channel', params: Id, body: ChannelPatch, response: { 200: ChannelView, ...problemResponses } },
      },
      async (req) => {
        const p = principalOf(req);
        return channelView(await inbox.updateChannel(p.tenantId, req.params.id, req.body), {}, originOf(req));
      },
    );
    app.delete(
      '/v1/inbox/channels/:id',
      { config: { scope: 'admin' }, schema: { tags: Tags, summary: 'Disable a channel', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        await inbox.removeChannel(p.tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
