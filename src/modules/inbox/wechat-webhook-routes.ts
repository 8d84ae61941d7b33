// WeChat Official Account: GET proves we hold the token; POST carries messages and events, plain or in
// safe mode (AES, msg_signature), each timestamp and nonce taken once.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { Params, webhookHelpers } from './webhook-context.js';
import type { Channel } from './manage-channels.js';
import { wechatSignature, safeEqual, isWechatTimestampFresh, WECHAT_WINDOW_SECONDS } from './verify-signatures.js';
import { parseWechatXml, decryptWechat, wechatMsgSignature } from './wechat-crypto.js';
import { wechatToInbound } from './channels/wechat.js';

// WeChat drops the connection after 5 seconds and retries three times; answer before that.
const WECHAT_DEADLINE_MS = 4000;

export function wechatWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
  const { log, refuse, channelFor, nonceOf, useOnce, releasingOnFailure } = webhookHelpers(inbox);
  return async (app) => {
    app.get('/hooks/inbox/:tenant_id/wechat/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['wechat']);
      if (!channel) return reply;
      const q = req.query as Record<string, string | undefined>;
      if (!q.signature || !q.timestamp || !q.nonce || !safeEqual(wechatSignature(channel.secrets.token, q.timestamp, q.nonce), q.signature))
        return refuse(req, reply, 401, 'bad WeChat signature', channel);
      if (!isWechatTimestampFresh(q.timestamp, inbox.clock.now().getTime())) return refuse(req, reply, 401, 'stale WeChat timestamp', channel);
      // The verification URL's triple would sign any message: it is used up here.
      if (!(await useOnce(nonceOf(channel, 'wechat', `${q.timestamp}:${q.nonce}`), q.timestamp, WECHAT_WINDOW_SECONDS)))
        return refuse(req, reply, 401, 'WeChat nonce already used', channel);
      return reply.type('text/plain').send(q.echostr ?? '');
    });

    app.post('/hooks/inbox/:tenant_id/wechat/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['wechat']);
      if (!channel) return reply;
      const q = req.query as Record<string, string | undefined>;
      const body = typeof req.body === 'string' ? req.body : '';
      if (!q.timestamp || !q.nonce) return refuse(req, reply, 401, 'missing timestamp or nonce', channel);
      if (!isWechatTimestampFresh(q.timestamp, inbox.clock.now().getTime())) return refuse(req, reply, 401, 'stale WeChat timestamp', channel);
      let xml: Record<string, string>;
      if (q.encrypt_type === 'aes') {
        const outer = parseWechatXml(body);
        if (!outer.Encrypt || !q.msg_signature || !channel.secrets.encoding_aes_key)
          return refuse(req, reply, 401, 'safe-mode message without Encrypt, msg_signature or key', channel);
        if (!safeEqual(wechatMsgSignature(channel.secrets.token, q.timestamp, q.nonce, outer.Encrypt), q.msg_signature))
          return refuse(req, reply, 401, 'bad msg_signature', channel);
        try {
          const d = decryptWechat(channel.secrets.encoding_aes_key, outer.Encrypt);
          if (d.appId !== channel.settings.app_id) return refuse(req, reply, 401, "AppID in the message is not this channel's", channel);
          xml = parseWechatXml(d.xml);
        } catch {
          return refuse(req, reply, 401, 'message does not decrypt', channel);
        }
      } else {
        if (!q.signature || !safeEqual(wechatSignature(channel.secrets.token, q.timestamp, q.nonce), q.signature))
          return refuse(req, reply, 401, 'bad WeChat signature', channel);
        xml = parseWechatXml(body);
      }
      const nonce = nonceOf(channel, 'wechat', `${q.timestamp}:${q.nonce}`);
      if (!(await useOnce(nonce, q.timestamp, WECHAT_WINDOW_SECONDS))) return refuse(req, reply, 401, 'WeChat nonce already used', channel);
      const work = releasingOnFailure(nonce, () => handleWechat(channel, xml));
      // Past the deadline WeChat would retry; answering "success" now and finishing in the background
      // is safe because the retry is recognised by MsgId (or FromUserName + CreateTime) and dropped.
      const done = await Promise.race([work.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), WECHAT_DEADLINE_MS).unref())]);
      if (!done) work.catch((err) => log.error({ err: (err as Error).message, channel: channel.id }, 'WeChat message failed after the deadline'));
      return reply.type('text/plain').send('success');
    });

    async function handleWechat(channel: Channel, x: Record<string, string>) {
      if (x.MsgType === 'event') {
        await inbox.recordWechatEvent(channel, x);
        return;
      }
      const inbound = wechatToInbound(channel, x);
      if (inbound) {
        if (x.CreateTime) inbound.occurredAt = new Date(Number(x.CreateTime) * 1000);
        await inbox.receive(inbound);
      }
    }
  };
}
