// The customers module's settings areas (customer value, identity resolution) and their reads.
import { getTenantSettings } from '../../platform/tenancy.js';
import type { Queryable } from '../../platform/db.js';
import { z } from '../../platform/validation.js';
import type { ValueSettings } from './compute-customer-value.js';
import type { ResolutionRules } from './resolve-customers.js';

/** Which share of customers (by CLV) is core, and over how many years CLV is projected. */
export const CustomerValueArea = z
  .object({
    core_percent: z.number().min(0.1).max(100).default(20),
    lifespan_years: z.number().min(0.25).max(50).default(3),
  })
  .strict();
/** Whether two profiles that turn out to share a strong identity (email, phone, external id) merge by themselves. */
export const IdentityResolutionArea = z.object({ auto_merge: z.boolean().default(true) }).strict();

export async function readResolutionRules(db: Queryable, tenantId: string): Promise<ResolutionRules> {
  const ir = ((await getTenantSettings(db, tenantId)).identity_resolution ?? {}) as { auto_merge?: boolean };
  return { isAutoMergeEnabled: ir.auto_merge !== false };
}

export async function readValueSettings(db: Queryable, tenantId: string): Promise<ValueSettings> {
  const st = await getTenantSettings(db, tenantId);
  const v = (st.customer_value ?? {}) as { core_percent?: number; lifespan_years?: number };
  return { corePercent: v.core_percent ?? 20, lifespanYears: v.lifespan_years ?? 3 };
}
