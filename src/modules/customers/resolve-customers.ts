// Identity resolution for a batch: every item's identities name one customer. Known identities find
// their customer; unknown ones are attached to it or create a new profile; an item whose identities
// belong to two profiles merges them when the tenant's rules allow. Set-based, so a batch of 500
// events costs a handful of statements, not 500.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../../platform/audit.js';
import { STRONG_KINDS, type Identities, type IdentityKind } from './normalize-identity.js';
import { mergeCustomers, type MergeHook, type MergeRecord } from './merge-customers.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { customers, customerIdentities } from './schema.js';

const Owner = rowOf(customerIdentities, ['kind', 'value', 'customer_id']);
const OwnerDetails = rowOf(customers, ['id', 'created_at']).and<{ anonymous_only: boolean }>(['anonymous_only']);

export interface ResolutionRules {
  /** Merge two profiles automatically when one event carries strong identifiers of both. */
  isAutoMergeEnabled: boolean;
}

// When rules forbid a merge, the event goes to the profile owning its most trusted identifier.
const PRIORITY: IdentityKind[] = ['external_id', 'wechat_unionid', 'email', 'phone', 'wechat_openid', 'weibo_uid', 'anonymous_id'];

interface Owner {
  customerId: string;
}
interface OwnerDetail {
  customerId: string;
  isAnonymousOnly: boolean;
  createdAt: number;
}

const keyOf = (kind: string, value: string) => `${kind}\u0000${value}`;

/** 64-bit advisory-lock key for one identity of one tenant. */
function lockKey(tenantId: string, key: string): string {
  let h1 = 0x811c9dc5,
    h2 = 0x01000193;
  const s = `${tenantId}\u0000${key}`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822519);
  }
  return ((BigInt(h1 | 0) << 32n) | BigInt(h2 >>> 0)).toString();
}

async function loadOwners(tx: pg.PoolClient, tenantId: string, keys: string[]): Promise<Map<string, Owner>> {
  const owners = new Map<string, Owner>();
  if (!keys.length) return owners;
  const kinds: string[] = [],
    values: string[] = [];
  for (const k of keys) {
    const [kind, value] = k.split('\u0000');
    kinds.push(kind);
    values.push(value);
  }
  // One primary-key probe per identity. The LIMIT keeps the planner from turning this into a hash join
  // over all of the tenant's identities, which it picks whenever its statistics lag behind a growing
  // table (as during a large import, before autovacuum has analysed it).
  const rows = await queryRows(
    tx,
    Owner,
    `SELECT u.kind, u.value, i.customer_id FROM unnest($2::text[], $3::text[]) AS u(kind, value)
       CROSS JOIN LATERAL (SELECT customer_id FROM customer_identities i
                            WHERE i.tenant_id = (SELECT $1::text) AND i.kind = u.kind AND i.value = u.value LIMIT 1) i`,
    [tenantId, kinds, values],
  );
  for (const r of rows) owners.set(keyOf(r.kind, r.value), { customerId: r.customer_id });
  return owners;
}

/** What choosing a survivor needs; only read for the rare item whose identities span profiles. */
async function loadOwnerDetails(tx: pg.PoolClient, tenantId: string, customerIds: string[]): Promise<OwnerDetail[]> {
  const rows = await queryRows(
    tx,
    OwnerDetails,
    `SELECT c.id, c.created_at,
            NOT EXISTS (SELECT 1 FROM customer_identities o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id AND o.kind <> 'anonymous_id') AS anonymous_only
       FROM (SELECT DISTINCT unnest($2::text[])) AS u(id) CROSS JOIN LATERAL (SELECT x.tenant_id, x.id, x.created_at FROM customers x WHERE x.tenant_id = (SELECT $1::text) AND x.id = u.id) c`,
    [tenantId, customerIds],
  );
  return rows.map((r) => ({ customerId: r.id, isAnonymousOnly: r.anonymous_only, createdAt: new Date(r.created_at).getTime() }));
}

export interface ResolveResult {
  customerIds: (string | null)[];
  created: string[];
  merges: MergeRecord[];
}

