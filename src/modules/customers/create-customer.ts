// Creating a profile with its identities. An identity that already names another customer is refused
// with 409 naming it, so a profile is never silently split or stolen.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { writeAudit, type Actor } from '../../platform/audit.js';
import { unprocessable, type FieldProblem } from '../../platform/errors.js';
import { normalizeIdentities, type Identities } from './normalize-identity.js';
import { validateAttributes } from './validate-attributes.js';
import { identityTaken } from './errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customerIdentities } from './schema.js';

const Owner = rowOf(customerIdentities, ['kind', 'value', 'customer_id']);

export interface ProfileFields {
  given_name?: string | null;
  family_name?: string | null;
  display_name?: string | null;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown>;
}

export function normalizeOrThrow(raw: unknown, region: string): Identities {
  const { identities, problems } = normalizeIdentities(raw, region);
  if (problems.length)
    throw unprocessable(
      'Some identities are not valid',
      problems.map((p): FieldProblem => ({ field: `identities.${p.kind}`, message: p.message })),
    );
  return identities;
}

export async function assertIdentitiesFree(tx: pg.PoolClient, tenantId: string, identities: Identities, ownerId?: string) {
  const entries = Object.entries(identities) as [string, string][];
  if (!entries.length) return;
  const rows = await queryRows(
    tx,
    Owner,
    `SELECT kind, value, customer_id FROM customer_identities WHERE tenant_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [tenantId, entries.map((e) => e[0]), entries.map((e) => e[1])],
  );
  const taken = rows.filter((r) => r.customer_id !== ownerId);
  if (taken.length)
    throw identityTaken(
      'An identity already belongs to another customer',
      taken.map((r) => ({ field: `identities.${r.kind}`, message: `already belongs to customer ${r.customer_id}` })),
      { customer_ids: [...new Set(taken.map((r) => r.customer_id))] },
    );
}

export async function createCustomer(
  tx: pg.PoolClient,
  tenantId: string,
  input: ProfileFields & { identities: Identities },
  actor: Actor,
  region: string,
): Promise<string> {
  const identities = normalizeOrThrow(input.identities, region);
  const attributes = await validateAttributes(tx, tenantId, input.attributes ?? {});
  await assertIdentitiesFree(tx, tenantId, identities);
  const id = newId('cus');
  await tx.query(
    `INSERT INTO customers (tenant_id, id, given_name, family_name, display_name, locale, timezone, attributes) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [
      tenantId,
      id,
      input.given_name ?? null,
      input.family_name ?? null,
      input.display_name ?? null,
      input.locale ?? null,
      input.timezone ?? null,
      JSON.stringify(Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null))),
    ],
  );
  const entries = Object.entries(identities) as [string, string][];
  if (entries.length) {
    await tx.query('INSERT INTO customer_identities (tenant_id, kind, value, customer_id) SELECT $1, k, v, $4 FROM unnest($2::text[], $3::text[]) AS t(k, v)', [
      tenantId,
      entries.map((e) => e[0]),
      entries.map((e) => e[1]),
      id,
    ]);
  }
  await writeAudit(tx, tenantId, actor, 'customer.create', { type: 'customer', id });
  return id;
}
