// The right to erasure: personal data goes everywhere (names, attributes, identities, preferences,
// consent details, and other modules' rows through erase hooks in the same transaction); anonymous
// aggregates (counts, spend) stay so that the company's figures do not change retroactively.
import type pg from 'pg';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { purgeIdempotencyRecords } from '../../platform/idempotency.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customers, customerIdentities } from './schema.js';

const Erased = rowOf(customers, ['id']);
const Identity = rowOf(customerIdentities, ['kind', 'value']);

/** Who is being erased, as the customers module knew them before their identities went. */
export interface ErasedSubject {
  identities: { kind: string; value: string }[];
}

/**
 * Another module's part of an erasure, in the erasing transaction. It may answer with ids of its own
 * records about the customer (conversations, cases) that API answers mention, so that stored
 * idempotent answers naming them are dropped too.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: most hooks return nothing; a hook may name files it leaves to delete
export type EraseHook = (tx: pg.PoolClient, tenantId: string, customerIds: string[], subject: ErasedSubject) => Promise<void | string[]>;

export async function eraseCustomer(tx: pg.PoolClient, tenantId: string, id: string, hooks: Iterable<EraseHook>, actor: Actor): Promise<boolean> {
  const rows = await queryRows(
    tx,
    Erased,
    `SELECT id FROM customers WHERE tenant_id = $1 AND (id = $2 OR merged_into = $2) AND status <> 'erased' FOR UPDATE`,
    [tenantId, id],
  );
  if (!rows.some((r) => r.id === id)) return false;
  const ids = rows.map((r) => r.id);
  const identities = await queryRows(tx, Identity, 'SELECT kind, value FROM customer_identities WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [
    tenantId,
    ids,
  ]);
  await tx.query('DELETE FROM customer_identities WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  await tx.query('DELETE FROM customer_preferences WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  // Consent rows keep only channel, purpose, status and time: proof that messaging stopped.
  await tx.query(`UPDATE consent_records SET source = 'erased', details = '{}' WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`, [tenantId, ids]);
  await tx.query(
    `UPDATE customers SET given_name = NULL, family_name = NULL, display_name = NULL, locale = NULL, timezone = NULL,
            attributes = '{}', status = 'erased', updated_at = now() WHERE tenant_id = $1 AND id = ANY($2::text[])`,
    [tenantId, ids],
  );
  await tx.query(`UPDATE audit_log SET details = '{}' WHERE tenant_id = $1 AND subject_type = 'customer' AND subject_id = ANY($2::text[])`, [tenantId, ids]);
  const mentioned: string[] = [...ids, ...identities.map((i) => i.value)];
  for (const hook of hooks) mentioned.push(...((await hook(tx, tenantId, ids, { identities })) ?? []));
  // A stored idempotent answer is a copy of what it answered (a created profile, in full).
  await purgeIdempotencyRecords(tx, tenantId, mentioned);
  await writeAudit(tx, tenantId, actor, 'customer.erase', { type: 'customer', id }, { profiles: ids.length });
  return true;
}
