// Web chat: the widget's socket. A visitor without a valid anonymous id is given one with a token signed
// by the channel; "identify" joins it to a profile when the site vouches for the identity.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { Params } from './webhook-context.js';
import { newId } from '../../platform/ids.js';
import type { Channel } from './manage-channels.js';
import { safeEqual, visitorToken, identityHash } from './verify-signatures.js';
import type { VisitorIdentityKind } from './identify-visitor.js';

export function webchatSocketRoutes(inbox: InboxService): FastifyPluginAsync {
  const log = inbox.log;
  return async (app) => {
    app.get(
      '/hooks/inbox/:tenant_id/webchat/:channel_id',
      { websocket: true, config: { isPublic: true }, schema: { hide: true, params: Params } },
      async (socket, req) => {
        const p = req.params as { tenant_id: string; channel_id: string };
        // Frames that arrive while the channel is looked up wait for it: a listener attached after an
        // await would miss a visitor's first message sent right after the socket opened.
        const early: Buffer[] = [];
        let onFrame: ((data: Buffer) => void) | undefined;
        socket.on('message', (data: Buffer) => (onFrame ? onFrame(data) : early.push(data)));
        const channel = await inbox.channels.get(p.tenant_id, p.channel_id);
        const origin = req.headers.origin;
        const allowed = channel?.settings.allowed_origins as string[] | undefined;
        if (!channel || channel.kind !== 'webchat' || !channel.isEnabled) {
          log.warn({ tenant: p.tenant_id, channel: p.channel_id, reason: 'no such web chat channel' }, 'web chat refused');
          socket.close(4404, 'no such channel');
          return;
        }
        if (allowed?.length && (!origin || !allowed.includes(origin))) {
          log.warn({ tenant: p.tenant_id, channel: p.channel_id, origin, reason: 'origin not allowed' }, 'web chat refused');
          socket.close(4403, 'origin not allowed');
          return;
        }
        const secret = channel.secrets.identity_secret;
        const q = req.query as { anonymous_id?: string; visitor_token?: string };
        let anonymousId =
          q.anonymous_id && /^anon_[0-9a-z]{26}$/.test(q.anonymous_id) && q.visitor_token && safeEqual(visitorToken(secret, q.anonymous_id), q.visitor_token)
            ? q.anonymous_id
            : undefined;
        if (q.anonymous_id && !anonymousId)
          log.warn({ tenant: p.tenant_id, channel: p.channel_id, reason: 'bad visitor token' }, 'web chat visitor token refused; a new anonymous id is issued');
        anonymousId ??= newId('anon');
        const remove = inbox.feed.addVisitor(socket, channel.tenantId, channel.id, anonymousId);
        socket.on('close', remove);
        socket.send(
          JSON.stringify({
            type: 'welcome',
            anonymous_id: anonymousId,
            visitor_token: visitorToken(secret, anonymousId),
            ...(channel.settings.welcome ? { text: channel.settings.welcome } : {}),
          }),
        );
        void inbox.visitorConnected({ tenantId: channel.tenantId, channelId: channel.id, anonymousId, send: (frame) => socket.send(JSON.stringify(frame)) });
        // Replies the visitor's socket never confirmed (the page was closed) come again, oldest first.
        for (const frame of await inbox.unconfirmedForVisitor(channel.tenantId, channel.id, anonymousId)) socket.send(JSON.stringify(frame));
        // Frames are handled one after another so that a visitor's messages keep their order.
        let chain = Promise.resolve();
        onFrame = (data: Buffer) => {
          chain = chain
            .then(() => handleVisitorFrame(channel, anonymousId!, socket, data))
            .catch((err) => {
              log.warn({ err: (err as Error).message, channel: channel.id }, 'web chat frame failed');
              socket.send(JSON.stringify({ type: 'error', message: 'Your message could not be stored; please send it again' }));
            });
        };
        for (const data of early.splice(0)) onFrame(data);
      },
    );

    async function handleVisitorFrame(channel: Channel, anonymousId: string, socket: { send(s: string): void }, data: Buffer) {
      let frame: { type?: string; text?: unknown; client_id?: unknown; kind?: unknown; value?: unknown; hash?: unknown; message_id?: unknown };
      try {
        frame = JSON.parse(data.toString('utf8'));
      } catch {
        socket.send(JSON.stringify({ type: 'error', message: 'frames are JSON' }));
        return;
      }
      if (frame.type === 'message' && typeof frame.text === 'string' && frame.text.trim() && frame.text.length <= 20_000) {
        const clientId = typeof frame.client_id === 'string' ? frame.client_id.slice(0, 100) : undefined;
        const r = await inbox.receive({
          channel,
          externalId: clientId ? `${anonymousId}:${clientId}` : undefined,
          identities: { anonymous_id: anonymousId },
          text: frame.text.trim(),
          replyAddress: anonymousId,
          meta: { anonymous_id: anonymousId },
        });
        socket.send(JSON.stringify({ type: 'ack', client_id: clientId ?? null, message_id: r.messageId, conversation_id: r.conversationId, status: r.status }));
        return;
      }
      if (frame.type === 'received' && typeof frame.message_id === 'string' && frame.message_id.length <= 64) {
        await inbox.confirmByVisitor(channel.tenantId, channel.id, anonymousId, frame.message_id);
        return;
      }
      if (
        frame.type === 'identify' &&
        typeof frame.kind === 'string' &&
        ['email', 'phone', 'external_id'].includes(frame.kind) &&
        typeof frame.value === 'string' &&
        typeof frame.hash === 'string'
      ) {
        // The site's backend computes the hash with the channel's identity secret: a visitor cannot
        // claim somebody else's email and read their conversation.
        if (!safeEqual(identityHash(channel.secrets.identity_secret, frame.value), frame.hash)) {
          log.warn({ tenant: channel.tenantId, channel: channel.id, reason: 'bad identity hash' }, 'web chat identify refused');
          socket.send(JSON.stringify({ type: 'error', message: 'identity not verified' }));
          return;
        }
        const problem = await inbox.identifyVisitor(channel, anonymousId, frame.kind as VisitorIdentityKind, frame.value);
        if (problem) {
          socket.send(JSON.stringify({ type: 'error', message: problem }));
          return;
        }
        socket.send(JSON.stringify({ type: 'identified', kind: frame.kind }));
        return;
      }
      socket.send(JSON.stringify({ type: 'error', message: 'unknown frame' }));
    }
  };
}
