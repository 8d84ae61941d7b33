// The customers service: the use cases other modules and the routes call, wired with their context.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { normalizeIdentities, type Identities } from './normalize-identity.js';
import { resolveCustomers, type ResolveResult, type ResolutionRules } from './resolve-customers.js';
import { mergeCustomers, type MergeHook, type MergeRecord } from './merge-customers.js';
import { recordActivity, type Activity } from './record-activity.js';
import { findCustomerId } from './find-customer.js';

export function createCustomersService(ctx: ModuleContext) {
  const mergeHooks: MergeHook[] = [];
  const rulesCache = new Map<string, { rules: ResolutionRules; at: number }>();

  // Read with the caller's transaction client: on the embedded database a second connection's query
  // waits until the open transaction ends, so using the pool here would deadlock.
  async function resolutionRules(tx: pg.PoolClient, tenantId: string): Promise<ResolutionRules> {
    const cached = rulesCache.get(tenantId);
    if (cached && Date.now() - cached.at < 30_000) return cached.rules;
    const settings = await getTenantSettings(tx, tenantId);
    const ir = (settings.identity_resolution ?? {}) as { auto_merge?: boolean };
    const rules = { isAutoMergeEnabled: ir.auto_merge !== false };
    rulesCache.set(tenantId, { rules, at: Date.now() });
    return rules;
  }

  function publishMerges(tenantId: string, merges: MergeRecord[]) {
    ctx.bus.publish(merges.map((m) => ({ type: 'customer.merged', tenantId, payload: m })));
  }

  return {
    normalizeIdentities: (raw: unknown) => normalizeIdentities(raw, ctx.config.defaultPhoneRegion),

    /** Inside the caller's transaction; the caller publishes result.merges after commit with publishMerges. */
    async resolveCustomers(tx: pg.PoolClient, tenantId: string, items: Identities[], actor: Actor, at?: Date): Promise<ResolveResult> {
      return resolveCustomers(tx, tenantId, items, { rules: await resolutionRules(tx, tenantId), actor, hooks: mergeHooks, at });
    },

    recordActivity: (tx: pg.PoolClient, tenantId: string, activity: Activity[]) => recordActivity(tx, tenantId, activity),

    async mergeCustomers(tx: pg.PoolClient, tenantId: string, survivorId: string, mergedId: string, rule: string, actor: Actor) {
      return mergeCustomers(tx, tenantId, survivorId, mergedId, { rule, actor, hooks: mergeHooks });
    },

    publishMerges,

    /** Other modules move their rows to the survivor in the merging transaction. */
    onMerge(hook: MergeHook) {
      mergeHooks.push(hook);
    },

    /** Follows a merged id to its survivor. */
    findCustomerId: (tenantId: string, id: string) => findCustomerId(ctx.db.pool, tenantId, id),

    invalidateRules(tenantId: string) {
      rulesCache.delete(tenantId);
    },

    async startJobs() {
      // Filled by the customer value use case (RFM, CLV, core flag).
    },
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
