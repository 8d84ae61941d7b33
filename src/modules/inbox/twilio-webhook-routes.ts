// Twilio SMS and WhatsApp: inbound messages and the StatusCallback receipts of replies, both signed with
// X-Twilio-Signature over the URL and the form.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { Params, webhookHelpers } from './webhook-context.js';
import { verifyTwilio } from './verify-signatures.js';
import { twilioToInbound, receiptOf, statusCallbackUrl } from './channels/twilio.js';
import { webhookBodyUnreadable } from './errors.js';

export function twilioWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
  const { problem, refuse, channelFor, fullUrl, accept } = webhookHelpers(inbox);
  return async (app) => {
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
  };
}
