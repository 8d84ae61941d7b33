// The text service over HTTP: a batch in, one analysis per text out, in order; bad batches named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

describe.each(databases)('POST /v1/text/analyze on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { jobs: false });
    t = await createTestTenant(r);
  });
  afterAll(async () => {
    await r?.close();
  });

  const analyze = (payload: object, headers = t.headers) => r.app.inject({ method: 'POST', url: '/v1/text/analyze', headers, payload });

  it('answers language, sentiment, topics with their own polarity and keywords for each text, in order', async () => {
    const res = await analyze({ texts: ['空姐服务很热情，但是航班延误了三个小时', 'The refund took ages and the agent was rude', '行李'] });
    expect(res.statusCode, res.body).toBe(200);
    const [zh, en, short] = res.json().results;
    expect(zh).toMatchObject({ index: 0, language: 'zh', script: 'simplified' });
    const topic = (x: any, key: string) => x.topics.find((y: any) => y.topic === key);
    expect(topic(zh, 'service_attitude')).toMatchObject({ name: '服务态度', sentiment: 'positive' });
    expect(topic(zh, 'waiting_time')).toMatchObject({ name: '等待时间', sentiment: 'negative' });
    expect(zh.keywords.map((k: any) => k.term)).toContain('延误');
    expect(en).toMatchObject({ index: 1, language: 'en', sentiment: { label: 'negative' } });
    expect(en.topics.map((x: any) => x.topic)).toEqual(expect.arrayContaining(['refund', 'service_attitude']));
    expect(topic(en, 'refund').name).toBe('Refund');
    expect(short).toMatchObject({ index: 2, language: 'zh', topics: [] });
  });

  it('takes 1,000 texts and refuses 1,001 or a text that is not a string, naming the field', async () => {
    const ok = await analyze({ texts: Array.from({ length: 1000 }, (_, i) => (i % 2 ? '很满意' : 'great flight')) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results).toHaveLength(1000);
    expect(ok.json().results[999]).toMatchObject({ index: 999, sentiment: { label: 'positive' } });
    const tooMany = await analyze({ texts: Array.from({ length: 1001 }, () => 'x') });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors.map((e: any) => e.field)).toEqual(['texts']);
    const bad = await analyze({ texts: ['fine', 42] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(['texts.1']);
  });

  it('answers only a signed-in caller', async () => {
    const res = await analyze({ texts: ['hello'] }, {});
    expect(res.statusCode).toBe(401);
  });
});
