// HTTP for signing in to the portal: a one-time code and link by email, exchanged for the session
// cookie, and signing out. Public routes. Registered by portalRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { isCookieSecure } from '../../platform/config.js';
import { unprocessable } from '../../platform/errors.js';
import { assertSameOrigin } from '../../platform/http.js';
import { signInFailed } from './errors.js';
import { PORTAL_COOKIE, COOKIE_PATH, open, type PortalRoutesDeps } from './portal-session.js';
import { SignInBody, VerifyBody } from './contract.js';

export function portalSignInRoutes(deps: Pick<PortalRoutesDeps, 'portal' | 'config'>): FastifyPluginAsyncZod {
  const { portal, config } = deps;
  return async (app) => {
    app.post(
      '/v1/portal/sign-in',
      {
        config: { isPublic: true },
        schema: {
          ...open,
          summary: "Send a one-time sign-in code and link to a customer's email",
          body: SignInBody,
          response: { 202: z.object({ status: z.literal('sent') }), ...problemResponses },
        },
      },
      async (req, reply) => {
        await portal.requestSignIn({ ...req.body, client: req.ip });
        return reply.status(202).send({ status: 'sent' as const });
      },
    );

    app.post(
      '/v1/portal/sign-in/verify',
      {
        config: { isPublic: true },
        schema: {
          ...open,
          summary: 'Exchange a code or link token for a portal session',
          body: VerifyBody,
          response: { 200: z.object({ customer_id: z.string(), expires_at: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (!b.token && !(b.email && b.code)) {
          throw unprocessable('Send the emailed code with its email, or the link token', [
            b.email ? { field: 'code', message: 'is required with email' } : { field: 'email', message: 'is required with code (or send token)' },
          ]);
        }
        const s = await portal.signIn(b.tenant, b.token ? { token: b.token } : { email: b.email!, code: b.code! }, req.ip);
        if (!s) throw signInFailed();
        reply.setCookie(PORTAL_COOKIE, s.cookie, {
          httpOnly: true,
          sameSite: 'strict',
          secure: isCookieSecure(config),
          path: COOKIE_PATH,
          expires: s.expiresAt,
        });
        return { customer_id: s.customerId, expires_at: s.expiresAt.toISOString() };
      },
    );

    app.post(
      '/v1/portal/sign-out',
      { config: { isPublic: true }, schema: { ...open, summary: 'End the portal session', response: { 204: z.null() } } },
      async (req, reply) => {
        assertSameOrigin(req, config.publicUrl);
        await portal.signOut(req.cookies[PORTAL_COOKIE]);
        reply.clearCookie(PORTAL_COOKIE, { path: COOKIE_PATH });
        return reply.status(204).send(null);
      },
    );
  };
}
