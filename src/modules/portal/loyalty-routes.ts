// HTTP for the customer's own loyalty in the portal: points and tier progress with the rewards
// they may choose, redemptions for a voucher, the points history, the vouchers issued.
// Registered by portalRoutes inside its own plugin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { unprocessable } from '../../platform/errors.js';
import { portalSession, asCustomer, type PortalRoutesDeps } from './portal-session.js';
import { Loyalty, PointsLine, Voucher, Redeemed, RedeemBody } from './contract.js';

export function portalLoyaltyRoutes(deps: Pick<PortalRoutesDeps, 'portal' | 'loyalty' | 'config'>): FastifyPluginAsyncZod {
  const { loyalty } = deps;
  const signedIn = portalSession(deps.portal, deps.config);
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

  return async (app) => {
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
  };
}
