// Open answers read by the text module (sentiment, topics, each topic's polarity): as they arrive,
// and later for those written while no analyzer was plugged in or that failed (a job re-processes).
import { withTransaction } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { FeedbackDeps } from './feedback-deps.js';
import { analyzedPayload, cleanTopics, cleanTopicSentiments } from './write-response-batches.js';
import { moveTopics } from './keep-rollups.js';
import { surveyResponses } from './schema.js';

const Unread = rowOf(surveyResponses, ['id', 'survey_id', 'survey_version', 'customer_id', 'kind', 'score', 'open_text', 'language', 'touchpoint', 'channel']);
const Readings = rowOf(surveyResponses, ['topics', 'topic_sentiments']);
const Analyzed = rowOf(surveyResponses, ['id', 'survey_id', 'customer_id', 'kind', 'score', 'open_text', 'touchpoint', 'channel', 'trigger', 'submitted_at']);

/** What the text module gives back for a piece of open text. */
export interface TextAnalysis {
  sentiment: 'negative' | 'neutral' | 'positive';
  score?: number;
  topics: string[];
  language?: string;
  /** The polarity of each topic, by topic: "delivery was quick but the agent was rude" is positive on delivery, negative on staff. */
  topicSentiments?: Record<string, string>;
}
/** Reads a tenant's open text; the tenant's own topic corrections take part. */
export type TextAnalyzer = (text: string, language: string | null, tenantId: string) => Promise<TextAnalysis> | TextAnalysis;

/** Reads the unread open answers (these ids, or the oldest `limit`); returns how many were read. */
export async function analyzeResponses(deps: FeedbackDeps, tenantId: string, ids?: string[], limit = 200): Promise<number> {
  const analyzer = deps.analyzer();
  if (!analyzer) return 0;
  const rows = await queryRows(
    deps.pool,
    Unread,
    `SELECT id, survey_id, survey_version, customer_id, kind, score, open_text, language, touchpoint, channel FROM survey_responses
      WHERE tenant_id = $1 AND open_text IS NOT NULL AND text_processed_at IS NULL AND status = 'complete' AND ($2::text[] IS NULL OR id = ANY($2))
      ORDER BY updated_at LIMIT $3`,
    [tenantId, ids ?? null, limit],
  );
  for (const r of rows) await recordTextAnalysis(deps, tenantId, r.id, await analyzer(r.open_text as string, r.language, tenantId));
  return rows.length;
}

/** Stores the text module's reading of a response and publishes it (negative text opens cases in the loop). */
export async function recordTextAnalysis(deps: Pick<FeedbackDeps, 'pool' | 'bus'>, tenantId: string, responseId: string, a: TextAnalysis): Promise<boolean> {
  const topics = cleanTopics(a.topics);
  const topicSentiments = cleanTopicSentiments(a.topicSentiments, topics);
  const r = await withTransaction(deps.pool, async (tx) => {
    const before = await queryRow(tx, Readings, 'SELECT topics, topic_sentiments FROM survey_responses WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [
      tenantId,
      responseId,
    ]);
    if (!before) return undefined;
    const [r] = await queryRows(
      tx,
      Analyzed,
      `UPDATE survey_responses SET sentiment = $3, topics = $4, topic_sentiments = $5, text_processed_at = now() WHERE tenant_id = $1 AND id = $2
       RETURNING id, survey_id, customer_id, kind, score, open_text, touchpoint, channel, trigger, submitted_at`,
      [tenantId, responseId, a.sentiment, topics, JSON.stringify(topicSentiments)],
    );
    if (r.submitted_at)
      await moveTopics(
        tx,
        tenantId,
        { kind: r.kind, at: r.submitted_at, score: r.score },
        { topics: before.topics, sentiments: before.topic_sentiments },
        { topics, sentiments: topicSentiments },
      );
    return r;
  });
  if (!r) return false;
  deps.bus.publish({
    type: 'feedback.response.analyzed',
    tenantId,
    payload: analyzedPayload(
      {
        id: r.id,
        surveyId: r.survey_id,
        customerId: r.customer_id,
        kind: r.kind,
        score: r.score,
        openText: r.open_text,
        touchpoint: r.touchpoint,
        channel: r.channel,
        trigger: r.trigger,
      },
      { sentiment: a.sentiment, topics, topicSentiments },
    ),
  });
  return true;
}

/** The job's pass: every tenant's unread answers (or one tenant's), a page at a time. */
export async function reprocessText(deps: FeedbackDeps, tenantId?: string) {
  if (!deps.analyzer()) return;
  const tenants = tenantId
    ? [tenantId]
    : (
        await queryRows(
          deps.pool,
          rowOf(surveyResponses, ['tenant_id']),
          'SELECT DISTINCT tenant_id FROM survey_responses WHERE open_text IS NOT NULL AND text_processed_at IS NULL',
        )
      ).map((r) => r.tenant_id);
  for (const t of tenants) while ((await analyzeResponses(deps, t)) === 200);
}
