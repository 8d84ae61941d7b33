// The delivery seam. Outreach decides what goes to whom, when and on which channel; an
// OutboundSender puts it on the wire and answers with the provider's id. Email goes over the
// tenant's SMTP server (the platform mailer); SMS and WeChat go through the inbox module's channel
// adapters (wired in src/app.ts), so the tenant's Twilio and WeChat channels deliver outreach too.
import type { Mailer } from '../../platform/mailer.js';
import type { Channel, RenderedContent } from './render-template.js';
import type { SmtpSettings } from './settings.js';

export interface OutboundMessage {
  tenantId: string;
  /** Our message id: adapters may use it as their idempotency key. */
  messageId: string;
  channel: Channel;
  /** Email address, E.164 phone or WeChat openid. */
  to: string;
  content: RenderedContent;
  /** Email headers (List-Unsubscribe...); other channels ignore them. */
  headers: Record<string, string>;
}

export interface SendResult {
  /** sent: accepted by the provider; delivered: the provider confirmed delivery at once. */
  status: 'sent' | 'delivered' | 'failed' | 'bounced';
  providerMessageId: string | null;
  error?: string;
  /** A failure that no retry will fix (address refused, template rejected). */
  isPermanent?: boolean;
}

export interface OutboundSender {
  send(msg: OutboundMessage): Promise<SendResult>;
}

/** Email over the tenant's SMTP server, through the platform mailer. */
export function createSmtpEmailSender(mailer: Mailer, getSmtp: (tenantId: string) => Promise<SmtpSettings | null>): OutboundSender {
  return {
    async send(msg) {
      if (msg.content.channel !== 'email') return { status: 'failed', providerMessageId: null, error: 'not an email', isPermanent: true };
      const smtp = await getSmtp(msg.tenantId);
      if (!smtp) return { status: 'failed', providerMessageId: null, error: 'no SMTP server configured for this tenant', isPermanent: false };
      try {
        const info = await mailer.send(
          {
            from: smtp.from,
            to: msg.to,
            subject: msg.content.subject,
            text: msg.content.text,
            html: msg.content.html,
            headers: msg.headers,
            messageId: `<${msg.messageId}@${smtp.from.split('@').pop()?.replace(/[>\s]/g, '') || 'rapport'}>`,
          },
          {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            user: smtp.user,
            password: smtp.password,
            // Local and test relays often have self-signed certificates; STARTTLS is still used when offered.
            rejectUnauthorized: false,
          },
        );
        if (info.rejected.length) return { status: 'bounced', providerMessageId: info.messageId, error: 'recipient refused', isPermanent: true };
        return { status: 'sent', providerMessageId: info.messageId };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // SMTP 5xx on the recipient is a hard bounce; 4xx and network errors are worth retrying.
        return {
          status: code && code >= 500 ? 'bounced' : 'failed',
          providerMessageId: null,
          error: (err as Error).message.slice(0, 500),
          isPermanent: !!code && code >= 500,
        };
      }
    },
  };
}

/** A message to put on a provider's wire, as the inbox's outbound channel adapters take it. */
export interface ChannelMessage {
  messageId: string;
  to: string;
  text: string;
  wechatTemplate?: { templateId: string; url?: string; data: Record<string, { value: string }> };
  whatsappTemplate?: { contentSid: string; variables: Record<string, string> };
}

/** SMS, WhatsApp and WeChat through a channel delivery (the inbox's sendOutbound, bound to a channel kind). */
export function createChannelSender(deliver: (tenantId: string, msg: ChannelMessage) => Promise<SendResult>): OutboundSender {
  return {
    send(msg) {
      const c = msg.content;
      if (c.channel === 'email') return Promise.resolve({ status: 'failed', providerMessageId: null, error: 'email goes over SMTP', isPermanent: true });
      if (c.channel === 'sms') return deliver(msg.tenantId, { messageId: msg.messageId, to: msg.to, text: c.text });
      if (c.channel === 'whatsapp') {
        return deliver(msg.tenantId, {
          messageId: msg.messageId,
          to: msg.to,
          text: c.text,
          ...(c.content_sid ? { whatsappTemplate: { contentSid: c.content_sid, variables: c.variables ?? {} } } : {}),
        });
      }
      return deliver(msg.tenantId, {
        messageId: msg.messageId,
        to: msg.to,
        text: '',
        wechatTemplate: { templateId: c.template_id, ...(c.url ? { url: c.url } : {}), data: c.data },
      });
    },
  };
}

/**
 * Keeps what would have been sent, in memory, and answers as a provider would. Stands in for a
 * channel when no delivery is given (a service built without the inbox); tests read `sent` to see what left.
 */
export function createRecordingSender(channel: Channel): OutboundSender & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  let n = 0;
  return {
    sent,
    async send(msg) {
      sent.push(msg);
      if (sent.length > 1000) sent.shift();
      return { status: 'sent', providerMessageId: `rec_${channel}_${++n}` };
    },
  };
}
