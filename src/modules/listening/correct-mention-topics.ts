// A person correcting a mention's topics: the mention changes at once, and the correction goes to the
// text module (bus `topics.corrected`), which learns from it for the tenant's next mentions.
import type pg from 'pg';
import type { EventBus } from '../../platform/bus.js';
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { mentions } from './schema.js';
import { applyTopicCorrection, publishTopicsCorrected, type TopicChange } from '../text/index.js';

interface StoredTopic {
  topic: string;
  terms: string[];
  sentiment?: string;
  score?: number;
}

/** The mention's id once corrected, or undefined when there is no such mention. */
export async function correctMentionTopics(pool: pg.Pool, bus: EventBus, tenantId: string, id: string, c: TopicChange, by: string | null) {
  const m = await withTransaction(pool, async (tx) => {
    const m = await queryRow(
      tx,
      rowOf(mentions, ['text', 'customer_id', 'sentiment', 'topics']),
      'SELECT text, customer_id, sentiment, topics FROM listening_mentions WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    if (!m) return undefined;
    const before = m.topics as StoredTopic[];
    // A topic a person adds was not found in a clause of its own: it takes the mention's sentiment.
    const topics = applyTopicCorrection(
      before,
      c,
      (t) => t.topic,
      (topic): StoredTopic => ({ topic, terms: [], sentiment: m.sentiment ?? 'neutral' }),
    );
    await tx.query('UPDATE listening_mentions SET topics = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, JSON.stringify(topics)]);
    return { text: m.text, customerId: m.customer_id };
  });
  if (!m) return undefined;
  publishTopicsCorrected(bus, tenantId, { sourceType: 'mention', sourceId: id, text: m.text, customerId: m.customerId, add: c.add, remove: c.remove, by });
  return id;
}
