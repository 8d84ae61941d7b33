// "Why at risk" on the customer profile in Chromium: after a refresh trains the churn model on customers
// whose leaving follows their NPS, a detractor's profile shows a high risk and, first among the reasons,
// the latest NPS answer raising it (the Chinese labels are the API's, checked in train-churn-model.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './browser.js';
import { startConsoleJourney, type ConsoleJourney } from './console-journey.js';

describe.skipIf(!hasChromium)('churn risk on the customer profile', { timeout: 180_000 }, () => {
  let j: ConsoleJourney;
  // The app's clock is the wall clock's instant (the browser's session cookie expires by the wall clock); every date is built from it.
  beforeAll(async () => {
    j = await startConsoleJourney();
  });
  afterAll(async () => j?.close());

  it("shows a detractor's churn risk and why", async () => {
    const q = (sql: string) => j.r.db.pool.query(sql, [j.t.tenantId, j.r.clock.now()]);
    // 400 customers alike in behaviour whose leaving in the last 90 days follows their NPS (i % 11), and
    // a detractor still buying: the train-churn-model test's story, smaller, dated back from now ($2).
    const leaves = `((i * 7919) % 997) / 997.0 < 1 / (1 + exp(0.5 + 0.8 * ((i % 11) - 7)))`;
    await q(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, 'e' || i || '_' || k, 'purchase', ts, 'cr' || i, 'api', jsonb_build_object('amount', 50, 'currency', 'CNY', 'order_id', 'o' || i || '_' || k)
        FROM generate_series(0, 399) i, generate_series(0, 24) k, LATERAL (SELECT $2::timestamptz - interval '470 days' + (i % 300) * interval '1 day' + k * interval '20 days' AS ts) x
       WHERE ts <= CASE WHEN ${leaves} THEN $2::timestamptz - interval '91 days' ELSE $2::timestamptz END`);
    await j.r.db.pool.query(`INSERT INTO surveys (tenant_id, id, name, kind) VALUES ($1, 'srv_cr', 'After', 'nps')`, [j.t.tenantId]);
    await q(`INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      SELECT $1, 'r' || i, 'srv_cr', 1, 'cr' || i, 'nps', i % 11, 'complete', $2::timestamptz - interval '115 days' + (i % 10) * interval '1 day', 'store', 'email', '{}' FROM generate_series(0, 399) i`);
    await j.r.db.pool.query(`INSERT INTO customers (tenant_id, id, display_name) VALUES ($1, 'cr_detractor', 'Wang Fang')`, [j.t.tenantId]);
    await q(`INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
      SELECT $1, 'ed' || k, 'purchase', $2::timestamptz - interval '194 days' + k * interval '20 days', 'cr_detractor', 'api', jsonb_build_object('amount', 50, 'currency', 'CNY', 'order_id', 'od' || k)
        FROM generate_series(0, 9) k`);
    await q(`INSERT INTO survey_responses (tenant_id, id, survey_id, survey_version, customer_id, kind, score, status, submitted_at, touchpoint, channel, topics)
      VALUES ($1, 'rd', 'srv_cr', 1, 'cr_detractor', 'nps', 0, 'complete', $2::timestamptz - interval '14 days', 'store', 'email', '{}')`);
    await j.api('POST', '/v1/analytics/refresh?mode=full', undefined, 200);
    const risk = await j.api('GET', '/v1/analytics/churn-risk/customers/cr_detractor', undefined, 200);
    expect(risk.top_features[0]).toMatchObject({ feature: 'nps_latest', direction: 'raises' });
    const shown = `${Math.round(risk.churn_risk * 100)} %`;

    const page = await j.signedIn('/customers/cr_detractor');
    const card = page.locator('section.card', { hasText: 'Churn risk' });
    await card.getByText('Why at risk').waitFor();
    expect(await card.locator('.badge').first().textContent()).toBe(shown);
    expect(await card.locator('ul.why-at-risk li').first().textContent()).toMatch(/^▲ Latest NPS answer — raises the risk \(value 0\)$/);
    await j.shot(page, 'console-customer-churn-risk');
  });
});
