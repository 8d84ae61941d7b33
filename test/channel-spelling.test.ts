// The web chat channel has one stored and returned spelling, "webchat" (the inbox's channel kind).
// Clients written against the old "web_chat" keep working: it is read as "webchat" on input. Values
// stored under the old spelling before migration 0043 are rewritten by it, sums merged.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant, type TestApp } from './helpers.js';

const MIGRATION = readFileSync(new URL('../migrations/0043_one-channel-spelling-and-published-views.sql', import.meta.url), 'utf8');

describe.each(databases)('web chat channel spelling on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let customerId: string;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown) => {
    const res = await r.app.inject({ method, url: path, headers: t.headers, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    customerId = (await call('POST', '/v1/customers', { given_name: 'Mei', identities: { email: `mei.${Date.now()}@example.com` } })).body.id;
  });
  afterAll(async () => {
    await r?.close();
  });

  it('reads web_chat in preferences and consent as webchat and returns webchat', async () => {
    const put = await call('PUT', `/v1/customers/${customerId}/preferences`, { channels: ['web_chat', 'email'] });
    expect(put.status).toBe(200);
    expect(put.body.preferences.channels).toEqual(['webchat', 'email']);
    expect((await call('PATCH', `/v1/customers/${customerId}/preferences`, { channels: ['email', 'webchat'] })).body.preferences.channels).toEqual([
      'email',
      'webchat',
    ]);
    // Both spellings of one channel are one channel named twice.
    const twice = await call('PUT', `/v1/customers/${customerId}/preferences`, { channels: ['web_chat', 'webchat'] });
    expect(twice.status).toBe(422);
    expect(twice.body.errors[0].field).toMatch(/^channels/);

    expect(
      (await call('POST', `/v1/customers/${customerId}/consent`, { channel: 'web_chat', purpose: 'service', status: 'granted', source: 'api' })).status,
    ).toBe(201);
    const consent = (await call('GET', `/v1/customers/${customerId}`)).body.consent;
    expect(consent.map((c: { channel: string }) => c.channel)).toEqual(['webchat']);
    const stored = await r.db.pool.query('SELECT channel FROM consent_records WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, customerId]);
    expect(stored.rows).toEqual([{ channel: 'webchat' }]);
  });

  it('refuses a channel it does not know, naming the field', async () => {
    const res = await call('POST', `/v1/customers/${customerId}/consent`, { channel: 'fax', purpose: 'service', status: 'granted', source: 'api' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['channel']);
  });

  it('stores a survey answer sent on web_chat as webchat', async () => {
    const survey = (
      await call('POST', '/v1/surveys', {
        name: 'Chat',
        kind: 'csat',
        channel: 'web_chat',
        definition: { title: { en: 'How was the chat?' }, questions: [{ key: 'score', type: 'csat', required: true, text: { en: 'How was it?' } }] },
      })
    ).body;
    expect(survey.channel).toBe('webchat');
    const sent = await call('POST', '/v1/survey-responses', { survey_id: survey.id, customer_id: customerId, answers: { score: 5 }, channel: 'web_chat' });
    expect(sent.status).toBe(201);
    const [response] = (await call('GET', `/v1/survey-responses?survey_id=${survey.id}`)).body.data;
    expect(response.channel).toBe('webchat');
  });

  it('migration 0043 rewrites the old spelling where it was stored and merges roll-up sums', async () => {
    const db = r.db.pool;
    const other = (await call('POST', '/v1/customers', { given_name: 'Old', identities: { email: `old.${Date.now()}@example.com` } })).body.id;
    // Rows as an older version wrote them.
    await db.query(
      `INSERT INTO customer_preferences (tenant_id, customer_id, channels) VALUES ($1, $2, ARRAY['sms','web_chat'])
      ON CONFLICT (tenant_id, customer_id) DO UPDATE SET channels = excluded.channels`,
      [t.tenantId, other],
    );
    await db.query(
      `INSERT INTO consent_records (tenant_id, customer_id, channel, purpose, status, source) VALUES ($1, $2, 'web_chat', 'marketing', 'granted', 'api')`,
      [t.tenantId, other],
    );
    await db.query(`UPDATE survey_responses SET channel = 'web_chat' WHERE tenant_id = $1`, [t.tenantId]);
    await db.query(
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      VALUES ($1, 'feedback:old', 'survey.response', now(), $2, 'feedback', '{"channel":"web_chat","score":4}')`,
      [t.tenantId, other],
    );
    // The same roll-up key under both spellings: the sums add up.
    const key = [t.tenantId, 'csat', '2026-01-05', 'srv_old', 'chat'];
    await db.query(
      `INSERT INTO feedback_rollups (tenant_id, kind, day, survey_id, touchpoint, channel, journey_stage, n, satisfied, sum, sum_squares)
      VALUES ($1,$2,$3,$4,$5,'web_chat','',3,2,12,50), ($1,$2,$3,$4,$5,'webchat','',1,1,5,25), ($1,$2,'2026-01-06',$4,$5,'web_chat','',2,0,4,8)`,
      key,
    );
    await db.query(
      `INSERT INTO analytics_refreshes (tenant_id, refreshed_at, as_of, seconds, watermarks) VALUES ($1, now(), now(), 1, '{"all":"2026-01-01T00:00:00Z"}')
      ON CONFLICT (tenant_id) DO UPDATE SET watermarks = excluded.watermarks`,
      [t.tenantId],
    );

    for (const statement of MIGRATION.split('--> statement-breakpoint')) await db.query(statement);

    expect(
      (await db.query('SELECT channels FROM customer_preferences WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, other])).rows[0].channels,
    ).toEqual(['sms', 'webchat']);
    expect((await db.query('SELECT channel FROM consent_records WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, other])).rows).toEqual([
      { channel: 'webchat' },
    ]);
    expect((await db.query('SELECT DISTINCT channel FROM survey_responses WHERE tenant_id = $1', [t.tenantId])).rows).toEqual([{ channel: 'webchat' }]);
    expect((await db.query(`SELECT properties FROM customer_events WHERE tenant_id = $1 AND id = 'feedback:old'`, [t.tenantId])).rows[0].properties).toEqual({
      channel: 'webchat',
      score: 4,
    });
    const sums = await db.query(
      `SELECT day::text, channel, n, satisfied, sum::int, sum_squares::int FROM feedback_rollups WHERE tenant_id = $1 AND survey_id = 'srv_old' ORDER BY day`,
      [t.tenantId],
    );
    expect(sums.rows).toEqual([
      { day: '2026-01-05', channel: 'webchat', n: 4, satisfied: 3, sum: 17, sum_squares: 75 },
      { day: '2026-01-06', channel: 'webchat', n: 2, satisfied: 0, sum: 4, sum_squares: 8 },
    ]);
    // The roll-ups keyed by channel are rebuilt whole by the next refresh.
    expect((await db.query('SELECT watermarks FROM analytics_refreshes WHERE tenant_id = $1', [t.tenantId])).rows[0].watermarks).toEqual({});
    // The API still answers the rewritten values.
    expect((await call('GET', `/v1/customers/${other}`)).body.preferences.channels).toEqual(['sms', 'webchat']);
  });
});
