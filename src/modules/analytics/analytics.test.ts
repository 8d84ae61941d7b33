// Every measure against figures worked out by hand on a small fixture, on the embedded and the real
// PostgreSQL. The fixture is written straight into the owning modules' tables (as their own writes
// would leave them) because the figures depend on exact past timestamps no API lets a client choose.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from '../../../test/helpers.js';
import { createTestClock } from '../../platform/clock.js';
import { startSmtpListener, type SmtpListener } from '../../../test/fixtures/smtp.js';
import type { Rapport } from '../../app.js';
import { lockTenantRefresh } from './analytics-service.js';

const AS_OF = new Date('2026-06-15T12:00:00Z'); // a Monday

type Row = Record<string, unknown>;
async function insert(r: Rapport, table: string, tenantId: string, rows: Row[]) {
  for (const row of rows) {
    const cols = ['tenant_id', ...Object.keys(row)];
    const vals = [
      tenantId,
      ...Object.values(row).map((v) =>
        Array.isArray(v) && table !== 'survey_responses' && table !== 'cases'
          ? JSON.stringify(v)
          : v && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v)
            ? JSON.stringify(v)
            : v,
      ),
    ];
    await r.db.pool.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, vals);
  }
}

/**
 * Customers c1..c5 and what they did (amounts in one currency):
 *   c1  2026-01-10 100 @s1, 2026-02-05 50 @s1, 2026-06-01 30 @s2   NPS 10 (store, staff) 06-02, CSAT 5 (store) 06-03, referred c4, gold
 *   c2  2026-01-20 200 @s2                                          NPS 9 (store, staff) 01-25, core customer
 *   c3  2026-02-10 80 @s1, 2026-02-20 20 @s1                        NPS 3 (delivery, late) 02-21, a case
 *   c4  2026-03-01 60 @s2, 2026-05-10 40 @s2                        NPS 7 (delivery) 05-11, CSAT 2 + CES 3 (delivery) 05-12, a case, silver
 *   c5  no purchase                                                 NPS 10 (web) 04-01
 * As of 2026-06-15 the lapse line is 2026-03-17: c2 and c3 have left.
 */
async function seedFixture(r: Rapport, t: TestTenant, tag: string) {
  const c = (n: number) => `${tag}_c${n}`;
  const tid = t.tenantId;
  await insert(r, 'customers', tid, [
    { id: c(1), recency_score: 5, frequency_score: 5, monetary_score: 4, clv: 600, is_core: false },
    { id: c(2), recency_score: 1, frequency_score: 2, monetary_score: 5, clv: 300, is_core: true },
    { id: c(3), recency_score: 2, frequency_score: 4, monetary_score: 3, clv: 120, is_core: false },
    { id: c(4), recency_score: 4, frequency_score: 3, monetary_score: 2, clv: 90, is_core: false },
    { id: c(5) },
  ]);
  const purchase = (n: number, cus: number, at: string, amount: number, store: string) => ({
    id: `${tag}_p${n}`,
    type: 'purchase',
    occurred_at: at,
    customer_id: c(cus),
    source: 'api',
    properties: { order_id: `${tag}_o${n}`, amount, currency: 'CNY', store_id: store },
  });
  await insert(r, 'customer_events', tid, [
    purchase(1, 1, '2026-01-10T10:00:00Z', 100, 's1'),
    purchase(2, 1, '2026-02-05T10:00:00Z', 50, 's1'),
    purchase(3, 1, '2026-06-01T10:00:00Z', 30, 's2'),
    purchase(4, 2, '2026-01-20T10:00:00Z', 200, 's2'),
    purchase(5, 3, '2026-02-10T10:00:00Z', 80, 's1'),
    purchase(6, 3, '2026-02-20T10:00:00Z', 20, 's1'),
    purchase(7, 4, '2026-03-01T10:00:00Z', 60, 's2'),
    purchase(8, 4, '2026-05-10T10:00:00Z', 40, 's2'),
    {
      id: `${tag}_tier1`,
      type: 'loyalty.tier.changed',
      occurred_at: '2026-05-20T00:00:00Z',
      customer_id: c(1),
      source: 'loyalty',
      properties: { from: null, to: 'gold' },
    },
  ]);
  await insert(r, 'surveys', tid, [{ id: `${tag}_srv`, name: 'After', kind: 'nps' }]);
  const answer = (n: number, cus: number, kind: string, score: number, at: string, touchpoint: string, channel: string, topics: string[]) => ({
    id: `${tag}_r${n}`,
    survey_id: `${tag}_srv`,
    survey_version: 1,
    customer_id: c(cus),
    kind,
    score,
    status: 'complete',
    submitted_at: at,
    touchpoint,
    channel,
    topics,
  });
  await insert(r, 'survey_responses', tid, [
    answer(1, 2, 'nps', 9, '2026-01-25T10:00:00Z', 'store', 'email', ['staff']),
    answer(2, 3, 'nps', 3, '2026-02-21T10:00:00Z', 'delivery', 'sms', ['late']),
    answer(3, 1, 'nps', 10, '2026-06-02T10:00:00Z', 'store', 'email', ['staff']),
    answer(4, 1, 'csat', 5, '2026-06-03T10:00:00Z', 'store', 'email', []),
    answer(5, 4, 'nps', 7, '2026-05-11T10:00:00Z', 'delivery', 'email', []),
    answer(6, 4, 'csat', 2, '2026-05-12T10:00:00Z', 'delivery', 'email', []),
    answer(7, 4, 'ces', 3, '2026-05-12T10:00:00Z', 'delivery', 'email', []),
    answer(8, 5, 'nps', 10, '2026-04-01T10:00:00Z', 'web', 'web', []),
  ]);
  await insert(r, 'loyalty_referrals', tid, [{ id: `${tag}_ref`, referrer_id: c(1), friend_id: c(4) }]);
  // Cases: k1 (delivery) resolved and the customer told, 2 actions by people and 1 by the system; k2 (store) new, 1 action.
  await insert(r, 'cases', tid, [
    {
      id: `${tag}_k1`,
      type: 'detractor',
      source_type: 'response',
      source_id: `${tag}_r2`,
      customer_id: c(3),
      status: 'resolved',
      touchpoint: 'delivery',
      created_at: '2026-06-01T09:00:00Z',
      customer_told_at: '2026-06-02T09:00:00Z',
      resolved_at: '2026-06-02T09:00:00Z',
    },
    {
      id: `${tag}_k2`,
      type: 'complaint',
      source_type: 'conversation',
      source_id: `${tag}_x`,
      customer_id: c(4),
      status: 'new',
      touchpoint: 'store',
      created_at: '2026-06-05T09:00:00Z',
    },
  ]);
  await insert(r, 'case_activities', tid, [
    { id: `${tag}_a1`, case_id: `${tag}_k1`, kind: 'contact', actor: 'user:usr_1', at: '2026-06-01T10:00:00Z' },
    { id: `${tag}_a2`, case_id: `${tag}_k1`, kind: 'status', actor: 'user:usr_1', at: '2026-06-02T09:00:00Z' },
    { id: `${tag}_a3`, case_id: `${tag}_k1`, kind: 'notice', actor: 'system:loop', at: '2026-06-02T09:00:00Z' },
    { id: `${tag}_a4`, case_id: `${tag}_k2`, kind: 'note', actor: 'api_key:key_1', at: '2026-06-05T10:00:00Z' },
  ]);
  // Conversations: cv1 email answered in 30 min (due 60) and resolved in 4 h (due next day); cv2 sms answered
  // in 120 min (due 60), open; cv3 email never answered, due 09:00 long past, open.
  await insert(r, 'inbox_conversations', tid, [
    {
      id: `${tag}_cv1`,
      customer_id: c(1),
      reply_token: `${tag}1`,
      status: 'resolved',
      last_channel_kind: 'email',
      created_at: '2026-06-01T10:00:00Z',
      first_responded_at: '2026-06-01T10:30:00Z',
      first_response_due_at: '2026-06-01T11:00:00Z',
      resolved_at: '2026-06-01T14:00:00Z',
      resolution_due_at: '2026-06-02T10:00:00Z',
    },
    {
      id: `${tag}_cv2`,
      customer_id: c(2),
      reply_token: `${tag}2`,
      status: 'open',
      last_channel_kind: 'sms',
      created_at: '2026-06-02T09:00:00Z',
      first_responded_at: '2026-06-02T11:00:00Z',
      first_response_due_at: '2026-06-02T10:00:00Z',
    },
    {
      id: `${tag}_cv3`,
      customer_id: c(3),
      reply_token: `${tag}3`,
      status: 'open',
      last_channel_kind: 'email',
      created_at: '2026-06-03T08:00:00Z',
      first_response_due_at: '2026-06-03T09:00:00Z',
    },
  ]);
  const msg = (n: number, cv: number, cus: number, direction: string, channel: string, at: string) => ({
    id: `${tag}_m${n}`,
    conversation_id: `${tag}_cv${cv}`,
    customer_id: c(cus),
    direction,
    channel_kind: channel,
    author_type: direction === 'in' ? 'customer' : 'agent',
    created_at: at,
  });
  await insert(r, 'inbox_messages', tid, [
    msg(1, 1, 1, 'in', 'email', '2026-06-01T10:00:00Z'), // Monday 10h: staffed
    msg(2, 1, 1, 'out', 'email', '2026-06-01T10:30:00Z'),
    msg(3, 2, 2, 'in', 'sms', '2026-06-02T09:00:00Z'), // Tuesday 9h: staffed
    msg(4, 3, 3, 'in', 'email', '2026-06-03T08:00:00Z'), // Wednesday 8h: not staffed
    msg(5, 3, 3, 'in', 'email', '2026-06-06T20:00:00Z'), // Saturday 20h: not staffed
  ]);
  // Loyalty: c1 gold earns 100 on 05-10 and spends 30 on 06-01; c4 silver earns 50 on 05-10, 20 expire on 06-01; c2 a member without tier.
  await insert(r, 'loyalty_accounts', tid, [
    { customer_id: c(1), tier: 'gold', available: 70 },
    { customer_id: c(2) },
    { customer_id: c(4), tier: 'silver', available: 30 },
  ]);
  const tx = (n: number, cus: number, kind: string, points: number, at: string) => ({
    id: `${tag}_t${n}`,
    customer_id: c(cus),
    kind,
    reason: 'manual',
    idempotency_key: `${tag}_k${n}`,
    request_hash: '-',
    points,
    result: {},
    occurred_at: at,
    created_at: at,
  });
  await insert(r, 'loyalty_transactions', tid, [
    tx(1, 1, 'earn', 100, '2026-05-10T10:00:00Z'),
    tx(2, 4, 'earn', 50, '2026-05-10T10:00:00Z'),
    tx(3, 1, 'spend', -30, '2026-06-01T10:00:00Z'),
    tx(4, 4, 'expire', -20, '2026-06-01T10:00:00Z'),
  ]);
  const entry = (t: number, cus: number, account: string, amount: number, at: string) => ({
    transaction_id: `${tag}_t${t}`,
    customer_id: c(cus),
    account,
    amount,
    created_at: at,
  });
  await insert(r, 'loyalty_entries', tid, [
    entry(1, 1, 'issued', -100, '2026-05-10T10:00:00Z'),
    entry(1, 1, 'available', 100, '2026-05-10T10:00:00Z'),
    entry(2, 4, 'issued', -50, '2026-05-10T10:00:00Z'),
    entry(2, 4, 'available', 50, '2026-05-10T10:00:00Z'),
    entry(3, 1, 'redeemed', 30, '2026-06-01T10:00:00Z'),
    entry(3, 1, 'available', -30, '2026-06-01T10:00:00Z'),
    entry(4, 4, 'expired', 20, '2026-06-01T10:00:00Z'),
    entry(4, 4, 'available', -20, '2026-06-01T10:00:00Z'),
  ]);
  const mention = (n: number, at: string, channel: string, sentiment: string, angles: string[], reach: number) => ({
    id: `${tag}_me${n}`,
    channel,
    text: `mention ${n}`,
    published_at: at,
    language: 'en',
    sentiment,
    score: 0,
    angles,
    reach,
    simhash_hi: n,
    simhash_lo: n,
    band0: n,
    band1: n,
    band2: n,
    band3: n,
  });
  await insert(r, 'listening_mentions', tid, [
    mention(1, '2026-06-01T10:00:00Z', 'weibo', 'negative', ['brand'], 100),
    mention(2, '2026-06-02T10:00:00Z', 'weibo', 'positive', ['brand', 'product'], 50),
    mention(3, '2026-06-03T10:00:00Z', 'forum', 'neutral', ['competitor'], 10),
    mention(4, '2026-06-08T10:00:00Z', 'weibo', 'negative', [], 0),
  ]);
  return c;
}

