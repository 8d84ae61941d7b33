// The customers module's settings areas (customer value, identity resolution) and their reads.
import { getTenantSettings } from '../../platform/tenancy.js';
import type { Queryable } from '../../platform/db.js';
import type { ValueSettings } from './compute-customer-value.js';
import type { ResolutionRules } from './resolve-customers.js';

// The areas' schemas are the module's contract (contract.ts), which the console's settings screen reads too.
export { CustomerValueArea, IdentityResolutionArea } from './contract.js';

export async function readResolutionRules(db: Queryable, tenantId: string): Promise<ResolutionRules> {
  const ir = ((await getTenantSettings(db, tenantId)).identity_resolution ?? {}) as { auto_merge?: boolean };
  return { isAutoMergeEnabled: ir.auto_merge !== false };
}

export async function readValueSettings(db: Queryable, tenantId: string): Promise<ValueSettings> {
  const st = await getTenantSettings(db, tenantId);
  const v = (st.customer_value ?? {}) as { core_percent?: number; lifespan_years?: number };
  return { corePercent: v.core_percent ?? 20, lifespanYears: v.lifespan_years ?? 3 };
}
