// A person's correction of a case's topics, kept in its activity; the text module learns from it
// (bus `topics.corrected`) what the customer's words were about.
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { Actor } from '../../platform/audit.js';
import { applyTopicCorrection, publishTopicsCorrected, type TopicChange } from '../text/index.js';
import type { LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { caseNotFound } from './errors.js';
import { cases } from './schema.js';

const Topics = rowOf(cases, ['topics', 'customer_id']).and<{ text: string | null }>(['text']);

export async function correctCaseTopics(deps: LoopDeps, tenantId: string, id: string, c: TopicChange, actor: Actor) {
  const k = await withTransaction(deps.pool, async (tx) => {
    const k = await queryRow(
      tx,
      Topics,
      `SELECT topics, customer_id, coalesce(details->>'text', summary) AS text FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenantId, id],
    );
    if (!k) throw caseNotFound();
    const before = k.topics;
    const topics = applyTopicCorrection(before, c).slice(0, 50);
    await tx.query('UPDATE cases SET topics = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, id, topics]);
    await writeActivity(tx, tenantId, id, 'topics', JSON.stringify({ add: c.add, remove: c.remove }), actor, deps.clock.now());
    return { text: k.text, customerId: k.customer_id };
  });
  publishTopicsCorrected(deps.bus, tenantId, {
    sourceType: 'case',
    sourceId: id,
    text: k.text,
    customerId: k.customerId,
    add: c.add,
    remove: c.remove,
    by: actor.id,
  });
}
