// An agent following a script on a conversation: each choice is a step of the path, recorded against
// the conversation (the inbox's id, kept as text). The agent may jump to any node or leave at will.
import type pg from 'pg';
import type { Queryable } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import { getScript, type ScriptNode } from './manage-scripts.js';
import { scriptRunNotFound, scriptRunEnded, invalidStep } from './errors.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { knowledgeScriptRuns, knowledgeScriptSteps } from './schema.js';

/** A run with its script's nodes (stored as validateScript accepted them). */
const Run = rowOf(knowledgeScriptRuns, '*').and<{ nodes: ScriptNode[] }>(['nodes']);
const Step = rowOf(knowledgeScriptSteps, ['run_id', 'seq', 'node_id', 'option_id', 'note', 'at']);

export interface ScriptRun {
  id: string;
  script_id: string;
  conversation_id: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  agent: { type: string; id: string };
  current_node: ScriptNode | null;
  path: { seq: number; node_id: string; node_text: string | null; option_id: string | null; option_label: string | null; note: string | null; at: string }[];
}

export async function startScriptRun(
  tx: pg.PoolClient,
  tenantId: string,
  input: { script_id: string; conversation_id: string },
  actor: Actor,
): Promise<string> {
  const script = await getScript(tx, tenantId, input.script_id);
  const id = newId('srn');
  await tx.query(
    'INSERT INTO knowledge_script_runs (tenant_id, id, script_id, conversation_id, status, current_node, agent_type, agent_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
    [tenantId, id, script.id, input.conversation_id, 'active', script.root_node, actor.type, actor.id],
  );
  return id;
}

/** Takes one step: an option of the current node (follow) or any node of the script (jump). */
export async function takeScriptStep(
  tx: pg.PoolClient,
  tenantId: string,
  runId: string,
  step: { option_id?: string; node_id?: string; note?: string | null },
): Promise<void> {
  const run = await queryRow(
    tx,
    rowOf(knowledgeScriptRuns, ['script_id', 'status', 'current_node']),
    'SELECT script_id, status, current_node FROM knowledge_script_runs WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, runId],
  );
  if (!run) throw scriptRunNotFound();
  if (run.status !== 'active') throw scriptRunEnded();
  const script = await getScript(tx, tenantId, run.script_id);
  const current = script.nodes.find((n) => n.id === run.current_node);
  let next: string | null;
  let recorded: { node: string; option: string | null };
  if (step.option_id) {
    const option = current?.options.find((o) => o.id === step.option_id);
    if (!current || !option) throw invalidStep(undefined, [{ field: 'option_id', message: `the current node offers no option "${step.option_id}"` }]);
    next = option.next ?? null;
    recorded = { node: current.id, option: option.id };
  } else if (step.node_id) {
    if (!script.nodes.some((n) => n.id === step.node_id))
      throw invalidStep(undefined, [{ field: 'node_id', message: `the script has no node "${step.node_id}"` }]);
    next = step.node_id;
    recorded = { node: step.node_id, option: null };
  } else {
    throw invalidStep('Give option_id to follow the script or node_id to jump', [{ field: 'option_id', message: 'option_id or node_id is required' }]);
  }
  const nextNode = next ? script.nodes.find((n) => n.id === next) : undefined;
  // Reaching a node with nothing more to choose ends the script.
  const isEnd = !nextNode || nextNode.options.length === 0;
  await tx.query(
    `INSERT INTO knowledge_script_steps (tenant_id, run_id, seq, node_id, option_id, note)
     SELECT $1, $2, COALESCE(max(seq), 0) + 1, $3, $4, $5 FROM knowledge_script_steps WHERE tenant_id = $1 AND run_id = $2`,
    [tenantId, runId, recorded.node, recorded.option, step.note ?? null],
  );
  if (isEnd && nextNode) {
    await tx.query(
      `INSERT INTO knowledge_script_steps (tenant_id, run_id, seq, node_id, option_id, note)
       SELECT $1, $2, max(seq) + 1, $3, NULL, NULL FROM knowledge_script_steps WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, runId, nextNode.id],
    );
  }
  await tx.query(
    `UPDATE knowledge_script_runs SET current_node = $3, status = CASE WHEN $4::boolean THEN 'completed' ELSE 'active' END,
       ended_at = CASE WHEN $4::boolean THEN now() END WHERE tenant_id = $1 AND id = $2`,
    [tenantId, runId, next, isEnd],
  );
}

export async function leaveScriptRun(tx: pg.PoolClient, tenantId: string, runId: string, note?: string | null): Promise<void> {
  const rows = await queryRows(
    tx,
    rowOf(knowledgeScriptRuns, ['status', 'current_node']),
    'SELECT status, current_node FROM knowledge_script_runs WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, runId],
  );
  if (!rows[0]) throw scriptRunNotFound();
  if (rows[0].status !== 'active') throw scriptRunEnded();
  if (note) {
    await tx.query(
      `INSERT INTO knowledge_script_steps (tenant_id, run_id, seq, node_id, option_id, note)
       SELECT $1, $2, COALESCE(max(seq), 0) + 1, $3, NULL, $4 FROM knowledge_script_steps WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, runId, rows[0].current_node ?? '', note],
    );
  }
  await tx.query("UPDATE knowledge_script_runs SET status = 'left', ended_at = now() WHERE tenant_id = $1 AND id = $2", [tenantId, runId]);
}

