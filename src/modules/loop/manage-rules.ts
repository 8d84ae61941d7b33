// The rules that open cases and the rules that route them to a team. A change is seen at once on
// every node (the loop's caches forget the tenant).
import { newId } from '../../platform/ids.js';
import type { LoopDeps } from './loop-deps.js';
import type { RoutingMatch, RuleCondition, Signal } from './case-rules.js';
import { ruleNotFound } from './errors.js';

export async function createRule(deps: LoopDeps, tenantId: string, r: { name: string; signal: Signal; condition: RuleCondition; caseType: string }) {
  const id = newId('rul');
  await deps.pool.query('INSERT INTO case_rules (tenant_id, id, name, signal, condition, case_type) VALUES ($1,$2,$3,$4,$5,$6)', [
    tenantId,
    id,
    r.name,
    r.signal,
    JSON.stringify(r.condition),
    r.caseType,
  ]);
  deps.caches.forget(tenantId);
  return id;
}

export async function deleteRule(deps: LoopDeps, tenantId: string, id: string) {
  if (!(await deps.pool.query('DELETE FROM case_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rowCount) throw ruleNotFound();
  deps.caches.forget(tenantId);
}

export async function createRouting(deps: LoopDeps, tenantId: string, r: { position: number; match: RoutingMatch; team: string }) {
  const id = newId('rte');
  await deps.pool.query('INSERT INTO case_routing_rules (tenant_id, id, position, match, team_id) VALUES ($1,$2,$3,$4,$5)', [
    tenantId,
    id,
    r.position,
    JSON.stringify(r.match),
    r.team,
  ]);
  deps.caches.forget(tenantId);
  return id;
}

export async function deleteRouting(deps: LoopDeps, tenantId: string, id: string) {
  if (!(await deps.pool.query('DELETE FROM case_routing_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rowCount) throw ruleNotFound();
  deps.caches.forget(tenantId);
}
