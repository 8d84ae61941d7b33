// Portal: the customer's own space — passwordless sign-in, profile, history, preferences, consent, export, erasure.
export { createPortalService, type PortalService } from './portal-service.js';
export { portalRoutes } from './routes.js';
export type { SignInMailer, SignInMessage } from './send-sign-in-mail.js';
