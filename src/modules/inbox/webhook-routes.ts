// Inbound webhooks and the web chat socket, outside /v1: providers authenticate with their own
// schemes (Twilio signature, WeChat signature or msg_signature, Mailgun HMAC, SendGrid basic auth,
// the API channel's HMAC, the visitor token), each checked before anything is stored. A request that
// fails its check is answered 401 (403 for a disabled or mismatched channel), logged, and dropped.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Busboy from 'busboy';
import iconv from 'iconv-lite';
import type { Readable } from 'node:stream';
import { newId } from '../../platform/ids.js';
import type { InboxService } from './inbox-service.js';
import type { Channel, ChannelKind } from './manage-channels.js';
import {
  verifyTwilio,
  wechatSignature,
  verifyMailgun,
  verifyApiSignature,
  verifyBasicAuth,
  safeEqual,
  visitorToken,
  identityHash,
  isWechatTimestampFresh,
  MAILGUN_WINDOW_SECONDS,
  WECHAT_WINDOW_SECONDS,
} from './verify-signatures.js';
import { parseWechatXml, decryptWechat, wechatMsgSignature } from './wechat-crypto.js';
import { wechatToInbound } from './channels/wechat.js';
import { ApiInbound, apiToInbound } from './channels/api.js';
import { emailToInbound, parseEmail, messageIdsIn, splitReplyAddress } from './channels/email.js';
import { twilioToInbound, receiptOf, statusCallbackUrl } from './channels/twilio.js';
import { autoReplySign } from './receive-automated.js';
import type { InboundMessage } from './receive-message.js';
import type { VisitorIdentityKind } from './identify-visitor.js';
import { z } from '../../platform/validation.js';
import { sendProblem } from '../../platform/http.js';
import type { AppError } from '../../platform/errors.js';
import { channelNotFound, webhookNotVerified, webhookChannelRefused, webhookBodyInvalid, webhookBodyUnreadable, webhookMediaType } from './errors.js';

interface Form {
  fields: [string, string][];
  files: { field: string; filename: string; contentType: string; content: Buffer }[];
}

const MAX_FILES = 20;
const MAX_FILE = 20 * 1024 * 1024;
// WeChat drops the connection after 5 seconds and retries three times; answer before that.
const WECHAT_DEADLINE_MS = 4000;

function parseMultipart(req: FastifyRequest, payload: Readable): Promise<Form> {
  return new Promise((resolve, reject) => {
    const form: Form = { fields: [], files: [] };
    // latin1 keeps every byte of a field as one character, so fields in GBK or Big5 (SendGrid's
    // "charsets") can be decoded afterwards with their real charset.
    const bb = Busboy({
      headers: req.headers as Record<string, string>,
      defCharset: 'latin1',
      limits: { files: MAX_FILES, fileSize: MAX_FILE, fieldSize: 10 * 1024 * 1024 },
    });
    bb.on('field', (name, value) => form.fields.push([name, value]));
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () =>
        form.files.push({
          field,
          filename: Buffer.from(info.filename ?? '', 'latin1').toString('utf8'),
          contentType: info.mimeType,
          content: Buffer.concat(chunks),
        }),
      );
    });
    bb.on('close', () => resolve(form));
    bb.on('error', reject);
    payload.pipe(bb);
  });
}

const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

function decodeField(latin1: string | undefined, charset: string | undefined): string | undefined {
  if (latin1 === undefined) return undefined;
  const bytes = Buffer.from(latin1, 'latin1');
  const cs = (charset ?? 'utf-8').toLowerCase();
  return iconv.encodingExists(cs) ? iconv.decode(bytes, cs) : bytes.toString('utf8');
}

/**
 * RFC 2047 encoded words (=?GB2312?B?...?= and =?UTF-8?Q?...?=) in a header SendGrid passes through as
 * written; whitespace between two adjacent encoded words is not part of the text (§6.2).
 */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?)/g, '$1')
    .replace(/=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g, (word, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : word;
    });
}

/** Reads one header (unfolded) out of a raw header block. */
function headerOf(raw: string | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
  return m?.[1].replace(/\r?\n[ \t]+/g, ' ').trim();
}

