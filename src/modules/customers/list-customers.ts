// Browsing customers: newest first, keyset-paginated, searchable by name or by an identity.
import type { Queryable } from '../../platform/db.js';
import type { Identities } from './normalize-identity.js';

export async function listCustomers(db: Queryable, tenantId: string, q: { limit: number; cursor?: string; q?: string; identity?: Identities; isCore?: boolean }) {
  const where = [`c.tenant_id = $1`, `c.status = 'active'`];
  const args: unknown[] = [tenantId];
  const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
  if (q.cursor) where.push(`c.id < ${arg(q.cursor)}`);
  if (q.q) {
    const like = arg(`%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    where.push(`(c.display_name ILIKE ${like} OR c.given_name ILIKE ${like} OR c.family_name ILIKE ${like} OR coalesce(c.family_name, '') || coalesce(c.given_name, '') ILIKE ${like})`);
  }
  if (q.isCore !== undefined) where.push(`c.is_core = ${arg(q.isCore)}`);
  for (const [kind, value] of Object.entries(q.identity ?? {})) {
    where.push(`EXISTS (SELECT 1 FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id AND i.kind = ${arg(kind)} AND i.value = ${arg(value)})`);
  }
  const { rows } = await db.query(
    `SELECT c.id, c.given_name, c.family_name, c.display_name, c.locale, c.is_core, c.order_count, c.last_seen_at, c.created_at
       FROM customers c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ${arg(q.limit + 1)}`,
    args,
  );
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({ ...r, last_seen_at: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null, created_at: new Date(r.created_at).toISOString() })),
    next_cursor: rows.length > q.limit ? page[page.length - 1].id as string : null,
  };
}
