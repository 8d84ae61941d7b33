// The SQL that turns a migrated Rapport database into a Citus cluster, read from the database's own
// catalogue (pg_constraint, pg_attribute) so that a new table or key is covered without a list to keep.
// Every table that carries tenant_id is distributed by it, all of them co-located, so a tenant's rows
// of every table live on one worker and the joins and foreign keys inside a tenant stay local there.
// Tables without tenant_id, and the tenant registry, are reference tables (a copy on every worker).
// Citus enforces a primary key, a unique key or a foreign key of a distributed table only when it
// includes the distribution column: those that do not are reported as problems, not planned around.
// A partitioned table is planned as one table: distributing it distributes its partitions, and Citus
// distributes those made later (platform/partitions.ts) as they are created or attached.
import type pg from 'pg';
import { computedRow, queryRow, queryRows } from './query-rows.js';

// Catalogue rows: a `name` comes back as a string, a boolean expression as a boolean.
const TableRow = computedRow<{ name: string; is_partitioned: boolean; has_tenant: boolean }>(['name', 'is_partitioned', 'has_tenant']);
const KeyRow = computedRow<{ table: string; name: string; kind: string; has_tenant: boolean }>(['table', 'name', 'kind', 'has_tenant']);
const ForeignKeyRow = computedRow<{ name: string; table: string; referenced: string; referenced_schema: string; on_tenant: boolean }>([
  'name',
  'table',
  'referenced',
  'referenced_schema',
  'on_tenant',
]);
const TriggerRow = computedRow<{ table: string; name: string }>(['table', 'name']);
const DatabaseRow = computedRow<{ database: string }>(['database']);
const SchemaRow = computedRow<{ name: string }>(['name']);

/**
 * Tables that carry tenant_id yet are replicated rather than distributed, with the reason. The registry
 * of tenants is looked up across tenants (a login names its tenant by slug, unique over all of them)
 * and is small; every tenant table's foreign key to it then points at a local copy.
 */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  tenants: 'the tenant registry: its slug is unique across tenants (login looks a tenant up by it)',
};

/** Tables co-located with this one when it is distributed (any tenant table would do; customers is the spine). */
const ANCHOR = 'customers';

export interface CitusTable {
  name: string;
  kind: 'distributed' | 'reference';
  /** Tables this one's foreign keys point at. */
  references: string[];
}

export interface CitusPlan {
  /** In the order they must be created: a table after every table its foreign keys point at. */
  tables: CitusTable[];
  /** Schemas left as local tables on the coordinator. */
  localSchemas: string[];
  /** Planned tables partitioned by range (their partitions are not planned on their own). */
  partitioned: string[];
  /** Triggers on planned tables: Citus runs them on the shards only with citus.enable_unsafe_triggers. */
  triggers: { table: string; name: string }[];
  /** Keys Citus could not enforce on a distributed table, or foreign keys it refuses. Empty when the plan holds. */
  problems: string[];
  sql: string;
}

const q = (name: string) => `'${name.replace(/'/g, "''")}'`;

