// Giving a case to a team or an owner, or changing its priority; the change goes in its activity.
import { withTransaction } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import type { LoopDeps } from './loop-deps.js';
import type { Priority } from './case-rules.js';
import { writeActivity } from './case-activity.js';
import { lockOpenCase } from './resolve-case.js';
import { ownerNotFound } from './errors.js';

export async function assignCase(
  deps: LoopDeps,
  tenantId: string,
  id: string,
  p: { team?: string | null; ownerId?: string | null; priority?: Priority },
  actor: Actor,
) {
  if (p.ownerId) {
    const { rows } = await deps.pool.query('SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, p.ownerId]);
    if (!rows.length) throw ownerNotFound('No such user', [{ field: 'owner_id', message: 'names no user of this tenant' }]);
  }
  await withTransaction(deps.pool, async (tx) => {
    await lockOpenCase(tx, tenantId, id);
    await tx.query(
      `UPDATE cases SET team_id = CASE WHEN $3 THEN $4 ELSE team_id END, owner_id = CASE WHEN $5 THEN $6 ELSE owner_id END, priority = coalesce($7, priority), updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, p.team !== undefined, p.team ?? null, p.ownerId !== undefined, p.ownerId ?? null, p.priority ?? null],
    );
    // Stored as its fields (JSON), worded when read (case-activity.ts).
    await writeActivity(tx, tenantId, id, 'assignment', JSON.stringify({ team: p.team, owner_id: p.ownerId, priority: p.priority }), actor, deps.clock.now());
  });
}