export function inboxWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
  const log = inbox.log;
  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    app.addContentTypeParser(['text/xml', 'application/xml', 'text/plain'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
      parseMultipart(req, payload).then(
        (f) => done(null, f),
        (err) => done(err as Error),
      );
    });
    // The API channel signs the exact bytes it sent, so JSON is kept raw here and parsed after the check.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

    const Params = z.object({ tenant_id: z.string().min(1).max(64), channel_id: z.string().min(1).max(64) });

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

    // Twilio's StatusCallback: a message accepted earlier was delivered, or not. Signed like inbound.
    app.post(
      '/hooks/inbox/:tenant_id/twilio/:channel_id/status',
      { config: { isPublic: true }, schema: { hide: true, params: Params } },
      async (req, reply) => {
        const channel = await channelFor(req, reply, ['sms', 'whatsapp']);
        if (!channel) return reply;
        const pairs = [...new URLSearchParams(typeof req.body === 'string' ? req.body : '')];
        const configured = channel.settings.webhook_url as string | undefined;
        const url = configured ? statusCallbackUrl(channel, '') : `${req.protocol}://${req.headers.host}${req.url}`;
        if (!verifyTwilio(channel.secrets.auth_token, url, pairs, req.headers['x-twilio-signature'] as string | undefined))
          return refuse(req, reply, 401, 'bad X-Twilio-Signature', channel);
        const receipt = receiptOf(new Map(pairs));
        if (receipt) await inbox.recordReceipt(channel.tenantId, receipt.sid, { status: receipt.status, ...(receipt.error ? { error: receipt.error } : {}) });
        return reply.status(204).send();
      },
    );

    // Twilio SMS and WhatsApp
    app.post('/hooks/inbox/:tenant_id/twilio/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['sms', 'whatsapp']);
      if (!channel) return reply;
      const raw = typeof req.body === 'string' ? req.body : '';
      const pairs = [...new URLSearchParams(raw)];
      if (!verifyTwilio(channel.secrets.auth_token, fullUrl(req, channel), pairs, req.headers['x-twilio-signature'] as string | undefined))
        return refuse(req, reply, 401, 'bad X-Twilio-Signature', channel);
      const inbound = twilioToInbound(channel, new Map(pairs));
      if (!inbound) {
        const has = (k: string) => pairs.some(([name, v]) => name === k && v);
        const missing = [...(has('MessageSid') || has('SmsSid') ? [] : ['MessageSid']), ...(has('From') ? [] : ['From'])];
        return problem(
          reply,
          webhookBodyUnreadable(
            'MessageSid and From are required',
            missing.map((field) => ({ field, message: 'required' })),
          ),
        );
      }
      return accept(inbound, reply, () => reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>'));
    });

    // WeChat Official Account: GET proves we hold the token; POST carries messages and events.
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

    // Generic signed API channel
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

    // SendGrid Inbound Parse (parsed fields, or the raw MIME when "send raw" is on)
    app.post('/hooks/inbox/:tenant_id/sendgrid/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['email']);
      if (!channel) return reply;
      if (
        !channel.secrets.sendgrid_password ||
        !verifyBasicAuth(req.headers.authorization, channel.settings.sendgrid_user ?? 'sendgrid', channel.secrets.sendgrid_password)
      ) {
        return refuse(req, reply, 401, 'bad SendGrid basic credentials', channel);
      }
      const form = req.body as Form;
      if (!form?.fields) return problem(reply, webhookMediaType());
      const f = new Map(form.fields);
      const to = decodeField(f.get('to'), 'utf-8') ?? '';
      const recipient = (JSON.parse(utf8(f.get('envelope') ?? '{}')) as { to?: string[] }).to?.[0] ?? /[^\s<>,"]+@[^\s<>,"]+/.exec(to)?.[0];
      if (f.has('email')) {
        const mail = await parseEmail(Buffer.from(f.get('email')!, 'latin1'));
        return accept(emailToInbound(channel, mail, recipient, 'sendgrid'), reply, () => reply.send({ ok: true }));
      }
      let charsets: Record<string, string> = {};
      try {
        charsets = JSON.parse(utf8(f.get('charsets') ?? '{}'));
      } catch {
        /* all UTF-8 */
      }
      const headers = decodeField(f.get('headers'), charsets.headers ?? 'utf-8');
      const from = decodeEncodedWords(decodeField(f.get('from'), charsets.from) ?? '');
      const address = /<([^>]+)>/.exec(from)?.[1] ?? /[^\s<>,"]+@[^\s<>,"]+/.exec(from)?.[0];
      if (!address) return problem(reply, webhookBodyUnreadable('from is required', [{ field: 'from', message: 'an email address is required' }]));
      const messageId = messageIdsIn(headerOf(headers, 'Message-ID'))[0];
      const inReplyTo = messageIdsIn(headerOf(headers, 'In-Reply-To'));
      const references = messageIdsIn(headerOf(headers, 'References'));
      const inbound: InboundMessage = {
        channel,
        externalId: messageId ?? `sendgrid:${newId('x')}`,
        identities: { email: address },
        senderName: /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1],
        text: (decodeField(f.get('text'), charsets.text) ?? '').trim(),
        html: decodeField(f.get('html'), charsets.html) ?? null,
        subject: ((s) => (s === undefined ? null : decodeEncodedWords(s)))(decodeField(f.get('subject'), charsets.subject)),
        replyAddress: address,
        meta: { source: 'sendgrid', from: address, to: recipient ?? null, message_id: messageId ?? null, in_reply_to: inReplyTo[0] ?? null, references },
        attachments: form.files.map((x) => ({ filename: x.filename, contentType: x.contentType, size: x.content.length, content: x.content })),
        threadRefs: [...inReplyTo, ...references.reverse()],
        replyToken: recipient ? splitReplyAddress(recipient).token : undefined,
      };
      return accept(inbound, reply, () => reply.send({ ok: true }));
    });

    // Mailgun routes (forward to URL), multipart or form-encoded
    app.post('/hooks/inbox/:tenant_id/mailgun/:channel_id', { config: { isPublic: true }, schema: { hide: true, params: Params } }, async (req, reply) => {
      const channel = await channelFor(req, reply, ['email']);
      if (!channel) return reply;
      const form: Form =
        typeof req.body === 'string'
          ? { fields: [...new URLSearchParams(req.body)].map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('latin1')]), files: [] }
          : (req.body as Form);
      const f = new Map((form?.fields ?? []).map(([k, v]) => [k, utf8(v)]));
      if (
        !channel.secrets.mailgun_signing_key ||
        !verifyMailgun(channel.secrets.mailgun_signing_key, f.get('timestamp'), f.get('token'), f.get('signature'), inbox.clock.now().getTime())
      ) {
        return refuse(req, reply, 401, 'bad Mailgun signature', channel);
      }
      const nonce = nonceOf(channel, 'mailgun', f.get('token')!);
      if (!(await useOnce(nonce, f.get('timestamp')!, MAILGUN_WINDOW_SECONDS))) return refuse(req, reply, 401, 'Mailgun token already used', channel);
      let headers: [string, string][] = [];
      try {
        headers = JSON.parse(f.get('message-headers') ?? '[]');
      } catch {
        /* none */
      }
      const h = (name: string) => f.get(name) ?? headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      const sender = f.get('sender') ?? /<([^>]+)>/.exec(f.get('from') ?? '')?.[1];
      if (!sender) return problem(reply, webhookBodyUnreadable('sender is required', [{ field: 'sender', message: 'an email address is required' }]));
      const recipient = f.get('recipient')?.split(',')[0]?.trim();
      const messageId = messageIdsIn(h('Message-Id'))[0];
      const inReplyTo = messageIdsIn(h('In-Reply-To'));
      const references = messageIdsIn(h('References'));
      const inbound: InboundMessage = {
        channel,
        externalId: messageId ?? `mailgun:${f.get('token')}`,
        identities: { email: sender },
        senderName: /^\s*"?([^"<]+?)"?\s*</.exec(f.get('from') ?? '')?.[1],
        text: (f.get('body-plain') ?? '').trim(),
        html: f.get('body-html') ?? null,
        subject: f.get('subject') ?? null,
        replyAddress: sender,
        meta: { source: 'mailgun', from: sender, to: recipient ?? null, message_id: messageId ?? null, in_reply_to: inReplyTo[0] ?? null, references },
        attachments: form.files.map((x) => ({ filename: x.filename, contentType: x.contentType, size: x.content.length, content: x.content })),
        threadRefs: [...inReplyTo, ...references.reverse()],
        replyToken: recipient ? splitReplyAddress(recipient).token : undefined,
      };
      const isDaemon = /^(mailer-daemon|postmaster)@/i.test(sender);
      const sign = isDaemon
        ? `from ${sender.split('@')[0].toLowerCase()}`
        : autoReplySign({
            autoSubmitted: h('Auto-Submitted'),
            precedence: h('Precedence'),
            hasXAutoreply: h('X-Autoreply') !== undefined,
            hasXAutorespond: h('X-Autorespond') !== undefined,
          });
      if (sign) inbound.automated = { kind: isDaemon ? 'bounce' : 'auto_reply', reason: sign, relatesTo: [...inReplyTo, ...references] };
      return releasingOnFailure(nonce, () => accept(inbound, reply, () => reply.send({ ok: true })));
    });

    // Web chat: the widget's socket. A visitor without a valid anonymous id is given one with a token
    // signed by the channel; "identify" joins it to a profile when the site vouches for the identity.
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
