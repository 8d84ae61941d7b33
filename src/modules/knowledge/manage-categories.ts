// Categories group articles on the help centre; one category carries its name in every language.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { categoryNotFound, categorySlugTaken } from './errors.js';
import { knowledgeCategories } from './schema.js';

export interface CategoryInput {
  slug?: string;
  names: Record<string, string>;
  descriptions?: Record<string, string>;
  parent_id?: string | null;
  position?: number;
}

export interface Category {
  id: string;
  slug: string;
  parent_id: string | null;
  names: Record<string, string>;
  descriptions: Record<string, string>;
  position: number;
  created_at: string;
  updated_at: string;
}

const CategoryRow = rowOf(knowledgeCategories, '*');

const toCategory = (r: typeof CategoryRow.row): Category => ({
  id: r.id,
  slug: r.slug,
  parent_id: r.parent_id,
  names: r.names as Record<string, string>,
  descriptions: r.descriptions as Record<string, string>,
  position: r.position,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

async function assertCategory(db: Queryable, tenantId: string, id: string) {
  const { rowCount } = await db.query('SELECT 1 FROM knowledge_categories WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rowCount) throw categoryNotFound(undefined, [{ field: 'parent_id', message: 'no such category' }]);
}

export async function createCategory(db: Queryable, tenantId: string, input: CategoryInput): Promise<Category> {
  if (input.parent_id) await assertCategory(db, tenantId, input.parent_id);
  const id = newId('kbc');
  const slug = input.slug || slugify(Object.values(input.names)[0] ?? '') || id;
  const rows = await queryRows(
    db,
    CategoryRow,
    `INSERT INTO knowledge_categories (tenant_id, id, parent_id, slug, names, descriptions, position) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (tenant_id, slug) DO NOTHING RETURNING *`,
    [tenantId, id, input.parent_id ?? null, slug, JSON.stringify(input.names), JSON.stringify(input.descriptions ?? {}), input.position ?? 0],
  );
  if (!rows[0]) throw categorySlugTaken(undefined, [{ field: 'slug', message: 'already used by another category' }]);
  return toCategory(rows[0]);
}

export async function updateCategory(db: Queryable, tenantId: string, id: string, patch: Partial<CategoryInput>): Promise<Category> {
  if (patch.parent_id) {
    if (patch.parent_id === id) throw categoryNotFound('A category cannot be its own parent', [{ field: 'parent_id', message: 'is this category' }]);
    await assertCategory(db, tenantId, patch.parent_id);
  }
  const rows = await queryRows(
    db,
    CategoryRow,
    `UPDATE knowledge_categories SET
       slug = COALESCE($3, slug), names = COALESCE($4, names), descriptions = COALESCE($5, descriptions),
       parent_id = CASE WHEN $6::boolean THEN $7 ELSE parent_id END, position = COALESCE($8, position), updated_at = now()
     WHERE tenant_id = $1 AND id = $2
       AND NOT EXISTS (SELECT 1 FROM knowledge_categories o WHERE o.tenant_id = $1 AND o.slug = $3 AND o.id <> $2)
     RETURNING *`,
    [
      tenantId,
      id,
      patch.slug ?? null,
      patch.names ? JSON.stringify(patch.names) : null,
      patch.descriptions ? JSON.stringify(patch.descriptions) : null,
      patch.parent_id !== undefined,
      patch.parent_id ?? null,
      patch.position ?? null,
    ],
  );
  if (!rows[0]) {
    await getCategory(db, tenantId, id);
    throw categorySlugTaken(undefined, [{ field: 'slug', message: 'already used by another category' }]);
  }
  return toCategory(rows[0]);
}

export async function getCategory(db: Queryable, tenantId: string, id: string): Promise<Category> {
  const rows = await queryRows(db, CategoryRow, 'SELECT * FROM knowledge_categories WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rows[0]) throw categoryNotFound();
  return toCategory(rows[0]);
}

export async function listCategories(db: Queryable, tenantId: string): Promise<Category[]> {
  const rows = await queryRows(db, CategoryRow, 'SELECT * FROM knowledge_categories WHERE tenant_id = $1 ORDER BY position, created_at, id LIMIT 1000', [
    tenantId,
  ]);
  return rows.map(toCategory);
}
