// Per-tenant synonyms: words the tenant's customers use for one thing. Applied to queries only, so a
// new set works at once without reindexing any article.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { synonymNotFound } from './errors.js';
import { knowledgeSynonyms } from './schema.js';
import type { SynonymSet } from './search-articles.js';

export async function createSynonymSet(db: Queryable, tenantId: string, terms: string[]): Promise<SynonymSet & { created_at: string }> {
  const clean = [...new Set(terms.map((t) => t.normalize('NFKC').trim().toLowerCase()).filter(Boolean))];
  const id = newId('syn');
  const rows = await queryRows(
    db,
    rowOf(knowledgeSynonyms, ['created_at']),
    'INSERT INTO knowledge_synonyms (tenant_id, id, terms) VALUES ($1,$2,$3) RETURNING created_at',
    [tenantId, id, clean],
  );
  return { id, terms: clean, created_at: rows[0].created_at.toISOString() };
}

export async function listSynonymSets(db: Queryable, tenantId: string): Promise<(SynonymSet & { created_at: string })[]> {
  const rows = await queryRows(
    db,
    rowOf(knowledgeSynonyms, ['id', 'terms', 'created_at']),
    'SELECT id, terms, created_at FROM knowledge_synonyms WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 5000',
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, terms: r.terms, created_at: r.created_at.toISOString() }));
}

export async function deleteSynonymSet(db: Queryable, tenantId: string, id: string): Promise<void> {
  const r = await db.query('DELETE FROM knowledge_synonyms WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!r.rowCount) throw synonymNotFound();
}
