// What the portal's route files share: the session cookie, the signed-in customer a request carries,
// and how the routes are documented (no credentials for sign-in, the portal session cookie for /me).
import type { FastifyRequest } from 'fastify';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { LoyaltyService } from '../loyalty/index.js';
import type { Config } from '../../platform/config.js';
import { assertSameOrigin } from '../../platform/http.js';
import type { PortalService } from './portal-service.js';
import { notSignedIn } from './errors.js';

export const PORTAL_COOKIE = 'rapport_portal';
export const COOKIE_PATH = '/v1/portal';

export interface PortalRoutesDeps {
  portal: PortalService;
  customers: CustomersService;
  events: EventsService;
  loyalty: LoyaltyService;
  config: Config;
}

/** The signed-in customer of a same-origin request with a valid portal session cookie; 401 otherwise. */
export function portalSession(portal: PortalService, config: Config) {
  return async (req: FastifyRequest) => {
    assertSameOrigin(req, config.publicUrl);
    const who = await portal.authenticate(req.cookies[PORTAL_COOKIE]);
    if (!who) throw notSignedIn();
    return { ...who, actor: { type: 'customer' as const, id: who.customerId } };
  };
}

const tags = ['portal'];
// Documented with their own credentials: nothing for sign-in, the portal session cookie for /me.
export const open = { tags, security: [] as Record<string, string[]>[] };
export const asCustomer = { tags, security: [{ portalSession: [] }] as Record<string, string[]>[] };
