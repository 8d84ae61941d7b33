// HTTP for the widget. Admins manage the key and allowed sites; visitors' browsers post feedback with
// the publishable key from any allowed site. The widget posts JSON as text/plain, a CORS "simple
// request", so browsers send it without a preflight (Fetch standard, CORS-safelisted content types).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, PageQuery } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { WidgetService } from './widget-service.js';
import { widgetKeyInvalid, widgetOriginRefused } from './errors.js';
import { Origin, Settings, FeedbackBody, VisitorBody, HelpSearchBody, HelpSearchOut, FeedbackOut } from './contract.js';

export function widgetRoutes(widget: WidgetService): FastifyPluginAsyncZod {
  return async (app) => {
    /** The tenant of a widget key, for a page on one of its allowed sites; the answer may be read by that page. */
    async function tenantOfPage(req: FastifyRequest, reply: FastifyReply, key: string): Promise<string> {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      const found = await widget.tenantOfKey(key);
      if (!found) throw widgetKeyInvalid();
      // With no sites listed any page may post (a key is easy to copy anyway); a list pins it to those sites.
      if (found.allowedOrigins.length && (!origin || !found.allowedOrigins.includes(origin))) throw widgetOriginRefused();
      return found.tenantId;
    }

    // JSON sent as text/plain by the widget; anything that is not JSON stays a string and fails the schema.
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, body);
      }
    });

    app.get(
      '/v1/widget/settings',
      {
        config: { scope: 'admin' },
        schema: { tags: ['widget'], summary: 'The widget key and allowed sites', response: { 200: Settings, ...problemResponses } },
      },
      async (req) => widget.getSettings(principalOf(req).tenantId),
    );

    app.put(
      '/v1/widget/settings',
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['widget'],
          summary: 'Set allowed sites; creates the key the first time, or a new one with rotate_key',
          body: z.object({ allowed_origins: z.array(Origin).max(50), rotate_key: z.boolean().default(false) }).strict(),
          response: { 200: Settings, ...problemResponses },
        },
      },
      async (req) => widget.saveSettings(principalOf(req).tenantId, req.body),
    );

    app.get(
      '/v1/widget/feedback',
      {
        schema: {
          tags: ['widget'],
          summary: 'Feedback left with the widget, newest first',
          querystring: PageQuery,
          response: { 200: z.object({ data: z.array(FeedbackOut), next_cursor: z.string().nullable() }), ...problemResponses },
        },
      },
      async (req) => widget.listFeedback(principalOf(req).tenantId, req.query),
    );

    app.post(
      '/v1/widget/feedback',
      {
        config: { isPublic: true },
        schema: {
          tags: ['widget'],
          security: [],
          summary: 'Leave feedback from a page (widget key in the body; no API key)',
          body: FeedbackBody,
          response: { 201: z.object({ id: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const tenantId = await tenantOfPage(req, reply, req.body.key);
        const { key: _key, ...input } = req.body;
        const r = await widget.submitFeedback(tenantId, input, req.ip);
        // A resend of a stored submission gets the same answer, marked as the Idempotency-Key replays are.
        if (r.isReplay) reply.header('idempotent-replayed', 'true');
        return reply.status(201).send({ id: r.id });
      },
    );

    // The help centre searched before a chat. POST (text/plain, like feedback) so the visitor's token
    // travels in the body, never in a URL that logs and proxies keep.
    app.post(
      '/v1/widget/help-searches',
      {
        config: { isPublic: true },
        schema: {
          tags: ['widget'],
          security: [],
          summary: 'Search the help centre from the widget (Chinese script in q picks Chinese articles; no language needed)',
          body: HelpSearchBody,
          response: { 200: HelpSearchOut, ...problemResponses },
        },
      },
      async (req, reply) => {
        const tenantId = await tenantOfPage(req, reply, req.body.key);
        const accept = req.headers['accept-language'];
        return widget.searchHelp(tenantId, { ...req.body, acceptLanguage: typeof accept === 'string' ? accept : undefined }, req.ip);
      },
    );
    app.post(
      '/v1/widget/help-searches/:id/chat',
      {
        config: { isPublic: true },
        schema: {
          tags: ['widget'],
          security: [],
          summary: '"Still need help": the search is recorded as followed by a chat (a content gap)',
          params: z.object({ id: z.string().regex(/^[\w-]{1,64}$/) }),
          body: VisitorBody,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        const tenantId = await tenantOfPage(req, reply, req.body.key);
        await widget.escalateSearch(tenantId, req.params.id, req.body);
        return reply.status(204).send(null);
      },
    );
  };
}
