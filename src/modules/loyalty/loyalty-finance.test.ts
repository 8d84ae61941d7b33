// The loyalty figures money depends on: purchases in other currencies, refunds that arrive before their
// purchase, goodwill and tiers, balances as of now, and the finance view (cancelled redemptions, sales net
// of refunds, one breakage figure with its basis, points about to expire).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { createTestClock } from '../../platform/clock.js';
import { loyaltyApi } from './test-support.js';

const DAY = 86_400_000;

describe.each(databases)('loyalty finance on $name', ({ url }) => {
  // Tests move the clock forward only, each from an instant it names.
  const clock = createTestClock('2026-01-10T10:00:00Z');
  let r: Rapport;
  let t: TestTenant;
  beforeAll(async () => {
    r = await startTestApp(url, { clock });
    t = await createTestTenant(r);
    const res = await call('PUT', '/v1/loyalty/program', {
      point_value: 0.01,
      tiers: [
        { id: 'silver', name: 'Silver', threshold: 0 },
        { id: 'gold', name: 'Gold', threshold: 1000 },
      ],
      tier_qualification: { metric: 'points', window: 'rolling', rolling_days: 365, grace_days: 30 },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => r?.close());

  const { call, key, newCustomer, earn, balance } = loyaltyApi(() => ({ r, t }));
  const liability = async () => {
    const res = await call('GET', '/v1/loyalty/liability');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const cohortOf = async (month: string) => (await liability()).cohorts.find((c: { cohort: string }) => c.cohort === month);

  it('estimates breakage from matured cohorts once there is enough history, and says so', async () => {
    clock.set(new Date('2026-01-10T10:00:00Z'));
    const before = await liability();
    expect(before).toMatchObject({ breakage_rate: 0.2, breakage_basis: 'assumption', breakage_assumption: 0.2, breakage_sample: { cohorts: 0, points: 0 } });
    // January: 1,000 points, 700 spent, the other 300 expire on the 20th.
    const c = await newCustomer();
    expect((await earn(c, 1000, { expires_at: '2026-01-20T00:00:00Z' })).statusCode).toBe(201);
    expect((await call('POST', '/v1/loyalty/spend', { customer_id: c, points: 700, idempotency_key: key() })).statusCode).toBe(201);
    clock.set(new Date('2026-02-02T10:00:00Z'));
    await r.loyalty.runExpiry(clock.now(), t.tenantId);
    const l = await liability();
    expect(l).toMatchObject({
      breakage_rate: 0.3,
      breakage_basis: 'history',
      breakage_sample: { cohorts: 1, points: 1000 },
      expected_redemption_rate: 0.7,
      expected_redemption_basis: 'history',
    });
    expect(l.cohorts.find((x: { cohort: string }) => x.cohort === '2026-01')).toMatchObject({ issued: 1000, redeemed: 700, expired: 300, outstanding: 0 });
  });

  it('reports a cancelled redemption as never redeemed, not as newly issued points', async () => {
    clock.set(new Date('2026-02-03T10:00:00Z'));
    const c = await newCustomer();
    const before = (await cohortOf('2026-02')) ?? { issued: 0, redeemed: 0, outstanding: 0 };
    await earn(c, 500, { expires_at: '2026-12-01T00:00:00Z' });
    const reward = (await call('POST', '/v1/loyalty/rewards', { name: 'Mug', cost_points: 300 })).json();
    const red = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: reward.id, idempotency_key: key() });
    expect(red.statusCode, red.body).toBe(201);
    const cancel = await call('POST', `/v1/loyalty/redemptions/${red.json().redemption.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().balance).toEqual({ available: 500, pending: 0, debt: 0 });
    // The points are back in the lot they came from, with its expiry.
    const { rows: lots } = await r.db.pool.query('SELECT amount, remaining, expires_at FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2', [
      t.tenantId,
      c,
    ]);
    expect(lots).toEqual([{ amount: 500, remaining: 500, expires_at: new Date('2026-12-01T00:00:00Z') }]);
    const after = await cohortOf('2026-02');
    expect({ issued: after.issued - before.issued, redeemed: after.redeemed - before.redeemed, outstanding: after.outstanding - before.outstanding }).toEqual({
      issued: 500,
      redeemed: 0,
      outstanding: 500,
    });
    const tier = (await liability()).tiers.find((x: { tier: string | null }) => x.tier === null);
    expect(tier.points_redeemed).toBe(700);
  });

  it("returns a cancelled redemption's points that expired meanwhile as expired, and the balance says so", async () => {
    clock.set(new Date('2026-02-04T10:00:00Z'));
    const c = await newCustomer();
    await earn(c, 100, { expires_at: '2026-02-10T00:00:00Z' });
    const reward = (await call('POST', '/v1/loyalty/rewards', { name: 'Pen', cost_points: 100 })).json();
    const red = (await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: reward.id, idempotency_key: key() })).json();
    clock.set(new Date('2026-02-11T10:00:00Z'));
    const cancel = await call('POST', `/v1/loyalty/redemptions/${red.redemption.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ points: 100, expired_on_return: 100, balance: { available: 0 } });
    expect(await balance(c)).toMatchObject({ available: 0 });
    // A replay answers what the first call answered.
    expect((await call('POST', `/v1/loyalty/redemptions/${red.redemption.id}/cancel`)).json()).toMatchObject({
      expired_on_return: 100,
      balance: { available: 0 },
    });
  });

  it("takes sales net of refunds and by currency, converting at the tenant's rates and refusing a currency without one", async () => {
    clock.set(new Date('2026-03-02T10:00:00Z'));
    const patch = await call('PATCH', '/v1/settings/loyalty', { currency_rates: { GBP: 9.1 } });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ base_currency: 'CNY', currency_rates: { GBP: 9.1 }, goodwill_toward_tier: {} });
    const bad = await call('PATCH', '/v1/settings/loyalty', { currency_rates: { gbp: -1 } });
    expect(bad.statusCode).toBe(422);
    const email = `${randomBytes(6).toString('hex')}@example.com`;
    const c = await newCustomer(email);
    const gbp = await call('POST', '/v1/loyalty/purchases', { customer_id: c, order_id: 'g-1', amount: 10, currency: 'GBP', idempotency_key: key() });
    expect(gbp.statusCode, gbp.body).toBe(201);
    expect(gbp.json()).toMatchObject({ points: 91, base_amount: 91, base_currency: 'CNY', rate: 9.1 });
    const cny = await call('POST', '/v1/loyalty/purchases', { customer_id: c, order_id: 'c-1', amount: 200, currency: 'CNY', idempotency_key: key() });
    expect(cny.json().points).toBe(200);
    const half = await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'g-1', amount: 5, idempotency_key: key() });
    expect(half.json()).toMatchObject({ reversed: 46 });
    await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'c-1', amount: 50, idempotency_key: key() });
    // Through the API, a currency without a rate is refused, naming the field.
    const usd = await call('POST', '/v1/loyalty/purchases', { customer_id: c, order_id: 'u-1', amount: 10, currency: 'USD', idempotency_key: key() });
    expect(usd.statusCode).toBe(422);
    expect(usd.json()).toMatchObject({ code: 'LOYALTY_CURRENCY_NOT_CONFIGURED', errors: [{ field: 'currency' }] });
    // An ingested purchase in it is stored, earns nothing, and the ledger says why.
    const ingest = await call('POST', '/v1/events', {
      events: [
        {
          id: `usd-${randomBytes(4).toString('hex')}`,
          type: 'purchase',
          occurred_at: clock.now().toISOString(),
          identities: { email },
          properties: { order_id: 'u-2', amount: 30, currency: 'USD' },
        },
      ],
    });
    expect(ingest.json().accepted).toBe(1);
    await r.bus.drain();
    const {
      rows: [refused],
    } = await r.db.pool.query(`SELECT points, money, result FROM loyalty_transactions WHERE tenant_id = $1 AND reference = 'u-2'`, [t.tenantId]);
    expect(refused).toMatchObject({ points: 0, money: null, result: { refused: { code: 'LOYALTY_CURRENCY_NOT_CONFIGURED' } } });
    expect(refused.result.refused.message).toMatch(/USD/);
    expect(await balance(c)).toMatchObject({ available: 91 - 46 + 200 - 50 });
    const l = await liability();
    expect(l.base_currency).toBe('CNY');
    expect(l.sales_by_currency).toEqual(
      expect.arrayContaining([
        { currency: 'GBP', purchases: 1, sales: 5, sales_in_base: 45.5, refused_purchases: 0, refused_sales: 0 },
        { currency: 'USD', purchases: 0, sales: 0, sales_in_base: 0, refused_purchases: 1, refused_sales: 30 },
      ]),
    );
    // The March cohort's sales are in CNY and net of both refunds: 45.5 + 150.
    expect((await cohortOf('2026-03')).sales).toBe(195.5);
  });

  it('keeps a refund that arrived long before its purchase, lists it, and applies it when the purchase lands', async () => {
    clock.set(new Date('2026-03-03T10:00:00Z'));
    const email = `${randomBytes(6).toString('hex')}@example.com`;
    const tag = randomBytes(4).toString('hex');
    const ev = (id: string, type: string, properties: object, who = email) => ({
      id: `${tag}-${id}`,
      type,
      occurred_at: clock.now().toISOString(),
      identities: { email: who },
      properties,
    });
    await call('POST', '/v1/events', { events: [ev('r1', 'refund', { order_id: `${tag}-o1`, amount: 40, currency: 'CNY' })] });
    await r.bus.drain();
    // It was received half an hour ago, and the reconciliation pass has read past it since.
    await r.db.pool.query(`UPDATE customer_events SET received_at = received_at - interval '30 minutes' WHERE tenant_id = $1 AND id = $2`, [
      t.tenantId,
      `${tag}-r1`,
    ]);
    await r.loyalty.reconcileTenant(t.tenantId);
    await call('POST', '/v1/events', { events: [ev('other', 'purchase', { order_id: `${tag}-o0`, amount: 1, currency: 'CNY' }, `${tag}@example.com`)] });
    await r.bus.drain();
    await r.loyalty.reconcileTenant(t.tenantId);
    const listed = await call('GET', '/v1/loyalty/refunds/unapplied');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data).toEqual([
      expect.objectContaining({ event_id: `${tag}-r1`, order_id: `${tag}-o1`, amount: 40, reason: expect.stringMatching(/No points were earned/) }),
    ]);
    await call('POST', '/v1/events', { events: [ev('p1', 'purchase', { order_id: `${tag}-o1`, amount: 100, currency: 'CNY' })] });
    await r.bus.drain();
    const customerId = listed.json().data[0].customer_id;
    expect((await balance(customerId)).available).toBe(100);
    expect(await r.loyalty.reconcileTenant(t.tenantId)).toBeGreaterThanOrEqual(1);
    expect((await balance(customerId)).available).toBe(60);
    expect((await call('GET', '/v1/loyalty/refunds/unapplied')).json().data).toEqual([]);
    // Applied once: another pass changes nothing.
    await r.loyalty.reconcileTenant(t.tenantId);
    expect((await balance(customerId)).available).toBe(60);
  });

  it('counts goodwill toward a tier only for the reasons the settings name', async () => {
    clock.set(new Date('2026-03-04T10:00:00Z'));
    const c = await newCustomer();
    await earn(c, 1000);
    await earn(c, 1000, { reason: 'apology' });
    expect((await balance(c)).tier).toBeNull();
    expect((await call('PATCH', '/v1/settings/loyalty', { goodwill_toward_tier: { vip_care: true } })).statusCode).toBe(200);
    // Changing one setting keeps the others.
    expect((await call('GET', '/v1/settings/loyalty')).json()).toMatchObject({ currency_rates: { GBP: 9.1 }, goodwill_toward_tier: { vip_care: true } });
    await earn(c, 5, { reason: 'vip_care' });
    expect((await balance(c)).tier).toBe('silver');
    await call('POST', '/v1/loyalty/purchases', { customer_id: c, order_id: `o-${key()}`, amount: 995, currency: 'CNY', idempotency_key: key() });
    expect((await balance(c)).tier).toBe('gold');
  });

  it("shows a balance as of now, before the expiry job runs, with the next expiry and the tier's grace end", async () => {
    clock.set(new Date('2026-04-01T10:00:00Z'));
    const c = await newCustomer();
    await earn(c, 40, { expires_at: '2026-04-02T10:00:00Z' });
    await earn(c, 60, { expires_at: '2026-06-01T00:00:00Z' });
    await earn(c, 25, { pending_days: 1 });
    expect(await balance(c)).toMatchObject({
      available: 100,
      pending: 25,
      next_expiry: { points: 40, expires_at: '2026-04-02T10:00:00.000Z' },
      tier_grace_until: null,
    });
    const l = await liability();
    const soon = (d: number) => l.expiring_soon.find((x: { within_days: number }) => x.within_days === d);
    expect(soon(30).points).toBeGreaterThanOrEqual(40);
    expect(soon(90).points - soon(30).points).toBeGreaterThanOrEqual(60);
    expect(soon(30).face_value).toBeCloseTo(soon(30).points * 0.01, 2);
    clock.set(new Date('2026-04-03T10:00:00Z'));
    // No job ran: the account row still holds the expired lot, the balance does not offer it.
    const {
      rows: [row],
    } = await r.db.pool.query('SELECT available, pending FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, c]);
    expect(row).toEqual({ available: 100, pending: 25 });
    expect(await balance(c)).toMatchObject({ available: 85, pending: 0, next_expiry: { points: 60, expires_at: '2026-06-01T00:00:00.000Z' } });
    expect((await call('POST', '/v1/loyalty/spend', { customer_id: c, points: 86, idempotency_key: key() })).json()).toMatchObject({
      code: 'LOYALTY_INSUFFICIENT_POINTS',
      available: 85,
    });
    // A review that finds a gold member below the tier starts the grace period; the balance shows its end.
    const g = await newCustomer();
    await call('POST', '/v1/loyalty/purchases', { customer_id: g, order_id: `o-${key()}`, amount: 1000, currency: 'CNY', idempotency_key: key() });
    expect((await balance(g)).tier).toBe('gold');
    const review = new Date('2027-04-10T00:00:00Z');
    await r.loyalty.reviewTiers(t.tenantId, review);
    expect(await balance(g)).toMatchObject({ tier: 'gold', tier_grace_until: new Date(review.getTime() + 30 * DAY).toISOString() });
  });
});
