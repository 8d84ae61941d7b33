// Snoozed conversations reopening when their time comes.
import { withTransaction } from '../../platform/db.js';
import { queryRows } from '../../platform/query-rows.js';
import { changeStatus } from './change-conversation.js';
import { newEffects, releaseEffects, type InboxDeps } from './effects.js';
import { ConversationRow } from './read-conversations.js';

/** Wakes snoozed conversations whose time has come (a minute job). */
export async function wakeSnoozed(deps: InboxDeps): Promise<number> {
  const now = deps.clock.now();
  const fx = newEffects();
  const n = await withTransaction(deps.pool, async (tx) => {
    Object.assign(fx, newEffects());
    const rows = await queryRows(
      tx,
      ConversationRow,
      `SELECT * FROM inbox_conversations WHERE status = 'snoozed' AND snoozed_until <= $1 ORDER BY snoozed_until LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const c of rows) await changeStatus(deps, tx, c, 'open', { actor: 'system:snooze' }, fx, now);
    return rows.length;
  });
  await releaseEffects(deps, fx);
  return n;
}