describe.each(databases)('analytics on $name', ({ name, url }) => {
  let r: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  let c: (n: number) => string;
  let bTag: string;
  let smtp: SmtpListener;
  const get = async (t: TestTenant, path: string) => {
    const res = await r.app.inject({ method: 'GET', url: `/v1/analytics/${path}`, headers: t.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    smtp = await startSmtpListener();
    // On-demand refreshes are as of the app's clock: well after the fixture, so B's customers have all lapsed.
    r = await startTestApp(url, {
      clock: createTestClock('2027-03-01T10:00:00Z'),
      jobs: false,
      smtpUrl: smtp.url,
      mailFrom: 'Rapport <analytics@example.com>',
    });
    a = await createTestTenant(r);
    b = await createTestTenant(r);
    c = await seedFixture(r, a, `a${randomBytes(3).toString('hex')}`);
    bTag = `b${randomBytes(3).toString('hex')}`;
    await seedFixture(r, b, bTag);
    // B has one more big purchase by its c1, so any leak between tenants changes A's figures.
    await insert(r, 'customer_events', b.tenantId, [
      {
        id: `${bTag}_extra`,
        type: 'purchase',
        occurred_at: '2026-06-10T00:00:00Z',
        customer_id: `${bTag}_c1`,
        source: 'api',
        properties: { amount: 10000, currency: 'CNY', order_id: 'x' },
      },
    ]);
    const settings = await r.app.inject({
      method: 'PUT',
      url: '/v1/analytics/settings',
      headers: a.headers,
      payload: {
        hourly_cost: 60,
        minutes_per_action: 10,
        timezone: 'UTC',
        digest_recipients: ['boss@example.com'],
        staffed_hours: { 1: ['09:00', '18:00'], 2: ['09:00', '18:00'], 3: ['09:00', '18:00'], 4: ['09:00', '18:00'], 5: ['09:00', '18:00'] },
      },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    await r.analytics.refresh(a.tenantId, AS_OF);
    await r.analytics.refresh(b.tenantId, AS_OF);
  });
  afterAll(async () => {
    await r?.close();
    await smtp?.close();
  });

  it('measures customer value: customers, actives, annual purchase, repeat rate, core share, RFM and CLV', async () => {
    // Jan-Jun, as of 15 June (5.5 months of data): c1..c4 active; revenue 180 + 200 + 100 + 100 = 580 over
    // 8 orders; annual per active customer 580 / 4 x 12 / 5.5 = 316.36; c1, c3, c4 bought more than once:
    // 3 / 4; core c2: 200 / 580.
    const v = await get(a, 'customer-value?from=2026-01-01&to=2026-06-30');
    expect(v).toMatchObject({
      customers: 4,
      active_customers: 4,
      orders: 8,
      revenue: 580,
      average_annual_purchase: 316.36,
      repeat_customers: 3,
      repeat_purchase_rate: 0.75,
      core_revenue: 200,
      core_revenue_share: 0.3448,
    });
    expect(v.refreshed_at).toEqual(expect.any(String));
    expect(v.filters).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    // Feb-Mar: c1 (Feb), c3 (Feb), c4 (Mar) active; c2 bought in January only. Revenue 50 + 100 + 60 = 210,
    // annual 210 / 3 x 12 / 2 = 420; more than one order by March: c1 and c3, 2 / 3. Customers by March: 4.
    const feb = await get(a, 'customer-value?from=2026-02-01&to=2026-03-31');
    expect(feb).toMatchObject({
      customers: 4,
      active_customers: 3,
      revenue: 210,
      average_annual_purchase: 420,
      repeat_customers: 2,
      repeat_purchase_rate: 0.6667,
    });
    // The default year, 2025-06-16 to 2026-06-15, sums the months June 2025 to June 2026: 12.5 months
    // of data, not 13: 580 / 4 x 12 / 12.5 = 139.2.
    expect(await get(a, 'customer-value')).toMatchObject({ active_customers: 4, revenue: 580, average_annual_purchase: 139.2 });
    // RFM from the customers module's scores; CLV bands 600 -> 500, 300 -> 250, 120 -> 100, 90 -> 0.
    expect(v.rfm).toEqual([
      { score: 1, recency: 1, frequency: 0, monetary: 0 },
      { score: 2, recency: 1, frequency: 1, monetary: 1 },
      { score: 3, recency: 0, frequency: 1, monetary: 1 },
      { score: 4, recency: 1, frequency: 1, monetary: 1 },
      { score: 5, recency: 1, frequency: 1, monetary: 1 },
    ]);
    expect(v.clv).toEqual([
      { clv_from: 0, customers: 1 },
      { clv_from: 100, customers: 1 },
      { clv_from: 250, customers: 1 },
      { clv_from: 500, customers: 1 },
    ]);
    // Segments: c1 r5 f5 champions, c2 r1 f2 lost, c3 r2 f4 at_risk, c4 r4 f3 loyal, c5 never bought.
    expect(v.segments).toEqual(
      expect.arrayContaining([
        { segment: 'champions', customers: 1 },
        { segment: 'lost', customers: 1 },
        { segment: 'at_risk', customers: 1 },
        { segment: 'loyal', customers: 1 },
        { segment: 'prospect', customers: 1 },
      ]),
    );
    // Store of first purchase s1: c1 and c3, revenue 180 + 100.
    expect(await get(a, 'customer-value?from=2026-01-01&to=2026-06-30&store=s1')).toMatchObject({ active_customers: 2, revenue: 280 });
    expect(await get(a, 'customer-value?from=2026-01-01&to=2026-06-30&segment=champions')).toMatchObject({
      active_customers: 1,
      revenue: 180,
      average_annual_purchase: 392.73,
    });
  });

  it('builds the cohort retention table with churn per cohort', async () => {
    // January: c1, c2; c1 back in February (age 1) and June (age 5); c2 lapsed. February: c3, lapsed.
    // March: c4, back in May (age 2).
    const v = await get(a, 'retention?from=2026-01-01&to=2026-06-30');
    expect(v.cohorts).toEqual([
      { cohort: '2026-01', customers: 2, lapsed: 1, churn_rate: 0.5, retention: [1, 0.5, 0, 0, 0, 0.5] },
      { cohort: '2026-02', customers: 1, lapsed: 1, churn_rate: 1, retention: [1] },
      { cohort: '2026-03', customers: 1, lapsed: 0, churn_rate: 0, retention: [1, 0, 1] },
    ]);
  });

  it('lists satisfied customers who left, and counts promoters who referred', async () => {
    // c2 answered 9 and has not bought since January; c3 left unhappy (3); c5 never bought.
    const v = await get(a, 'satisfied-but-left');
    expect(v.count).toBe(1);
    expect(v.customers).toEqual([expect.objectContaining({ customer_id: c(2), last_nps: 9, orders: 1, revenue: 200 })]);
    // Promoters (last NPS 9-10): c1, c2, c5; c1 referred c4: 1 / 3.
    expect(await get(a, 'promoter-referrals')).toMatchObject({ promoters: 3, promoters_who_referred: 1, share: 0.3333 });
    expect(await get(a, 'promoter-referrals?segment=champions')).toMatchObject({ promoters: 1, promoters_who_referred: 1, share: 1 });
  });

  it('reports NPS, CSAT and CES with confidence intervals, by month and filtered', async () => {
    // NPS answers 9, 3, 10, 7, 10: promoters 3, detractors 1 of 5 -> 40. p = .6, d = .2, variance
    // .6 + .2 - .4^2 = .64, se = sqrt(.64 / 5) = .35777, x 1.96 = .70122 -> 40 -/+ 70.12, within -100..100.
    // CSAT 5 and 2: 1 of 2 satisfied, 50 %, se = sqrt(.25 / 2) = .35355 -> +/- 69.3, clipped to 0..100.
    const v = await get(a, 'experience?from=2026-01-01&to=2026-06-30');
    expect(v.totals).toEqual([
      { kind: 'nps', n: 5, score: 40, ci_low: -30.12, ci_high: 100 },
      { kind: 'csat', n: 2, score: 50, ci_low: 0, ci_high: 100 },
      { kind: 'ces', n: 1, score: 3, ci_low: 3, ci_high: 3 },
    ]);
    expect(v.trend.filter((t: { kind: string }) => t.kind === 'nps').map((t: { period: string; score: number }) => [t.period, t.score])).toEqual([
      ['2026-01-01', 100],
      ['2026-02-01', -100],
      ['2026-04-01', 100],
      ['2026-05-01', 0],
      ['2026-06-01', 100],
    ]);
    // At the store: 9 and 10, both promoters.
    const store = await get(a, 'experience?from=2026-01-01&to=2026-06-30&touchpoint=store');
    expect(store.totals[0]).toMatchObject({ kind: 'nps', n: 2, score: 100 });
    // Weekly: c1's 10 on Tuesday 2026-06-02 falls in the week of Monday 06-01.
    const weekly = await get(a, 'experience?from=2026-06-01&to=2026-06-14&interval=week');
    expect(weekly.trend).toEqual([
      expect.objectContaining({ period: '2026-06-01', kind: 'csat', n: 1, score: 100 }),
      expect.objectContaining({ period: '2026-06-01', kind: 'nps', n: 1, score: 100 }),
    ]);
  });

  it('gives a CX index per touchpoint from its NPS, CSAT and CES', async () => {
    // store: NPS 100 -> 100, CSAT 100 -> index 100. delivery: NPS (3, 7) = -50 -> 25, CSAT 0, CES 3 ->
    // (7 - 3) / 6 x 100 = 66.67; index (25 + 0 + 66.67) / 3 = 30.56. web: NPS 100 -> 100.
    const v = await get(a, 'cx-index?from=2026-01-01&to=2026-06-30');
    expect(v.touchpoints).toEqual([
      { touchpoint: 'store', cx_index: 100, nps: 100, nps_answers: 2, csat: 100, csat_answers: 1, ces: null, ces_answers: 0 },
      { touchpoint: 'web', cx_index: 100, nps: 100, nps_answers: 1, csat: null, csat_answers: 0, ces: null, ces_answers: 0 },
      { touchpoint: 'delivery', cx_index: 30.56, nps: -50, nps_answers: 2, csat: 0, csat_answers: 1, ces: 3, ces_answers: 1 },
    ]);
  });

  it('runs the driver analysis only when the answers outnumber the drivers', async () => {
    // 5 NPS answers against an intercept, 2 touchpoints beside the reference and 2 topics: too few.
    const v = await get(a, 'drivers?from=2026-01-01&to=2026-06-30');
    expect(v).toMatchObject({ answers: 5, nps: 40, drivers: [] });
  });

  it('tells a topic blamed from the same topic praised among the drivers', async () => {
    // Delivery blamed in six answers (2 each), praised in six (10 each), four answers name nothing (8):
    // as one "delivery" driver the two would cancel out; by polarity one pulls NPS down, the other up.
    const d = await createTestTenant(r);
    await insert(r, 'surveys', d.tenantId, [{ id: 'pol_srv', name: 'After', kind: 'nps' }]);
    const answer = (n: number, score: number, polarity: string | null) => ({
      id: `pol_r${n}`,
      survey_id: 'pol_srv',
      survey_version: 1,
      kind: 'nps',
      score,
      status: 'complete',
      submitted_at: '2026-05-0' + (1 + (n % 9)) + 'T10:00:00Z',
      touchpoint: 'store',
      channel: 'email',
      topics: polarity ? ['delivery'] : [],
      topic_sentiments: polarity ? { delivery: polarity } : {},
    });
    await insert(r, 'survey_responses', d.tenantId, [
      ...[0, 1, 2, 3, 4, 5].map((n) => answer(n, 2, 'negative')),
      ...[6, 7, 8, 9, 10, 11].map((n) => answer(n, 10, 'positive')),
      ...[12, 13, 14, 15].map((n) => answer(n, 8, null)),
    ]);
    await r.analytics.refresh(d.tenantId, AS_OF);
    const v = await get(d, 'drivers?from=2026-01-01&to=2026-06-30');
    expect(v.answers).toBe(16);
    const byPolarity = Object.fromEntries(v.drivers.map((x: { name: string; polarity: string }) => [`${x.name}:${x.polarity}`, x]));
    expect(Object.keys(byPolarity).sort()).toEqual(['delivery:negative', 'delivery:positive']);
    expect(byPolarity['delivery:negative']).toMatchObject({ type: 'topic', answers: 6, performance_nps: -100 });
    expect(byPolarity['delivery:negative'].coefficient).toBeLessThan(-4);
    expect(byPolarity['delivery:positive']).toMatchObject({ type: 'topic', answers: 6, performance_nps: 100 });
    expect(byPolarity['delivery:positive'].coefficient).toBeGreaterThan(1);
  });

  it('measures first response, resolution, SLA attainment and backlog', async () => {
    // 3 conversations; answered 2 in 30 and 120 min -> 75; first-response targets decided 3 (cv3's passed),
    // met 1. Resolved 1 in 4 h, on time. Open: cv2 (sms), cv3 (email).
    const v = await get(a, 'operations?from=2026-06-01&to=2026-06-30');
    expect(v).toMatchObject({
      conversations: 3,
      first_responses: 2,
      first_response_minutes: 75,
      first_response_sla: 0.3333,
      resolved: 1,
      resolution_hours: 4,
      resolution_sla: 1,
      backlog: 2,
    });
    const email = await get(a, 'operations?from=2026-06-01&to=2026-06-30&channel=email');
    expect(email).toMatchObject({ conversations: 2, first_responses: 1, first_response_minutes: 30, first_response_sla: 0.5, resolved: 1, backlog: 1 });
  });

  it("adds each channel's backlog across the customers' tiers and segments, and lists a channel with only older open conversations", async () => {
    const d = await createTestTenant(r);
    const tag = `bl${randomBytes(3).toString('hex')}`;
    await seedFixture(r, d, tag);
    // Beside the fixture's open cv2 (sms) and cv3 (email): an email of the gold customer c1, and a
    // WhatsApp conversation opened in May, before the range, still open.
    await insert(r, 'inbox_conversations', d.tenantId, [
      { id: `${tag}_cv8`, customer_id: `${tag}_c1`, reply_token: `${tag}8`, status: 'open', last_channel_kind: 'email', created_at: '2026-06-10T10:00:00Z' },
      { id: `${tag}_cv9`, customer_id: `${tag}_c4`, reply_token: `${tag}9`, status: 'open', last_channel_kind: 'whatsapp', created_at: '2026-05-10T10:00:00Z' },
    ]);
    await r.analytics.refresh(d.tenantId, AS_OF, { mode: 'full' });
    const v = await get(d, 'operations?from=2026-06-01&to=2026-06-30');
    expect(v.backlog).toBe(4);
    const backlog = Object.fromEntries(v.channels.map((x: { channel: string; backlog: number }) => [x.channel, x.backlog]));
    expect(backlog).toEqual({ email: 2, sms: 1, whatsapp: 1 });
    expect(v.channels.find((x: { channel: string }) => x.channel === 'whatsapp')).toMatchObject({ conversations: 0, first_responses: 0 });
  });

  it('counts messages per channel and inbound by hour of week against staffed hours', async () => {
    const m = await get(a, 'messages?from=2026-06-01&to=2026-06-30');
    expect(m.series).toEqual([
      { period: '2026-06-01', channel: 'email', inbound: 1, outbound: 1 },
      { period: '2026-06-02', channel: 'sms', inbound: 1, outbound: 0 },
      { period: '2026-06-03', channel: 'email', inbound: 1, outbound: 0 },
      { period: '2026-06-06', channel: 'email', inbound: 1, outbound: 0 },
    ]);
    // Inbound Mon 10h and Tue 9h are inside Mon-Fri 09-18; Wed 8h and Sat 20h are not: 2 of 4.
    const cov = await get(a, 'coverage?from=2026-06-01&to=2026-06-30');
    expect(cov).toMatchObject({ inbound: 4, inbound_in_staffed_hours: 2, coverage: 0.5, staffed_hours_per_week: 45 });
    expect(cov.hours).toHaveLength(168);
    expect(cov.hours.find((h: { weekday: number; hour: number }) => h.weekday === 6 && h.hour === 20)).toEqual({
      weekday: 6,
      hour: 20,
      inbound: 1,
      staffed: false,
    });
  });

  it('measures loop closure and the cost of a complaint from agent time', async () => {
    // 2 cases, 1 closed and told: 1 / 2. Actions by people 3 x 10 min = 0.5 h x 60 = 30, over 2 cases = 15.
    const v = await get(a, 'loop?from=2026-06-01&to=2026-06-30');
    expect(v).toMatchObject({ cases: 2, closed: 1, customers_told: 1, loop_closure_rate: 0.5, agent_hours: 0.5, cost_per_complaint: 15 });
    expect(await get(a, 'loop?from=2026-06-01&to=2026-06-30&touchpoint=store')).toMatchObject({ cases: 1, loop_closure_rate: 0, cost_per_complaint: 10 });
  });

  it('measures the programme: members, actives, redemption, breakage, tiers and movements', async () => {
    // Issued 150, redeemed 30 (0.2), expired 20; c1 and c4 active; members c1, c2, c4. Breakage is the
    // programme's one estimate, the liability's: no matured cohort yet, so the assumption 1 - 0.8.
    const v = await get(a, 'programme?from=2026-05-01&to=2026-06-30');
    expect(v).toMatchObject({
      members: 3,
      active_members: 2,
      points_issued: 150,
      points_redeemed: 30,
      points_expired: 20,
      redemption_rate: 0.2,
      breakage_rate: 0.2,
      breakage_basis: 'assumption',
      breakage_sample: { cohorts: 0, points: 0 },
    });
    expect(v.liability).toMatchObject({
      expiring_soon: [
        { within_days: 30, points: 0, face_value: 0 },
        { within_days: 90, points: 0, face_value: 0 },
      ],
      base_currency: 'CNY',
    });
    expect(v.tiers).toEqual([
      { tier: null, members: 1 },
      { tier: 'gold', members: 1 },
      { tier: 'silver', members: 1 },
    ]);
    expect(v.movements).toEqual([{ month: '2026-05', from_tier: null, to_tier: 'gold', customers: 1 }]);
    expect(v.liability).toMatchObject({ scope: 'whole programme' });
    const gold = await get(a, 'programme?from=2026-05-01&to=2026-06-30&tier=gold');
    expect(gold).toMatchObject({ members: 1, active_members: 1, points_issued: 100, points_redeemed: 30, redemption_rate: 0.3, breakage_rate: 0.2 });
  });

  it('measures mention volume, sentiment and share of voice', async () => {
    // 4 mentions: 1 positive, 2 negative -> .5 negative, net -.25. Angles brand 2, product 1, competitor 1:
    // brand .5; own (brand + product) 3 / (3 + 1 competitor) = .75.
    const v = await get(a, 'reputation?from=2026-06-01&to=2026-06-30');
    expect(v).toMatchObject({ mentions: 4, positive: 1, negative: 2, negative_share: 0.5, net_sentiment: -0.25, own_share_of_voice: 0.75 });
    expect(v.angles).toEqual([
      { angle: 'brand', mentions: 2, positive: 1, negative: 1, share_of_voice: 0.5 },
      { angle: 'competitor', mentions: 1, positive: 0, negative: 0, share_of_voice: 0.25 },
      { angle: 'product', mentions: 1, positive: 1, negative: 0, share_of_voice: 0.25 },
    ]);
    expect(v.trend.map((t: { period: string; mentions: number }) => [t.period, t.mentions])).toEqual([
      ['2026-06-01', 3],
      ['2026-06-08', 1],
    ]);
    expect(await get(a, 'reputation?from=2026-06-01&to=2026-06-30&channel=weibo')).toMatchObject({ mentions: 3, negative: 2, negative_share: 0.6667 });
  });

  it('reports the churn model as untrained when the history is too short', async () => {
    const v = await get(a, 'churn-risk');
    expect(v.model).toMatchObject({ status: 'insufficient_history' });
    expect(v.customers).toEqual([]);
  });

  it("trains the churn model on the tenant's history and reports its held-out AUC", async () => {
    // 400 customers buying every 30 days from early 2025; the odd ones stop between April 2025 and
    // February 2026. The examples are those still active at the cutoff (2026-03-17, 90 days before the
    // refresh): the steady buyers and the odd ones who stopped after mid-December, none of whom comes
    // back. Months since the last purchase must carry the risk, and rank the held-out leavers first.
    const t = await createTestTenant(r);
    await r.db.pool.query(
      `INSERT INTO customer_events (tenant_id, id, type, occurred_at, customer_id, source, properties)
       SELECT $1, 'e' || i || '_' || k, 'purchase', ts, 'cm' || i, 'api', jsonb_build_object('amount', 10, 'currency', 'CNY', 'order_id', 'o' || i || '_' || k)
         FROM generate_series(0, 399) i, generate_series(0, 20) k,
              LATERAL (SELECT timestamptz '2025-01-05' + (i % 20) * interval '1 day' + k * interval '30 days' AS ts) x
        WHERE ts <= CASE WHEN i % 2 = 0 THEN timestamptz '2026-06-15' ELSE timestamptz '2025-04-01' + (i % 40) * interval '8 days' END`,
      [t.tenantId],
    );
    const out = await r.analytics.refresh(t.tenantId, AS_OF);
    expect(out.model).toMatchObject({
      status: 'trained',
      version: 3,
      training_cutoff: '2026-03-17T12:00:00.000Z',
      label_window_end: AS_OF.toISOString(),
      trained_at: AS_OF.toISOString(),
    });
    const m = out.model as unknown as Record<string, number>;
    // 200 steady buyers and the 20 odd customers whose last purchase fell after 2025-12-17 (worked out by
    // hand from the dates), split about 60 / 20 / 20 by id.
    expect(m.n).toBe(220);
    expect(m.trained_positives).toBeGreaterThanOrEqual(5);
    expect(m.trained_on + m.calibrated_on + m.holdout_size).toBe(m.n);
    expect(m.trained_on).toBeGreaterThan(0.5 * m.n);
    const v = await get(t, 'churn-risk?limit=500');
    const months = v.model.coefficients.find((x: { feature: string }) => x.feature === 'months_since_purchase');
    expect(months.coefficient).toBeGreaterThan(0);
    expect(months.odds_ratio).toBeGreaterThan(1);
    expect(v.model.auc).toBeGreaterThan(0.9);
    // The list holds those who have not left yet (the 200 steady buyers and none of the lapsed), riskiest first.
    expect(v.customers).toHaveLength(200);
    const risks = v.customers.map((x: { churn_risk: number }) => x.churn_risk);
    expect(risks).toEqual([...risks].sort((x, y) => y - x));
    expect(risks.every((x: number) => x >= 0 && x <= 1)).toBe(true);
    expect(v.distribution.reduce((s: number, d: { customers: number }) => s + d.customers, 0)).toBe(400);
  });

  it("filters customer measures by channel and touchpoint (the last answer's), alone and with a store", async () => {
    // Last NPS/CSAT answers: c1 CSAT store/email, c2 NPS store/email, c3 NPS delivery/sms, c4 CSAT delivery/email, c5 NPS web/web.
    // sms: c3 alone, Feb 80 + 20: 2 orders, a repeat customer; 100 / 1 x 12 / 6 = 200 a year.
    expect(await get(a, 'customer-value?from=2026-01-01&to=2026-06-30&channel=sms')).toMatchObject({
      customers: 1,
      active_customers: 1,
      orders: 2,
      revenue: 100,
      repeat_customers: 1,
      average_annual_purchase: 218.18,
    });
    // store touchpoint: c1 (180, 3 orders) and c2 (200, core): 380 over 2, repeat 1 of 2, core 200 / 380.
    const store = await get(a, 'customer-value?from=2026-01-01&to=2026-06-30&touchpoint=store');
    expect(store).toMatchObject({
      customers: 2,
      active_customers: 2,
      orders: 4,
      revenue: 380,
      average_annual_purchase: 414.55,
      repeat_purchase_rate: 0.5,
      core_revenue: 200,
      core_revenue_share: 0.5263,
    });
    expect(store.segments).toEqual(
      expect.arrayContaining([
        { segment: 'champions', customers: 1 },
        { segment: 'lost', customers: 1 },
      ]),
    );
    expect(store.segments).toHaveLength(2);
    // Store s1 (c1, c3) with channel email (c1): read from the customers of s1.
    const s1Email = await get(a, 'customer-value?from=2026-01-01&to=2026-06-30&store=s1&channel=email');
    expect(s1Email).toMatchObject({ customers: 1, active_customers: 1, orders: 3, revenue: 180, repeat_customers: 1, core_revenue: 0 });
    expect(s1Email.segments).toEqual([{ segment: 'champions', customers: 1 }]);
    expect(s1Email.rfm[4]).toEqual({ score: 5, recency: 1, frequency: 1, monetary: 0 });
    expect(s1Email.filters).toEqual({ from: '2026-01-01', to: '2026-06-30', store: 's1', channel: 'email' });
    // Feb-Mar at delivery (c3 Feb, c4 Mar): 100 + 60.
    expect(await get(a, 'customer-value?from=2026-02-01&to=2026-03-31&touchpoint=delivery')).toMatchObject({ active_customers: 2, revenue: 160 });
    // Retention at delivery: c3's February cohort (lapsed) and c4's March one (back in May).
    expect((await get(a, 'retention?from=2026-01-01&to=2026-06-30&touchpoint=delivery')).cohorts).toEqual([
      { cohort: '2026-02', customers: 1, lapsed: 1, churn_rate: 1, retention: [1] },
      { cohort: '2026-03', customers: 1, lapsed: 0, churn_rate: 0, retention: [1, 0, 1] },
    ]);
    expect((await get(a, 'retention?from=2026-01-01&to=2026-06-30&store=s1&channel=sms')).cohorts).toEqual([
      { cohort: '2026-02', customers: 1, lapsed: 1, churn_rate: 1, retention: [1] },
    ]);
    expect((await get(a, 'retention?from=2026-01-01&to=2026-06-30&store=s1&channel=email')).cohorts).toEqual([
      { cohort: '2026-01', customers: 1, lapsed: 0, churn_rate: 0, retention: [1, 1, 0, 0, 0, 1] },
    ]);
    // Satisfied but left: c2, by email; none by sms; c2's last purchase (01-20) is in January, not February.
    expect(await get(a, 'satisfied-but-left?channel=email')).toMatchObject({ count: 1, customers: [expect.objectContaining({ customer_id: c(2) })] });
    expect(await get(a, 'satisfied-but-left?channel=sms')).toMatchObject({ count: 0, customers: [] });
    expect(await get(a, 'satisfied-but-left?from=2026-01-01&to=2026-01-31')).toMatchObject({ count: 1, filters: { from: '2026-01-01', to: '2026-01-31' } });
    expect(await get(a, 'satisfied-but-left?from=2026-02-01&to=2026-06-30&store=s2')).toMatchObject({ count: 0 });
    // Promoters at the store touchpoint: c1 (referred) and c2: 1 / 2. Whose last NPS was in June: c1 only.
    expect(await get(a, 'promoter-referrals?touchpoint=store')).toMatchObject({ promoters: 2, promoters_who_referred: 1, share: 0.5 });
    expect(await get(a, 'promoter-referrals?from=2026-06-01&to=2026-06-30')).toMatchObject({ promoters: 1, promoters_who_referred: 1, share: 1 });
    expect(await get(a, 'promoter-referrals?from=2026-01-01&to=2026-05-31&store=s2')).toMatchObject({ promoters: 1, promoters_who_referred: 0, share: 0 });
    // Churn risk lists only customers not yet gone (none here: no model), filtered without error.
    expect(await get(a, 'churn-risk?store=s1&touchpoint=store')).toMatchObject({ customers: [], filters: { store: 's1', touchpoint: 'store' } });
  });

  it("filters experience by store (the customer's first), tier and segment, and with a touchpoint", async () => {
    // Store s1: c1 (NPS 10, CSAT 5) and c3 (NPS 3): NPS (1 - 1) / 2 = 0, CSAT 100.
    const s1 = await get(a, 'experience?from=2026-01-01&to=2026-06-30&store=s1');
    expect(s1.totals).toEqual([
      expect.objectContaining({ kind: 'nps', n: 2, score: 0 }),
      expect.objectContaining({ kind: 'csat', n: 1, score: 100 }),
      { kind: 'ces', n: 0, score: null, ci_low: null, ci_high: null },
    ]);
    expect(s1.trend.filter((t: { kind: string }) => t.kind === 'nps').map((t: { period: string; score: number }) => [t.period, t.score])).toEqual([
      ['2026-02-01', -100],
      ['2026-06-01', 100],
    ]);
    // s2 and loyal: c4, NPS 7 (passive) -> 0, CSAT 2 -> 0 %, CES 3.
    expect((await get(a, 'experience?from=2026-01-01&to=2026-06-30&store=s2&segment=loyal')).totals).toEqual([
      expect.objectContaining({ kind: 'nps', n: 1, score: 0 }),
      expect.objectContaining({ kind: 'csat', n: 1, score: 0 }),
      expect.objectContaining({ kind: 'ces', n: 1, score: 3 }),
    ]);
    expect((await get(a, 'experience?from=2026-01-01&to=2026-06-30&store=s1&touchpoint=store')).totals[0]).toMatchObject({ kind: 'nps', n: 1, score: 100 });
    expect((await get(a, 'experience?from=2026-01-01&to=2026-06-30&tier=gold')).totals[0]).toMatchObject({ kind: 'nps', n: 1, score: 100 });
    expect((await get(a, 'experience?from=2026-01-01&to=2026-06-30&segment=lost')).totals[0]).toMatchObject({ kind: 'nps', n: 1, score: 100 });
    expect((await get(a, 'experience?from=2026-01-01&to=2026-06-30&channel=sms')).totals[0]).toMatchObject({ kind: 'nps', n: 1, score: -100 });
    expect((await get(a, 'experience?from=2026-06-01&to=2026-06-14&interval=week&store=s1')).trend).toEqual([
      expect.objectContaining({ period: '2026-06-01', kind: 'csat', n: 1 }),
      expect.objectContaining({ period: '2026-06-01', kind: 'nps', n: 1, score: 100 }),
    ]);
    // CX index of s1: store NPS 100 and CSAT 100 -> 100; delivery NPS -100 -> 0.
    expect((await get(a, 'cx-index?from=2026-01-01&to=2026-06-30&store=s1')).touchpoints).toEqual([
      { touchpoint: 'store', cx_index: 100, nps: 100, nps_answers: 1, csat: 100, csat_answers: 1, ces: null, ces_answers: 0 },
      { touchpoint: 'delivery', cx_index: 0, nps: -100, nps_answers: 1, csat: null, csat_answers: 0, ces: null, ces_answers: 0 },
    ]);
    expect((await get(a, 'cx-index?from=2026-01-01&to=2026-06-30&touchpoint=delivery')).touchpoints).toEqual([
      expect.objectContaining({ touchpoint: 'delivery', cx_index: 30.56 }),
    ]);
    expect(await get(a, 'drivers?from=2026-01-01&to=2026-06-30&store=s1')).toMatchObject({ answers: 2, nps: 0 });
    expect(await get(a, 'drivers?from=2026-01-01&to=2026-06-30&touchpoint=store')).toMatchObject({ answers: 2, nps: 100 });
  });

  it("filters operations, messages and coverage by the customer's segment, tier and store", async () => {
    // c1's conversation cv1 only: answered in 30 min, resolved in 4 h, nothing open.
    expect(await get(a, 'operations?from=2026-06-01&to=2026-06-30&segment=champions')).toMatchObject({
      conversations: 1,
      first_response_minutes: 30,
      resolved: 1,
      resolution_hours: 4,
      backlog: 0,
    });
    expect(await get(a, 'operations?from=2026-06-01&to=2026-06-30&tier=gold')).toMatchObject({ conversations: 1, backlog: 0 });
    // s1: cv1 (c1) and cv3 (c3, unanswered, due passed, open): targets 2, met 1.
    expect(await get(a, 'operations?from=2026-06-01&to=2026-06-30&store=s1')).toMatchObject({
      conversations: 2,
      first_responses: 1,
      first_response_minutes: 30,
      first_response_sla: 0.5,
      backlog: 1,
    });
    const tp = await get(a, 'operations?from=2026-06-01&to=2026-06-30&touchpoint=store');
    expect(tp).toMatchObject({ conversations: 3, filters: { from: '2026-06-01', to: '2026-06-30' }, filters_not_applied: { touchpoint: expect.any(String) } });
    expect((await get(a, 'messages?from=2026-06-01&to=2026-06-30&store=s2')).series).toEqual([
      { period: '2026-06-02', channel: 'sms', inbound: 1, outbound: 0 },
    ]);
    // c3 wrote Wednesday 8h and Saturday 20h: both outside staffed hours.
    expect(await get(a, 'coverage?from=2026-06-01&to=2026-06-30&segment=at_risk')).toMatchObject({ inbound: 2, inbound_in_staffed_hours: 0, coverage: 0 });
    expect(await get(a, 'coverage?from=2026-06-01&to=2026-06-30&channel=email&store=s1')).toMatchObject({ inbound: 3, inbound_in_staffed_hours: 1 });
  });

  it("filters the loop by the complaint's channel and the customer's dims", async () => {
    // k1 came from c3's NPS answer by sms: closed and told, 2 actions by people: 2 x 10 min = 1/3 h x 60 = 20.
    expect(await get(a, 'loop?from=2026-06-01&to=2026-06-30&channel=sms')).toMatchObject({
      cases: 1,
      closed: 1,
      customers_told: 1,
      loop_closure_rate: 1,
      agent_hours: 0.33,
      cost_per_complaint: 20,
    });
    // k2 is c4's (s2, silver): 1 action, 10 min -> 10.
    expect(await get(a, 'loop?from=2026-06-01&to=2026-06-30&store=s2')).toMatchObject({ cases: 1, loop_closure_rate: 0, cost_per_complaint: 10 });
    expect(await get(a, 'loop?from=2026-06-01&to=2026-06-30&tier=silver&segment=loyal')).toMatchObject({ cases: 1 });
    expect(await get(a, 'loop?from=2026-06-01&to=2026-06-30&segment=at_risk&touchpoint=delivery')).toMatchObject({ cases: 1, customers_told: 1 });
  });

  it("filters the programme by the member's segment, store, channel and touchpoint", async () => {
    // champions: c1 (gold) earned 100, spent 30; active; moved to gold in May.
    const champ = await get(a, 'programme?from=2026-05-01&to=2026-06-30&segment=champions');
    expect(champ).toMatchObject({ members: 1, active_members: 1, points_issued: 100, points_redeemed: 30, redemption_rate: 0.3, cost_per_member: null });
    expect(champ.tiers).toEqual([{ tier: 'gold', members: 1 }]);
    expect(champ.movements).toEqual([{ month: '2026-05', from_tier: null, to_tier: 'gold', customers: 1 }]);
    // s2: c2 (member without tier) and c4 (silver, earned 50, 20 expired).
    const s2 = await get(a, 'programme?from=2026-05-01&to=2026-06-30&store=s2');
    expect(s2).toMatchObject({ members: 2, active_members: 1, points_issued: 50, points_expired: 20, breakage_rate: 0.2, movements: [] });
    expect(s2.tiers).toEqual([
      { tier: null, members: 1 },
      { tier: 'silver', members: 1 },
    ]);
    // Last answer by email: c1, c2, c4.
    expect(await get(a, 'programme?from=2026-05-01&to=2026-06-30&channel=email')).toMatchObject({ members: 3, points_issued: 150 });
    // s1 at the store touchpoint: c1 alone, read from the customers of s1.
    expect(await get(a, 'programme?from=2026-05-01&to=2026-06-30&store=s1&touchpoint=store')).toMatchObject({
      members: 1,
      tiers: [{ tier: 'gold', members: 1 }],
      points_issued: 100,
      movements: [expect.objectContaining({ to_tier: 'gold' })],
    });
    // Reputation takes a channel but no customer dims: the figures are the whole volume, and say so.
    const rep = await get(a, 'reputation?from=2026-06-01&to=2026-06-30&store=s1&channel=weibo');
    expect(rep).toMatchObject({
      mentions: 3,
      filters: { from: '2026-06-01', to: '2026-06-30', channel: 'weibo' },
      filters_not_applied: { store: expect.any(String) },
    });
  });

  it('refreshes incrementally what changed since the last refresh, to the same figures as a full rebuild', async () => {
    const t = await createTestTenant(r);
    const tag = `i${randomBytes(3).toString('hex')}`;
    const cc = await seedFixture(r, t, tag);
    // What the fixture wrote is old news to the refresh: its change times go a day back (ledger entries,
    // append-only, were written with their past dates).
    for (const [table, col] of [
      ['customer_events', 'received_at'],
      ['survey_responses', 'updated_at'],
      ['cases', 'updated_at'],
      ['case_activities', 'at'],
      ['loyalty_accounts', 'updated_at'],
      ['loyalty_referrals', 'created_at'],
      ['inbox_conversations', 'updated_at'],
      ['inbox_messages', 'created_at'],
      ['listening_mentions', 'received_at'],
    ]) {
      await r.db.pool.query(`UPDATE ${table} SET ${col} = ${col} - interval '1 day' WHERE tenant_id = $1`, [t.tenantId]);
    }
    // c5's email at 11:00 on the day of the refresh, due 13:00, never answered, its row not written since.
    await insert(r, 'inbox_conversations', t.tenantId, [
      {
        id: `${tag}_cv4`,
        customer_id: cc(5),
        reply_token: `${tag}4`,
        status: 'open',
        last_channel_kind: 'email',
        created_at: '2026-06-15T11:00:00Z',
        first_response_due_at: '2026-06-15T13:00:00Z',
        updated_at: '2026-06-15T11:00:00Z',
      },
    ]);
    const full = await r.analytics.refresh(t.tenantId, AS_OF, { mode: 'full' });
    expect(full.mode).toBe('full');
    expect(await get(t, 'operations?from=2026-06-15&to=2026-06-15')).toMatchObject({ conversations: 1, first_response_sla: null });
    // Then: c3 comes back (50 at s1 on 06-10), c5 answers NPS 0 at the web, c2 writes by sms, a mention comes in.
    await insert(r, 'customer_events', t.tenantId, [
      {
        id: `${tag}_p9`,
        type: 'purchase',
        occurred_at: '2026-06-10T10:00:00Z',
        customer_id: cc(3),
        source: 'api',
        properties: { order_id: `${tag}_o9`, amount: 50, currency: 'CNY', store_id: 's1' },
      },
    ]);
    await insert(r, 'survey_responses', t.tenantId, [
      {
        id: `${tag}_r9`,
        survey_id: `${tag}_srv`,
        survey_version: 1,
        customer_id: cc(5),
        kind: 'nps',
        score: 0,
        status: 'complete',
        submitted_at: '2026-06-11T10:00:00Z',
        touchpoint: 'web',
        channel: 'web',
        topics: [],
      },
    ]);
    // Messages are found by their creation time: this one is written now, after the refresh's as-of.
    await insert(r, 'inbox_messages', t.tenantId, [
      { id: `${tag}_m9`, conversation_id: `${tag}_cv2`, customer_id: cc(2), direction: 'in', channel_kind: 'sms', author_type: 'customer' },
    ]);
    await insert(r, 'listening_mentions', t.tenantId, [
      {
        id: `${tag}_me9`,
        channel: 'forum',
        text: 'mention 9',
        published_at: '2026-06-09T10:00:00Z',
        language: 'en',
        sentiment: 'positive',
        score: 0,
        angles: ['brand'],
        reach: 5,
        simhash_hi: 9,
        simhash_lo: 9,
        band0: 9,
        band1: 9,
        band2: 9,
        band3: 9,
      },
    ]);
    // Two hours later: cv4's first response is now overdue, a target decided (and missed) with no write.
    const later = new Date(AS_OF.getTime() + 2 * 3_600_000);
    const inc = await r.analytics.refresh(t.tenantId, later, { mode: 'incremental' });
    expect(inc.mode).toBe('incremental');
    // Only c3 (a purchase) and c5 (an answer) were rewritten; one message day, one mention day, a month and a week of answers, cv4's day.
    expect(inc.changed).toMatchObject({
      customers: 2,
      message_days: 1,
      mention_days: 1,
      response_periods: 2,
      conversation_days: 1,
      case_days: 0,
      point_months: 0,
    });
    expect(await get(t, 'operations?from=2026-06-15&to=2026-06-15')).toMatchObject({ conversations: 1, first_response_sla: 0 });
    // By hand: June revenue 30 (c1) + 50 (c3); c3 no longer lapsed (Feb cohort: back at age 4); NPS now 9, 3, 10, 7, 10, 0 -> (3 - 2) / 6.
    const june = await get(t, 'customer-value?from=2026-06-01&to=2026-06-30');
    expect(june).toMatchObject({ active_customers: 2, revenue: 80, refresh_mode: 'incremental' });
    expect((await get(t, 'retention?from=2026-01-01&to=2026-06-30')).cohorts[1]).toEqual({
      cohort: '2026-02',
      customers: 1,
      lapsed: 0,
      churn_rate: 0,
      retention: [1, 0, 0, 0, 1],
    });
    expect((await get(t, 'experience?from=2026-01-01&to=2026-06-30')).totals[0]).toMatchObject({ kind: 'nps', n: 6, score: 16.67 });
    // Every measure, under a few filters, reads the same after the incremental refresh as after a full one.
    const paths = [
      'customer-value?from=2026-01-01&to=2026-06-30',
      'customer-value?touchpoint=web',
      'customer-value?store=s1&channel=sms',
      'retention?from=2026-01-01&to=2026-06-30',
      'retention?channel=email',
      'satisfied-but-left',
      'promoter-referrals',
      'promoter-referrals?touchpoint=web',
      'experience?from=2026-01-01&to=2026-06-30&interval=week',
      'experience?store=s1',
      'cx-index',
      'drivers',
      'operations?from=2026-06-01&to=2026-06-30',
      'messages?from=2026-06-01&to=2026-06-30&store=s2',
      'coverage?from=2026-06-01&to=2026-06-30',
      'loop?from=2026-06-01&to=2026-06-30',
      'programme?from=2026-05-01&to=2026-06-30&segment=champions',
      'programme',
      'reputation?from=2026-06-01&to=2026-06-30',
      'churn-risk',
    ];
    // The churn model is the last full rebuild's until the next one retrains it: only its scores are compared.
    const strip = ({ refreshed_at: _a, refresh_mode: _b, rebuilt_at: _c, model: _d, ...rest }: Record<string, unknown>) => rest;
    const after = await Promise.all(paths.map(async (p) => strip(await get(t, p))));
    expect((await r.analytics.refresh(t.tenantId, later, { mode: 'full' })).mode).toBe('full');
    const rebuilt = await Promise.all(paths.map(async (p) => strip(await get(t, p))));
    for (let i = 0; i < paths.length; i++) expect(after[i], paths[i]).toEqual(rebuilt[i]);
  });

  it('keeps one watermark for every source table, and builds on the per-table copies an earlier version kept', async () => {
    const t = await createTestTenant(r);
    const tag = `w${randomBytes(3).toString('hex')}`;
    const cc = await seedFixture(r, t, tag);
    const watermarks = async () => (await r.db.pool.query('SELECT watermarks FROM analytics_refreshes WHERE tenant_id = $1', [t.tenantId])).rows[0].watermarks;
    expect((await r.analytics.refresh(t.tenantId, AS_OF, { mode: 'full' })).mode).toBe('full');
    expect(Object.keys(await watermarks())).toEqual(['all']);
    // As an earlier version left it: one copy per source table, all equal, here a moment after the fixture was written.
    const sources = [
      'customer_events',
      'survey_responses',
      'cases',
      'case_activities',
      'loyalty_accounts',
      'loyalty_referrals',
      'loyalty_entries',
      'customers',
      'inbox_conversations',
      'inbox_messages',
      'listening_mentions',
    ];
    await r.db.pool.query(`UPDATE analytics_refreshes SET watermarks = (SELECT jsonb_object_agg(s, now()) FROM unnest($2::text[]) s) WHERE tenant_id = $1`, [
      t.tenantId,
      sources,
    ]);
    await insert(r, 'customer_events', t.tenantId, [
      {
        id: `${tag}_p9`,
        type: 'purchase',
        occurred_at: '2026-06-10T10:00:00Z',
        customer_id: cc(3),
        source: 'api',
        properties: { order_id: `${tag}_o9`, amount: 50, currency: 'CNY', store_id: 's1' },
      },
    ]);
    // Only c3's purchase is behind the old watermark; the refresh keeps one watermark again.
    expect(await r.analytics.refresh(t.tenantId, AS_OF, { mode: 'incremental' })).toMatchObject({
      mode: 'incremental',
      changed: { customers: 1, response_periods: 0, mention_days: 0 },
    });
    expect(Object.keys(await watermarks())).toEqual(['all']);
    expect(await get(t, 'customer-value?from=2026-06-01&to=2026-06-30')).toMatchObject({ active_customers: 2, revenue: 80 });
  });

  it('refreshes a tenant once at a time, the later building on the earlier, while another tenant refreshes beside it', async () => {
    const t = await createTestTenant(r);
    const u = await createTestTenant(r);
    await seedFixture(r, t, `l${randomBytes(3).toString('hex')}`);
    await seedFixture(r, u, `m${randomBytes(3).toString('hex')}`);
    if (name === 'postgres') {
      // The test holds t's refresh lock, as a refresh of t in progress on another node would.
      const holder = await r.db.pool.connect();
      try {
        await holder.query('BEGIN');
        await lockTenantRefresh(holder, t.tenantId);
        const {
          rows: [{ pid }],
        } = await holder.query('SELECT pg_backend_pid() AS pid');
        const waiting = async () =>
          (await r.db.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rows[0].n;
        const settled: string[] = [];
        const first = r.analytics.refresh(t.tenantId, AS_OF, { mode: 'full' }).finally(() => settled.push('first'));
        await expect.poll(waiting, { timeout: 60_000 }).toBe(1);
        const second = r.analytics.refresh(t.tenantId, AS_OF, { mode: 'incremental' }).finally(() => settled.push('second'));
        await expect.poll(waiting, { timeout: 60_000 }).toBe(2);
        // u's refresh is not held up by t's lock.
        const other = r.analytics.refresh(u.tenantId, AS_OF).finally(() => settled.push('other'));
        await expect.poll(() => settled, { timeout: 60_000 }).toEqual(['other']);
        expect((await other).mode).toBe('full');
        expect(await waiting()).toBe(2);
        await holder.query('COMMIT');
        // The second waited for the first's commit and read what it wrote: there was a full rebuild to build on.
        expect((await first).mode).toBe('full');
        expect(await second).toMatchObject({ mode: 'incremental', changed: { customers: 5 } });
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
    } else {
      // The embedded database is one backend and runs one transaction at a time, whatever the tenant.
      const runs = await Promise.all([
        r.analytics.refresh(t.tenantId, AS_OF, { mode: 'full' }),
        r.analytics.refresh(t.tenantId, AS_OF, { mode: 'incremental' }),
        r.analytics.refresh(u.tenantId, AS_OF),
      ]);
      expect(runs.map((x) => x.mode)).toContain('full');
    }
    // Neither tenant's figures were counted twice.
    for (const x of [t, u]) expect(await get(x, 'customer-value?from=2026-06-01&to=2026-06-30')).toMatchObject({ revenue: 30 });
    expect((await get(t, 'experience?from=2026-01-01&to=2026-06-30')).totals[0]).toMatchObject({ kind: 'nps', n: 5 });
  });

  // The embedded database runs one transaction at a time, so two refreshes are never in progress at once there.
  it.skipIf(name !== 'postgres')('cancels every refresh in progress when it stops', async () => {
    const t = await createTestTenant(r);
    const u = await createTestTenant(r);
    const node = await startTestApp(url, { jobs: false });
    const holder = await r.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await lockTenantRefresh(holder, t.tenantId);
      await lockTenantRefresh(holder, u.tenantId);
      const {
        rows: [{ pid }],
      } = await holder.query('SELECT pg_backend_pid() AS pid');
      const waiting = async () =>
        (await r.db.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rows[0].n;
      const runs = [t, u].map((x) =>
        node.analytics.refresh(x.tenantId, AS_OF).then(
          () => 'refreshed',
          (err) => (err as { code?: string }).code ?? (err as Error).message,
        ),
      );
      await expect.poll(waiting, { timeout: 60_000 }).toBe(2);
      await node.analytics.stop();
      await holder.query('COMMIT');
      // 57014: query_canceled. Both were cancelled, not only the last to start.
      expect(await Promise.all(runs)).toEqual(['57014', '57014']);
      await expect(node.analytics.refresh(t.tenantId, AS_OF)).rejects.toThrow('analytics is shutting down');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
      await node.close();
    }
  });

  it("sums revenue in the loyalty base currency at the tenant's rates, and counts apart purchases in a currency without one", async () => {
    const t = await createTestTenant(r);
    const tag = `x${randomBytes(3).toString('hex')}`;
    const cc = await seedFixture(r, t, tag);
    const rates = await r.app.inject({ method: 'PATCH', url: '/v1/settings/loyalty', headers: t.headers, payload: { currency_rates: { GBP: 9.1 } } });
    expect(rates.statusCode, rates.body).toBe(200);
    // June: c1 30 CNY (fixture), c3 10 GBP (= 91 CNY), c4 5 USD and 7 USD (no rate) and 2 USD in May.
    const buy = (n: number, cus: number, at: string, amount: number, currency: string) => ({
      id: `${tag}_q${n}`,
      type: 'purchase',
      occurred_at: at,
      customer_id: cc(cus),
      source: 'api',
      properties: { order_id: `${tag}_q${n}`, amount, currency, store_id: 's1' },
    });
    await insert(r, 'customer_events', t.tenantId, [
      buy(1, 3, '2026-06-10T10:00:00Z', 10, 'GBP'),
      buy(2, 4, '2026-06-11T10:00:00Z', 5, 'USD'),
      buy(3, 4, '2026-06-12T10:00:00Z', 7, 'USD'),
      buy(4, 4, '2026-05-20T10:00:00Z', 2, 'USD'),
    ]);
    await r.analytics.refresh(t.tenantId, AS_OF, { mode: 'full' });
    const june = await get(t, 'customer-value?from=2026-06-01&to=2026-06-30');
    expect(june).toMatchObject({ currency: 'CNY', orders: 4, revenue: 121, currencies_not_converted: [{ currency: 'USD', purchases: 2, amount: 12 }] });
    expect((await get(t, 'customer-value?from=2026-05-01&to=2026-06-30')).currencies_not_converted).toEqual([{ currency: 'USD', purchases: 3, amount: 14 }]);
    // The customer filters apply to what is counted apart as to revenue: c4 is at s2.
    expect(await get(t, 'customer-value?from=2026-06-01&to=2026-06-30&store=s1')).toMatchObject({ currencies_not_converted: [] });
    // An incremental refresh keeps the figures a full rebuild gives.
    await insert(r, 'customer_events', t.tenantId, [buy(5, 1, '2026-06-13T10:00:00Z', 1, 'USD')]);
    expect((await r.analytics.refresh(t.tenantId, AS_OF, { mode: 'incremental' })).mode).toBe('incremental');
    expect(await get(t, 'customer-value?from=2026-06-01&to=2026-06-30')).toMatchObject({
      orders: 5,
      revenue: 121,
      currencies_not_converted: [{ currency: 'USD', purchases: 3, amount: 13 }],
    });
  });

  it("keeps tenants apart: B's extra purchase is in B's figures only", async () => {
    const va = await get(a, 'customer-value?from=2026-06-01&to=2026-06-30');
    const vb = await get(b, 'customer-value?from=2026-06-01&to=2026-06-30');
    expect(va.revenue).toBe(30);
    expect(vb.revenue).toBe(10030);
    const list = await r.app.inject({ method: 'GET', url: '/v1/analytics/satisfied-but-left', headers: a.headers });
    expect(list.body).not.toContain(bTag);
  });

  it("filters by a saved outreach segment: its members' figures, the same as an RFM segment with the same members", async () => {
    const saveSegment = async (t: TestTenant, rules: unknown) => {
      const res = await r.app.inject({
        method: 'POST',
        url: '/v1/outreach/segments',
        headers: t.headers,
        payload: { name: `seg ${randomBytes(3).toString('hex')}`, rules },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // CLV 100 and more: c1 (600), c2 (300), c3 (120); not c4 (90) nor c5 (none).
    const big = await saveSegment(a, { field: 'value.clv', op: 'gte', value: 100 });
    const range = 'from=2026-01-01&to=2026-06-30';
    // c1 180 in 3 orders, c2 200 in 1 (core), c3 100 in 2: all three active in the range, c1 and c3 repeat.
    const value = await get(a, `customer-value?${range}&segment=${big}`);
    expect(value).toMatchObject({
      customers: 3,
      active_customers: 3,
      orders: 6,
      revenue: 480,
      repeat_customers: 2,
      repeat_purchase_rate: 0.6667,
      core_revenue: 200,
    });
    expect(value.filters).toEqual({ from: '2026-01-01', to: '2026-06-30', segment: big });
    expect(value.filters_not_applied).toBeUndefined();
    expect(value.segments).toEqual(
      expect.arrayContaining([
        { segment: 'champions', customers: 1 },
        { segment: 'lost', customers: 1 },
      ]),
    );
    // Their answers: NPS 9 (c2), 3 (c3), 10 (c1): 2 promoters, 1 detractor; CSAT 5 (c1); no CES (c4's is not theirs).
    const totals = (await get(a, `experience?${range}&segment=${big}`)).totals;
    expect(totals[0]).toMatchObject({ kind: 'nps', n: 3 });
    expect(totals[0].score).toBeCloseTo(33.33, 1);
    expect(totals.slice(1)).toEqual([
      expect.objectContaining({ kind: 'csat', n: 1, score: 100 }),
      { kind: 'ces', n: 0, score: null, ci_low: null, ci_high: null },
    ]);
    // Promoters by last NPS: c1 (referred c4) and c2; satisfied and left: c2.
    expect(await get(a, `promoter-referrals?segment=${big}`)).toMatchObject({ promoters: 2, promoters_who_referred: 1, share: 0.5 });
    expect(await get(a, `satisfied-but-left?segment=${big}`)).toMatchObject({ count: 1, customers: [expect.objectContaining({ customer_id: c(2) })] });
    // Members c1 (gold, moved in May) and c2 (no tier); points are rolled up by RFM segment only: null, not the programme's.
    const prog = await get(a, `programme?from=2026-05-01&to=2026-06-30&segment=${big}`);
    expect(prog).toMatchObject({ members: 2, active_members: null, points_issued: null, redemption_rate: null });
    expect(prog.tiers).toEqual([
      { tier: null, members: 1 },
      { tier: 'gold', members: 1 },
    ]);
    expect(prog.movements).toEqual([{ month: '2026-05', from_tier: null, to_tier: 'gold', customers: 1 }]);
    // Conversations, messages and complaints cannot be selected by member: the whole figures, and the answer says so.
    for (const m of ['operations', 'messages', 'coverage', 'loop']) {
      const v = await get(a, `${m}?from=2026-06-01&to=2026-06-30&segment=${big}`);
      expect(v.filters_not_applied?.segment, m).toEqual(expect.stringContaining('saved segment'));
      expect(v.filters.segment, m).toBeUndefined();
    }
    expect(await get(a, `operations?from=2026-06-01&to=2026-06-30&segment=${big}`)).toMatchObject({ conversations: 3 });

    // CLV 500 and more: c1 alone, who is the one champion: every customer measure gives the champions' figures.
    const top = await saveSegment(a, { field: 'value.clv', op: 'gte', value: 500 });
    const strip = (v: Record<string, unknown>) => {
      const { filters: _f, refreshed_at: _r, ...rest } = v;
      return rest;
    };
    for (const m of [
      `customer-value?${range}`,
      `retention?${range}`,
      `experience?${range}`,
      `cx-index?${range}`,
      'promoter-referrals',
      'satisfied-but-left',
      `drivers?${range}`,
      'churn-risk',
    ]) {
      const sep = m.includes('?') ? '&' : '?';
      expect(strip(await get(a, `${m}${sep}segment=${top}`)), m).toEqual(strip(await get(a, `${m}${sep}segment=champions`)));
    }
    const champ = await get(a, `programme?from=2026-05-01&to=2026-06-30&segment=champions`);
    const topProg = await get(a, `programme?from=2026-05-01&to=2026-06-30&segment=${top}`);
    expect({ members: topProg.members, tiers: topProg.tiers, movements: topProg.movements }).toEqual({
      members: champ.members,
      tiers: champ.tiers,
      movements: champ.movements,
    });
    // A store with it reads the customers of both: c1 first bought at s1.
    expect(await get(a, `customer-value?${range}&segment=${top}&store=s1`)).toMatchObject({ customers: 1, revenue: 180 });
    expect(await get(a, `customer-value?${range}&segment=${top}&store=s2`)).toMatchObject({ customers: 0, revenue: 0 });

    // Another tenant's segment, or none at all, is an unknown segment here.
    const theirs = await saveSegment(b, { field: 'value.clv', op: 'gte', value: 100 });
    for (const id of [theirs, 'seg_nope']) {
      for (const m of ['customer-value', 'experience', 'operations']) {
        const res = await r.app.inject({ method: 'GET', url: `/v1/analytics/${m}?segment=${id}`, headers: a.headers });
        expect(res.statusCode, `${m} ${id}`).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors).toEqual([{ field: 'segment', message: expect.stringContaining('saved segment') }]);
      }
    }
    // B's own segment works for B: its c1..c3 with B's extra 10000 purchase by c1.
    expect(await get(b, `customer-value?${range}&segment=${theirs}`)).toMatchObject({ customers: 3, revenue: 480 + 10000 });
  });

  it('refuses parameters a measure does not take, by name, as problem+json; names the filters it cannot apply', async () => {
    const res = await r.app.inject({ method: 'GET', url: '/v1/analytics/customer-value?interval=week&limit=5', headers: a.headers });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'FILTER_NOT_APPLICABLE', errors: [{ field: 'interval' }, { field: 'limit' }] });
    // A range on churn risk (a snapshot) is accepted, and the answer says it was not applied.
    const snap = await get(a, 'churn-risk?from=2026-01-01&tier=gold');
    expect(snap.filters).toEqual({ tier: 'gold' });
    expect(snap.filters_not_applied).toEqual({ range: expect.stringContaining('as of the last refresh') });
    // Every measure answers every filter: 200 for each, and those not applied are listed with why.
    const all = 'from=2026-01-01&to=2026-06-30&segment=loyal&channel=email&touchpoint=delivery&tier=silver&store=s2';
    for (const m of [
      'customer-value',
      'retention',
      'churn-risk',
      'satisfied-but-left',
      'promoter-referrals',
      'experience',
      'drivers',
      'cx-index',
      'operations',
      'messages',
      'coverage',
      'loop',
      'programme',
      'reputation',
    ]) {
      const v = await get(a, `${m}?${all}`);
      expect(Object.keys(v.filters).length + Object.keys(v.filters_not_applied ?? {}).length, m).toBeGreaterThanOrEqual(6);
    }
    expect((await get(a, `reputation?${all}`)).filters_not_applied).toEqual({
      segment: expect.any(String),
      tier: expect.any(String),
      store: expect.any(String),
      touchpoint: expect.any(String),
    });
    expect((await get(a, `operations?${all}`)).filters_not_applied).toEqual({ touchpoint: expect.any(String) });
    // c4 is the one loyal silver customer of s2 whose last answer was by email at delivery: both purchases.
    expect(await get(a, `customer-value?${all}`)).toMatchObject({ customers: 1, active_customers: 1, orders: 2, revenue: 100 });
    const backwards = await r.app.inject({ method: 'GET', url: '/v1/analytics/operations?from=2026-06-10&to=2026-06-01', headers: a.headers });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors).toEqual([expect.objectContaining({ field: 'from' })]);
    const bad = await r.app.inject({ method: 'GET', url: '/v1/analytics/operations?from=yesterday', headers: a.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].field).toBe('query.from');
    for (const m of ['customer-value', 'experience', 'drivers', 'programme', 'churn-risk']) {
      const unknown = await r.app.inject({ method: 'GET', url: `/v1/analytics/${m}?segment=champion`, headers: a.headers });
      expect(unknown.statusCode, m).toBe(422);
      expect(unknown.json().errors, m).toEqual([{ field: 'segment', message: expect.stringContaining('champions, loyal') }]);
    }
    const table = await r.app.inject({ method: 'GET', url: '/v1/analytics/retention?format=csv&table=nope', headers: a.headers });
    expect(table.statusCode).toBe(422);
    expect(table.json().errors[0]).toMatchObject({ field: 'table', message: 'must be one of cohorts, retention' });
  });

  it('exports any table of a measure as CSV', async () => {
    const res = await r.app.inject({
      method: 'GET',
      url: '/v1/analytics/retention?from=2026-01-01&to=2026-06-30&format=csv&table=retention',
      headers: a.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('cohort,age,customers,retention');
    expect(lines).toContain('2026-01,5,1,0.5');
    expect(lines).toHaveLength(1 + 6 + 1 + 3);
    const first = await r.app.inject({ method: 'GET', url: '/v1/analytics/satisfied-but-left?format=csv', headers: a.headers });
    expect(first.body.split('\r\n')[1]).toContain(c(2));

    // Every table of every measure: the names from the refusal of an unknown one, then each as CSV whose
    // rows are the JSON answer's (filtered answers too).
    const tables: Record<string, string[]> = {};
    for (const m of [
      'customer-value',
      'retention',
      'churn-risk',
      'satisfied-but-left',
      'promoter-referrals',
      'experience',
      'drivers',
      'cx-index',
      'operations',
      'messages',
      'coverage',
      'loop',
      'programme',
      'reputation',
    ]) {
      const bad = await r.app.inject({ method: 'GET', url: `/v1/analytics/${m}?format=csv&table=nope`, headers: a.headers });
      expect(bad.statusCode, m).toBe(422);
      tables[m] = (bad.json().errors[0].message as string).replace('must be one of ', '').split(', ');
      for (const table of tables[m]) {
        const csv = await r.app.inject({ method: 'GET', url: `/v1/analytics/${m}?format=csv&table=${table}&store=s1`, headers: a.headers });
        expect(csv.statusCode, `${m} ${table}`).toBe(200);
        expect(csv.headers['content-disposition']).toBe(`attachment; filename="${m}-${table}.csv"`);
        expect(csv.body.endsWith('\r\n')).toBe(true);
      }
    }
    expect(Object.values(tables).flat()).toHaveLength(31);
    const cx = await r.app.inject({ method: 'GET', url: '/v1/analytics/cx-index?from=2026-01-01&to=2026-06-30&store=s1&format=csv', headers: a.headers });
    expect(cx.body.split('\r\n').slice(0, 3)).toEqual([
      'touchpoint,cx_index,nps,nps_answers,csat,csat_answers,ces,ces_answers',
      'store,100,100,1,100,1,,0',
      'delivery,0,-100,1,,0,,0',
    ]);
  });

  it('refreshes on demand and shows the freshness with every measure', async () => {
    const res = await r.app.inject({ method: 'POST', url: '/v1/analytics/refresh', headers: b.headers });
    expect(res.statusCode, res.body).toBe(200);
    // The last full rebuild is minutes old: only what changed is refreshed, here every customer of B,
    // all of whom crossed the lapse line between the fixture's date and now.
    expect(res.json()).toMatchObject({ mode: 'incremental', changed: { customers: 5 } });
    expect((await get(b, 'loop')).rebuilt_at).toBe(res.json().full_at);
    const v = await get(b, 'loop');
    expect(v.refreshed_at).toBe(res.json().refreshed_at);
    // As of now, every customer of B's fixture has lapsed.
    expect((await get(b, 'retention?from=2026-01-01&to=2026-06-30')).cohorts.map((x: { lapsed: number }) => x.lapsed)).toEqual([2, 1, 1]);
  });

  it('mails the weekly digest over SMTP with this week against the last', async () => {
    // As of Monday 06-15: this week 06-08..06-14 (1 mention, nothing else), last week 06-01..06-07
    // (3 conversations, 2 cases, 3 mentions, c1's NPS 10).
    const res = await r.app.inject({ method: 'POST', url: '/v1/analytics/digest', headers: a.headers });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.recipients).toBe(1);
    const fig = (name: string) => d.figures.find((f: { name: string }) => f.name === name);
    expect(fig('Conversations')).toEqual({ name: 'Conversations', this_week: 0, last_week: 3, change: -3 });
    expect(fig('Mentions')).toEqual({ name: 'Mentions', this_week: 1, last_week: 3, change: -2 });
    expect(fig('Cases opened')).toEqual({ name: 'Cases opened', this_week: 0, last_week: 2, change: -2 });
    expect(fig('NPS')).toEqual({ name: 'NPS', this_week: null, last_week: 100, change: null });
    await expect.poll(() => smtp.messages.length).toBe(1);
    expect(smtp.messages[0].to).toEqual(['boss@example.com']);
    expect(smtp.messages[0].data).toMatch(/^X-Rapport-Digest: analytics-weekly/m);
    const mail = smtp.messages[0].mail;
    expect(mail.subject).toBe(d.subject);
    expect(mail.subject).toContain('2026-06-08 to 2026-06-14');
    expect(mail.text).toMatch(/Conversations\s+0\s+\(last week 3, -3\)/);
  });

  it('takes the digest weeks across a year end, from the refresh the clock dates', async () => {
    const y = await createTestTenant(r);
    const tag = `y${randomBytes(3).toString('hex')}`;
    const put = await r.app.inject({
      method: 'PUT',
      url: '/v1/analytics/settings',
      headers: y.headers,
      payload: { hourly_cost: 60, minutes_per_action: 10, timezone: 'UTC', digest_recipients: [], staffed_hours: { 1: ['09:00', '18:00'] } },
    });
    expect(put.statusCode, put.body).toBe(200);
    await insert(r, 'customers', y.tenantId, [{ id: `${tag}_c1` }]);
    await insert(r, 'surveys', y.tenantId, [{ id: `${tag}_srv`, name: 'After', kind: 'nps' }]);
    const answer = (n: number, score: number, at: string) => ({
      id: `${tag}_r${n}`,
      survey_id: `${tag}_srv`,
      survey_version: 1,
      customer_id: `${tag}_c1`,
      kind: 'nps',
      score,
      status: 'complete',
      submitted_at: at,
      touchpoint: 'web',
      channel: 'web',
      topics: [],
    });
    // 2026 ends on a Thursday: ISO week 53 runs from Monday 12-28 to Sunday 2027-01-03.
    await insert(r, 'survey_responses', y.tenantId, [
      answer(1, 10, '2026-12-27T23:59:00Z'),
      answer(2, 10, '2026-12-29T10:00:00Z'),
      answer(3, 0, '2027-01-02T10:00:00Z'),
      answer(4, 10, '2027-01-03T23:59:00Z'),
      answer(5, 0, '2027-01-04T00:05:00Z'),
    ]);
    const mention = (n: number, at: string) => ({
      id: `${tag}_me${n}`,
      channel: 'forum',
      text: `mention ${n}`,
      published_at: at,
      language: 'en',
      sentiment: 'positive',
      score: 0,
      angles: ['brand'],
      reach: 5,
      simhash_hi: n,
      simhash_lo: n,
      band0: n,
      band1: n,
      band2: n,
      band3: n,
    });
    await insert(r, 'listening_mentions', y.tenantId, [
      mention(1, '2026-12-21T00:00:00Z'),
      mention(2, '2026-12-31T23:30:00Z'),
      mention(3, '2027-01-01T00:30:00Z'),
      mention(4, '2027-01-04T00:05:00Z'),
    ]);
    const digestAt = async (at: string) => {
      r.clock.set(at);
      const refreshed = await r.app.inject({ method: 'POST', url: '/v1/analytics/refresh', headers: y.headers });
      expect(refreshed.json().as_of.slice(0, 16)).toBe(at.slice(0, 16));
      const d = (await r.app.inject({ method: 'POST', url: '/v1/analytics/digest', headers: y.headers })).json();
      const fig = (name: string) => d.figures.find((f: { name: string }) => f.name === name);
      return { week: d.week, previous: d.previous_week, subject: d.subject, nps: fig('NPS'), mentions: fig('Mentions') };
    };
    // New Year's Day, a Friday: the last whole week is 12-21..12-27.
    expect(await digestAt('2027-01-01T00:20:00Z')).toEqual({
      week: { from: '2026-12-21', to: '2026-12-27' },
      previous: { from: '2026-12-14', to: '2026-12-20' },
      subject: `Test ${y.slug} weekly figures, 2026-12-21 to 2026-12-27`,
      nps: { name: 'NPS', this_week: 100, last_week: null, change: null },
      mentions: { name: 'Mentions', this_week: 1, last_week: 0, change: 1 },
    });
    // The first Monday of 2027: the week that straddles the year, against the one before.
    expect(await digestAt('2027-01-04T00:20:00Z')).toEqual({
      week: { from: '2026-12-28', to: '2027-01-03' },
      previous: { from: '2026-12-21', to: '2026-12-27' },
      subject: `Test ${y.slug} weekly figures, 2026-12-28 to 2027-01-03`,
      nps: { name: 'NPS', this_week: 33.33, last_week: 100, change: -66.67 },
      mentions: { name: 'Mentions', this_week: 2, last_week: 1, change: 1 },
    });
  });
});
