// Inbound webhooks and the web chat socket, outside /v1: providers authenticate with their own
// schemes (Twilio signature, WeChat signature or msg_signature, Mailgun HMAC, SendGrid basic auth,
// the API channel's HMAC, the visitor token), each checked before anything is stored. A request that
// fails its check is answered 401 (403 for a disabled or mismatched channel), logged, and dropped.
import type { FastifyPluginAsync } from 'fastify';
import type { InboxService } from './inbox-service.js';
import { parseMultipart } from './webhook-forms.js';
import { twilioWebhookRoutes } from './twilio-webhook-routes.js';
import { wechatWebhookRoutes } from './wechat-webhook-routes.js';
import { apiWebhookRoutes } from './api-webhook-routes.js';
import { emailWebhookRoutes } from './email-webhook-routes.js';
import { webchatSocketRoutes } from './webchat-socket-routes.js';

export { decodeEncodedWords } from './webhook-forms.js';

// The raw-body parsers are this plugin's own: its children (one per provider family) inherit them, the
// /v1 routes beside it do not.
export function inboxWebhookRoutes(inbox: InboxService): FastifyPluginAsync {
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

    await app.register(twilioWebhookRoutes(inbox));
    await app.register(wechatWebhookRoutes(inbox));
    await app.register(apiWebhookRoutes(inbox));
    await app.register(emailWebhookRoutes(inbox));
    await app.register(webchatSocketRoutes(inbox));
  };
}
