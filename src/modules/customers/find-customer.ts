// Reading a merged id answers with the survivor and says so; an erased id is gone.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customers } from './schema.js';

/** A customer and, when it was merged, its survivor's id and status (a self-join of customers). */
const WithSurvivor = rowOf(customers, ['id', 'status', 'merged_into']).and<{ survivor_id: string | null; survivor_status: string | null }>([
  'survivor_id',
  'survivor_status',
]);

export interface FoundCustomer {
  id: string;
  status: 'active' | 'erased';
  /** Set when the id asked for was merged into `id`. */
  mergedFrom?: string;
}

export async function findCustomerId(db: Queryable, tenantId: string, id: string): Promise<FoundCustomer | undefined> {
  return (await findCustomerIds(db, tenantId, [id])).get(id);
}

/** Many ids in one query: each id found maps to its survivor (or itself). */
export async function findCustomerIds(db: Queryable, tenantId: string, ids: readonly string[]): Promise<Map<string, FoundCustomer>> {
  const out = new Map<string, FoundCustomer>();
  if (!ids.length) return out;
  const rows = await queryRows(
    db,
    WithSurvivor,
    `SELECT c.id, c.status, c.merged_into, s.id AS survivor_id, s.status AS survivor_status
       FROM customers c LEFT JOIN customers s ON s.tenant_id = c.tenant_id AND s.id = c.merged_into
      WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])`,
    [tenantId, [...new Set(ids)]],
  );
  for (const r of rows) {
    // A customer is active, merged or erased (schema.ts): a survivor is never itself merged.
    if (r.status === 'merged' && r.survivor_id) out.set(r.id, { id: r.survivor_id, status: r.survivor_status as FoundCustomer['status'], mergedFrom: r.id });
    else out.set(r.id, { id: r.id, status: r.status as FoundCustomer['status'] });
  }
  return out;
}

/**
 * For a writer that checks the customers its rows name inside its own statement: a query yielding
 * (asked, id), where `id` is the active customer an asked id names (the survivor when it was merged).
 * An unknown or erased id, or one merged into an erased customer, yields no row. `askedIds` is a query
 * or list of the ids; the tenant is the statement's $1.
 */
export function activeCustomersSql(askedIds: string): string {
  // Driven from the ids, a primary-key probe each (the tenant as an InitPlan value), so that the plan
  // cannot depend on statistics: with figures that predate a new tenant's growth, c.id IN (...) read
  // all of the tenant's customers, each joined against all of them again to find its survivor.
  return `SELECT c.id AS asked, coalesce(s.id, c.id) AS id
       FROM (SELECT DISTINCT * FROM (${askedIds}) AS a0) AS u(asked)
       CROSS JOIN LATERAL (SELECT x.tenant_id, x.id, x.status, x.merged_into FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = u.asked) c
       LEFT JOIN customers s ON c.status = 'merged' AND s.tenant_id = c.tenant_id AND s.id = c.merged_into
      WHERE coalesce(s.status, c.status) = 'active'`;
}
