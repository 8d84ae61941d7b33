// Typed rows for hand-written SQL. node-postgres returns `any` rows, so a column renamed in a migration
// or mistyped in a SELECT went unnoticed until a figure came out wrong. A read names the columns it
// selects through a row shape built from the table's definition in the module's schema.ts:
//
//   const Consent = rowOf(consentRecords, ['channel', 'purpose', 'status', 'recorded_at']);
//   const rows = await queryRows(db, Consent, 'SELECT channel, purpose, status, recorded_at FROM consent_records WHERE ...', [...]);
//
// The compiler refuses a column schema.ts does not have and types each value as node-postgres returns
// it (a bigint as a number, a numeric as a string, a timestamp or a date as a Date, a nullable column
// with null). Under the test runner every typed read also checks that the SQL returned exactly the
// shape's columns, so the SQL, the row type and schema.ts cannot drift apart without a test failing;
// schema.ts itself is checked against the migrated database by `tableDrift` (test/fixtures/table-drift.ts).
import type pg from 'pg';
import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';
import type { Queryable } from './db.js';

type ColumnsByName<T extends Table> = { [K in keyof T['_']['columns'] as T['_']['columns'][K]['_']['name']]: T['_']['columns'][K] };
/**
 * What node-postgres gives for a column, whatever mode schema.ts declares it in: a 64-bit integer as a
 * number (db.ts sets that parser for int8), a date as a Date (its default parser).
 */
type WireValue<C extends Column> = C['_']['columnType'] extends 'PgBigInt53' | 'PgBigSerial53' | 'PgBigInt64' | 'PgBigSerial64'
  ? number
  : C['_']['columnType'] extends 'PgDateString' | 'PgDate'
    ? Date
    : C['_']['data'];
type RowValue<C extends Column> = C['_']['notNull'] extends true ? WireValue<C> : WireValue<C> | null;

/** The SQL names of a table's columns. */
export type ColumnName<T extends Table> = keyof ColumnsByName<T> & string;
/** A row of `table` holding the columns named, typed as node-postgres returns them. */
export type RowOf<T extends Table, K extends ColumnName<T>> = { [P in K]: RowValue<ColumnsByName<T>[P]> };

export interface RowShape<Row> {
  /** The keys every row has (the columns selected, and any computed ones added with `and`). */
  readonly keys: readonly string[];
  /** The keys as a select list (`id, status, created_at`), for a shape of its table's own columns. */
  readonly selectList: string;
  /** What the keys were read from, for messages. */
  readonly source: string;
  /** The row type, for `typeof Shape.row`; no value at run time. */
  readonly row: Row;
  /** The same shape with computed values (an aggregate, a column of another table) the SQL adds. */
  and<Extra extends object>(keys: readonly (keyof Extra & string)[]): RowShape<Row & Extra>;
}

function shape<Row>(keys: readonly string[], source: string): RowShape<Row> {
  return {
    keys,
    selectList: keys.join(', '),
    source,
    row: undefined as Row,
    and: <Extra extends object>(more: readonly (keyof Extra & string)[]) => shape<Row & Extra>([...keys, ...more], source),
  };
}

/** The SQL names of a table's columns, as schema.ts declares them. */
export function columnNames(table: Table): string[] {
  return Object.values(getTableColumns(table)).map((c) => (c as Column).name);
}

/** A row shape of the columns named (every column with '*', for `SELECT *`). */
export function rowOf<T extends Table, const K extends readonly ColumnName<T>[]>(table: T, columns: K): RowShape<RowOf<T, K[number]>>;
export function rowOf<T extends Table>(table: T, columns: '*'): RowShape<RowOf<T, ColumnName<T>>>;
export function rowOf(table: Table, columns: readonly string[] | '*'): RowShape<unknown> {
  const names = columnNames(table);
  const keys = columns === '*' ? names : columns;
  const unknown = keys.filter((k) => !names.includes(k));
  if (unknown.length) throw new Error(`${tableName(table)} has no column ${unknown.join(', ')} in schema.ts`);
  return shape(keys, tableName(table));
}

/** A shape of computed values only (a count, an expression): no table to check the names against. */
export function computedRow<Row extends object>(keys: readonly (keyof Row & string)[]): RowShape<Row> {
  return shape<Row>(keys, 'computed');
}

const tableName = (table: Table): string => getTableName(table);

// Under the test runner only: in production a stray column must not fail a request that could be served.
const isChecking = process.env.VITEST !== undefined;

/** Throws when a row's columns are not exactly the shape's: the SQL and its declared type disagree. */
export function checkRow(s: RowShape<unknown>, row: object) {
  const got = Object.keys(row);
  const missing = s.keys.filter((k) => !got.includes(k));
  const extra = got.filter((k) => !s.keys.includes(k));
  if (missing.length || extra.length) {
    throw new Error(
      `a query's row does not match its shape of ${s.source}:${missing.length ? ` missing ${missing.join(', ')};` : ''}${extra.length ? ` not declared ${extra.join(', ')};` : ''} declared ${s.keys.join(', ')}`,
    );
  }
}

/** The rows of a hand-written read, typed by its shape. */
export async function queryRows<Row>(db: Queryable, s: RowShape<Row>, text: string | pg.QueryConfig, values?: unknown[]): Promise<Row[]> {
  const { rows } = typeof text === 'string' ? await db.query(text, values) : await db.query(text);
  if (isChecking && rows.length) checkRow(s, rows[0]);
  return rows as Row[];
}

/** The first row of a hand-written read, or undefined. */
export async function queryRow<Row>(db: Queryable, s: RowShape<Row>, text: string | pg.QueryConfig, values?: unknown[]): Promise<Row | undefined> {
  return (await queryRows(db, s, text, values))[0];
}
