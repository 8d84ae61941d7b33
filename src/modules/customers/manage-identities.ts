// Adding and removing one identity of a customer by hand (an agent confirming a new phone number).
import type pg from 'pg';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { assertIdentitiesFree, normalizeOrThrow } from './create-customer.js';
import type { IdentityKind } from './normalize-identity.js';

export async function addIdentity(tx: pg.PoolClient, tenantId: string, customerId: string, kind: IdentityKind, value: string, actor: Actor, region: string) {
  const ids = normalizeOrThrow({ [kind]: value }, region);
  await assertIdentitiesFree(tx, tenantId, ids, customerId);
  const normalized = ids[kind]!;
  await tx.query('INSERT INTO customer_identities (tenant_id, kind, value, customer_id) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [
    tenantId,
    kind,
    normalized,
    customerId,
  ]);
  await writeAudit(tx, tenantId, actor, 'customer.identity.add', { type: 'customer', id: customerId }, { kind });
  return { kind, value: normalized };
}

export async function removeIdentity(
  tx: pg.PoolClient,
  tenantId: string,
  customerId: string,
  kind: IdentityKind,
  value: string,
  actor: Actor,
  region: string,
): Promise<boolean> {
  const ids = normalizeOrThrow({ [kind]: value }, region);
  const r = await tx.query('DELETE FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND kind = $3 AND value = $4', [
    tenantId,
    customerId,
    kind,
    ids[kind],
  ]);
  if (r.rowCount !== 1) return false;
  await writeAudit(tx, tenantId, actor, 'customer.identity.remove', { type: 'customer', id: customerId }, { kind });
  return true;
}
