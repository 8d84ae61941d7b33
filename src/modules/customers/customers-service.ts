// The customers service: the use cases other modules and the routes call, wired with their context.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { writeAudit } from '../../platform/audit.js';
import { withTransaction, type Queryable } from '../../platform/db.js';
import { settingsArea } from '../../platform/settings.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { normalizeIdentities, type Identities, type IdentityKind } from './normalize-identity.js';
import { resolveCustomers, type ResolveResult, type ResolutionRules } from './resolve-customers.js';
import { mergeCustomers, type MergeHook, type MergeRecord } from './merge-customers.js';
import { recordActivity, type Activity } from './record-activity.js';
import { findCustomerId, findCustomerIds } from './find-customer.js';
import { createCustomer, type ProfileFields } from './create-customer.js';
import { updateCustomer } from './update-customer.js';
import { getCustomer } from './get-customer.js';
import { listCustomers } from './list-customers.js';
import { lookupCustomer, lookupCustomers } from './lookup-customers.js';
import { addIdentity, removeIdentity } from './manage-identities.js';
import { setPreferences, updatePreferences, type Preferences, type PreferencesPatch } from './set-preferences.js';
import { recordConsent, consentHistory, type ConsentInput } from './record-consent.js';
import { exportCustomer, type ExportSection } from './export-customer.js';
import { eraseCustomer, type EraseHook } from './erase-customer.js';
import { computeCustomerValue } from './compute-customer-value.js';
import { importCustomers, type CustomerRow } from './import-customers.js';
import { defineAttribute, listAttributes } from './manage-attributes.js';
import type { AttributeType } from './validate-attributes.js';
import { readContactProfiles } from './read-contact-profiles.js';
import { readActiveSummaries, readSummaries } from './read-summaries.js';
import { listMerges, readAuditTrail } from './read-privacy-trail.js';
import { CustomerValueArea, IdentityResolutionArea, readResolutionRules, readValueSettings } from './customer-settings.js';
import { scheduleJobs } from './schedule-jobs.js';

export type CustomerChange = { customerId: string; change: string; details?: Record<string, unknown> };
/** The bus payload of customer.erased: the id asked, and every profile erased with it (merged ones). */
export type CustomerErased = { customerId: string; customerIds: string[] };

