// Inbound mail from providers: SendGrid Inbound Parse (basic auth; parsed fields or raw MIME) and Mailgun
// routes (HMAC signature, token used once), multipart or form-encoded.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { Params, webhookHelpers } from './webhook-context.js';
import { newId } from '../../platform/ids.js';
import { verifyMailgun, verifyBasicAuth, MAILGUN_WINDOW_SECONDS } from './verify-signatures.js';
import { emailToInbound, parseEmail, messageIdsIn, splitReplyAddress } from './channels/email.js';
import { autoReplySign } from './receive-automated.js';
import type { InboundMessage } from './receive-message.js';
import { webhookBodyUnreadable, webhookMediaType } from './errors.js';
import { type Form, utf8, decodeField, decodeEncodedWords, headerOf } from './webhook-forms.js';

export function emailWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
  const { problem, refuse, channelFor, accept, nonceOf, useOnce, releasingOnFailure } = webhookHelpers(inbox);
  return async (app) => {
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
  };
}
