// Browsing customers: newest first, keyset-paginated, searchable by name or by an identity.
import type { Queryable } from '../../platform/db.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { IDENTITY_KINDS, normalizeIdentity, type Identities } from './normalize-identity.js';
import { customers } from './schema.js';

const Listed = rowOf(customers, ['id', 'given_name', 'family_name', 'display_name', 'locale', 'is_core', 'order_count', 'last_seen_at', 'created_at']);

/**
 * What a search text could be as an identity, normalised as identities are stored: "138 0013 8000"
 * and "+86 138-0013-8000" both become +8613800138000, "A@Example.com" a@example.com. Identities are
 * matched whole (the primary key serves it); names match in part.
 */
function identitiesFor(text: string, region: string): { kinds: string[]; values: string[] } {
  const kinds: string[] = [];
  const values: string[] = [];
  for (const kind of IDENTITY_KINDS) {
    const n = normalizeIdentity(kind, text, region);
    if (n.ok) {
      kinds.push(kind);
      values.push(n.value);
    }
  }
  return { kinds, values };
}

export async function listCustomers(
  db: Queryable,
  tenantId: string,
  q: { limit: number; cursor?: string; q?: string; identity?: Identities; isCore?: boolean },
  region = 'CN',
) {
  const where = [`c.tenant_id = $1`, `c.status = 'active'`];
  const args: unknown[] = [tenantId];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (q.cursor) where.push(`c.id < ${arg(q.cursor)}`);
  if (q.q) {
    const like = arg(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const ids = identitiesFor(q.q, region);
    const byIdentity = ids.kinds.length
      ? ` OR c.id IN (SELECT i.customer_id FROM customer_identities i WHERE i.tenant_id = $1 AND (i.kind, i.value) IN (SELECT * FROM unnest(${arg(ids.kinds)}::text[], ${arg(ids.values)}::text[])))`
      : '';
    where.push(
      `(c.display_name ILIKE ${like} OR c.given_name ILIKE ${like} OR c.family_name ILIKE ${like} OR coalesce(c.family_name, '') || coalesce(c.given_name, '') ILIKE ${like}${byIdentity})`,
    );
  }
  if (q.isCore !== undefined) where.push(`c.is_core = ${arg(q.isCore)}`);
  for (const [kind, value] of Object.entries(q.identity ?? {})) {
    where.push(
      `EXISTS (SELECT 1 FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id AND i.kind = ${arg(kind)} AND i.value = ${arg(value)})`,
    );
  }
  const rows = await queryRows(
    db,
    Listed,
    `SELECT c.id, c.given_name, c.family_name, c.display_name, c.locale, c.is_core, c.order_count, c.last_seen_at, c.created_at
       FROM customers c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${arg(q.limit + 1)}`,
    args,
  );
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      ...r,
      last_seen_at: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
      created_at: new Date(r.created_at).toISOString(),
    })),
    next_cursor: rows.length > q.limit ? page[page.length - 1].id : null,
  };
}
