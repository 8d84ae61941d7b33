// A person correcting a response's topics in the console: the response and the topic sums change at
// once, and the correction goes to the text module (bus `topics.corrected`), which learns from it.
import type pg from 'pg';
import type { EventBus } from '../../platform/bus.js';
import { withTransaction } from '../../platform/db.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { applyTopicCorrection, publishTopicsCorrected, type TopicChange } from '../text/index.js';
import { moveTopics } from './keep-rollups.js';
import { cleanTopics } from './write-response-batches.js';
import { surveyResponses } from './schema.js';

const Corrected = rowOf(surveyResponses, ['kind', 'score', 'submitted_at', 'open_text', 'customer_id', 'sentiment', 'topics', 'topic_sentiments']);

/** The response as corrected, or undefined when there is no such response. Correcting twice changes nothing the second time. */
export async function correctResponseTopics(pool: pg.Pool, bus: EventBus, tenantId: string, id: string, c: TopicChange, by: string | null) {
  const r = await withTransaction(pool, async (tx) => {
    const r = await queryRow(
      tx,
      Corrected,
      'SELECT kind, score, submitted_at, open_text, customer_id, sentiment, topics, topic_sentiments FROM survey_responses WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    if (!r) return undefined;
    const before = r.topics;
    const was = r.topic_sentiments;
    const topics = cleanTopics(applyTopicCorrection(before, c));
    // A topic a person adds has no clause of its own that the text module scored: it takes the answer's sentiment.
    const sentiments: Record<string, string> = Object.fromEntries(topics.map((t) => [t, was[t] ?? r.sentiment ?? 'neutral']));
    await tx.query('UPDATE survey_responses SET topics = $3, topic_sentiments = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
      topics,
      JSON.stringify(sentiments),
    ]);
    if (r.submitted_at)
      await moveTopics(tx, tenantId, { kind: r.kind, at: r.submitted_at, score: r.score }, { topics: before, sentiments: was }, { topics, sentiments });
    return { text: r.open_text, customerId: r.customer_id, topics, sentiments };
  });
  if (!r) return undefined;
  publishTopicsCorrected(bus, tenantId, { sourceType: 'response', sourceId: id, text: r.text, customerId: r.customerId, add: c.add, remove: c.remove, by });
  return r;
}
