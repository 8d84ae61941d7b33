// Group commit (platform/group-commit.ts) for responses: the ones arriving while a write is under way
// are checked on their own (each bad one gets its own problem), then written together by one statement,
// which commits on its own, and each request is answered once it committed, so nothing is acknowledged
// before it is durable. One write at a time per tenant on a node: the next batch gathers while this one
// commits, and the sums' rows are never waited on by this node's own writes. One commit for many also
// lets the modules listening on the bus do their work for the whole batch at once.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventBus, BusMessage } from '../../platform/bus.js';
import { createGroupCommit, type Pending } from '../../platform/group-commit.js';
import { insertResponses, type WrittenResponse } from './insert-responses.js';
import type { PreparedResponse } from './prepare-response.js';
import type { StoredResponse } from './submit-response.js';
import type { TextAnalyzer } from './analyze-responses.js';

/** The payload of feedback.response.submitted (the contract other modules read). */
export interface ResponseSubmitted {
  responseId: string;
  surveyId: string;
  customerId: string | null;
  kind: string;
  score: number | null;
  text?: string;
  touchpoint?: string;
  channel?: string;
  journeyStage?: string;
  trigger?: string;
  surveyVersion: number;
}

/** A batch is written when the one before it is done; at most this many are in flight per tenant (measured: 1 beat 2, 4 and 8). */
const MAX_IN_FLIGHT = 1;
const MAX_BATCH = 500;

/** A response waiting for its batch: `stored` is what its request is answered with, completed by the write. */
type Waiting = Pending<{ row: PreparedResponse; stored: StoredResponse }, StoredResponse>;

export interface ResponseBatcherDeps {
  pool: pg.Pool;
  bus: EventBus;
  log: Logger;
  analyzer: () => TextAnalyzer | undefined;
  /**
   * The one-by-one path, for a response the batch did not write: its submission key is already stored
   * (or used twice in one batch), so it merges partial answers or refuses a second completion with the
   * first response's id; or its customer (row.checkCustomer) is unknown, which it answers as such.
   */
  submitOne: (tenantId: string, row: PreparedResponse) => Promise<StoredResponse>;
}

export function submittedPayload(r: StoredResponse): ResponseSubmitted {
  return {
    responseId: r.id,
    surveyId: r.surveyId,
    customerId: r.customerId,
    kind: r.kind,
    score: r.score,
    surveyVersion: r.surveyVersion,
    ...(r.openText ? { text: r.openText } : {}),
    ...(r.touchpoint ? { touchpoint: r.touchpoint } : {}),
    ...(r.channel ? { channel: r.channel } : {}),
    ...(r.journeyStage ? { journeyStage: r.journeyStage } : {}),
    ...(r.trigger ? { trigger: r.trigger } : {}),
  };
}

/** The topics of a text reading as stored: at most 20, each at most 100 characters, once each. */
export const cleanTopics = (topics: string[]) => [...new Set(topics.slice(0, 20).map((t) => t.slice(0, 100)))];

const POLARITIES = new Set(['negative', 'neutral', 'positive']);

/** The polarity of each stored topic, and of no other: a topic named without an opinion is neutral. */
export function cleanTopicSentiments(given: Record<string, string> | undefined, topics: string[]): Record<string, string> {
  return Object.fromEntries(topics.map((t) => [t, given?.[t.slice(0, 100)] && POLARITIES.has(given[t]) ? given[t] : 'neutral']));
}

/**
 * The payload of feedback.response.analyzed: what the loop needs to route a case by the topics the
 * customer complained about (topicSentiments), or open one for negative text.
 */
export function analyzedPayload(
  r: {
    id: string;
    surveyId: string;
    customerId: string | null;
    kind: string;
    score: number | null;
    openText: string | null;
    touchpoint: string | null;
    channel: string | null;
    trigger: string | null;
  },
  a: { sentiment: string; topics: string[]; topicSentiments?: Record<string, string> },
) {
  return {
    responseId: r.id,
    surveyId: r.surveyId,
    customerId: r.customerId,
    kind: r.kind,
    score: r.score,
    text: r.openText,
    touchpoint: r.touchpoint,
    channel: r.channel,
    trigger: r.trigger,
    sentiment: a.sentiment,
    topics: a.topics,
    topicSentiments: a.topicSentiments ?? {},
  };
}

