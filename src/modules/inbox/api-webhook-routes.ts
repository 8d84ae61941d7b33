// The generic API channel: JSON signed with the channel's secret (X-Rapport-Signature over the timestamp
// and the exact bytes), checked before the body is parsed.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { Params, webhookHelpers } from './webhook-context.js';
import { verifyApiSignature } from './verify-signatures.js';
import { ApiInbound, apiToInbound } from './channels/api.js';
import { webhookBodyInvalid, webhookBodyUnreadable } from './errors.js';

export function apiWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
  const { problem, refuse, channelFor } = webhookHelpers(inbox);
  return async (app) => {
    app.post('/hooks/inbox/:tenant_id/api/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['api']);
      if (!channel) return reply;
      const raw = typeof req.body === 'string' ? req.body : '';
      if (
        !verifyApiSignature(
          channel.secrets.signing_secret,
          req.headers['x-rapport-timestamp'] as string | undefined,
          raw,
          req.headers['x-rapport-signature'] as string | undefined,
          inbox.clock.now().getTime(),
        )
      ) {
        return refuse(req, reply, 401, 'bad X-Rapport-Signature', channel);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return problem(reply, webhookBodyUnreadable('The body is not valid JSON'));
      }
      const parsed = ApiInbound.safeParse(json);
      if (!parsed.success)
        return problem(
          reply,
          webhookBodyInvalid(
            undefined,
            parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
          ),
        );
      const r = await inbox.receive(apiToInbound(channel, parsed.data));
      return reply
        .status(r.status === 'duplicate' ? 200 : 201)
        .send({ status: r.status, message_id: r.messageId, conversation_id: r.conversationId, customer_id: r.customerId });
    });
  };
}
