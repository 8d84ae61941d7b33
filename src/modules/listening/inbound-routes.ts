// The connector webhook: connectors post one mention (or {mentions: [...]}) signed per Standard
// Webhooks with the source's secret; the source is named in a header so that nothing is read before
// the signature holds. Registered by listeningRoutes in a context of its own, so that its JSON parser
// (which keeps the raw text the signature covers) applies to this route only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../platform/validation.js';
import { sendProblem } from '../../platform/http.js';
import type { ListeningService } from './listening-service.js';
import { IngestResponse } from './contract.js';

const tags = ['listening'];

export function listeningInboundRoutes(service: ListeningService): FastifyPluginAsyncZod {
  return async (inbound) => {
    const raw = new WeakMap<object, string>();
    // The signature covers the exact bytes sent, so the raw text is kept beside the parsed body;
    // parsing itself is Fastify's own (bad JSON and __proto__ are refused with 400 as everywhere).
    const parseJson = inbound.getDefaultJsonParser('error', 'error');
    inbound.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1_048_576 }, (req, body, done) => {
      raw.set(req, body as string);
      parseJson(req, body as string, done);
    });
    inbound.post(
      '/v1/listening/inbound',
      {
        config: { isPublic: true },
        schema: {
          tags,
          summary: 'Connector webhook: headers webhook-source (the source id), webhook-id, webhook-timestamp, webhook-signature',
          response: { 200: IngestResponse, ...problemResponses },
        },
      },
      async (req, reply) => {
        const source = req.headers['webhook-source'];
        const text = raw.get(req) ?? '';
        const r = typeof source === 'string' && source.length <= 64 ? await service.receiveWebhook(source, req.headers, text) : { ok: false as const };
        if (!r.ok) return sendProblem(reply, 401, 'LISTENING_BAD_SIGNATURE', 'The webhook signature is missing, stale or wrong');
        return r.result;
      },
    );
  };
}