/** The payload of feedback.response.analyzed: the response with the text module's reading. */
export type ResponseAnalyzed = ReturnType<typeof analyzedPayload>;

export function createResponseBatcher(deps: ResponseBatcherDeps) {
  const { pool, bus, log } = deps;
  const batches = createGroupCommit<Waiting['request'], StoredResponse>({ maxInFlight: MAX_IN_FLIGHT, maxBatch: MAX_BATCH, write });

  /** Answers when the response is durable (or with the problem that kept it out). */
  const enqueue = (tenantId: string, row: PreparedResponse, stored: StoredResponse) => batches.submit(tenantId, { row, stored });

  /** Writes a batch and answers each of its responses; on a throw, the group commit fails those left unanswered. */
  async function write(tenantId: string, batch: Waiting[]) {
    let ready: Waiting[] = [];
    const again: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of batch) {
      const { row } = w.request;
      // A key used twice in one batch: the later use waits for the first to be stored, then is answered as a replay.
      const key = row.input.submissionKey ? `${row.survey.id}\u0001${row.input.submissionKey}` : undefined;
      if (key && keys.has(key)) {
        again.push(w);
        continue;
      }
      if (key) keys.add(key);
      ready.push(w);
    }
    await analyze(tenantId, ready);

    // Customers named by the client are checked (and a merged id followed), and their open invitations answered, by the same statement.
    let written = new Map<string, WrittenResponse>();
    if (ready.length) {
      try {
        written = await insertResponses(
          pool,
          tenantId,
          ready.map((w) => w.request.row),
        );
      } catch (err) {
        // One row the database refuses must fail only its own request: write them one by one.
        log.warn({ err: (err as Error).message, size: ready.length }, 'response batch failed; writing its responses one by one');
        const alone = await Promise.all(
          ready.map(async (w) => {
            try {
              return await insertResponses(pool, tenantId, [w.request.row]);
            } catch (e) {
              w.reject(e);
              return undefined;
            }
          }),
        );
        written = new Map(alone.flatMap((m) => (m ? [...m] : [])));
        ready = ready.filter((_w, i) => alone[i] !== undefined);
      }
    }

    const messages: BusMessage[] = [];
    const analyzed: BusMessage[] = [];
    for (const w of ready) {
      const r = w.request;
      const d = written.get(r.row.id);
      if (!d) {
        again.push(w);
        continue;
      }
      if (d.customerId !== r.stored.customerId) r.stored = { ...r.stored, customerId: d.customerId };
      // Answering the customer's invitation, the response is where that invitation was sent and why.
      if (d.invitationId) r.stored = { ...r.stored, channel: d.channel, touchpoint: d.touchpoint, journeyStage: d.journeyStage, trigger: d.trigger };
      w.resolve(r.stored);
      if (r.stored.status !== 'complete') continue;
      messages.push({ type: 'feedback.response.submitted', tenantId, payload: submittedPayload(r.stored) });
      if (r.row.analysis) analyzed.push({ type: 'feedback.response.analyzed', tenantId, payload: analyzedPayload(r.stored, r.row.analysis) });
    }
    // Published together, so a subscriber of both sees a response and its reading in one call.
    if (messages.length) bus.publish([...messages, ...analyzed]);

    // Not written: a stored key (a replay, or later answers to a partial response) or a customer that is not there.
    for (const w of again) {
      try {
        w.resolve(await deps.submitOne(tenantId, w.request.row));
      } catch (err) {
        w.reject(err);
      }
    }
  }

  /** Complete open answers are read by the text module before they are written, so the row is written once. */
  async function analyze(tenantId: string, batch: Waiting[]) {
    const analyzer = deps.analyzer();
    if (!analyzer) return;
    for (const w of batch) {
      const r = w.request.row;
      if (r.status !== 'complete' || !r.openText) continue;
      try {
        const a = await analyzer(r.openText, r.input.language ?? null, tenantId);
        const topics = cleanTopics(a.topics);
        r.analysis = { sentiment: a.sentiment, topics, topicSentiments: cleanTopicSentiments(a.topicSentiments, topics) };
      } catch (err) {
        // Left unprocessed: the re-processing job reads it later.
        log.warn({ err: (err as Error).message }, 'text analysis failed; left for re-processing');
      }
    }
  }

  return { enqueue };
}
