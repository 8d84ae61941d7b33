// HTTP for a conversation's messages: reading them, replying, a failed reply sent again and its delivery,
// private notes, and attachments downloaded.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { InboxService } from './inbox-service.js';
import { MessageView, listOf, Id, MessageParams, Obj, Created, ReplyBody } from './contract.js';

const Tags = ['inbox'];

/** Types a browser shows without running anything; every other type is served as application/octet-stream. */
const PASSIVE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp|avif|heic|heif|tiff)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain|text\/csv)$/;

function passiveTypeOf(contentType: string): string {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  return PASSIVE_TYPES.test(essence) ? contentType : 'application/octet-stream';
}

export function messageRoutes(inbox: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/conversations/:id/messages',
      { schema: { tags: Tags, summary: 'Messages and notes of a conversation', params: Id, response: { 200: listOf(MessageView), ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return { data: await inbox.listMessages(p.tenantId, req.params.id) };
      },
    );
    app.post(
      '/v1/conversations/:id/messages',
      {
        schema: {
          tags: Tags,
          summary: 'Reply to the customer (on the last channel they used unless channel_id is given)',
          params: Id,
          body: ReplyBody,
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.reply(p.tenantId, req.params.id, req.body, actorOf(p)));
      },
    );
    app.post(
      '/v1/conversations/:id/messages/:message_id/resend',
      {
        schema: {
          tags: Tags,
          summary: 'Send a failed reply again (its retries start afresh)',
          params: MessageParams,
          response: { 200: Obj, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return inbox.resend(p.tenantId, req.params.id, req.params.message_id);
      },
    );
    app.get(
      '/v1/conversations/:id/messages/:message_id/delivery',
      { schema: { tags: Tags, summary: 'Delivery status of a reply and every attempt', params: MessageParams, response: { 200: Obj, ...problemResponses } } },
      async (req) => {
        const p = principalOf(req);
        return inbox.deliveryOf(p.tenantId, req.params.id, req.params.message_id);
      },
    );
    app.post(
      '/v1/conversations/:id/notes',
      {
        schema: {
          tags: Tags,
          summary: 'Add a private note',
          params: Id,
          body: z.object({ text: z.string().trim().min(1).max(20_000), agent_id: z.string().min(1).max(64).optional() }).strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        return reply.status(201).send(await inbox.addNote(p.tenantId, req.params.id, req.body, actorOf(p)));
      },
    );
    app.get(
      '/v1/inbox/attachments/:id',
      { schema: { tags: Tags, summary: 'Download an attachment', params: Id, response: { ...problemResponses } } },
      async (req, reply) => {
        const p = principalOf(req);
        const a = await inbox.getAttachment(p.tenantId, req.params.id);
        if (!a) throw notFound('No such attachment');
        if (!a.content) return reply.redirect(a.url ?? '/', 302);
        // The sender chose the type: one a browser would run (HTML, SVG, XML, script) is served as bytes,
        // never sniffed, and sandboxed should it be opened anyway, so it cannot act on this origin.
        return reply
          .type(passiveTypeOf(a.content_type))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', 'sandbox')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename ?? 'attachment')}`)
          .send(a.content as never);
      },
    );
  };
}
