// Responses submitted together are written by one statement (with their sums and timeline items), and the modules listening on the bus
// (loop, inbox, outreach) do their work for the whole batch: each request still gets its own answer,
// and the effects are those of the same responses submitted one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { databases, startTestApp, createTestTenant, type TestTenant, npsSurvey } from './helpers.js';
import type { Rapport } from '../src/app.js';
import type { AppError } from '../src/platform/errors.js';
import type { Answers } from '../src/modules/feedback/contract.js';

describe.each(databases)('response batches on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  let surveyId: string;
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    for (const rule of [
      { position: 10, match: { keywords: ['超时'] }, team: 'it' },
      { position: 30, match: { topics: ['price'] }, team: 'product' },
    ])
      expect((await call('POST', '/v1/case-routing-rules', rule)).statusCode).toBe(201);
    const s = await call('POST', '/v1/surveys', npsSurvey('Batch', { touchpoint: 'app' }));
    expect(s.statusCode, s.body).toBe(201);
    surveyId = s.json().id;
  });
  afterAll(async () => r?.close());

  const call = (method: 'GET' | 'POST', path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({ method, url: path, headers: { ...t.headers, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  async function customer() {
    const res = await call('POST', '/v1/customers', { identities: { email: `c${Math.random().toString(36).slice(2)}@example.com` } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  /** Service calls started in one tick all join the same batch. */
  const submit = (customerId: string | undefined, answers: Record<string, unknown>, extra: { submissionKey?: string; isPartial?: boolean; at?: Date } = {}) =>
    r.feedback.submitResponse(t.tenantId, {
      surveyId,
      customerId,
      answers: answers as Answers,
      isPartial: extra.isPartial ?? false,
      submissionKey: extra.submissionKey,
      touchpoint: 'app',
      channel: 'web',
      trigger: 'api',
      at: extra.at,
    });

  /** Counts the statements that write responses while fn runs. */
  async function countResponseInserts(fn: () => Promise<unknown>) {
    const original = pg.Client.prototype.query;
    let n = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string };
      if (/INSERT INTO survey_responses/.test(typeof q === 'string' ? q : (q?.text ?? ''))) n++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      await fn();
    } finally {
      pg.Client.prototype.query = original;
    }
    return n;
  }

  it('answers each submission of a batch on its own: bad ones get their problem, good ones are stored in one write', async () => {
    const [a, b, c] = [await customer(), await customer(), await customer()];
    const res = await Promise.all([
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: a, answers: { nps: 9 } }),
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: b, answers: { nps: 11 } }),
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: 'cus_nobody0000000000', answers: { nps: 5 } }),
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: b, answers: { nps: 3 } }),
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: c, answers: { nps: 10, why: 'great' } }),
      // Passes validation but the database cannot store it: only this one fails, the batch is written again without it.
      call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: c, answers: { nps: 4 }, touchpoint: 'app\u0000store' }),
    ]);
    expect(res.map((x) => x.statusCode)).toEqual([201, 422, 404, 201, 201, 422]);
    expect(res[5].json()).toMatchObject({ code: 'UNSTORABLE_VALUE' });
    expect(res[1].headers['content-type']).toContain('application/problem+json');
    expect(res[1].json()).toMatchObject({ code: 'SURVEY_INVALID_ANSWERS', errors: [{ field: 'answers.nps', message: 'must be a whole number from 0 to 10' }] });
    expect(res[2].headers['content-type']).toContain('application/problem+json');
    expect(res[2].json()).toMatchObject({ code: 'SURVEY_NOT_FOUND', errors: [{ field: 'customer_id', message: 'names no customer' }] });
    const stored = await Promise.all([a, b, c].map((id) => r.feedback.listResponses(t.tenantId, { customerId: id, limit: 10 }).then((p) => p.data)));
    expect(stored.map((s) => s.map((x) => x.score))).toEqual([[9], [3], [10]]);
    expect(
      stored
        .flat()
        .map((s) => s.id)
        .sort(),
    ).toEqual([res[0], res[3], res[4]].map((x) => x.json().id).sort());

    // Submissions of one tick: one statement writes every good one, the unknown customer fails alone.
    const [d, e] = [await customer(), await customer()];
    let outcomes: PromiseSettledResult<{ id: string; customerId: string | null }>[] = [];
    const inserts = await countResponseInserts(async () => {
      outcomes = await Promise.allSettled([submit(d, { nps: 1 }), submit('cus_nobody0000000000', { nps: 8 }), submit(e, { nps: 7 }), submit(d, { nps: 6 })]);
    });
    expect(inserts).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ status: 404, code: 'SURVEY_NOT_FOUND' });
    const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
    for (const id of ids) expect(await r.feedback.getResponse(t.tenantId, id)).toMatchObject({ status: 'complete', survey_id: surveyId });
    expect((await r.feedback.listResponses(t.tenantId, { customerId: d, limit: 10 }).then((p) => p.data)).map((x) => x.score).sort()).toEqual([1, 6]);
    await r.bus.drain();
  });

  it('stores a submission key used twice in one batch once, and answers the second use as a replay', async () => {
    const a = await customer();
    const outcomes = await Promise.allSettled([
      submit(a, { nps: 4 }, { submissionKey: 'batch-key-1' }),
      submit(a, { nps: 4 }, { submissionKey: 'batch-key-1' }),
      submit(a, { nps: 4 }, { submissionKey: 'batch-key-1' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const first = (outcomes[0] as PromiseFulfilledResult<{ id: string; status: string }>).value;
    expect(first.status).toBe('complete');
    for (const o of outcomes.slice(1))
      expect((o as PromiseRejectedResult).reason as AppError).toMatchObject({ status: 409, code: 'SURVEY_ALREADY_ANSWERED', extra: { response_id: first.id } });
    // The same replay later, over HTTP, gets the same answer.
    const later = await call('POST', '/v1/survey-responses', { survey_id: surveyId, customer_id: a, answers: { nps: 4 }, submission_key: 'batch-key-1' });
    expect(later.statusCode).toBe(409);
    expect(later.json()).toMatchObject({ code: 'SURVEY_ALREADY_ANSWERED', response_id: first.id });
    const stored = (await r.feedback.listResponses(t.tenantId, { customerId: a, limit: 10 })).data;
    expect(stored.map((s) => s.id)).toEqual([first.id]);

    // A partial answer and its completion under one key in one batch: one response, completed.
    const b = await customer();
    const [partial, whole] = await Promise.all([
      submit(b, { why: 'slow' }, { submissionKey: 'batch-key-2', isPartial: true }),
      submit(b, { nps: 8 }, { submissionKey: 'batch-key-2' }),
    ]);
    expect(partial).toMatchObject({ status: 'partial', missing: ['nps'] });
    expect(whole).toMatchObject({ id: partial.id, status: 'complete' });
    expect(await r.feedback.getResponse(t.tenantId, partial.id)).toMatchObject({ status: 'complete', answers: { nps: 8, why: 'slow' }, score: 8 });

    // With an Idempotency-Key, a retry after the answer gets the same answer and stores nothing.
    const c = await customer();
    const body = { survey_id: surveyId, customer_id: c, answers: { nps: 10 } };
    const once = await call('POST', '/v1/survey-responses', body, { 'idempotency-key': 'batch-idem-1' });
    const again = await call('POST', '/v1/survey-responses', body, { 'idempotency-key': 'batch-idem-1' });
    expect([once.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(once.json());
    expect(await r.feedback.listResponses(t.tenantId, { customerId: c, limit: 10 }).then((p) => p.data)).toHaveLength(1);
    await r.bus.drain();
  });

  it('gives the loop, the inbox and outreach the same effects for a batch as for the same responses one by one', async () => {
    const script: [number, Record<string, unknown>][] = [
      [0, { nps: 2, why: '应用总是超时' }], // detractor, routed by keyword
      [1, { nps: 3, why: '价格太贵了，很失望' }], // detractor, routed by the topic the text analysis finds
      [2, { nps: 8, why: 'The price is too high and I am very disappointed' }], // passive with negative text
      [3, { nps: 10 }], // promoter: no case
      [0, { nps: 9 }], // the first customer again: their last feedback
    ];
    async function effects(customers: string[], responseIds: string[]) {
      const cases = [];
      for (const c of customers)
        cases.push(
          ((await call('GET', `/v1/cases?customer_id=${c}`)).json().data as Record<string, unknown>[]).map((x) => ({
            type: x.type,
            team: x.team_id,
            topics: x.topics,
            priority: x.priority,
            source: responseIds.indexOf(x.source_id as string),
          })),
        );
      // What the inbox's agent context shows of each customer: open case types and the last feedback.
      const signals = [];
      for (const c of customers) {
        const last = await r.feedback.lastFeedbackOf(t.tenantId, c);
        signals.push({
          open: (await r.loop.openCasesOf(t.tenantId, c)).map((o) => o.type).sort(),
          last: last && responseIds.indexOf(last.response_id),
          score: last?.score,
        });
      }
      const { rows: scores } = await r.db.pool.query(
        'SELECT response_id, score FROM outreach_feedback_scores WHERE tenant_id = $1 AND response_id = ANY($2::text[]) ORDER BY score',
        [t.tenantId, responseIds],
      );
      const timeline = [];
      for (const c of customers)
        timeline.push(((await call('GET', `/v1/customers/${c}/timeline`)).json().data as { type: string }[]).map((e) => e.type).sort());
      return { cases, signals, scores: scores.map((s) => [responseIds.indexOf(s.response_id), Number(s.score)]), timeline };
    }

    const batchCustomers = [await customer(), await customer(), await customer(), await customer()];
    // One batch, each answer a millisecond after the one before it, as people answer: the first customer's
    // second answer is their last feedback.
    const start = r.clock.now().getTime();
    const batch = await Promise.all(script.map(([c, answers], i) => submit(batchCustomers[c], answers, { at: new Date(start + i) })));
    await r.bus.drain();
    const oneByOneCustomers = [await customer(), await customer(), await customer(), await customer()];
    const oneByOne = [];
    for (const [c, answers] of script) {
      oneByOne.push(await submit(oneByOneCustomers[c], answers));
      await r.bus.drain();
    }

    const fromBatch = await effects(
      batchCustomers,
      batch.map((x) => x.id),
    );
    expect(fromBatch.cases).toEqual([
      [{ type: 'detractor', team: 'it', topics: [], priority: 'normal', source: 0 }],
      [{ type: 'detractor', team: 'product', topics: ['price'], priority: 'normal', source: 1 }],
      [{ type: 'negative_text', team: 'product', topics: ['price'], priority: 'normal', source: 2 }],
      [],
    ]);
    expect(fromBatch.signals).toEqual([
      { open: ['detractor'], last: 4, score: 9 },
      { open: ['detractor'], last: 1, score: 3 },
      { open: ['negative_text'], last: 2, score: 8 },
      { open: [], last: 3, score: 10 },
    ]);
    expect(fromBatch.scores).toEqual([
      [0, 2],
      [1, 3],
      [2, 8],
      [4, 9],
      [3, 10],
    ]);
    expect(fromBatch.timeline[0]).toEqual(['case.opened', 'customer.created', 'survey.response', 'survey.response']);
    expect(
      await effects(
        oneByOneCustomers,
        oneByOne.map((x) => x.id),
      ),
    ).toEqual(fromBatch);
  });

  it("applies text readings that come later, a batch at a time: topics and team to the response's case, or a case for negative text", async () => {
    const [a, b, c] = [await customer(), await customer(), await customer()];
    // No open text here, so nothing is read at submission: the readings come later (re-processing).
    const [routed, unrouted, passive] = await Promise.all([submit(a, { nps: 1 }), submit(b, { nps: 2 }), submit(c, { nps: 8 })]);
    await r.bus.drain();
    const caseOf = async (customerId: string) =>
      (await call('GET', `/v1/cases?customer_id=${customerId}`)).json().data as { type: string; team_id: string | null; topics: string[] }[];
    await r.loop.createRouting(t.tenantId, { position: 5, match: { case_types: ['detractor'], touchpoints: ['app'], topics: ['wait'] }, team: 'service' });
    expect((await caseOf(a)).map((x) => [x.type, x.team_id, x.topics])).toEqual([['detractor', null, []]]);
    r.bus.publish([
      {
        type: 'feedback.response.analyzed',
        tenantId: t.tenantId,
        payload: { responseId: routed.id, surveyId, customerId: a, kind: 'nps', score: 1, touchpoint: 'app', sentiment: 'negative', topics: ['wait'] },
      },
      {
        type: 'feedback.response.analyzed',
        tenantId: t.tenantId,
        payload: { responseId: unrouted.id, surveyId, customerId: b, kind: 'nps', score: 2, touchpoint: 'app', sentiment: 'neutral', topics: ['delivery'] },
      },
      {
        type: 'feedback.response.analyzed',
        tenantId: t.tenantId,
        payload: {
          responseId: passive.id,
          surveyId,
          customerId: c,
          kind: 'nps',
          score: 8,
          touchpoint: 'app',
          text: 'too slow',
          sentiment: 'negative',
          topics: ['price'],
        },
      },
    ]);
    await r.bus.drain();
    expect((await caseOf(a)).map((x) => [x.type, x.team_id, x.topics])).toEqual([['detractor', 'service', ['wait']]]);
    expect((await caseOf(b)).map((x) => [x.type, x.team_id, x.topics])).toEqual([['detractor', null, ['delivery']]]);
    expect((await caseOf(c)).map((x) => [x.type, x.team_id, x.topics])).toEqual([['negative_text', 'product', ['price']]]);
  });
});
