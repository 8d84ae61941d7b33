// Changing profile fields. Attributes are merged key by key; a null value removes the key.
import type pg from 'pg';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { validateAttributes } from './validate-attributes.js';
import type { ProfileFields } from './create-customer.js';

export async function updateCustomer(tx: pg.PoolClient, tenantId: string, id: string, patch: ProfileFields, actor: Actor): Promise<boolean> {
  const attributes = await validateAttributes(tx, tenantId, patch.attributes ?? {});
  const set = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null));
  const remove = Object.entries(attributes)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  const has = (k: keyof ProfileFields) => Object.hasOwn(patch, k);
  const r = await tx.query(
    `UPDATE customers SET
        given_name = CASE WHEN $3 THEN $4 ELSE given_name END, family_name = CASE WHEN $5 THEN $6 ELSE family_name END,
        display_name = CASE WHEN $7 THEN $8 ELSE display_name END, locale = CASE WHEN $9 THEN $10 ELSE locale END,
        timezone = CASE WHEN $11 THEN $12 ELSE timezone END,
        attributes = (attributes - $13::text[]) || $14::jsonb, updated_at = now()
      WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
    [
      tenantId,
      id,
      has('given_name'),
      patch.given_name ?? null,
      has('family_name'),
      patch.family_name ?? null,
      has('display_name'),
      patch.display_name ?? null,
      has('locale'),
      patch.locale ?? null,
      has('timezone'),
      patch.timezone ?? null,
      remove,
      JSON.stringify(set),
    ],
  );
  if (r.rowCount !== 1) return false;
  await writeAudit(tx, tenantId, actor, 'customer.update', { type: 'customer', id }, { fields: Object.keys(patch) });
  return true;
}
