// The loop's tenant settings (SLA targets by priority, the CLV that makes a case high priority), its
// case rules and its routing rules. All three change rarely and are read for every signal: kept for
// ten seconds (platform tenant-cache), and dropped at once on every node when they change.
import type pg from 'pg';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { z } from '../../platform/validation.js';
import { DEFAULT_RULES, DEFAULT_SLA, type CaseRule, type Priority, type RoutingRule, type Sla } from './case-rules.js';
import { caseRules, routingRules } from './schema.js';

const Rule = rowOf(caseRules, ['id', 'name', 'signal', 'condition', 'case_type', 'is_enabled']);
const Routing = rowOf(routingRules, ['id', 'position', 'match']).and<{ team: string }>(['team']);

export interface LoopSettings {
  sla?: Partial<Record<Priority, Partial<Sla>>>;
  high_value_clv?: number | null;
}

const SlaTarget = (d: Sla) =>
  z
    .object({
      first_contact_minutes: z
        .number()
        .int()
        .min(1)
        .max(60 * 24 * 90)
        .default(d.first_contact_minutes),
      resolve_hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .default(d.resolve_hours),
    })
    .strict()
    .default(d);
/** The loop's tenant settings: SLA targets by priority, and the CLV from which a customer's case is high priority. */
export const LoopSettingsArea = z
  .object({
    sla: z
      .object({
        urgent: SlaTarget(DEFAULT_SLA.urgent),
        high: SlaTarget(DEFAULT_SLA.high),
        normal: SlaTarget(DEFAULT_SLA.normal),
        low: SlaTarget(DEFAULT_SLA.low),
      })
      .strict()
      .default(DEFAULT_SLA)
      .describe('Minutes to first contact and hours to resolution, by priority'),
    high_value_clv: z
      .number()
      .min(0)
      .max(1e12)
      .nullable()
      .default(null)
      .describe('Cases of customers with at least this CLV are high priority; null: only core customers'),
  })
  .strict();

/** A tenant's case rules as stored, or the defaults while it has none. */
export async function loadRules(db: pg.Pool, tenantId: string): Promise<CaseRule[]> {
  const rows = await queryRows(
    db,
    Rule,
    'SELECT id, name, signal, condition, case_type, is_enabled FROM case_rules WHERE tenant_id = $1 ORDER BY created_at, id',
    [tenantId],
  );
  // condition is the JSON the rule routes validated (case-rules.ts) when they stored it.
  return rows.length ? (rows as CaseRule[]) : DEFAULT_RULES;
}

export function createLoopCaches(pool: pg.Pool) {
  const settings = createTenantCache({ ttlMs: 10_000, load: async (tenantId) => ((await getTenantSettings(pool, tenantId)).loop ?? {}) as LoopSettings });
  const rules = createTenantCache({ ttlMs: 10_000, load: (tenantId) => loadRules(pool, tenantId) });
  const routing = createTenantCache({
    ttlMs: 10_000,
    async load(tenantId): Promise<RoutingRule[]> {
      const rows = await queryRows(
        pool,
        Routing,
        'SELECT id, position, match, team_id AS team FROM case_routing_rules WHERE tenant_id = $1 ORDER BY position, created_at',
        [tenantId],
      );
      // match is the JSON the routing rule routes validated when they stored it.
      return rows as RoutingRule[];
    },
  });
  return {
    settings: (tenantId: string) => settings.get(tenantId),
    rules: (tenantId: string) => rules.get(tenantId),
    routing: (tenantId: string) => routing.get(tenantId),
    forgetSettings: (tenantId: string) => settings.forget(tenantId),
    forget(tenantId: string) {
      for (const c of [settings, rules, routing]) c.forget(tenantId);
    },
  };
}

export type LoopCaches = ReturnType<typeof createLoopCaches>;