export async function resolveCustomers(
  tx: pg.PoolClient,
  tenantId: string,
  items: Identities[],
  opts: { rules: ResolutionRules; actor: Actor; hooks: Iterable<MergeHook>; at: Date },
): Promise<ResolveResult> {
  const itemKeys = items.map((ids) =>
    Object.entries(ids)
      .filter(([, v]) => v)
      .map(([k, v]) => keyOf(k, v as string)),
  );
  const allKeys = [...new Set(itemKeys.flat())];
  const owners = await loadOwners(tx, tenantId, allKeys);

  // Unknown identities are locked (in a fixed order, so concurrent batches cannot deadlock) and
  // looked up again: another transaction may have created them while we were reading.
  const unknown = allKeys.filter((k) => !owners.has(k));
  if (unknown.length) {
    const locks = [...new Set(unknown.map((k) => lockKey(tenantId, k)))].sort();
    await tx.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k ORDER BY k', [locks]);
    const late = await loadOwners(tx, tenantId, unknown);
    for (const [k, v] of late) owners.set(k, v);
  }

  // Union-find over identities: identities that travel together in one item belong together.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  for (const k of allKeys) parent.set(k, k);
  for (const keys of itemKeys)
    for (let i = 1; i < keys.length; i++) {
      const a = find(keys[0]),
        b = find(keys[i]);
      if (a !== b) parent.set(b, a);
    }

  const groups = new Map<string, string[]>();
  for (const k of allKeys) {
    const r = find(k);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(k);
  }

  const created: string[] = [];
  const merges: MergeRecord[] = [];
  const groupCustomer = new Map<string, string>();
  const newCustomers: string[] = [];
  const newIdentities: { kind: string; value: string; customerId: string }[] = [];

  for (const [root, keys] of groups) {
    const ownerIds = [...new Set(keys.filter((k) => owners.has(k)).map((k) => owners.get(k)!.customerId))];
    let customerId: string;
    if (ownerIds.length === 0) {
      customerId = newId('cus');
      newCustomers.push(customerId);
      created.push(customerId);
    } else if (ownerIds.length === 1) {
      customerId = ownerIds[0];
    } else {
      const ownerList = await loadOwnerDetails(tx, tenantId, ownerIds);
      // Survivor: a known (not anonymous-only) profile first, then the oldest.
      ownerList.sort((a, b) => Number(a.isAnonymousOnly) - Number(b.isAnonymousOnly) || a.createdAt - b.createdAt || a.customerId.localeCompare(b.customerId));
      const survivor = ownerList[0];
      customerId = survivor.customerId;
      let isAllMerged = true;
      for (const other of ownerList.slice(1)) {
        const linking = keys.filter((k) => owners.get(k)?.customerId === other.customerId).map((k) => k.split('\u0000')[0] as IdentityKind);
        const isAnonymousJoin = other.isAnonymousOnly;
        const isStrong =
          linking.some((k) => STRONG_KINDS.has(k)) &&
          keys.some((k) => owners.get(k)?.customerId === survivor.customerId && STRONG_KINDS.has(k.split('\u0000')[0] as IdentityKind));
        if (isAnonymousJoin || (opts.rules.isAutoMergeEnabled && isStrong)) {
          merges.push(
            await mergeCustomers(tx, tenantId, survivor.customerId, other.customerId, {
              rule: isAnonymousJoin ? 'anonymous_join' : 'strong_identifier',
              actor: opts.actor,
              hooks: opts.hooks,
              details: { identities: linking },
              at: opts.at,
            }),
          );
          for (const [k, o] of owners) if (o.customerId === other.customerId) owners.set(k, { customerId: survivor.customerId });
        } else {
          isAllMerged = false;
        }
      }
      if (!isAllMerged) {
        // Not merged: pick the profile that owns the most trusted identifier of the group.
        for (const kind of PRIORITY) {
          const k = keys.find((x) => x.startsWith(`${kind}\u0000`) && owners.has(x));
          if (k) {
            customerId = owners.get(k)!.customerId;
            break;
          }
        }
      }
    }
    groupCustomer.set(root, customerId);
    for (const k of keys) {
      if (!owners.has(k)) {
        const [kind, value] = k.split('\u0000');
        newIdentities.push({ kind, value, customerId });
        owners.set(k, { customerId });
      }
    }
  }

  if (newCustomers.length) {
    const at = opts.at;
    await tx.query(`INSERT INTO customers (tenant_id, id, created_at, updated_at) SELECT $1, id, $3, $3 FROM unnest($2::text[]) AS id`, [
      tenantId,
      newCustomers,
      at,
    ]);
  }
  if (newIdentities.length) {
    await tx.query(
      `INSERT INTO customer_identities (tenant_id, kind, value, customer_id)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [tenantId, newIdentities.map((i) => i.kind), newIdentities.map((i) => i.value), newIdentities.map((i) => i.customerId)],
    );
  }

  const customerIds = itemKeys.map((keys) => (keys.length ? groupCustomer.get(find(keys[0]))! : null));
  return { customerIds, created, merges };
}
