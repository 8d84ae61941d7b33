// Group commit for responses: the ones arriving while a write is under way are checked on their own
// (each bad one gets its own problem), then written together in one transaction, and each request is
// answered once that transaction committed, so nothing is acknowledged before it is durable. On a busy
// database the commit, not the insert, is what a response waits for; one commit for many also lets the
// modules listening on the bus do their work for the whole batch at once.
import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '../../platform/db.js';
import type { EventBus, BusMessage } from '../../platform/bus.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { insertResponses, type PreparedResponse, type StoredResponse } from './submit-response.js';
import { surveyNotFound } from './errors.js';
import type { TextAnalyzer, ResponseSubmitted } from './feedback-service.js';

/** A batch is written when the one before it is done; at most this many are in flight per tenant. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 500;

interface Waiting {
  row: PreparedResponse;
  stored: StoredResponse;
  /** The customer id as the client gave it: checked (and a merged id followed) for the whole batch at once. */
  checkCustomer: boolean;
  resolve(r: StoredResponse): void;
  reject(err: unknown): void;
}

export interface ResponseBatcherDeps {
  pool: pg.Pool;
  bus: EventBus;
  customers: CustomersService;
  events: EventsService;
  log: Logger;
  analyzer: () => TextAnalyzer | undefined;
  /**
   * The one-by-one path, for a response whose submission key is already stored (or used twice in one
   * batch): it merges partial answers, or refuses a second completion with the first response's id.
   */
  submitOne: (tenantId: string, row: PreparedResponse) => Promise<StoredResponse>;
}

export function submittedPayload(r: StoredResponse): ResponseSubmitted {
  return {
    responseId: r.id, surveyId: r.surveyId, customerId: r.customerId, kind: r.kind, score: r.score, surveyVersion: r.surveyVersion,
    ...(r.openText ? { text: r.openText } : {}), ...(r.touchpoint ? { touchpoint: r.touchpoint } : {}), ...(r.channel ? { channel: r.channel } : {}),
    ...(r.journeyStage ? { journeyStage: r.journeyStage } : {}), ...(r.trigger ? { trigger: r.trigger } : {}),
  };
}

export function createResponseBatcher(deps: ResponseBatcherDeps) {
  const { pool, bus, customers, events, log } = deps;
  const tenants = new Map<string, { queue: Waiting[]; inFlight: number; isScheduled: boolean }>();

  function stateOf(tenantId: string) {
    let s = tenants.get(tenantId);
    if (!s) tenants.set(tenantId, (s = { queue: [], inFlight: 0, isScheduled: false }));
    return s;
  }

  function schedule(tenantId: string) {
    const s = stateOf(tenantId);
    if (s.isScheduled || s.inFlight >= MAX_IN_FLIGHT || !s.queue.length) return;
    s.isScheduled = true;
    // Everything that arrives in this turn of the event loop joins the batch.
    setImmediate(() => {
      s.isScheduled = false;
      const batch = s.queue.splice(0, MAX_BATCH);
      s.inFlight++;
      void write(tenantId, batch).finally(() => {
        s.inFlight--;
        if (!s.queue.length && !s.inFlight) tenants.delete(tenantId);
        else schedule(tenantId);
      });
      schedule(tenantId);
    });
  }

  /** Answers when the response is durable (or with the problem that kept it out). */
  function enqueue(tenantId: string, row: PreparedResponse, stored: StoredResponse, checkCustomer: boolean): Promise<StoredResponse> {
    return new Promise((resolve, reject) => {
      stateOf(tenantId).queue.push({ row, stored, checkCustomer, resolve, reject });
      schedule(tenantId);
    });
  }

  async function write(tenantId: string, batch: Waiting[]) {
    try {
      // Customers named by the client, all in one read; an unknown or erased one fails only its request.
      const named = batch.filter((w) => w.checkCustomer && w.row.input.customerId);
      const found = named.length ? await customers.findCustomerIds(tenantId, named.map((w) => w.row.input.customerId!)) : new Map();
      let ready: Waiting[] = [];
      const again: Waiting[] = [];
      const keys = new Set<string>();
      for (const w of batch) {
        if (w.checkCustomer && w.row.input.customerId) {
          const c = found.get(w.row.input.customerId);
          if (!c || c.status !== 'active') {
            w.reject(surveyNotFound('No such customer', [{ field: 'customer_id', message: 'names no customer' }]));
            continue;
          }
          w.row.input = { ...w.row.input, customerId: c.id };
          w.stored = { ...w.stored, customerId: c.id };
        }
        // A key used twice in one batch: the later use waits for the first to be stored, then is answered as a replay.
        const key = w.row.input.submissionKey ? `${w.row.survey.id}\u0001${w.row.input.submissionKey}` : undefined;
        if (key && keys.has(key)) { again.push(w); continue; }
        if (key) keys.add(key);
        ready.push(w);
      }
      await analyze(ready);

      let written = new Set<string>();
      if (ready.length) {
        try {
          written = await withTransaction(pool, (tx) => insertResponses(tx, tenantId, ready.map((w) => w.row), (t, entries) => events.append(t, tenantId, entries)));
        } catch (err) {
          // One row the database refuses must fail only its own request: write them one by one.
          log.warn({ err: (err as Error).message, size: ready.length }, 'response batch failed; writing its responses one by one');
          const alone = await Promise.all(ready.map(async (w) => {
            try {
              return (await withTransaction(pool, (tx) => insertResponses(tx, tenantId, [w.row], (t, entries) => events.append(t, tenantId, entries)))).has(w.row.id);
            } catch (e) {
              w.reject(e);
              return undefined;
            }
          }));
          written = new Set(ready.filter((w, i) => alone[i]).map((w) => w.row.id));
          ready = ready.filter((w, i) => alone[i] !== undefined);
        }
      }

      const messages: BusMessage[] = [];
      const analyzed: BusMessage[] = [];
      for (const w of ready) {
        if (!written.has(w.row.id)) { again.push(w); continue; }
        w.resolve(w.stored);
        if (w.stored.status !== 'complete') continue;
        messages.push({ type: 'feedback.response.submitted', tenantId, payload: submittedPayload(w.stored) });
        if (w.row.analysis) {
          const r = w.stored;
          analyzed.push({
            type: 'feedback.response.analyzed', tenantId,
            payload: { responseId: r.id, surveyId: r.surveyId, customerId: r.customerId, kind: r.kind, score: r.score, text: r.openText, touchpoint: r.touchpoint, channel: r.channel, trigger: r.trigger, sentiment: w.row.analysis.sentiment, topics: w.row.analysis.topics },
          });
        }
      }
      // Published together, so a subscriber of both sees a response and its reading in one call.
      if (messages.length) bus.publish([...messages, ...analyzed]);

      for (const w of again) {
        try {
          w.resolve(await deps.submitOne(tenantId, w.row));
        } catch (err) {
          w.reject(err);
        }
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  /** Complete open answers are read by the text module before they are written, so the row is written once. */
  async function analyze(batch: Waiting[]) {
    const analyzer = deps.analyzer();
    if (!analyzer) return;
    for (const w of batch) {
      const r = w.row;
      if (r.status !== 'complete' || !r.openText) continue;
      try {
        const a = await analyzer(r.openText, r.input.language ?? null);
        r.analysis = { sentiment: a.sentiment, topics: [...new Set(a.topics.slice(0, 20).map((t) => t.slice(0, 100)))] };
      } catch (err) {
        // Left unprocessed: the re-processing job reads it later.
        log.warn({ err: (err as Error).message }, 'text analysis failed; left for re-processing');
      }
    }
  }

  return { enqueue };
}
