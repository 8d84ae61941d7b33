// The customers service: the use cases other modules and the routes call, wired with their context.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { formatName } from './format-name.js';
import { settingsArea } from '../../platform/settings.js';
import { CustomerValueArea, IdentityResolutionArea } from './contract.js';
import { normalizeIdentities, type Identities } from './normalize-identity.js';
import { resolveCustomers, type ResolveResult, type ResolutionRules } from './resolve-customers.js';
import { mergeCustomers, type MergeHook, type MergeRecord } from './merge-customers.js';
import { recordActivity, type Activity } from './record-activity.js';
import { activeCustomersSql, findCustomerId, findCustomerIds } from './find-customer.js';
import { prepared, withTransaction, type Queryable } from '../../platform/db.js';
import { writeAudit } from '../../platform/audit.js';
import { createCustomer, type ProfileFields } from './create-customer.js';
import { updateCustomer } from './update-customer.js';
import { getCustomer } from './get-customer.js';
import { listCustomers } from './list-customers.js';
import { addIdentity, removeIdentity } from './manage-identities.js';
import { setPreferences, updatePreferences, type Preferences, type PreferencesPatch } from './set-preferences.js';
import { recordConsent, consentHistory, type ConsentInput } from './record-consent.js';
import { exportCustomer, type ExportSection } from './export-customer.js';
import { eraseCustomer, type EraseHook } from './erase-customer.js';
import { computeCustomerValue } from './compute-customer-value.js';
import { importCustomers, type CustomerRow } from './import-customers.js';
import type { IdentityKind } from './normalize-identity.js';
import type { AttributeType } from './validate-attributes.js';
import { readContactProfiles } from './read-contact-profiles.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { auditLog, tenants as tenantsTable } from '../../platform/schema.js';
import { customers, customerIdentities, customerMerges, attributeDefinitions } from './schema.js';

export type CustomerChange = { customerId: string; change: string; details?: Record<string, unknown> };
/** The bus payload of customer.erased: the id asked, and every profile erased with it (merged ones). */
export type CustomerErased = { customerId: string; customerIds: string[] };

export interface CustomerSummary {
  id: string;
  name: string | null;
  language: string | null;
  isCore: boolean;
  clv: number | null;
}

const AttributeDef = rowOf(attributeDefinitions, ['key', 'type', 'label']);
const SUMMARY_COLUMNS = 'c.id, c.display_name, c.given_name, c.family_name, c.locale, c.is_core, c.clv, p.language';
// The preferred language comes through a LEFT JOIN: null for a customer who never gave preferences.
const Summary = rowOf(customers, ['id', 'display_name', 'given_name', 'family_name', 'locale', 'is_core', 'clv']).and<{ language: string | null }>([
  'language',
]);
const toSummary = (r: typeof Summary.row): CustomerSummary => ({
  id: r.id,
  name: formatName({ displayName: r.display_name, givenName: r.given_name, familyName: r.family_name }, r.language ?? r.locale),
  language: r.language ?? r.locale,
  isCore: r.is_core,
  clv: r.clv == null ? null : Number(r.clv),
});

async function summaries(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  if (!ids.length) return new Map();
  // A primary-key probe per id (the tenant as an InitPlan value): with statistics that predate a new
  // tenant's growth, c.id = ANY($2) read all of the tenant's customers, and their preferences for each.
  const rows = await queryRows(
    db,
    Summary,
    `SELECT ${SUMMARY_COLUMNS} FROM unnest($2::text[]) AS u(id)
       CROSS JOIN LATERAL (SELECT * FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = u.id) c
       LEFT JOIN LATERAL (SELECT y.language FROM customer_preferences y WHERE y.tenant_id = c.tenant_id AND y.customer_id = c.id) p ON true`,
    [tenantId, [...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, toSummary(r)]));
}

const ACTIVE_SUMMARIES = prepared(
  'customers-active-summaries',
  `SELECT a.asked, ${SUMMARY_COLUMNS} FROM (${activeCustomersSql('SELECT unnest($2::text[])')}) a
     CROSS JOIN LATERAL (SELECT * FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = a.id) c
     LEFT JOIN LATERAL (SELECT y.language FROM customer_preferences y WHERE y.tenant_id = c.tenant_id AND y.customer_id = c.id) p ON true`,
);

const ActiveSummary = Summary.and<{ asked: string }>(['asked']);

