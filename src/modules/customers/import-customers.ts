// Bulk upsert of profiles by identity (CSV/NDJSON import): a row whose identities are known updates
// that customer, otherwise a customer is created, so re-running an import changes nothing twice.
import type pg from 'pg';
import type { Actor } from '../../platform/audit.js';
import type { FieldProblem } from '../../platform/errors.js';
import { isTimeZone } from '../../platform/validation.js';
import { normalizeIdentities, type Identities } from './normalize-identity.js';
import { resolveCustomers, type ResolutionRules } from './resolve-customers.js';
import type { MergeHook } from './merge-customers.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { attributeDefinitions } from './schema.js';

export interface CustomerRow {
  identities: Record<string, unknown>;
  given_name?: string;
  family_name?: string;
  display_name?: string;
  locale?: string;
  timezone?: string;
  attributes?: Record<string, unknown>;
}

export interface RowResult {
  index: number;
  status: 'upserted' | 'rejected';
  customer_id?: string;
  errors?: FieldProblem[];
}

export async function importCustomers(
  tx: pg.PoolClient,
  tenantId: string,
  rows: CustomerRow[],
  opts: { region: string; rules: ResolutionRules; actor: Actor; hooks: Iterable<MergeHook>; at: Date },
): Promise<RowResult[]> {
  const defs = await queryRows(tx, rowOf(attributeDefinitions, ['key', 'type']), 'SELECT key, type FROM customer_attribute_definitions WHERE tenant_id = $1', [
    tenantId,
  ]);
  const types = new Map(defs.map((d) => [d.key, d.type]));
  const results: RowResult[] = [];
  const good: { index: number; identities: Identities; row: CustomerRow }[] = [];
  rows.forEach((row, index) => {
    const errors: FieldProblem[] = [];
    const { identities, problems } = normalizeIdentities(row.identities, opts.region);
    for (const p of problems) errors.push({ field: p.kind, message: p.message });
    if (!problems.length && !Object.keys(identities).length)
      errors.push({ field: 'identities', message: 'a row needs at least one identity column (email, phone, ...)' });
    if (row.timezone && !isTimeZone(row.timezone)) errors.push({ field: 'timezone', message: 'is not an IANA time zone' });
    if (row.locale && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(row.locale)) errors.push({ field: 'locale', message: 'is not a BCP 47 tag' });
    for (const [k, v] of Object.entries(row.attributes ?? {})) {
      const type = types.get(k);
      if (!type) errors.push({ field: `attr.${k}`, message: 'is not a defined attribute' });
      else if (type === 'number' && !Number.isFinite(Number(v))) errors.push({ field: `attr.${k}`, message: 'must be a number' });
      else if (type === 'boolean' && !['true', 'false', true, false].includes(v as never))
        errors.push({ field: `attr.${k}`, message: 'must be true or false' });
      else if (type === 'date' && Number.isNaN(Date.parse(String(v)))) errors.push({ field: `attr.${k}`, message: 'must be a date' });
    }
    if (errors.length) results[index] = { index, status: 'rejected', errors };
    else good.push({ index, identities, row });
  });
  if (!good.length) return results;
  const resolved = await resolveCustomers(
    tx,
    tenantId,
    good.map((g) => g.identities),
    { rules: opts.rules, actor: opts.actor, hooks: opts.hooks, at: opts.at },
  );
  const typed = (k: string, v: unknown) => {
    const t = types.get(k);
    return t === 'number' ? Number(v) : t === 'boolean' ? v === true || v === 'true' : v;
  };
  const doc = JSON.stringify(
    good.map((g, i) => {
      const r = g.row;
      const attrs = Object.fromEntries(Object.entries(r.attributes ?? {}).map(([k, v]) => [k, typed(k, v)]));
      return [resolved.customerIds[i], r.given_name || null, r.family_name || null, r.display_name || null, r.locale || null, r.timezone || null, attrs];
    }),
  );
  // Empty cells leave what is stored; an import never blanks a field.
  await tx.query(
    `UPDATE customers c SET given_name = coalesce(d.r->>1, c.given_name), family_name = coalesce(d.r->>2, c.family_name),
            display_name = coalesce(d.r->>3, c.display_name), locale = coalesce(d.r->>4, c.locale), timezone = coalesce(d.r->>5, c.timezone),
            attributes = c.attributes || (d.r->6), updated_at = now()
       FROM (SELECT r FROM jsonb_array_elements($2::jsonb) AS r ORDER BY r->>0) d
      WHERE c.tenant_id = $1 AND c.id = d.r->>0`,
    [tenantId, doc],
  );
  good.forEach((g, i) => {
    results[g.index] = { index: g.index, status: 'upserted', customer_id: resolved.customerIds[i]! };
  });
  return results;
}
