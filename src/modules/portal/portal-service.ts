// The portal service: passwordless sign-in for customers and the customer's own view of their data,
// always through the customers and events modules' doors, always scoped to the signed-in customer.
import type { ModuleContext } from '../../platform/context.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { findTenantBySlug, getTenantName } from '../../platform/tenancy.js';
import { startSignIn } from './start-sign-in.js';
import { verifySignIn, createPortalSession, authenticatePortalSession, endPortalSession, type Proof } from './verify-sign-in.js';
import { createSignInMailer, type SignInMailer } from './send-sign-in-mail.js';

export function createPortalService(ctx: ModuleContext & { customers: CustomersService; events: EventsService; signInMailer?: SignInMailer }) {
  const { db, customers, config, log } = ctx;
  const pool = db.pool;
  const mailer = ctx.signInMailer ?? createSignInMailer({ mailer: ctx.mailer, devCodes: config.portalDevCodes, log });

  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE portal_sessions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE portal_sign_ins SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });
  // An erased customer is signed out everywhere and their pending codes stop working.
  customers.onErase(async (tx, tenantId, customerIds) => {
    await tx.query('DELETE FROM portal_sessions WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, customerIds]);
    await tx.query('DELETE FROM portal_sign_ins WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, customerIds]);
  });

  return {
    /** Sends a code and link when the tenant knows this email; answers the same either way. */
    async requestSignIn(input: { tenant: string; email: string; locale?: string; client: string }) {
      const tenant = await findTenantBySlug(pool, input.tenant);
      if (!tenant) return;
      const found = await customers.lookup(tenant.tenantId, 'email', input.email);
      const customerId = found.customerId ?? null;
      const started = await startSignIn(pool, ctx.limiter, tenant.tenantId, { email: input.email, customerId, client: input.client }, ctx.clock.now());
      if (!customerId) return;
      // Delivery runs after the answer: its time must not tell a known address from an unknown one.
      void (async () => {
        const summary = await customers.getSummary(pool, tenant.tenantId, customerId);
        const locale = summary?.language ?? input.locale ?? 'en';
        const link = `${config.publicUrl}/portal/${encodeURIComponent(input.tenant)}/sign-in#token=${encodeURIComponent(started.linkToken)}`;
        await mailer({ to: input.email.trim().toLowerCase(), code: started.code, link, locale, tenantName: tenant.name });
      })().catch((err: Error) => log.error({ err: { message: err.message } }, 'portal sign-in mail failed'));
    },

    async signIn(tenantSlug: string, proof: Proof, client: string) {
      const tenant = await findTenantBySlug(pool, tenantSlug);
      if (!tenant) return undefined;
      const customerId = await verifySignIn(pool, tenant.tenantId, proof, client, ctx.clock.now());
      if (!customerId) return undefined;
      const found = await customers.findCustomerId(tenant.tenantId, customerId);
      if (!found || found.status === 'erased') return undefined;
      const session = await createPortalSession(pool, tenant.tenantId, found.id, ctx.clock.now());
      return { tenantId: tenant.tenantId, customerId: found.id, ...session };
    },

    /** The signed-in customer, following merges; undefined when the session or the customer is gone. */
    async authenticate(cookie: string | undefined) {
      const s = await authenticatePortalSession(pool, cookie, ctx.clock.now());
      if (!s) return undefined;
      const found = await customers.findCustomerId(s.tenantId, s.customerId);
      if (!found || found.status === 'erased') return undefined;
      return { tenantId: s.tenantId, customerId: found.id };
    },

    signOut: (cookie: string | undefined) => endPortalSession(pool, cookie, ctx.clock.now()),

    tenantName: (tenantId: string) => getTenantName(pool, tenantId),
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
