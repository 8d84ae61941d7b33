// Custom attributes are typed by the tenant's definitions: a value must match its key's declared type,
// and an undeclared key is refused so that a typo never becomes a new attribute.
import type { Queryable } from '../../platform/db.js';
import type { FieldProblem } from '../../platform/errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { invalidAttributes } from './errors.js';
import { attributeDefinitions } from './schema.js';

const Definition = rowOf(attributeDefinitions, ['key', 'type']);

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

function matches(type: AttributeType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string' && v.length <= 2000;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(v) && !Number.isNaN(Date.parse(v));
  }
}

/** Returns the attributes to store; null values mean "remove this key". Throws 422 naming each bad key. */
export async function validateAttributes(db: Queryable, tenantId: string, attributes: Record<string, unknown>): Promise<Record<string, unknown>> {
  const keys = Object.keys(attributes);
  if (!keys.length) return {};
  const rows = await queryRows(db, Definition, 'SELECT key, type FROM customer_attribute_definitions WHERE tenant_id = $1 AND key = ANY($2::text[])', [
    tenantId,
    keys,
  ]);
  const types = new Map(rows.map((r) => [r.key, r.type as AttributeType]));
  const problems: FieldProblem[] = [];
  for (const [k, v] of Object.entries(attributes)) {
    const type = types.get(k);
    if (!type) problems.push({ field: `attributes.${k}`, message: 'is not a defined attribute (define it with PUT /v1/customer-attributes/{key})' });
    else if (v !== null && !matches(type, v)) problems.push({ field: `attributes.${k}`, message: `must be a ${type}` });
  }
  if (problems.length) throw invalidAttributes('Some attributes are not valid', problems);
  return attributes;
}
