// Email: inbound through Rapport's own SMTP listener (smtp-server) or a provider's webhook (SendGrid
// Inbound Parse, Mailgun routes), parsed by mailparser, which decodes GB2312/GBK/Big5 and every other
// charset into Unicode; outbound through the channel's SMTP relay by the platform mailer, with the
// In-Reply-To and References headers that keep the customer's mail client on one thread.
import type { Mailer } from '../../../platform/mailer.js';
import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import type { Channel } from '../manage-channels.js';
import type { InboundMessage } from '../receive-message.js';
import { classifyAutomated } from '../receive-automated.js';
import { configurationError, type ChannelAdapter, type OutboundMessage } from './adapter.js';

/** support+TOKEN@example.com -> { base: support@example.com, token: TOKEN } */
export function splitReplyAddress(address: string): { base: string; token?: string } {
  const m = /^([^+@]+)\+([a-z0-9]{4,40})@(.+)$/i.exec(address.trim().toLowerCase());
  return m ? { base: `${m[1]}@${m[3]}`, token: m[2] } : { base: address.trim().toLowerCase() };
}

export function replyAddressFor(channel: Channel, token: string): string {
  const [local, domain] = String(channel.settings.address).split('@');
  return `${local}+${token}@${domain}`;
}

const MSGID = /<[^<>\s]+>/g;
export function messageIdsIn(v: string | string[] | undefined | null): string[] {
  if (!v) return [];
  return (Array.isArray(v) ? v.join(' ') : v).match(MSGID) ?? [];
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list) for (const v of o.value) if (v.address) return { address: v.address, name: v.name || undefined };
  return {};
}

/** A parsed email for one of our channels, as an inbound message. */
export function emailToInbound(
  channel: Channel,
  mail: ParsedMail,
  recipient: string | undefined,
  source: string,
  envelopeFrom?: string,
): InboundMessage | undefined {
  const from = firstAddress(mail.replyTo ?? mail.from);
  const sender = firstAddress(mail.from);
  if (!sender.address) return undefined;
  const refs = [...messageIdsIn(mail.inReplyTo), ...messageIdsIn(mail.references).reverse()];
  const token = recipient ? splitReplyAddress(recipient).token : undefined;
  return {
    channel,
    externalId: mail.messageId ?? undefined,
    identities: { email: sender.address },
    senderName: sender.name,
    text: (mail.text ?? '').trim(),
    html: typeof mail.html === 'string' ? mail.html : null,
    subject: mail.subject ?? null,
    replyAddress: from.address ?? sender.address,
    meta: {
      source,
      from: sender.address,
      to: recipient ?? null,
      message_id: mail.messageId ?? null,
      in_reply_to: messageIdsIn(mail.inReplyTo)[0] ?? null,
      references: messageIdsIn(mail.references),
    },
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      contentId: a.contentId ?? null,
      content: a.content,
    })),
    threadRefs: [...new Set(refs)],
    replyToken: token,
    occurredAt: undefined,
    automated: classifyAutomated(mail, envelopeFrom),
  };
}

export async function parseEmail(raw: Buffer | string): Promise<ParsedMail> {
  return simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
}

export function createEmailAdapter(mailer: Mailer): ChannelAdapter {
  return {
    async send(channel, msg: OutboundMessage) {
      const smtp = channel.settings.smtp as { host: string; port: number; secure?: boolean; user?: string; require_tls?: boolean } | undefined;
      if (!smtp) throw configurationError('this email channel has no SMTP relay configured');
      const domain = String(channel.settings.address).split('@')[1];
      const messageId = `<${msg.messageId}@${domain}>`;
      // "Re:" only on an answer: a conversation the agent starts has nothing to reply to.
      const subject = msg.subject ? (!msg.inReplyTo || /^re:/i.test(msg.subject) ? msg.subject : `Re: ${msg.subject}`) : undefined;
      await mailer.send(
        {
          from: { name: channel.settings.from_name ?? channel.name, address: channel.settings.address },
          replyTo: replyAddressFor(channel, msg.replyToken),
          to: msg.to,
          subject,
          text: msg.text,
          ...(msg.html ? { html: msg.html } : {}),
          messageId,
          ...(msg.inReplyTo ? { inReplyTo: msg.inReplyTo } : {}),
          ...(msg.references?.length ? { references: msg.references } : {}),
        },
        {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure ?? false,
          requireTLS: smtp.require_tls ?? false,
          user: smtp.user ?? null,
          password: channel.secrets.smtp_password ?? null,
          rejectUnauthorized: smtp.host !== '127.0.0.1' && smtp.host !== 'localhost',
        },
      );
      return { externalId: messageId };
    },
  };
}
