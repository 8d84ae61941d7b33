// What an agent does on an open case besides closing it: a note for colleagues, or a contact with the
// customer (a call, a message), the first of which moves the case to contacted.
import { withTransaction } from '../../platform/db.js';
import type { Actor } from '../../platform/audit.js';
import type { LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { lockOpenCase } from './resolve-case.js';
import { caseNotFound } from './errors.js';

export async function addCaseNote(deps: LoopDeps, tenantId: string, id: string, body: string, actor: Actor) {
  await withTransaction(deps.pool, async (tx) => {
    const { rows } = await tx.query('SELECT 1 FROM cases WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    if (!rows.length) throw caseNotFound();
    await writeActivity(tx, tenantId, id, 'note', body, actor, deps.clock.now());
  });
}

export async function recordContact(deps: LoopDeps, tenantId: string, id: string, c: { channel: string; body: string }, actor: Actor, at = deps.clock.now()) {
  await withTransaction(deps.pool, async (tx) => {
    await lockOpenCase(tx, tenantId, id);
    await tx.query(
      `UPDATE cases SET status = 'contacted', first_contact_at = coalesce(first_contact_at, $3), updated_at = $3 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, at],
    );
    await writeActivity(tx, tenantId, id, 'contact', c.body, actor, at, c.channel);
  });
}