export async function getScriptRun(db: Queryable, tenantId: string, runId: string): Promise<ScriptRun> {
  const runs = await loadRuns(db, tenantId, { runId });
  if (!runs[0]) throw scriptRunNotFound();
  return runs[0];
}

/** Every script run on a conversation with its path, oldest first: what the inbox shows. */
export const listScriptRuns = (db: Queryable, tenantId: string, q: { conversationId?: string; limit?: number }) => loadRuns(db, tenantId, q);

async function loadRuns(db: Queryable, tenantId: string, q: { runId?: string; conversationId?: string; limit?: number }): Promise<ScriptRun[]> {
  const rows = await queryRows(
    db,
    Run,
    `SELECT r.*, s.nodes FROM knowledge_script_runs r JOIN knowledge_scripts s ON s.tenant_id = r.tenant_id AND s.id = r.script_id
     WHERE r.tenant_id = $1 AND ($2::text IS NULL OR r.id = $2) AND ($3::text IS NULL OR r.conversation_id = $3)
     ORDER BY r.started_at DESC, r.id DESC LIMIT $4`,
    [tenantId, q.runId ?? null, q.conversationId ?? null, q.limit ?? 100],
  );
  if (!rows.length) return [];
  const steps = await queryRows(
    db,
    Step,
    'SELECT run_id, seq, node_id, option_id, note, at FROM knowledge_script_steps WHERE tenant_id = $1 AND run_id = ANY($2::text[]) ORDER BY run_id, seq',
    [tenantId, rows.map((r) => r.id)],
  );
  return rows.reverse().map((r) => {
    const node = (id: string | null) => r.nodes.find((n) => n.id === id);
    return {
      id: r.id,
      script_id: r.script_id,
      conversation_id: r.conversation_id,
      status: r.status,
      started_at: r.started_at.toISOString(),
      ended_at: r.ended_at ? r.ended_at.toISOString() : null,
      agent: { type: r.agent_type, id: r.agent_id },
      current_node: r.status === 'active' ? (node(r.current_node) ?? null) : null,
      path: steps
        .filter((s) => s.run_id === r.id)
        .map((s) => {
          const n = node(s.node_id);
          return {
            seq: s.seq,
            node_id: s.node_id,
            node_text: n?.text ?? null,
            option_id: s.option_id,
            option_label: n?.options.find((o) => o.id === s.option_id)?.label ?? null,
            note: s.note,
            at: s.at.toISOString(),
          };
        }),
    };
  });
}
