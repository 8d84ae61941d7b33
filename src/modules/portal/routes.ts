// HTTP for the customer portal under /v1/portal. These routes do not take API keys or console
// sessions: sign-in is public, and everything under /me answers only to the portal session cookie,
// for the one customer it names.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z, problemResponses } from '../../platform/validation.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { isCookieSecure, type Config } from '../../platform/config.js';
import type { PortalService } from './portal-service.js';
import type { LoyaltyService } from '../loyalty/index.js';
import { notSignedIn, signInFailed } from './errors.js';
import { unprocessable } from '../../platform/errors.js';
import { assertSameOrigin } from '../../platform/http.js';
import {
  SignInBody,
  VerifyBody,
  Me,
  PatchMe,
  PreferencesBody,
  ConsentBody,
  Loyalty,
  PointsLine,
  Voucher,
  Redeemed,
  RedeemBody,
  TimelineQuery,
  MyTimeline,
} from './contract.js';

export const PORTAL_COOKIE = 'rapport_portal';
const COOKIE_PATH = '/v1/portal';

export function portalRoutes(deps: {
  portal: PortalService;
  customers: CustomersService;
  events: EventsService;
  loyalty: LoyaltyService;
  config: Config;
}): FastifyPluginAsyncZod {
  const { portal, customers, events, loyalty, config } = deps;
  /** Points, tier progress and the rewards this customer may choose, in one answer for the rewards page. */
  async function myLoyalty(tenantId: string, customerId: string) {
    const v = await loyalty.templateVariables(tenantId, customerId);
    const rewards = await loyalty.customerRewards(tenantId, customerId);
    return {
      points: { available: v.points, pending: v.pending, expiring: v.expiring_points, expiring_at: v.expiring_at ? v.expiring_at.toISOString() : null },
      tier: { id: v.tier, name: v.tier_name, next_name: v.next_tier_name, to_next: v.to_next_tier },
      rewards: rewards.map((r) => ({
        id: r.id,
        offer_id: r.offer_id,
        name: r.name,
        description: r.description,
        cost_points: r.cost_points,
        in_stock: r.in_stock,
        is_affordable: r.in_stock && r.cost_points <= v.points,
      })),
    };
  }

  async function signedIn(req: FastifyRequest) {
    assertSameOrigin(req, config.publicUrl);
    const who = await portal.authenticate(req.cookies[PORTAL_COOKIE]);
    if (!who) throw notSignedIn();
    return { ...who, actor: { type: 'customer' as const, id: who.customerId } };
  }

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

  const tags = ['portal'];
  // Documented with their own credentials: nothing for sign-in, the portal session cookie for /me.
  const open = { tags, security: [] as Record<string, string[]>[] };
  const asCustomer = { tags, security: [{ portalSession: [] }] as Record<string, string[]>[] };
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

    app.get(
      '/v1/portal/me/loyalty',
      {
        config: { isPublic: true },
        schema: { ...asCustomer, summary: 'My points, tier progress and the rewards I can choose', response: { 200: Loyalty, ...problemResponses } },
      },
      async (req) => {
        const s = await signedIn(req);
        return myLoyalty(s.tenantId, s.customerId);
      },
    );
    app.post(
      '/v1/portal/me/redemptions',
      {
        config: { isPublic: true },
        schema: {
          ...asCustomer,
          summary: 'Redeem a reward with my points: a voucher code back (a retry with the same idempotency_key gets the same one)',
          body: RedeemBody,
          response: { 201: Redeemed, 200: Redeemed, ...problemResponses },
        },
      },
      async (req, reply) => {
        const s = await signedIn(req);
        // The key is the customer's own: prefixed, so it can never collide with a key another caller chose.
        const r = await loyalty.redeem(s.tenantId, {
          customerId: s.customerId,
          rewardId: req.body.reward_id,
          offerId: req.body.offer_id,
          key: `portal:${s.customerId}:${req.body.idempotency_key}`,
        });
        // A replay answers from the stored result, which carries the redemption too.
        const found = (r.result as { redemption?: { voucher_code: string; expires_at: string; points: number } }).redemption;
        if (!found) throw unprocessable('This redemption could not be found');
        return reply
          .status(r.replayed ? 200 : 201)
          .send({ voucher_code: found.voucher_code, expires_at: found.expires_at, points: found.points, loyalty: await myLoyalty(s.tenantId, s.customerId) });
      },
    );

    app.get(
      '/v1/portal/me/points',
      {
        config: { isPublic: true },
        schema: {
          ...asCustomer,
          summary: 'My points history: earned, pending, spent, expired, with reasons, newest first',
          response: { 200: z.object({ data: z.array(PointsLine) }), ...problemResponses },
        },
      },
      async (req) => {
        const s = await signedIn(req);
        return { data: await loyalty.pointsHistory(s.tenantId, s.customerId) };
      },
    );
    app.get(
      '/v1/portal/me/vouchers',
      {
        config: { isPublic: true },
        schema: {
          ...asCustomer,
          summary: 'The vouchers my redemptions issued: code, status and expiry',
          response: { 200: z.object({ data: z.array(Voucher) }), ...problemResponses },
        },
      },
      async (req) => {
        const s = await signedIn(req);
        return { data: await loyalty.customerVouchers(s.tenantId, s.customerId) };
      },
    );

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
