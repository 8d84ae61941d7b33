// Guided scripts: for a case type, a tree of questions and suggested actions an agent can follow.
// A node's options lead to the next node; a node without options ends the script.
import type { Queryable } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import type { FieldProblem } from '../../platform/errors.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { invalidScript, scriptNotFound, articleNotFound } from './errors.js';
import { knowledgeArticles, knowledgeScripts } from './schema.js';

export interface ScriptNode {
  id: string;
  kind: 'question' | 'action';
  text: string;
  article_id?: string | null;
  options: { id: string; label: string; next?: string | null }[];
}

export interface ScriptInput {
  case_type: string;
  title: string;
  language: string;
  root_node: string;
  nodes: ScriptNode[];
  is_active?: boolean;
}

export interface Script extends Required<Omit<ScriptInput, 'is_active'>> {
  id: string;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** A tree: unique node ids, a root that exists, every option leading to a node, and no way back. */
export function validateScript(input: Pick<ScriptInput, 'root_node' | 'nodes'>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ids = new Map<string, number>();
  input.nodes.forEach((n, i) => {
    if (ids.has(n.id)) problems.push({ field: `nodes[${i}].id`, message: `repeats node "${n.id}"` });
    ids.set(n.id, i);
    const optionIds = new Set<string>();
    n.options.forEach((o, j) => {
      if (optionIds.has(o.id)) problems.push({ field: `nodes[${i}].options[${j}].id`, message: `repeats option "${o.id}"` });
      optionIds.add(o.id);
      if (o.next && !input.nodes.some((x) => x.id === o.next)) problems.push({ field: `nodes[${i}].options[${j}].next`, message: `no node "${o.next}"` });
    });
  });
  if (!ids.has(input.root_node)) problems.push({ field: 'root_node', message: `no node "${input.root_node}"` });
  if (problems.length) return problems;
  // Depth-first from the root: meeting a node already on the path is a cycle.
  const onPath = new Set<string>();
  const walk = (id: string): boolean => {
    if (onPath.has(id)) return false;
    onPath.add(id);
    const node = input.nodes[ids.get(id)!];
    for (const o of node.options) if (o.next && !walk(o.next)) return false;
    onPath.delete(id);
    return true;
  };
  if (!walk(input.root_node)) problems.push({ field: 'nodes', message: 'an option leads back to an earlier node: a script is a tree' });
  return problems;
}

async function assertArticles(db: Queryable, tenantId: string, nodes: ScriptNode[]) {
  const ids = [...new Set(nodes.map((n) => n.article_id).filter((x): x is string => !!x))];
  if (!ids.length) return;
  const rows = await queryRows(db, rowOf(knowledgeArticles, ['id']), 'SELECT id FROM knowledge_articles WHERE tenant_id = $1 AND id = ANY($2::text[])', [
    tenantId,
    ids,
  ]);
  const found = new Set(rows.map((r) => r.id));
  const i = nodes.findIndex((n) => n.article_id && !found.has(n.article_id));
  if (i >= 0) throw articleNotFound(undefined, [{ field: `nodes[${i}].article_id`, message: 'no such article' }]);
}

const ScriptRow = rowOf(knowledgeScripts, '*');

const toScript = (r: typeof ScriptRow.row): Script => ({
  id: r.id,
  case_type: r.case_type,
  title: r.title,
  language: r.language,
  root_node: r.root_node,
  // Stored as validateScript accepted them.
  nodes: r.nodes as ScriptNode[],
  is_active: r.is_active,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export async function createScript(db: Queryable, tenantId: string, input: ScriptInput): Promise<Script> {
  const problems = validateScript(input);
  if (problems.length) throw invalidScript(undefined, problems);
  await assertArticles(db, tenantId, input.nodes);
  const rows = await queryRows(
    db,
    ScriptRow,
    'INSERT INTO knowledge_scripts (tenant_id, id, case_type, title, language, nodes, root_node, is_active) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING *',
    [tenantId, newId('scr'), input.case_type, input.title, input.language, JSON.stringify(input.nodes), input.root_node, input.is_active ?? true],
  );
  return toScript(rows[0]);
}

export async function updateScript(db: Queryable, tenantId: string, id: string, input: ScriptInput): Promise<Script> {
  await getScript(db, tenantId, id);
  const problems = validateScript(input);
  if (problems.length) throw invalidScript(undefined, problems);
  await assertArticles(db, tenantId, input.nodes);
  const rows = await queryRows(
    db,
    ScriptRow,
    `UPDATE knowledge_scripts SET case_type = $3, title = $4, language = $5, nodes = $6, root_node = $7, is_active = $8, updated_at = now()
     WHERE tenant_id = $1 AND id = $2 RETURNING *`,
    [tenantId, id, input.case_type, input.title, input.language, JSON.stringify(input.nodes), input.root_node, input.is_active ?? true],
  );
  if (!rows[0]) throw scriptNotFound();
  return toScript(rows[0]);
}

export async function getScript(db: Queryable, tenantId: string, id: string): Promise<Script> {
  const rows = await queryRows(db, ScriptRow, 'SELECT * FROM knowledge_scripts WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!rows[0]) throw scriptNotFound();
  return toScript(rows[0]);
}

export async function listScripts(db: Queryable, tenantId: string, q: { case_type?: string; language?: string; active_only?: boolean }): Promise<Script[]> {
  const rows = await queryRows(
    db,
    ScriptRow,
    `SELECT * FROM knowledge_scripts WHERE tenant_id = $1 AND ($2::text IS NULL OR case_type = $2) AND ($3::text IS NULL OR language = $3)
       AND (NOT $4::boolean OR is_active) ORDER BY case_type, created_at, id LIMIT 500`,
    [tenantId, q.case_type ?? null, q.language ?? null, q.active_only ?? false],
  );
  return rows.map(toScript);
}