export function createCustomersService(ctx: ModuleContext) {
  const mergeHooks: MergeHook[] = [];
  const eraseHooks: EraseHook[] = [];
  const exportSections = new Map<string, ExportSection>();
  const region = ctx.config.defaultPhoneRegion;
  const pool = ctx.db.pool;

  /** Profile, consent and preference changes go on the timeline through the bus (the events module listens). */
  function publishChange(tenantId: string, c: CustomerChange) {
    ctx.bus.publish({ type: 'customer.changed', tenantId, payload: c });
  }

  async function recomputeValue(tenantId: string) {
    return computeCustomerValue(pool, tenantId, await readValueSettings(pool, tenantId), ctx.clock.now());
  }

  // Kept for 30 seconds, and dropped on every node when the settings change (tenant-cache).
  const rulesCache = createTenantCache<ResolutionRules>({ ttlMs: 30_000, load: (tenantId) => readResolutionRules(pool, tenantId) });

  // Read with the caller's transaction client: on the embedded database a second connection's query
  // waits until the open transaction ends, so using the pool here would deadlock.
  const resolutionRules = (tx: pg.PoolClient, tenantId: string): Promise<ResolutionRules> => rulesCache.get(tenantId, (t) => readResolutionRules(tx, t));

  function publishMerges(tenantId: string, merges: MergeRecord[]) {
    ctx.bus.publish(merges.map((m) => ({ type: 'customer.merged', tenantId, payload: m })));
  }

  return {
    settingsAreas: [
      settingsArea({ name: 'customer_value', schema: CustomerValueArea }),
      settingsArea({ name: 'identity_resolution', schema: IdentityResolutionArea, onChange: (tenantId) => rulesCache.forget(tenantId) }),
    ],
    normalizeIdentities: (raw: unknown) => normalizeIdentities(raw, ctx.config.defaultPhoneRegion),

    /** Inside the caller's transaction; the caller publishes result.merges after commit with publishMerges. */
    async resolveCustomers(tx: pg.PoolClient, tenantId: string, items: Identities[], actor: Actor, at?: Date): Promise<ResolveResult> {
      return resolveCustomers(tx, tenantId, items, { rules: await resolutionRules(tx, tenantId), actor, hooks: mergeHooks, at: at ?? ctx.clock.now() });
    },

    recordActivity: (tx: pg.PoolClient, tenantId: string, activity: Activity[]) => recordActivity(tx, tenantId, activity),

    async mergeCustomers(tx: pg.PoolClient, tenantId: string, survivorId: string, mergedId: string, rule: string, actor: Actor) {
      return mergeCustomers(tx, tenantId, survivorId, mergedId, { rule, actor, hooks: mergeHooks, at: ctx.clock.now() });
    },

    publishMerges,

    /** Other modules move their rows to the survivor in the merging transaction. */
    onMerge(hook: MergeHook) {
      mergeHooks.push(hook);
    },

    /** Follows a merged id to its survivor. */
    findCustomerId: (tenantId: string, id: string) => findCustomerId(ctx.db.pool, tenantId, id),
    /** Many ids at once (a batch of submissions): a map from each id found to its survivor or itself. */
    findCustomerIds: (tenantId: string, ids: readonly string[]) => findCustomerIds(ctx.db.pool, tenantId, ids),

    invalidateRules(tenantId: string) {
      rulesCache.forget(tenantId);
    },

    async createCustomer(tenantId: string, input: ProfileFields & { identities: Record<string, unknown> }, actor: Actor) {
      const id = await withTransaction(pool, (tx) => createCustomer(tx, tenantId, input as never, actor, region));
      publishChange(tenantId, { customerId: id, change: 'created' });
      return id;
    },
    async updateCustomer(tenantId: string, id: string, patch: ProfileFields, actor: Actor) {
      const ok = await withTransaction(pool, (tx) => updateCustomer(tx, tenantId, id, patch, actor));
      if (ok) publishChange(tenantId, { customerId: id, change: 'profile_updated', details: { fields: Object.keys(patch) } });
      return ok;
    },
    /** Reading a profile is audited: who looked at whom is personal data too. */
    async getCustomer(tenantId: string, id: string, actor: Actor) {
      const profile = await getCustomer(pool, tenantId, id);
      if (profile) await writeAudit(pool, tenantId, actor, 'customer.read', { type: 'customer', id });
      return profile;
    },
    // A list and search screen: may read a replica a moment behind (db.read).
    listCustomers: (tenantId: string, q: Parameters<typeof listCustomers>[2]) => listCustomers(ctx.db.read, tenantId, q, region),
    lookup: (tenantId: string, kind: IdentityKind, value: string) => lookupCustomer(pool, tenantId, kind, value, region),
    /** Many values of one identity kind in one query: value as given -> customer id, for the known ones (invalid values are simply absent). */
    lookupMany: (tenantId: string, kind: IdentityKind, values: readonly string[]) => lookupCustomers(pool, tenantId, kind, values, region),
    addIdentity: (tenantId: string, id: string, kind: IdentityKind, value: string, actor: Actor) =>
      withTransaction(pool, (tx) => addIdentity(tx, tenantId, id, kind, value, actor, region)),
    removeIdentity: (tenantId: string, id: string, kind: IdentityKind, value: string, actor: Actor) =>
      withTransaction(pool, (tx) => removeIdentity(tx, tenantId, id, kind, value, actor, region)),
    async setPreferences(tenantId: string, id: string, p: Preferences, actor: Actor) {
      await withTransaction(pool, (tx) => setPreferences(tx, tenantId, id, p, actor));
      publishChange(tenantId, { customerId: id, change: 'preferences_updated' });
    },
    async updatePreferences(tenantId: string, id: string, patch: PreferencesPatch, actor: Actor) {
      await withTransaction(pool, (tx) => updatePreferences(tx, tenantId, id, patch, actor));
      publishChange(tenantId, { customerId: id, change: 'preferences_updated' });
    },
    async recordConsent(tenantId: string, id: string, c: ConsentInput, actor: Actor) {
      const r = await withTransaction(pool, (tx) => recordConsent(tx, tenantId, id, c, actor, ctx.clock.now()));
      publishChange(tenantId, {
        customerId: id,
        change: 'consent_changed',
        details: { channel: c.channel, purpose: c.purpose, status: c.status, source: c.source },
      });
      return r;
    },
    consentHistory: (tenantId: string, id: string) => consentHistory(pool, tenantId, id),
    /** What messaging needs about customers (profile, preferences, current consent, addresses); not audited per read. */
    readContactProfiles: (tenantId: string, ids: string[], db: Queryable = pool) => readContactProfiles(db, tenantId, ids),
    defineAttribute: (tenantId: string, key: string, type: AttributeType, label: string | null) => defineAttribute(pool, tenantId, key, type, label),
    listAttributes: (tenantId: string) => listAttributes(pool, tenantId),
    async mergeManually(tenantId: string, survivorId: string, mergedId: string, actor: Actor) {
      const record = await withTransaction(pool, (tx) =>
        mergeCustomers(tx, tenantId, survivorId, mergedId, { rule: 'manual', actor, hooks: mergeHooks, at: ctx.clock.now() }),
      );
      publishMerges(tenantId, [record]);
      return record;
    },
    listMerges: (tenantId: string, id: string) => listMerges(pool, tenantId, id),
    exportCustomer: (tenantId: string, id: string, actor: Actor) => exportCustomer(pool, tenantId, id, exportSections, actor, ctx.clock.now()),
    /** After commit publishes customer.erased: other modules close the customer's live work (open conversations, cases). */
    async eraseCustomer(tenantId: string, id: string, actor: Actor) {
      const erased: string[] = [];
      const collect: EraseHook = async (_tx, _tenantId, ids) => {
        erased.push(...ids);
      };
      const isErased = await withTransaction(pool, (tx) => eraseCustomer(tx, tenantId, id, [...eraseHooks, collect], actor));
      if (isErased) ctx.bus.publish({ type: 'customer.erased', tenantId, payload: { customerId: id, customerIds: erased } satisfies CustomerErased });
      return isErased;
    },
    auditTrail: (tenantId: string, id: string) => readAuditTrail(pool, tenantId, id),
    recomputeValue,

    /** Name, language and value of one customer, for other modules' routing and templates (not audited: no personal data beyond a name). */
    async getSummary(db: Queryable, tenantId: string, id: string) {
      return (await readSummaries(db, tenantId, [id])).get(id);
    },
    /** getSummary for many customers in one query. */
    getSummaries: (db: Queryable, tenantId: string, ids: readonly string[]) => readSummaries(db, tenantId, ids),
    /** Summaries of the active customers the ids name, by the id asked, following merges to the survivor. */
    getActiveSummaries: (tenantId: string, ids: readonly string[]) => readActiveSummaries(pool, tenantId, ids),

    /** Upserts a batch of imported rows by identity in one transaction. */
    async importCustomers(tenantId: string, rows: CustomerRow[], actor: Actor) {
      return withTransaction(pool, async (tx) =>
        importCustomers(tx, tenantId, rows, { region, rules: await resolutionRules(tx, tenantId), actor, hooks: mergeHooks, at: ctx.clock.now() }),
      );
    },

    /** Other modules add their rows to a customer's data export. */
    addExportSection(name: string, fn: ExportSection) {
      exportSections.set(name, fn);
    },
    /** Other modules remove personal data from their rows in the erasing transaction. */
    onErase(hook: EraseHook) {
      eraseHooks.push(hook);
    },

    startJobs: () => scheduleJobs(ctx, recomputeValue),
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
