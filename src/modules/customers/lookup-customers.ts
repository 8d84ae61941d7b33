// Finding customers by one identity (an email, a phone): the value is normalized as resolution stores it.
import type { Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { normalizeIdentities, type IdentityKind } from './normalize-identity.js';
import { customerIdentities } from './schema.js';

/** The customer holding one identity, or the problems of a value that is not one. */
export async function lookupCustomer(db: Queryable, tenantId: string, kind: IdentityKind, value: string, region: string) {
  const { identities, problems } = normalizeIdentities({ [kind]: value }, region);
  if (problems.length) return { problems };
  const found = await queryRow(
    db,
    rowOf(customerIdentities, ['customer_id']),
    'SELECT customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3',
    [tenantId, kind, identities[kind]],
  );
  return { customerId: found?.customer_id };
}

/** Many values of one identity kind in one query: value as given -> customer id, for the known ones (invalid values are simply absent). */
export async function lookupCustomers(
  db: Queryable,
  tenantId: string,
  kind: IdentityKind,
  values: readonly string[],
  region: string,
): Promise<Map<string, string>> {
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
    db,
    rowOf(customerIdentities, ['value', 'customer_id']),
    'SELECT value, customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = $2 AND value = ANY($3::text[])',
    [tenantId, kind, [...byNormal.keys()]],
  );
  for (const r of rows) for (const v of byNormal.get(r.value) ?? []) out.set(v, r.customer_id);
  return out;
}
