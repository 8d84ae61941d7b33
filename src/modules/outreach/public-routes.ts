// The public outreach routes: reached from a message, proven by the link's signature, never by a
// login. Only these routes take forms: RFC 8058 one-click POSTs (List-Unsubscribe=One-Click, urlencoded
// or multipart) and the preference page's own form; any other form is refused as unsupported. The email
// tracking pixel and click redirect are here too (see track-email.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { notFound } from '../../platform/errors.js';
import type { OutreachService } from './outreach-service.js';
import { PIXEL } from './track-email.js';
import { invalidLink } from './errors.js';

const Token = z.object({ token: z.string().min(1).max(200) });

/** Registered by outreachRoutes in a context of its own, so that its form parsers apply to these routes only. */
export function outreachPublicRoutes(service: OutreachService): FastifyPluginAsync {
  return async (plain) => {
    const pub = plain.withTypeProvider<ZodTypeProvider>();
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
      pub.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => {
        const text = String(body);
        const isOneClick = /List-Unsubscribe=One-Click|name="List-Unsubscribe"\r?\n\r?\nOne-Click/.test(text);
        const isPreferenceForm =
          type === 'application/x-www-form-urlencoded' && [...new URLSearchParams(text).keys()].every((k) => k === 'marketing' || k === 'service');
        if (isOneClick || isPreferenceForm) return done(null, text);
        done(
          Object.assign(new Error('Only the one-click unsubscribe and preference forms are accepted'), { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }),
          undefined,
        );
      });
    }
    pub.post(
      '/v1/outreach/unsubscribe/:token',
      {
        config: { isPublic: true },
        schema: {
          tags: ['outreach'],
          summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe-Post)',
          params: Token,
          response: { 200: z.object({ status: z.literal('unsubscribed') }), ...problemResponses },
        },
      },
      async (req) => {
        const link = await service.readLink(req.params.token);
        if (!link || !(await service.unsubscribeOneClick(link))) throw invalidLink();
        return { status: 'unsubscribed' as const };
      },
    );
    pub.get(
      '/v1/outreach/preferences/:token',
      { config: { isPublic: true }, schema: { tags: ['outreach'], summary: 'The preference page a message links to', params: Token } },
      async (req, reply) => {
        const link = await service.readLink(req.params.token);
        const html = link && (await service.preferencePage(link, req.params.token));
        if (!html) throw invalidLink();
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
      },
    );
    pub.post(
      '/v1/outreach/preferences/:token',
      { config: { isPublic: true }, schema: { tags: ['outreach'], summary: 'Save the preference page', params: Token } },
      async (req, reply) => {
        const link = await service.readLink(req.params.token);
        if (!link) throw invalidLink();
        const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
        if (!(await service.savePreferences(link, form))) throw notFound('This link is not valid');
        const html = await service.preferencePage(link, req.params.token, { isSaved: true });
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
      },
    );

    // Email tracking: the open pixel and the click redirect (see track-email.ts).
    pub.get(
      '/v1/outreach/open/:token',
      { config: { isPublic: true }, schema: { tags: ['outreach'], summary: 'Email open pixel (a 1x1 GIF); records the first open', params: Token } },
      async (req, reply) => {
        if (!(await service.recordTracked(req.params.token))) throw invalidLink();
        return reply.type('image/gif').header('cache-control', 'no-store, private').send(PIXEL);
      },
    );
    pub.get(
      '/v1/outreach/click/:token',
      {
        config: { isPublic: true },
        schema: {
          tags: ['outreach'],
          summary: 'Tracked email link: records the click and redirects to the link the message carried',
          params: Token,
          querystring: z.object({ u: z.url({ protocol: /^https?$/ }).max(4000) }),
        },
      },
      async (req, reply) => {
        if (!(await service.recordTracked(req.params.token, req.query.u))) throw invalidLink();
        return reply.header('cache-control', 'no-store, private').redirect(req.query.u, 302);
      },
    );
  };
}
