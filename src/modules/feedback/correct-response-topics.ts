// A person correcting a response's topics in the console: the response and the topic sums change at
// once, and the correction goes to the text module (bus `topics.corrected`), which learns from it.
import type pg from 'pg';
import type { EventBus } from '../../platform/bus.js';
import { withTransaction } from '../../platform/db.js';
import { applyTopicCorrection, publishTopicsCorrected, type TopicChange } from '../text/index.js';
import { moveTopics } from './keep-rollups.js';
import { cleanTopics } from './write-response-batches.js';

/** The response as corrected, or undefined when there is no such response. Correcting twice changes nothing the second time. */
export async function correctResponseTopics(pool: pg.Pool, bus: EventBus, tenantId: string, id: string, c: TopicChange, by: string | null) {
  const r = await withTransaction(pool, async (tx) => {
    const {
      rows: [r],
    } = await tx.query(
      'SELECT kind, score, submitted_at, open_text, customer_id, sentiment, topics, topic_sentiments FROM survey_responses WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    if (!r) return undefined;
    const before = r.topics as string[];
    const topics = cleanTopics(applyTopicCorrection(before, c));
    // A topic a person adds has no clause of its own that the text module scored: it takes the answer's sentiment.
    const sentiments: Record<string, string> = Object.fromEntries(topics.map((t) => [t, r.topic_sentiments[t] ?? r.sentiment ?? 'neutral']));
    await tx.query('UPDATE survey_responses SET topics = $3, topic_sentiments = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
      topics,
      JSON.stringify(sentiments),
    ]);
    if (r.submitted_at)
      await moveTopics(
        tx,
        tenantId,
        { kind: r.kind, at: new Date(r.submitted_at), score: r.score },
        { topics: before, sentiments: r.topic_sentiments },
        { topics, sentiments },
      );
    return { text: r.open_text as string | null, customerId: r.customer_id as string | null, topics, sentiments };
  });
  if (!r) return undefined;
  publishTopicsCorrected(bus, tenantId, { sourceType: 'response', sourceId: id, text: r.text, customerId: r.customerId, add: c.add, remove: c.remove, by });
  return r;
}
