// HTTP for the customer portal under /v1/portal. These routes do not take API keys or console
// sessions: sign-in is public (sign-in-routes.ts), and everything under /me answers only to the portal
// session cookie, for the one customer it names. Here: my profile, preferences, consent, timeline,
// export and erasure; my loyalty is in loyalty-routes.ts. Both other files are registered in this plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { notSignedIn } from './errors.js';
import { unprocessable } from '../../platform/errors.js';
import { PORTAL_COOKIE, COOKIE_PATH, portalSession, asCustomer, type PortalRoutesDeps } from './portal-session.js';
import { portalSignInRoutes } from './sign-in-routes.js';
import { portalLoyaltyRoutes } from './loyalty-routes.js';
import { Me, PatchMe, PreferencesBody, ConsentBody, TimelineQuery, MyTimeline } from './contract.js';

export { PORTAL_COOKIE } from './portal-session.js';

export function portalRoutes(deps: PortalRoutesDeps): FastifyPluginAsyncZod {
  const { portal, customers, events, config } = deps;
  const signedIn = portalSession(portal, config);

  async function me(tenantId: string, customerId: string, actor: { type: 'customer'; id: string }) {
    const c = await customers.getCustomer(tenantId, customerId, actor);
    if (!c) throw notSignedIn();
    return {
      id: c.id,
      tenant_name: await portal.tenantName(tenantId),
      given_name: c.given_name,
      family_name: c.family_name,
      display_name: c.display_name,
      locale: c.locale,
      timezone: c.timezone,
      // Anonymous browser ids are the company's bookkeeping, not something a person recognises.
      identities: c.identities.filter((i) => i.kind !== 'anonymous_id').map((i) => ({ kind: i.kind, value: i.value })),
      preferences: c.preferences
        ? {
            channels: c.preferences.channels,
            contact_window: c.preferences.contact_window,
            max_messages_per_week: c.preferences.max_messages_per_week,
            language: c.preferences.language,
          }
        : null,
      consent: c.consent.map((x) => ({ channel: x.channel, purpose: x.purpose, status: x.status, recorded_at: x.recorded_at })),
      activity: { first_seen_at: c.activity.first_seen_at, order_count: c.activity.order_count },
    };
  }

  return async (app) => {
    // Sign-in, its verification and sign-out (sign-in-routes.ts), registered in this same plugin.
    await portalSignInRoutes(deps)(app, {});

    app.get(
      '/v1/portal/me',
      { config: { isPublic: true }, schema: { ...asCustomer, summary: 'My profile, preferences and consent', response: { 200: Me, ...problemResponses } } },
      async (req) => {
        const s = await signedIn(req);
        return me(s.tenantId, s.customerId, s.actor);
      },
    );

    app.patch(
      '/v1/portal/me',
      { config: { isPublic: true }, schema: { ...asCustomer, summary: 'Change my profile', body: PatchMe, response: { 200: Me, ...problemResponses } } },
      async (req) => {
        const s = await signedIn(req);
        await customers.updateCustomer(s.tenantId, s.customerId, req.body, s.actor);
        return me(s.tenantId, s.customerId, s.actor);
      },
    );

    app.put(
      '/v1/portal/me/preferences',
      {
        config: { isPublic: true },
        schema: { ...asCustomer, summary: 'Set my contact preferences', body: PreferencesBody, response: { 200: Me, ...problemResponses } },
      },
      async (req) => {
        const s = await signedIn(req);
        await customers.setPreferences(s.tenantId, s.customerId, req.body, s.actor);
        return me(s.tenantId, s.customerId, s.actor);
      },
    );

    app.post(
      '/v1/portal/me/consent',
      {
        config: { isPublic: true },
        schema: { ...asCustomer, summary: 'Give or withdraw consent for a channel and purpose', body: ConsentBody, response: { 200: Me, ...problemResponses } },
      },
      async (req) => {
        const s = await signedIn(req);
        await customers.recordConsent(s.tenantId, s.customerId, { ...req.body, source: 'portal' }, s.actor);
        return me(s.tenantId, s.customerId, s.actor);
      },
    );

    app.get(
      '/v1/portal/me/timeline',
      {
        config: { isPublic: true },
        schema: {
          ...asCustomer,
          summary: 'Everything between me and the company, newest first',
          querystring: TimelineQuery,
          response: { 200: MyTimeline, ...problemResponses },
        },
      },
      async (req) => {
        const s = await signedIn(req);
        const page = await events.readTimeline(s.tenantId, s.customerId, { limit: req.query.limit, cursor: req.query.cursor });
        return {
          data: page.data.map((e) => ({ id: e.id, type: e.type, occurred_at: e.occurred_at, source: e.source, properties: e.properties })),
          next_cursor: page.next_cursor,
        };
      },
    );

    // My points, rewards, redemptions, vouchers (loyalty-routes.ts), registered in this same plugin.
    await portalLoyaltyRoutes(deps)(app, {});

    app.get(
      '/v1/portal/me/export',
      {
        config: { isPublic: true },
        schema: { ...asCustomer, summary: 'Download all my data as JSON', response: { 200: z.record(z.string(), z.unknown()), ...problemResponses } },
      },
      async (req, reply) => {
        const s = await signedIn(req);
        const doc = await customers.exportCustomer(s.tenantId, s.customerId, s.actor);
        if (!doc) throw notSignedIn();
        reply.header('content-disposition', `attachment; filename="my-data-${s.customerId}.json"`);
        return doc;
      },
    );

    app.post(
      '/v1/portal/me/erase',
      {
        config: { isPublic: true },
        schema: {
          ...asCustomer,
          summary: 'Erase my personal data (signs me out)',
          body: z.object({ confirm: z.literal(true) }).strict(),
          response: { 200: z.object({ status: z.literal('erased') }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const s = await signedIn(req);
        if (!(await customers.eraseCustomer(s.tenantId, s.customerId, s.actor))) throw unprocessable('This profile could not be erased');
        reply.clearCookie(PORTAL_COOKIE, { path: COOKIE_PATH });
        return { status: 'erased' as const };
      },
    );
  };
}
