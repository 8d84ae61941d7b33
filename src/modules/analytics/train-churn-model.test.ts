// The churn model trained in the full refresh, on the embedded and the real PostgreSQL: on customers
// whose leaving depends on their experience alone it must find that, its features must see nothing
// after the cutoff, its risks must be calibrated, and the profile's endpoint must say why a customer
// is at risk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db.js';
import { FEATURES } from './churn-model.js';
import { churnFeatureSql } from './train-churn-model.js';

const NOW = '2026-06-15T12:00:00Z';
const CUTOFF = '2026-03-17T12:00:00.000Z'; // 90 days before NOW

describe.each(databases)('churn model on $name', ({ url }) => {
  let r: TestApp;
  let t: TestTenant;
  let other: TestTenant;
  // The refresh's instant: the test clock's, a moment after NOW.
  let asOf: string;
  // A fixed prefix, not a random one: the model splits customers into fit, calibration and held-out sets
  // by a hash of their id, so random ids drew a different held-out set of ~110 customers each run and the
  // calibration check below failed about one run in twenty (CI once saw a gap of 0.105). Each run has a
  // tenant of its own, so fixed ids never collide.
  const tag = 'churn';
  const api = (tenant: TestTenant, method: 'GET' | 'POST', path: string) => r.app.inject({ method, url: path, headers: tenant.headers });

  beforeAll(async () => {
    r = await startTestApp(url, { clock: createTestClock(NOW), jobs: false });
    t = await createTestTenant(r);
    other = await createTestTenant(r);
    const q = (sql: string) => r.db.pool.query(sql, [t.tenantId]);
    // 600 customers who all bought alike (every 20 days, from a first purchase spread over March to
    // December 2025, so tenure and orders vary as at a real shop); each answered NPS i % 11 in late February. Whether one leaves (no purchase after 2026-03-17) depends on that answer alone:
    // log odds -0.5 - 0.8 x (NPS - 7), drawn with a fixed pseudo-random number per customer.
    const leaves = `((i * 7919) % 997) / 997.0 < 1 / (1 + exp(0.5 + 0.8 * ((i % 11) - 7)))`;
    await q(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, '${tag}_e' || i || '_' || k, 'purchase', ts, '${tag}_' || i, 'api', jsonb_build_object('amount', 50, 'currency', 'CNY', 'order_id', '${tag}_o' || i || '_' || k)
        FROM generate_series(0, 599) i, generate_series(0, 24) k, LATERAL (SELECT timestamptz '2025-03-01' + (i % 300) * interval '1 day' + k * interval '20 days' AS ts) x
       WHERE ts <= CASE WHEN ${leaves} THEN timestamptz '2026-03-17' ELSE timestamptz '${NOW}' END`);
    await q(`INSERT INTO surveys (tenant_id, id, name, kind) VALUES ($1, '${tag}_srv', 'After', 'nps')`);
    await q(`INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      SELECT $1, '${tag}_r' || i, '${tag}_srv', 1, '${tag}_' || i, 'nps', i % 11, 'complete', timestamptz '2026-02-20' + (i % 10) * interval '1 day', 'store', 'email', '{}'
        FROM generate_series(0, 599) i`);
    // Two steady buyers still here at the refresh: a detractor with an open complaint, and a promoter.
    await q(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, '${tag}_' || who || k, 'purchase', timestamptz '2025-12-03' + k * interval '20 days', '${tag}_' || who, 'api', jsonb_build_object('amount', 50, 'currency', 'CNY', 'order_id', '${tag}_' || who || k)
        FROM (VALUES ('detractor'), ('promoter')) w(who), generate_series(0, 9) k`);
    await q(`INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      VALUES ($1, '${tag}_rd', '${tag}_srv', 1, '${tag}_detractor', 'nps', 0, 'complete', '2026-06-01T10:00:00Z', 'store', 'email', '{}'),
             ($1, '${tag}_rp', '${tag}_srv', 1, '${tag}_promoter', 'nps', 10, 'complete', '2026-06-01T10:00:00Z', 'store', 'email', '{}')`);
    const refresh = await api(t, 'POST', '/v1/analytics/refresh?mode=full');
    expect(refresh.statusCode, refresh.body).toBe(200);
    asOf = refresh.json().as_of;
  });
  afterAll(async () => {
    await r?.close();
  });

  it('finds the experience feature that drives leaving and ranks held-out leavers by it', async () => {
    const { model } = (await api(t, 'GET', '/v1/analytics/churn-risk')).json();
    expect(model).toMatchObject({
      status: 'trained',
      version: 3,
      trained_at: asOf,
      label_window_end: asOf,
      training_cutoff: new Date(Date.parse(asOf) - 90 * 86_400_000).toISOString(),
    });
    expect(Date.parse(asOf) - Date.parse(NOW)).toBeLessThan(60_000);
    expect(model.n).toBe(602);
    const nps = model.coefficients.find((c: { feature: string }) => c.feature === 'nps_latest');
    expect(nps.coefficient).toBeLessThan(-0.3);
    const heaviest = [...model.coefficients].sort((a, b) => Math.abs(b.standardised) - Math.abs(a.standardised))[0];
    expect(heaviest.feature).toBe('nps_latest');
    expect(model.auc).toBeGreaterThan(0.75);
  });

  it('calibrates its risks: on held-out customers the mean risk is close to the share who left, and beats guessing the rate', async () => {
    const { model } = (await api(t, 'GET', '/v1/analytics/churn-risk')).json();
    expect(model.holdout_size).toBeGreaterThan(80);
    const observed = model.holdout_observed_rate;
    expect(observed).toBeGreaterThan(0.2);
    expect(Math.abs(model.holdout_predicted_mean - observed)).toBeLessThan(0.1);
    expect(model.brier).toBeLessThan(observed * (1 - observed));
    expect(model.calibration.a).toBeGreaterThan(0);
  });

  it('computes features at the cutoff from what happened before it only', async () => {
    const q = (sql: string, params: unknown[]) => r.db.pool.query(sql, [t.tenantId, ...params]);
    // Twins up to the cutoff: a purchase and a CSAT 3 each. After it, the second buys big, answers NPS
    // 0, complains and writes in: none of that may reach the features, only the label.
    for (const [who, n] of [
      ['twin_a', 1],
      ['twin_b', 2],
    ] as const) {
      await q(
        `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
        VALUES ($1, $2, 'purchase', '2026-03-01T10:00:00Z', $3, 'api', '{"amount": 40}')`,
        [`${tag}_tw${n}`, `${tag}_${who}`],
      );
      await q(
        `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
        VALUES ($1, $2, $3, 1, $4, 'csat', 3, 'complete', '2026-03-02T10:00:00Z', 'store', 'email', '{}')`,
        [`${tag}_twr${n}`, `${tag}_srv`, `${tag}_${who}`],
      );
    }
    const b = `${tag}_twin_b`;
    await q(
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties) VALUES ($1, $2, 'purchase', '2026-03-20T10:00:00Z', $3, 'api', '{"amount": 5000}')`,
      [`${tag}_twl`, b],
    );
    await q(
      `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      VALUES ($1, $2, $3, 1, $4, 'nps', 0, 'complete', '2026-03-18T10:00:00Z', 'store', 'email', '{}')`,
      [`${tag}_twl`, `${tag}_srv`, b],
    );
    await q(
      `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, status, created_at) VALUES ($1, $2, 'complaint', 'manual', $2, $3, 'new', '2026-03-18T10:00:00Z')`,
      [`${tag}_twc`, b],
    );
    await q(
      `INSERT INTO inbox_conversations (tenant_id, id, customer_id, status, reply_token, created_at) VALUES ($1, $2, $3, 'open', $2, '2026-03-19T10:00:00Z')`,
      [`${tag}_twv`, b],
    );
    const rows = await withTransaction(r.db.pool, async (tx) => {
      await tx.query(
        `CREATE TEMP TABLE ap_purchases ON COMMIT DROP AS
        SELECT customer_id, occurred_at, (properties->>'amount')::numeric AS amount FROM customer_events WHERE tenant_id = $1 AND type = 'purchase' AND customer_id = ANY($2)`,
        [t.tenantId, [`${tag}_twin_a`, b]],
      );
      const scope = (col: string) => `${col} IN ('${tag}_twin_a', '${b}')`;
      return (await tx.query(`SELECT * FROM (${churnFeatureSql(scope, true)}) f ORDER BY customer_id`, [t.tenantId, CUTOFF])).rows;
    });
    expect(rows.map((x) => [x.customer_id, x.churned])).toEqual([
      [`${tag}_twin_a`, true],
      [b, false],
    ]);
    expect(rows[1].x).toEqual(rows[0].x);
    const feature = (name: string) => rows[0].x[FEATURES.indexOf(name as (typeof FEATURES)[number])];
    // One order of 40 sixteen and a half days before the cutoff; CSAT 3 with no answer before it; nothing else.
    expect(feature('log_orders')).toBeCloseTo(Math.log(2), 6);
    expect(feature('spend_trend')).toBeCloseTo(Math.log(41), 6);
    expect(feature('months_since_purchase')).toBeCloseTo((16 * 86400 + 2 * 3600) / 2629746, 6);
    expect(feature('csat_latest')).toBe(3);
    expect([feature('nps_latest'), feature('open_complaints'), feature('contacts'), feature('unresolved_conversations')]).toEqual([7, 0, 0, 0]);
    // The thresholds: one order in the year is a thin year; the rest are off (CSAT 3 is not dissatisfied,
    // and the twin's NPS 0 and complaint came after the cutoff).
    expect(['few_orders_year', 'lapsing', 'nps_detractor', 'nps_promoter', 'csat_dissatisfied', 'complaint_half_year'].map(feature)).toEqual([
      1, 0, 0, 0, 0, 0,
    ]);

    // A detractor whose last purchase was 60 days before the cutoff, with a CSAT 2 and a complaint closed
    // 150 days before it: past the 90-day complaint window, inside the half year.
    const c = `${tag}_twin_c`;
    for (const [k, at] of [
      [1, '2025-10-01T10:00:00Z'],
      [2, '2025-11-01T10:00:00Z'],
      [3, '2026-01-16T10:00:00Z'],
    ] as const) {
      await q(
        `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties) VALUES ($1, $2, 'purchase', $3, $4, 'api', '{"amount": 40}')`,
        [`${tag}_tc${k}`, at, c],
      );
    }
    await q(
      `INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      VALUES ($1, $2, $3, 1, $4, 'nps', 6, 'complete', '2026-01-20T10:00:00Z', 'store', 'email', '{}'), ($1, $5, $3, 1, $4, 'csat', 2, 'complete', '2026-01-21T10:00:00Z', 'store', 'email', '{}')`,
      [`${tag}_tcn`, `${tag}_srv`, c, `${tag}_tcs`],
    );
    await q(
      `INSERT INTO cases (tenant_id, id, type, source_type, source_id, customer_id, status, created_at, resolved_at) VALUES ($1, $2, 'complaint', 'manual', $2, $3, 'resolved', '2025-10-18T10:00:00Z', '2025-10-20T10:00:00Z')`,
      [`${tag}_tcc`, c],
    );
    const [third] = await withTransaction(r.db.pool, async (tx) => {
      await tx.query(
        `CREATE TEMP TABLE ap_purchases ON COMMIT DROP AS
        SELECT customer_id, occurred_at, (properties->>'amount')::numeric AS amount FROM customer_events WHERE tenant_id = $1 AND type = 'purchase' AND customer_id = $2`,
        [t.tenantId, c],
      );
      return (await tx.query(`SELECT * FROM (${churnFeatureSql((col) => `${col} = '${c}'`, true)}) f`, [t.tenantId, CUTOFF])).rows;
    });
    const of = (name: string) => third.x[FEATURES.indexOf(name as (typeof FEATURES)[number])];
    expect(
      ['few_orders_year', 'lapsing', 'nps_detractor', 'nps_promoter', 'csat_dissatisfied', 'complaint_half_year', 'recent_complaints', 'open_complaints'].map(
        of,
      ),
    ).toEqual([0, 1, 1, 0, 1, 1, 0, 0]);
  });

  it("says on the profile's endpoint why a customer is at risk, in both languages, for the tenant's own customers only", async () => {
    const res = await api(t, 'GET', `/v1/analytics/churn-risk/customers/${tag}_detractor`);
    expect(res.statusCode, res.body).toBe(200);
    const detractor = res.json();
    expect(detractor).toMatchObject({ customer_id: `${tag}_detractor`, has_left: false, model: { status: 'trained', version: 3 } });
    expect(detractor.model.auc).toBeGreaterThan(0.75);
    expect(detractor.top_features.length).toBeGreaterThan(0);
    expect(detractor.top_features.length).toBeLessThanOrEqual(3);
    expect(detractor.top_features[0]).toMatchObject({
      feature: 'nps_latest',
      value: 0,
      direction: 'raises',
      label: { en: 'Latest NPS answer', 'zh-CN': '最近一次 NPS 评分' },
    });
    expect(detractor.top_features[0].contribution).toBeGreaterThan(0);
    const promoter = (await api(t, 'GET', `/v1/analytics/churn-risk/customers/${tag}_promoter`)).json();
    expect(promoter.top_features[0]).toMatchObject({ feature: 'nps_latest', value: 10, direction: 'lowers' });
    expect(detractor.churn_risk).toBeGreaterThan(promoter.churn_risk + 0.3);
    // The list carries the same reasons.
    const list = (await api(t, 'GET', '/v1/analytics/churn-risk?limit=1000')).json();
    expect(list.customers.find((c: { customer_id: string }) => c.customer_id === `${tag}_detractor`).top_features).toEqual(detractor.top_features);

    const missing = await api(t, 'GET', `/v1/analytics/churn-risk/customers/${tag}_nobody`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect((await api(other, 'GET', `/v1/analytics/churn-risk/customers/${tag}_detractor`)).statusCode).toBe(404);
  });
});
