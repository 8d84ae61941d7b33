// SMS and WhatsApp in Twilio's format. Inbound: form-encoded MessageSid, From, To, Body, NumMedia,
// MediaUrlN (WhatsApp: From = whatsapp:+E164 and ProfileName); unknown parameters are accepted and
// take part in the signature. Outbound: the Messages resource of the REST API.
import type { Channel } from '../manage-channels.js';
import type { InboundMessage } from '../receive-message.js';
import { ProviderError, isRetryableStatus, type ChannelAdapter } from './adapter.js';
import { sendHttp, retryAfterMs } from '../../../platform/send-http.js';
import type { Egress } from '../../../platform/egress.js';

export function twilioToInbound(channel: Channel, params: Map<string, string>): InboundMessage | undefined {
  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  const fromRaw = params.get('From');
  if (!sid || !fromRaw) return undefined;
  const isWhatsapp = fromRaw.startsWith('whatsapp:');
  const phone = fromRaw.replace(/^whatsapp:/, '');
  // A short code (3 to 8 digits: a bank's or a carrier's service number) is no E.164 phone: the sender
  // is known by it, and replies go back to it.
  const isShortCode = /^\d{3,8}$/.test(phone);
  const numMedia = Math.min(Number(params.get('NumMedia') ?? 0) || 0, 20);
  const media = Array.from({ length: numMedia }, (_, i) => ({
    url: params.get(`MediaUrl${i}`),
    contentType: params.get(`MediaContentType${i}`) ?? 'application/octet-stream',
  })).filter((m): m is { url: string; contentType: string } => !!m.url);
  return {
    channel,
    externalId: sid,
    identities: isShortCode ? { external_id: `sms-short-code:${phone}` } : { phone },
    senderName: params.get('ProfileName') || undefined,
    text: params.get('Body') ?? '',
    replyAddress: fromRaw,
    meta: {
      from: fromRaw,
      to: params.get('To') ?? null,
      is_whatsapp: isWhatsapp,
      ...(isShortCode ? { is_short_code: true } : {}),
      ...(media.length ? { media } : {}),
      ...(params.get('WaId') ? { wa_id: params.get('WaId') } : {}),
    },
    attachments: media.map((m) => ({ contentType: m.contentType, url: m.url, size: 0 })),
  };
}

/** Where Twilio posts a message's later status (delivered, undelivered, failed): beside the inbound webhook. */
export function statusCallbackUrl(channel: Channel, publicUrl: string): string {
  const configured = channel.settings.webhook_url as string | undefined;
  if (configured) return `${configured.split('?')[0].replace(/\/$/, '')}/status`;
  return `${publicUrl.replace(/\/$/, '')}/hooks/inbox/${encodeURIComponent(channel.tenantId)}/twilio/${encodeURIComponent(channel.id)}/status`;
}

/** Twilio's MessageStatus as a receipt: delivered (or read), or failed with Twilio's error code. */
export function receiptOf(params: Map<string, string>): { sid: string; status: 'delivered' | 'failed'; error?: string } | undefined {
  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  const status = params.get('MessageStatus') ?? params.get('SmsStatus');
  if (!sid || !status) return undefined;
  if (status === 'delivered' || status === 'read') return { sid, status: 'delivered' };
  if (status === 'undelivered' || status === 'failed') {
    const code = params.get('ErrorCode');
    return {
      sid,
      status: 'failed',
      error: `Twilio: ${status}${code ? ` (${code}${params.get('ErrorMessage') ? `: ${params.get('ErrorMessage')}` : ''})` : ''}`,
    };
  }
  return undefined;
}

export const createTwilioAdapter = (publicUrl: string, egress: Egress): ChannelAdapter => ({
  async send(channel, msg) {
    const base = (channel.settings.api_base as string | undefined) ?? 'https://api.twilio.com';
    const sid = channel.settings.account_sid as string;
    // WhatsApp goes through the same Messages resource, both numbers written whatsapp:+E164.
    const isWhatsapp = channel.kind === 'whatsapp';
    const whatsapp = (n: string) => (isWhatsapp && !n.startsWith('whatsapp:') ? `whatsapp:${n}` : n);
    const from = whatsapp(channel.settings.from as string);
    const to = whatsapp(msg.to);
    // An approved template (required outside WhatsApp's 24-hour session window) replaces the body.
    const content: Record<string, string> =
      isWhatsapp && msg.whatsappTemplate
        ? { ContentSid: msg.whatsappTemplate.contentSid, ContentVariables: JSON.stringify(msg.whatsappTemplate.variables) }
        : { Body: msg.text };
    const res = await sendHttp(egress, `${base.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${channel.secrets.auth_token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ From: from, To: to, ...content, StatusCallback: statusCallbackUrl(channel, publicUrl) }).toString(),
    });
    if (!res.ok) {
      // Twilio's error body names the reason (21211: invalid 'To' number, 21610: the recipient opted out).
      const detail = await res.json().then(
        (b: { code?: number; message?: string }) => (b.code ? ` (${b.code}: ${b.message ?? ''})` : ''),
        () => '',
      );
      throw new ProviderError(`Twilio answered ${res.status}${detail}`, !isRetryableStatus(res.status), res.status, retryAfterMs(res));
    }
    const body = (await res.json()) as { sid?: string };
    return { externalId: body.sid };
  },
});
