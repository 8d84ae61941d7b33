// Bulk loads into a big table are faster with no index to keep up: drop them, load, build them again.
import type pg from 'pg';

/** Loads a table without its indexes (and primary key), then builds them again exactly as they were. */
export async function withoutIndexes(pool: pg.Pool, table: string, load: () => Promise<void>) {
  const { rows: pk } = await pool.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [
    table,
  ]);
  const { rows: idx } = await pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND indexname <> ALL($2)`, [
    table,
    pk.map((p) => p.conname),
  ]);
  for (const i of idx) await pool.query(`DROP INDEX ${i.indexname}`);
  for (const p of pk) await pool.query(`ALTER TABLE ${table} DROP CONSTRAINT ${p.conname}`);
  try {
    await load();
  } finally {
    for (const p of pk) await pool.query(`ALTER TABLE ${table} ADD CONSTRAINT ${p.conname} ${p.def}`);
    for (const i of idx) await pool.query(i.indexdef);
    await pool.query(`ANALYZE ${table}`);
  }
}
