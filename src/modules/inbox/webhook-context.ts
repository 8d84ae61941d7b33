// What every inbound webhook shares: the channel looked up and checked, a refusal logged and answered
// (401, 403 for a disabled or mismatched channel, 404), the URL the provider signed, and nonces used once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from '../../platform/validation.js';
import { sendProblem } from '../../platform/http.js';
import type { AppError } from '../../platform/errors.js';
import type { InboxService } from './inbox-service.js';
import type { Channel, ChannelKind } from './manage-channels.js';
import type { InboundMessage } from './receive-message.js';
import { channelNotFound, webhookNotVerified, webhookChannelRefused } from './errors.js';

export const Params = z.object({ tenant_id: z.string().min(1).max(64), channel_id: z.string().min(1).max(64) });

export function webhookHelpers(inbox: InboxService) {
  const log = inbox.log;
  const problem = (reply: FastifyReply, e: AppError) => sendProblem(reply, e.status, e.code, e.message, e.errors, e.extra);

  function refuse(req: FastifyRequest, reply: FastifyReply, status: 401 | 403 | 404, reason: string, channel?: Channel) {
    const p = req.params as { tenant_id: string; channel_id: string };
    log.warn({ tenant: p.tenant_id, channel: p.channel_id, kind: channel?.kind, reason, ip: req.ip, url: req.routeOptions.url }, 'inbound webhook refused');
    return problem(reply, (status === 404 ? channelNotFound : status === 403 ? webhookChannelRefused : webhookNotVerified)());
  }

  async function channelFor(req: FastifyRequest, reply: FastifyReply, kinds: ChannelKind[]): Promise<Channel | undefined> {
    const p = req.params as { tenant_id: string; channel_id: string };
    const channel = await inbox.channels.get(p.tenant_id, p.channel_id);
    if (!channel) {
      refuse(req, reply, 404, 'unknown channel');
      return undefined;
    }
    if (!channel.isEnabled || !kinds.includes(channel.kind)) {
      refuse(req, reply, 403, channel.isEnabled ? 'channel kind mismatch' : 'channel disabled', channel);
      return undefined;
    }
    return channel;
  }

  /** The URL the provider signed: the configured public URL, or this request's own. */
  const fullUrl = (req: FastifyRequest, channel: Channel) => {
    const configured = channel.settings.webhook_url as string | undefined;
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    return configured ? configured + (configured.includes('?') ? '' : query) : `${req.protocol}://${req.headers.host}${req.url}`;
  };

  async function accept(m: InboundMessage | undefined, _reply: FastifyReply, answer: () => unknown) {
    if (m) await inbox.receive(m);
    return answer();
  }

  // A nonce is taken once per channel until its signature would be stale (see platform/replay-guard.ts).
  const nonceOf = (channel: Channel, scheme: string, nonce: string) => ({ tenantId: channel.tenantId, scope: `${scheme}:${channel.id}`, nonce });
  const useOnce = (n: ReturnType<typeof nonceOf>, timestamp: string, windowSeconds: number) =>
    inbox.useWebhookNonce({ ...n, expiresAt: new Date((Number(timestamp) + windowSeconds) * 1000) });
  /** Runs the work; if it fails on our side the nonce is given back so that the provider's retry is taken. */
  async function releasingOnFailure<T>(n: ReturnType<typeof nonceOf>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      await inbox.releaseWebhookNonce(n).catch(() => undefined);
      throw err;
    }
  }
  return { log, problem, refuse, channelFor, fullUrl, accept, nonceOf, useOnce, releasingOnFailure };
}
