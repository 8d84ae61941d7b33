// Topic corrections made through the console's routes are stored by the text module, train the
// tenant's topic model, and that model then tags the tenant's new texts (and no other tenant's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant, npsSurvey } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';

const CORRECTED = '说好的回电一直没有回';
const SIMILAR = '说好给我回电的，一直没有消息';

describe.each(databases)('topic corrections on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let other: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock: createTestClock('2026-03-10T09:00:00Z'), jobs: false });
    t = await createTestTenant(r);
    other = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
  });

  const call = (who: TestTenant, method: 'GET' | 'POST', path: string, payload?: unknown) =>
    r.app.inject({ method, url: path, headers: who.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const surveys = new Map<string, string>();
  async function respond(who: TestTenant, why: string) {
    if (!surveys.has(who.tenantId)) {
      const s = await call(who, 'POST', '/v1/surveys', npsSurvey('After'));
      expect(s.statusCode, s.body).toBe(201);
      surveys.set(who.tenantId, s.json().id);
    }
    const res = await call(who, 'POST', '/v1/survey-responses', { survey_id: surveys.get(who.tenantId), answers: { nps: 3, why } });
    expect(res.statusCode, res.body).toBe(201);
    await r.bus.drain();
    return (await call(who, 'GET', `/v1/survey-responses/${res.json().id}`)).json() as {
      id: string;
      topics: string[];
      topic_sentiments: Record<string, string>;
    };
  }

  it('learns from corrections that a similar unseen text is about the corrected topic, for this tenant only', async () => {
    const before = await respond(t, SIMILAR);
    expect(before.topics).not.toContain('callback');
    // Five agents each correct a response with the same words: about callbacks, not about service attitude (the keyword 回电 said so).
    for (let i = 0; i < 5; i++) {
      const resp = await respond(t, CORRECTED);
      expect(resp.topics).toContain('service_attitude');
      const fixed = await call(t, 'POST', `/v1/survey-responses/${resp.id}/topics`, { add: ['callback'], remove: ['service_attitude'] });
      expect(fixed.statusCode, fixed.body).toBe(200);
      expect(fixed.json().topics).toContain('callback');
      expect(fixed.json().topics).not.toContain('service_attitude');
      // A topic a person adds takes the answer's sentiment.
      expect(fixed.json().topic_sentiments).toMatchObject({ callback: 'negative' });
      expect(fixed.json().topic_sentiments.service_attitude).toBeUndefined();
    }
    await r.bus.drain();
    const { rows } = await r.db.pool.query(`SELECT topic, label, count(*)::int AS n FROM topic_corrections WHERE tenant_id = $1 GROUP BY 1, 2 ORDER BY 1`, [
      t.tenantId,
    ]);
    expect(rows).toEqual([
      { topic: 'callback', label: true, n: 5 },
      { topic: 'service_attitude', label: false, n: 5 },
    ]);

    await r.text.retrainTopicModel(t.tenantId);
    const similar = await respond(t, SIMILAR);
    expect(similar.topics).toContain('callback');
    expect(similar.topic_sentiments.callback).toBe('negative');
    // The exact text corrected: the people's word wins over the keyword.
    const exact = await respond(t, CORRECTED);
    expect(exact.topics).toContain('callback');
    expect(exact.topics).not.toContain('service_attitude');
    // Unrelated words are not pulled in, and another tenant's texts are not touched by this tenant's model.
    expect((await respond(t, '菜很好吃，环境也不错')).topics).not.toContain('callback');
    expect((await respond(other, SIMILAR)).topics).not.toContain('callback');
  });

  it("tags the tenant's mentions with its model too, and takes a correction of a mention's topics", async () => {
    const imported = await call(t, 'POST', '/v1/listening/mentions', {
      mentions: [{ channel: 'weibo', text: '客服说好的回电，到现在都没有回', published_at: '2026-03-09T10:00:00Z' }],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const id = imported.json().results[0].id as string;
    // Listening reads mentions through the same analysis, with the model the test above trained.
    const stored = (await call(t, 'GET', `/v1/listening/mentions/${id}`)).json();
    expect(stored.topics).toContainEqual({ topic: 'callback', terms: [], sentiment: 'negative', score: expect.any(Number) });
    expect(stored.topics.map((x: { topic: string }) => x.topic)).toContain('service_attitude');
    const fixed = await call(t, 'POST', `/v1/listening/mentions/${id}/topics`, { remove: ['service_attitude'], add: ['callback'] });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().topics.map((x: { topic: string }) => x.topic)).toEqual(['callback']);
    await r.bus.drain();
    const { rows } = await r.db.pool.query(
      `SELECT topic, label FROM topic_corrections WHERE tenant_id = $1 AND source_type = 'mention' AND source_id = $2 ORDER BY topic`,
      [t.tenantId, id],
    );
    expect(rows).toEqual([
      { topic: 'callback', label: true },
      { topic: 'service_attitude', label: false },
    ]);
    // Another tenant cannot correct it: to them it does not exist.
    expect((await call(other, 'POST', `/v1/listening/mentions/${id}/topics`, { add: ['callback'] })).statusCode).toBe(404);
  });

  it("drops a customer's corrections when the customer is erased, and trains the model again without their words", async () => {
    const c = await call(t, 'POST', '/v1/customers', { identities: { email: 'erase-me@example.com' } });
    const s = await call(t, 'POST', '/v1/surveys', npsSurvey('Erase'));
    const res = await call(t, 'POST', '/v1/survey-responses', {
      survey_id: s.json().id,
      customer_id: c.json().id,
      answers: { nps: 1, why: '会员卡积分莫名其妙清零了' },
    });
    await r.bus.drain();
    expect((await call(t, 'POST', `/v1/survey-responses/${res.json().id}/topics`, { add: ['points'] })).statusCode).toBe(200);
    await r.bus.drain();
    const count = async () =>
      (await r.db.pool.query(`SELECT count(*)::int AS n FROM topic_corrections WHERE tenant_id = $1 AND text LIKE '%积分%'`, [t.tenantId])).rows[0].n;
    expect(await count()).toBe(1);
    await r.text.retrainTopicModel(t.tenantId);
    const model = async () => JSON.stringify((await r.db.pool.query('SELECT model FROM topic_models WHERE tenant_id = $1', [t.tenantId])).rows[0].model);
    expect(await model()).toContain('积分');
    expect((await call(t, 'POST', `/v1/customers/${c.json().id}/erase`)).statusCode).toBe(200);
    expect(await count()).toBe(0);
    expect((await r.db.pool.query('SELECT 1 FROM topic_models WHERE tenant_id = $1', [t.tenantId])).rows).toEqual([]);
    await r.text.retrainTopicModel(t.tenantId);
    expect(await model()).not.toContain('积分');
  });

  it('refuses a correction that names no topic, or a topic both added and removed, naming the field', async () => {
    const resp = await respond(t, '物流太慢了');
    const none = await call(t, 'POST', `/v1/survey-responses/${resp.id}/topics`, {});
    expect(none.statusCode).toBe(422);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json().errors.map((e: { field: string }) => e.field)).toContain('add');
    const both = await call(t, 'POST', `/v1/survey-responses/${resp.id}/topics`, { add: ['delivery'], remove: ['delivery'] });
    expect(both.statusCode).toBe(422);
    expect(both.json().errors.map((e: { field: string }) => e.field)).toContain('remove');
    expect((await call(t, 'POST', '/v1/survey-responses/rsp_missing/topics', { add: ['delivery'] })).statusCode).toBe(404);
  });
});