export async function planCitus(db: pg.Pool | pg.PoolClient, schema = 'public'): Promise<CitusPlan> {
  const tableRows = await queryRows(
    db,
    TableRow,
    `SELECT c.relname AS name, c.relkind = 'p' AS is_partitioned,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
    [schema],
  );
  // Keys and unique indexes, each with whether tenant_id is among its columns.
  const keyRows = await queryRows(
    db,
    KeyRow,
    `SELECT c.relname AS table, i.indexrelid::regclass::text AS name, coalesce(con.contype::text, 'i') AS kind,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = 'tenant_id' AND a.attnum = ANY (i.indkey::int2[])) AS has_tenant
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u')
      WHERE n.nspname = $1 AND i.indisunique
      ORDER BY 1, 2`,
    [schema],
  );
  // Foreign keys, with whether tenant_id of the referencing table is paired with tenant_id of the referenced one.
  const fkRows = await queryRows(
    db,
    ForeignKeyRow,
    `SELECT con.conname AS name, c.relname AS table, r.relname AS referenced, rn.nspname AS referenced_schema,
            EXISTS (SELECT 1 FROM unnest(con.conkey, con.confkey) AS k(col, ref)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
                      JOIN pg_attribute b ON b.attrelid = con.confrelid AND b.attnum = k.ref
                     WHERE a.attname = 'tenant_id' AND b.attname = 'tenant_id') AS on_tenant
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE n.nspname = $1 AND con.contype = 'f'
      ORDER BY 2, 1`,
    [schema],
  );
  const triggerRows = await queryRows(
    db,
    TriggerRow,
    `SELECT c.relname AS table, t.tgname AS name
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1, 2`,
    [schema],
  );
  const { database } = (await queryRow(db, DatabaseRow, 'SELECT current_database() AS database'))!;
  const schemaRows = await queryRows(
    db,
    SchemaRow,
    `SELECT DISTINCT n.nspname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ($1, 'pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
    [schema],
  );

  const kindOf = new Map<string, CitusTable['kind']>(
    tableRows.map((t) => [t.name, t.has_tenant && !(t.name in REFERENCE_TABLES) ? 'distributed' : 'reference']),
  );
  const problems: string[] = [];
  for (const k of keyRows) {
    if (kindOf.get(k.table) === 'distributed' && !k.has_tenant) {
      problems.push(`${k.table}: ${k.kind === 'p' ? 'primary key' : k.kind === 'u' ? 'unique key' : 'unique index'} ${k.name} does not include tenant_id`);
    }
  }
  const references = new Map<string, Set<string>>(tableRows.map((t) => [t.name, new Set<string>()]));
  for (const fk of fkRows) {
    const from = kindOf.get(fk.table);
    const to = fk.referenced_schema === schema ? kindOf.get(fk.referenced) : undefined;
    if (!to) problems.push(`${fk.table}: foreign key ${fk.name} points outside the planned tables (${fk.referenced_schema}.${fk.referenced})`);
    else if (from === 'reference' && to === 'distributed')
      problems.push(`${fk.table}: foreign key ${fk.name} points from a reference table at the distributed ${fk.referenced}`);
    else if (from === 'distributed' && to === 'distributed' && !fk.on_tenant)
      problems.push(`${fk.table}: foreign key ${fk.name} to ${fk.referenced} does not pair tenant_id with tenant_id`);
    if (to && fk.referenced !== fk.table) references.get(fk.table)!.add(fk.referenced);
  }

  // Reference tables first (distributed tables may point at them, never the other way), each after
  // what it points at; alphabetical otherwise, so the plan reads the same on every run.
  const ordered: CitusTable[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  function place(name: string) {
    if (placed.has(name)) return;
    if (visiting.has(name)) {
      problems.push(`${name}: its foreign keys form a cycle; create it with them dropped and add them after`);
      return;
    }
    visiting.add(name);
    for (const ref of [...references.get(name)!].sort()) place(ref);
    visiting.delete(name);
    placed.add(name);
    ordered.push({ name, kind: kindOf.get(name)!, references: [...references.get(name)!].sort() });
  }
  for (const t of tableRows) if (kindOf.get(t.name) === 'reference') place(t.name);
  // The anchor goes first among distributed tables: the others are co-located with it, so it must exist.
  if (kindOf.get(ANCHOR) === 'distributed') place(ANCHOR);
  for (const t of tableRows) place(t.name);

  const distributed = ordered.filter((t) => t.kind === 'distributed');
  const anchor = distributed[0]?.name;
  const triggers = triggerRows.filter((t) => kindOf.has(t.table)).map((t) => ({ table: t.table, name: t.name }));
  const localSchemas = schemaRows.map((s) => s.name);
  const partitioned = tableRows.filter((t) => t.is_partitioned).map((t) => t.name);
  const sql =
    [
      '-- Rapport on Citus: run on the coordinator of a migrated database (`rapport migrate`) once the',
      "-- workers are added (SELECT citus_add_node(host, port)). Generated from this database's catalogue.",
      `-- ${distributed.length} tables distributed by tenant_id and co-located with ${anchor ?? '(none)'}; reference tables: ${ordered.length - distributed.length}.`,
      "-- Everything outside the schema planned here stays a local table on the coordinator: pg-boss's queues",
      `-- (schema pgboss) and the migrations journal (schema drizzle). Found: ${localSchemas.length ? localSchemas.map((s) => `${s}.*`).join(', ') : '(none)'}.`,
      ...(problems.length ? ['-- NOT READY: Citus would refuse or not enforce these:', ...problems.map((p) => `--   ${p}`)] : []),
      ...(partitioned.length ? [`-- Partitioned by month, their partitions distributed with them: ${partitioned.join(', ')}.`] : []),
      'CREATE EXTENSION IF NOT EXISTS citus;',
      ...(triggers.length
        ? [
            `-- Triggers on distributed tables run on their shards: ${triggers.map((t) => `${t.name} on ${t.table}`).join(', ')}.`,
            'SET citus.enable_unsafe_triggers = on;',
            `ALTER DATABASE "${String(database).replace(/"/g, '""')}" SET citus.enable_unsafe_triggers = on;`,
          ]
        : []),
      ...ordered.map((t) => {
        if (t.kind === 'reference') return `SELECT create_reference_table(${q(t.name)});${t.name in REFERENCE_TABLES ? ` -- ${REFERENCE_TABLES[t.name]}` : ''}`;
        if (t.name === anchor) return `SELECT create_distributed_table(${q(t.name)}, 'tenant_id');`;
        return `SELECT create_distributed_table(${q(t.name)}, 'tenant_id', colocate_with => ${q(anchor!)});`;
      }),
    ].join('\n') + '\n';
  return { tables: ordered, localSchemas, partitioned, triggers, problems, sql };
}