/** The active customers some ids name, by the id asked (a merged id gives its survivor), in one query. */
async function activeSummaries(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, CustomerSummary>> {
  if (!ids.length) return new Map();
  const rows = await queryRows(db, ActiveSummary, ACTIVE_SUMMARIES([tenantId, [...new Set(ids)]]));
  return new Map(rows.map((r) => [r.asked, toSummary(r)]));
}

async function readResolutionRules(db: Queryable, tenantId: string): Promise<ResolutionRules> {
  const ir = ((await getTenantSettings(db, tenantId)).identity_resolution ?? {}) as { auto_merge?: boolean };
  return { isAutoMergeEnabled: ir.auto_merge !== false };
}

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

  async function valueSettings(tenantId: string) {
    const st = await getTenantSettings(pool, tenantId);
    const v = (st.customer_value ?? {}) as { core_percent?: number; lifespan_years?: number };
    return { corePercent: v.core_percent ?? 20, lifespanYears: v.lifespan_years ?? 3 };
  }

  async function recomputeValue(tenantId: string) {
    return computeCustomerValue(pool, tenantId, await valueSettings(tenantId), ctx.clock.now());
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
      return mergeCustomers(tx, tenantId, survivorId, mergedId, { rule, actor, hooks: mergeHooks });
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
    async lookup(tenantId: string, kind: IdentityKind, value: string) {
      const { identities, problems } = normalizeIdentities({ [kind]: value }, region);
      if (problems.length) return { problems };
      const found = await queryRow(
        pool,
        rowOf(customerIdentities, ['customer_id']),
        'SELECT customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3',
        [tenantId, kind, identities[kind]],
      );
      return { customerId: found?.customer_id };
    },
    /** Many values of one identity kind in one query: value as given -> customer id, for the known ones (invalid values are simply absent). */
    async lookupMany(tenantId: string, kind: IdentityKind, values: readonly string[]): Promise<Map<string, string>> {
      const byNormal = new Map<string, string[]>();
      for (const v of new Set(values)) {
        const { identities, problems } = normalizeIdentities({ [kind]: v }, region);
        const n = identities[kind];
        if (problems.length || !n) continue;
        (byNormal.get(n) ?? byNormal.set(n, []).get(n)!).push(v);
      }
      const out = new Map<string, string>();
      if (!byNormal.size) return out;
      const rows = await queryRows(
        pool,
        rowOf(customerIdentities, ['value', 'customer_id']),
        'SELECT value, customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = $2 AND value = ANY($3::text[])',
        [tenantId, kind, [...byNormal.keys()]],
      );
      for (const r of rows) for (const v of byNormal.get(r.value) ?? []) out.set(v, r.customer_id);
      return out;
    },
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
      const r = await withTransaction(pool, (tx) => recordConsent(tx, tenantId, id, c, actor));
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
    async defineAttribute(tenantId: string, key: string, type: AttributeType, label: string | null) {
      return queryRow(
        pool,
        AttributeDef,
        `INSERT INTO customer_attribute_definitions (tenant_id, key, type, label) VALUES ($1,$2,$3,$4)
         ON CONFLICT (tenant_id, key) DO UPDATE SET label = excluded.label WHERE customer_attribute_definitions.type = excluded.type
         RETURNING key, type, label`,
        [tenantId, key, type, label],
      );
    },
    async listAttributes(tenantId: string) {
      return queryRows(pool, AttributeDef, 'SELECT key, type, label FROM customer_attribute_definitions WHERE tenant_id = $1 ORDER BY key', [tenantId]);
    },
    async mergeManually(tenantId: string, survivorId: string, mergedId: string, actor: Actor) {
      const record = await withTransaction(pool, (tx) => mergeCustomers(tx, tenantId, survivorId, mergedId, { rule: 'manual', actor, hooks: mergeHooks }));
      publishMerges(tenantId, [record]);
      return record;
    },
    async listMerges(tenantId: string, id: string) {
      const rows = await queryRows(
        pool,
        rowOf(customerMerges, ['id', 'survivor_id', 'merged_id', 'rule', 'actor', 'at']),
        'SELECT id, survivor_id, merged_id, rule, actor, at FROM customer_merges WHERE tenant_id = $1 AND (survivor_id = $2 OR merged_id = $2) ORDER BY at',
        [tenantId, id],
      );
      return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    },
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
    async auditTrail(tenantId: string, id: string) {
      const rows = await queryRows(
        pool,
        rowOf(auditLog, ['at', 'actor_type', 'actor_id', 'action', 'details']),
        `SELECT at, actor_type, actor_id, action, details FROM audit_log WHERE tenant_id = $1 AND subject_type = 'customer' AND subject_id = $2 ORDER BY at DESC LIMIT 500`,
        [tenantId, id],
      );
      return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    },
    recomputeValue,

    /** Name, language and value of one customer, for other modules' routing and templates (not audited: no personal data beyond a name). */
    async getSummary(db: Queryable, tenantId: string, id: string) {
      return (await summaries(db, tenantId, [id])).get(id);
    },
    /** getSummary for many customers in one query. */
    getSummaries: (db: Queryable, tenantId: string, ids: readonly string[]) => summaries(db, tenantId, ids),
    /** Summaries of the active customers the ids name, by the id asked, following merges to the survivor. */
    getActiveSummaries: (tenantId: string, ids: readonly string[]) => activeSummaries(pool, tenantId, ids),

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

    async startJobs() {
      // Nightly, and on demand with {tenantId}: every tenant's customer value.
      await ctx.jobs.define<{ tenantId?: string }>(
        'customers-compute-value',
        async (data) => {
          const tenants = data.tenantId
            ? [data.tenantId]
            : (await queryRows(pool, rowOf(tenantsTable, ['tenant_id']), 'SELECT tenant_id FROM tenants')).map((r) => r.tenant_id);
          for (const t of tenants) {
            const r = await recomputeValue(t);
            ctx.log.info({ tenant: t, ...r }, 'customer value recomputed');
          }
        },
        { cron: '17 3 * * *' },
      );
    },
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
