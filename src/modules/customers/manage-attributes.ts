// The tenant's declared customer attributes (key, type, label), against which profiles' attributes are checked.
import type { Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { attributeDefinitions } from './schema.js';
import type { AttributeType } from './validate-attributes.js';

const AttributeDef = rowOf(attributeDefinitions, ['key', 'type', 'label']);

/** Declares an attribute, or relabels it; undefined when the key is already declared with another type. */
export async function defineAttribute(db: Queryable, tenantId: string, key: string, type: AttributeType, label: string | null) {
  return queryRow(
    db,
    AttributeDef,
    `INSERT INTO customer_attribute_definitions (tenant_id, key, type, label) VALUES ($1,$2,$3,$4)
     ON CONFLICT (tenant_id, key) DO UPDATE SET label = excluded.label WHERE customer_attribute_definitions.type = excluded.type
     RETURNING key, type, label`,
    [tenantId, key, type, label],
  );
}

export async function listAttributes(db: Queryable, tenantId: string) {
  return queryRows(db, AttributeDef, 'SELECT key, type, label FROM customer_attribute_definitions WHERE tenant_id = $1 ORDER BY key', [tenantId]);
}
