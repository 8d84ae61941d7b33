import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import type { BusMessage } from '../../platform/bus.js';
import { createTestClock } from '../../platform/clock.js';
import { loyaltyApi } from './test-support.js';

const DAY = 86_400_000;

describe.each(databases)('loyalty on $name', ({ url }) => {
  // The programme runs from the middle of a month (the surprise budget is monthly); the clock moves on
  // with real time from there so that writes keep their order, and tests move it where they need to.
  const clock = createTestClock('2026-03-14T10:00:00Z');
  const now = () => clock.now().getTime();
  let r: Rapport;
  let t: TestTenant;
  const published: BusMessage[] = [];
  beforeAll(async () => {
    r = await startTestApp(url, { clock });
    t = await createTestTenant(r);
    r.bus.subscribe('loyalty.tier.changed', (m) => void published.push(m));
    r.bus.subscribe('points.expiring', (m) => void published.push(m));
    const res = await call('PUT', '/v1/loyalty/program', {
      point_value: 0.01,
      expiry: { policy: 'fixed_days', days: 365, warning_days: 30 },
      purchase: {
        base_rate: 1,
        rates: [
          { id: 'shoes', category: 'shoes', rate: 2 },
          { id: 'flagship-shoes', category: 'shoes', store_id: 'flagship', rate: 3 },
          { id: 'gold-rate', tier: 'gold', rate: 1.5 },
        ],
        campaigns: [{ id: 'double-2020', multiplier: 2, starts_at: '2020-01-01T00:00:00Z', ends_at: '2020-02-01T00:00:00Z' }],
        caps: { per_purchase: 5000 },
      },
      engagement: { review: { points: 10, max_per_day: 2 }, check_in: { points: 5, max_total: 1 }, referral: { points: 300 }, survey: { points: 20 } },
      location_surprise: {
        stores: [{ store_id: 'flagship', lat: 31.2304, lng: 121.4737, radius_m: 200 }],
        probability: 1,
        points: 50,
        monthly_budget: 100,
        max_per_customer_per_day: 5,
      },
      tiers: [
        { id: 'silver', name: 'Silver', threshold: 0 },
        { id: 'gold', name: 'Gold', threshold: 1000, earn_multiplier: 2, priority_routing: true },
      ],
      tier_qualification: { metric: 'points', window: 'rolling', rolling_days: 365, grace_days: 30 },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => r?.close());

  const { call, key, newCustomer, earn, spend, balance } = loyaltyApi(() => ({ r, t }));
  /** The ledger's own invariant for one customer: each balance equals the sum of its postings. */
  async function postingSums(customerId: string) {
    const {
      rows: [s],
    } = await r.db.pool.query(
      `SELECT coalesce(sum(amount) FILTER (WHERE account = 'available'), 0)::int AS available, coalesce(sum(amount) FILTER (WHERE account = 'pending'), 0)::int AS pending,
              coalesce(-sum(amount) FILTER (WHERE account = 'debt'), 0)::int AS debt FROM loyalty_entries WHERE tenant_id = $1 AND customer_id = $2`,
      [t.tenantId, customerId],
    );
    return s;
  }

  it('spends the soonest-expiring lot first and refuses more than the available balance', async () => {
    const c = await newCustomer();
    const late = now() + 200 * DAY;
    const soon = now() + 20 * DAY;
    expect((await earn(c, 100, { expires_at: new Date(late).toISOString() })).statusCode).toBe(201);
    expect((await earn(c, 50, { expires_at: new Date(soon).toISOString() })).statusCode).toBe(201);
    expect((await earn(c, 30, { expires_at: null })).statusCode).toBe(201);
    const s = await spend(c, 60);
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().balance).toEqual({ available: 120, pending: 0, debt: 0 });
    const { rows: lots } = await r.db.pool.query(
      'SELECT amount, remaining FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2 ORDER BY expires_at NULLS LAST',
      [t.tenantId, c],
    );
    expect(lots).toEqual([
      { amount: 50, remaining: 0 },
      { amount: 100, remaining: 90 },
      { amount: 30, remaining: 30 },
    ]);
    const tooMuch = await spend(c, 121);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.headers['content-type']).toMatch(/problem\+json/);
    expect(tooMuch.json()).toMatchObject({ code: 'LOYALTY_INSUFFICIENT_POINTS', available: 120 });
    expect(await postingSums(c)).toEqual({ available: 120, pending: 0, debt: 0 });
    const b = await balance(c);
    expect(b).toMatchObject({ available: 120, expiring_soon: { points: 0, within_days: 30 } });
  });

  it('books nothing when the lots hold fewer points than the account says (a ledger out of step with itself)', async () => {
    const c = await newCustomer();
    expect((await earn(c, 100)).statusCode).toBe(201);
    // Only a bug or a hand edit could do this: the account says 100, its lot holds 90.
    await r.db.pool.query('UPDATE loyalty_lots SET remaining = 90 WHERE tenant_id = $1 AND customer_id = $2', [t.tenantId, c]);
    const s = await spend(c, 95);
    expect(s.statusCode).toBe(500);
    expect(s.body).not.toMatch(/loyalty_accounts|null value/);
    const { rows } = await r.db.pool.query(
      `SELECT (SELECT count(*)::int FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2) AS transactions,
              (SELECT remaining FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = $2) AS remaining,
              (SELECT available FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2) AS available`,
      [t.tenantId, c],
    );
    expect(rows[0]).toEqual({ transactions: 1, remaining: 90, available: 100 });
    // What the lots do hold can still be spent.
    expect((await spend(c, 90)).statusCode).toBe(201);
  });

  it('answers a replayed key with the first result and refuses the key with another body', async () => {
    const c = await newCustomer();
    await earn(c, 100);
    const k = key();
    const first = await spend(c, 40, k);
    expect(first.statusCode).toBe(201);
    const again = await spend(c, 40, k);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const other = await spend(c, 41, k);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'LOYALTY_IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'idempotency_key' }] });
    expect((await balance(c)).available).toBe(60);
    // A key is the tenant's: another customer's write cannot reuse it either.
    const c2 = await newCustomer();
    await earn(c2, 100);
    expect((await spend(c2, 40, k)).statusCode).toBe(422);
  });

  it('lets exactly one of several concurrent spends of the same points succeed', async () => {
    const c = await newCustomer();
    await earn(c, 100);
    const results = await Promise.all(Array.from({ length: 6 }, () => spend(c, 80)));
    expect(results.map((x) => x.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    expect((await balance(c)).available).toBe(20);
    // Concurrent retries of one key: one write, every answer the same transaction.
    const k = key();
    const same = await Promise.all(Array.from({ length: 4 }, () => spend(c, 5, k)));
    expect(new Set(same.map((x) => (x.statusCode === 409 ? 'busy' : x.json().transaction_id))).size).toBe(1);
    expect((await balance(c)).available).toBe(15);
  });

  it('writes concurrent earns and spends of different customers in shared transactions, each with its own answer and balance', async () => {
    const customers = await Promise.all(Array.from({ length: 12 }, () => newCustomer()));
    await Promise.all(customers.map((c) => earn(c, 100)));
    // A spend and an earn for each customer at once: a batch holds one write per customer, so the second waits for the next.
    const spends = customers.map((c, i) => ({ c, k: key(), points: 10 + i }));
    const earns = customers.map((c, i) => ({ c, k: key(), points: 1 + i }));
    const answers = await Promise.all([
      ...spends.map((s) => call('POST', '/v1/loyalty/spend', { customer_id: s.c, points: s.points, idempotency_key: s.k })),
      ...earns.map((e) => call('POST', '/v1/loyalty/earn', { customer_id: e.c, points: e.points, idempotency_key: e.k })),
    ]);
    for (const a of answers) expect(a.statusCode, a.body).toBe(201);
    const keys = [...spends, ...earns].map((x) => x.k);
    const { rows } = await r.db.pool.query(
      `SELECT idempotency_key, id, customer_id, points, xmin::text AS xact FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = ANY($2)`,
      [t.tenantId, keys],
    );
    expect(rows).toHaveLength(keys.length);
    // Each answer names its own transaction, for its own customer and amount.
    answers.forEach((a, i) => {
      const asked = i < spends.length ? { ...spends[i], points: -spends[i].points } : earns[i - spends.length];
      const row = rows.find((x) => x.idempotency_key === asked.k);
      expect(a.json()).toMatchObject({ transaction_id: row.id, customer_id: asked.c, points: asked.points });
    });
    // Written together: 24 writes in far fewer database transactions than one each.
    expect(new Set(rows.map((x) => x.xact)).size).toBeLessThanOrEqual(keys.length / 2);
    for (const [i, c] of customers.entries()) {
      expect(await postingSums(c)).toEqual({ available: 100 - (10 + i) + (1 + i), pending: 0, debt: 0 });
      expect((await balance(c)).available).toBe(91);
    }
  });

  it('refuses negative, fractional and missing amounts by field name', async () => {
    const c = await newCustomer();
    for (const points of [-5, 1.5, 0, '10']) {
      const res = await earn(c, points as number);
      expect(res.statusCode).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['points']);
    }
    const noKey = await call('POST', '/v1/loyalty/spend', { customer_id: c, points: 1 });
    expect(noKey.json().errors.map((e: { field: string }) => e.field)).toEqual(['idempotency_key']);
    const unknown = await earn('cus_doesnotexist000000000000', 10);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('LOYALTY_CUSTOMER_NOT_FOUND');
  });

  it('reverses refunded purchase points and turns the spent part into a debt the next earnings repay', async () => {
    const c = await newCustomer();
    const p = await call('POST', '/v1/loyalty/purchases', { customer_id: c, order_id: 'o-1', amount: 100, currency: 'CNY', idempotency_key: key() });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().points).toBe(100);
    await spend(c, 80);
    const half = await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'o-1', amount: 50, idempotency_key: key() });
    expect(half.statusCode, half.body).toBe(201);
    expect(half.json()).toMatchObject({ reversed: 50, debt_added: 30, balance: { available: 0, pending: 0, debt: 30 } });
    const rest = await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'o-1', idempotency_key: key() });
    expect(rest.json()).toMatchObject({ reversed: 50, debt_added: 50, balance: { available: 0, debt: 80 } });
    const nothingLeft = await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'o-1', idempotency_key: key() });
    expect(nothingLeft.json()).toMatchObject({ reversed: 0, balance: { debt: 80 } });
    const e1 = await earn(c, 50);
    expect(e1.json()).toMatchObject({ debt_repaid: 50, balance: { available: 0, debt: 30 } });
    const e2 = await earn(c, 50);
    expect(e2.json()).toMatchObject({ debt_repaid: 30, balance: { available: 20, debt: 0 } });
    expect(await postingSums(c)).toEqual({ available: 20, pending: 0, debt: 0 });
    const unknownOrder = await call('POST', '/v1/loyalty/refunds', { customer_id: c, order_id: 'nope', idempotency_key: key() });
    expect(unknownOrder.statusCode).toBe(404);
    expect(unknownOrder.json().code).toBe('LOYALTY_PURCHASE_NOT_FOUND');
  });

  it('keeps pending points pending until their time, expires lots by job and warns before', async () => {
    const c = await newCustomer();
    await earn(c, 70, { pending_days: 14 });
    await earn(c, 30, { expires_at: new Date(now() + 10 * DAY).toISOString() });
    expect(await balance(c)).toMatchObject({ available: 30, pending: 70, expiring_soon: { points: 30 } });
    expect((await spend(c, 31)).statusCode).toBe(422);
    published.length = 0;
    expect(await r.loyalty.warnExpiring(t.tenantId)).toBeGreaterThanOrEqual(1);
    await r.bus.drain();
    expect(published.find((m) => (m.payload as { customerId: string }).customerId === c)).toMatchObject({ type: 'points.expiring', payload: { points: 30 } });
    // A second warning pass does not warn about the same lot again.
    await r.loyalty.warnExpiring(t.tenantId);
    await r.bus.drain();
    expect(published.filter((m) => (m.payload as { customerId: string }).customerId === c)).toHaveLength(1);
    const later = new Date(now() + 15 * DAY);
    const settled = await r.loyalty.settleAccount(t.tenantId, c, later);
    expect(settled).toMatchObject({ released: 70, expired: 30 });
    expect(await balance(c)).toMatchObject({ available: 70, pending: 0 });
    expect(await postingSums(c)).toEqual({ available: 70, pending: 0, debt: 0 });
    // The release and the expiry are booked at the instant they were settled, 15 days on.
    const stRes = await call(
      'GET',
      `/v1/loyalty/customers/${c}/statement?from=2000-01-01T00:00:00Z&to=${encodeURIComponent(new Date(later.getTime() + DAY).toISOString())}`,
    );
    expect(stRes.statusCode, stRes.body).toBe(200);
    const st = stRes.json();
    expect(st.transactions.map((x: { kind: string }) => x.kind)).toEqual(['earn', 'earn', 'release', 'expire']);
    expect(st.closing).toEqual({ available: 70, pending: 0, debt: 0 });
    const timeline = (await call('GET', `/v1/customers/${c}/timeline`)).json();
    expect(timeline.data.map((x: { type: string }) => x.type)).toContain('points.expiring');
  });

  it('computes expiry dates for each policy', async () => {
    const { expiryFor, Program } = await import('./program.js');
    const at = new Date('2026-03-15T10:00:00Z');
    expect(expiryFor(Program.parse({ expiry: { policy: 'never' } }), at)).toBeNull();
    expect(expiryFor(Program.parse({ expiry: { policy: 'fixed_days', days: 10 } }), at)?.toISOString()).toBe('2026-03-25T10:00:00.000Z');
    expect(expiryFor(Program.parse({ expiry: { policy: 'end_of_month', months: 0 } }), at)?.toISOString()).toBe('2026-03-31T23:59:59.999Z');
    expect(expiryFor(Program.parse({ expiry: { policy: 'end_of_month', months: 12 } }), at)?.toISOString()).toBe('2027-03-31T23:59:59.999Z');
    expect(expiryFor(Program.parse({ expiry: { policy: 'end_of_year', years: 1 } }), at)?.toISOString()).toBe('2027-12-31T23:59:59.999Z');
  });

  it('explains in a dry run which rules fired and why', async () => {
    const res = await call('POST', '/v1/loyalty/rules/dry-run', {
      tier: null,
      purchase: {
        amount: 300,
        store_id: 'flagship',
        occurred_at: '2020-01-10T00:00:00Z',
        items: [
          { category: 'shoes', price: 200 },
          { category: 'socks', price: 100 },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    // shoes 200 x 3 (flagship shoes beats shoes) + socks 100 x 1 = 700, doubled by the January 2020 campaign.
    expect(d.points).toBe(1400);
    const fired = d.steps.filter((s: { fired: boolean }) => s.fired).map((s: { rule: string }) => s.rule);
    expect(fired).toEqual(['flagship-shoes', 'base_rate', 'double-2020', 'floor']);
    expect(d.steps.find((s: { rule: string; fired: boolean }) => s.rule === 'gold-rate' && !s.fired).reason).toMatch(/tier is none/);
    const capped = (await call('POST', '/v1/loyalty/rules/dry-run', { tier: 'gold', purchase: { amount: 10_000 } })).json();
    // gold: 10,000 x 1.5 x 2 (tier multiplier) = 30,000, capped at 5,000 per purchase.
    expect(capped.points).toBe(5000);
    expect(capped.steps.at(-1)).toMatchObject({ step: 'cap', rule: 'per_purchase', fired: true });
  });

  it('upgrades a tier the moment points qualify, on the timeline, and downgrades only after review grace', async () => {
    // Points given directly count toward a tier only for a reason the loyalty settings name.
    expect((await call('PATCH', '/v1/settings/loyalty', { goodwill_toward_tier: { qualifying: true } })).statusCode).toBe(200);
    const c = await newCustomer();
    await earn(c, 10, { reason: 'qualifying' });
    expect((await balance(c)).tier).toBe('silver');
    published.length = 0;
    await earn(c, 990, { reason: 'qualifying' });
    const b = await balance(c);
    expect(b).toMatchObject({ tier: 'gold', priority_routing: true });
    expect(await r.loyalty.benefitsOf(t.tenantId, c)).toEqual({ tier: 'gold', earnMultiplier: 2, isPriorityRouting: true });
    await r.bus.drain();
    expect(published).toContainEqual({ type: 'loyalty.tier.changed', tenantId: t.tenantId, payload: { customerId: c, from: 'silver', to: 'gold' } });
    const timeline = (await call('GET', `/v1/customers/${c}/timeline`)).json();
    expect(timeline.data.filter((x: { type: string }) => x.type === 'loyalty.tier.changed')).toHaveLength(2);
    // A year and a day later nothing qualifies any more: the first review starts the grace period...
    const later = new Date(now() + 366 * DAY);
    await r.loyalty.reviewTiers(t.tenantId, later);
    expect((await balance(c)).tier).toBe('gold');
    // ...and a review after the grace period moves the customer down.
    await r.loyalty.reviewTiers(t.tenantId, new Date(later.getTime() + 31 * DAY));
    expect((await balance(c)).tier).toBe('silver');
  });

  it('runs a tier review asked for through the API as a job with a status URL, even with a JSON content type and no body', async () => {
    const res = await r.app.inject({ method: 'POST', url: '/v1/loyalty/tiers/review', headers: { ...t.headers, 'content-type': 'application/json' } });
    expect(res.statusCode, res.body).toBe(202);
    const asked = res.json();
    expect(asked).toMatchObject({ status: 'queued', status_url: `/v1/loyalty/tiers/reviews/${asked.id}` });
    expect(res.headers.location).toBe(asked.status_url);
    const {
      rows: [{ n }],
    } = await r.db.pool.query('SELECT count(*)::int AS n FROM loyalty_accounts WHERE tenant_id = $1 AND tier IS NOT NULL', [t.tenantId]);
    let review = asked;
    for (let i = 0; i < 100 && review.status !== 'done' && review.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      review = (await call('GET', asked.status_url)).json();
    }
    expect(review).toMatchObject({
      id: asked.id,
      status: 'done',
      reviewed: n,
      changed: expect.any(Number),
      started_at: expect.any(String),
      finished_at: expect.any(String),
    });
    expect(review.changed).toBeLessThanOrEqual(n);
    expect((await call('GET', '/v1/loyalty/tiers/reviews/trv_nope')).statusCode).toBe(404);
  });

  it('redeems rewards with stock, limits, tier restrictions and vouchers; cancelling returns points and stock', async () => {
    const c = await newCustomer();
    await earn(c, 900);
    const reward = (await call('POST', '/v1/loyalty/rewards', { name: 'Lounge pass', cost_points: 300, stock: 1, per_customer_limit: 2 })).json();
    const goldOnly = (await call('POST', '/v1/loyalty/rewards', { name: 'Gold upgrade', cost_points: 100, tiers: ['gold'] })).json();
    const red = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: reward.id, idempotency_key: key() });
    expect(red.statusCode, red.body).toBe(201);
    const { redemption } = red.json();
    expect(redemption.voucher_code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(red.json().balance.available).toBe(600);
    const again = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: reward.id, idempotency_key: key() });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('LOYALTY_OUT_OF_STOCK');
    const tier = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: goldOnly.id, idempotency_key: key() });
    expect(tier.json()).toMatchObject({ code: 'LOYALTY_REWARD_UNAVAILABLE', errors: [{ field: 'reward_id' }] });
    const unknown = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: 'rwd_nope', idempotency_key: key() });
    expect(unknown.json().code).toBe('LOYALTY_REWARD_NOT_FOUND');
    // A personal offer opens the gold reward to this customer at a lower price.
    const offer = (await call('POST', '/v1/loyalty/offers', { reward_id: goldOnly.id, customer_id: c, cost_points: 50 })).json();
    const mine = (await call('GET', `/v1/loyalty/customers/${c}/rewards`)).json().data;
    expect(mine.find((x: { offer_id: string | null }) => x.offer_id === offer.id)).toMatchObject({ cost_points: 50 });
    const viaOffer = await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: goldOnly.id, offer_id: offer.id, idempotency_key: key() });
    expect(viaOffer.json().balance.available).toBe(550);
    // Vouchers: used once; cancelling an unused one gives points and stock back.
    const used = await call('POST', '/v1/loyalty/vouchers/use', { code: viaOffer.json().redemption.voucher_code.toLowerCase() });
    expect(used.json().status).toBe('used');
    expect((await call('POST', '/v1/loyalty/vouchers/use', { code: viaOffer.json().redemption.voucher_code })).json().code).toBe('LOYALTY_VOUCHER_NOT_USABLE');
    expect((await call('POST', '/v1/loyalty/vouchers/use', { code: 'NOPE-NOPE-NOPE' })).statusCode).toBe(404);
    const cancel = await call('POST', `/v1/loyalty/redemptions/${redemption.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json().balance.available).toBe(850);
    expect((await call('GET', `/v1/loyalty/rewards/${reward.id}`)).json().stock).toBe(1);
    expect((await call('POST', `/v1/loyalty/redemptions/${redemption.id}/cancel`)).json().balance.available).toBe(850);
    expect((await call('POST', '/v1/loyalty/vouchers/use', { code: redemption.voucher_code })).json().code).toBe('LOYALTY_VOUCHER_NOT_USABLE');
    // An expired voucher says so.
    const again2 = (await call('POST', '/v1/loyalty/redemptions', { customer_id: c, reward_id: reward.id, idempotency_key: key() })).json();
    await r.db.pool.query(`UPDATE loyalty_redemptions SET expires_at = $3 WHERE tenant_id = $1 AND id = $2`, [
      t.tenantId,
      again2.redemption.id,
      new Date(now() - DAY),
    ]);
    const expired = await call('POST', '/v1/loyalty/vouchers/use', { code: again2.redemption.voucher_code });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('LOYALTY_VOUCHER_EXPIRED');
    const broke = await newCustomer();
    const poor = await call('POST', '/v1/loyalty/redemptions', { customer_id: broke, reward_id: goldOnly.id, offer_id: offer.id, idempotency_key: key() });
    expect(poor.json().code).toBe('LOYALTY_OFFER_NOT_FOUND');
  });

  it('limits engagement points so they cannot be farmed, once per source', async () => {
    const c = await newCustomer();
    const review = (source_id: string) => call('POST', '/v1/loyalty/engagements', { customer_id: c, kind: 'review', source_id });
    expect((await review('r1')).json().points).toBe(10);
    expect((await review('r1')).statusCode).toBe(200);
    expect((await review('r2')).json().points).toBe(10);
    const third = (await review('r3')).json();
    expect(third).toMatchObject({ points: 0, limited_by: 'max_per_day' });
    expect((await call('POST', '/v1/loyalty/engagements', { customer_id: c, kind: 'check_in', source_id: 'a' })).json().points).toBe(5);
    expect((await call('POST', '/v1/loyalty/engagements', { customer_id: c, kind: 'check_in', source_id: 'b' })).json()).toMatchObject({
      points: 0,
      limited_by: 'max_total',
    });
    expect((await balance(c)).available).toBe(25);
    // Survey answers arrive from the feedback module on the bus.
    r.bus.publish({
      type: 'feedback.response.submitted',
      tenantId: t.tenantId,
      payload: { responseId: 'resp-1', surveyId: 's', customerId: c, kind: 'nps', score: 9 },
    });
    r.bus.publish({
      type: 'feedback.response.submitted',
      tenantId: t.tenantId,
      payload: { responseId: 'resp-1', surveyId: 's', customerId: c, kind: 'nps', score: 9 },
    });
    await r.bus.drain();
    expect((await balance(c)).available).toBe(45);
  });

  it("earns from ingested purchases and refunds, rewards the referrer on the friend's first purchase, and surprises in a geofence within budget", async () => {
    const referrer = await newCustomer();
    const email = `${randomBytes(6).toString('hex')}@example.com`;
    const friend = (await call('POST', '/v1/customers', { identities: { email } })).json().id;
    expect((await call('POST', '/v1/loyalty/referrals', { referrer_id: referrer, friend_id: friend })).statusCode).toBe(201);
    expect((await call('POST', '/v1/loyalty/referrals', { referrer_id: referrer, friend_id: friend })).json().code).toBe('LOYALTY_REFERRAL_EXISTS');
    const tag = randomBytes(4).toString('hex');
    const ev = (id: string, type: string, properties: object) => ({
      id: `${tag}-${id}`,
      type,
      occurred_at: clock.now().toISOString(),
      identities: { email },
      properties,
    });
    const res = await call('POST', '/v1/events', { events: [ev('p1', 'purchase', { order_id: `${tag}-o1`, amount: 200, currency: 'CNY' })] });
    expect(res.json().accepted).toBe(1);
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(200);
    expect((await balance(referrer)).available).toBe(300);
    // Replaying the purchase and reconciling change nothing.
    await call('POST', '/v1/events', { events: [ev('p1', 'purchase', { order_id: `${tag}-o1`, amount: 200, currency: 'CNY' })] });
    await r.loyalty.reconcileTenant(t.tenantId);
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(200);
    await call('POST', '/v1/events', { events: [ev('r1', 'refund', { order_id: `${tag}-o1`, amount: 50, currency: 'CNY' })] });
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(150);
    // A purchase and its refund ingested together are applied in that order, without waiting for reconciliation.
    await call('POST', '/v1/events', {
      events: [
        ev('p2', 'purchase', { order_id: `${tag}-o2`, amount: 80, currency: 'CNY' }),
        ev('r2', 'refund', { order_id: `${tag}-o2`, amount: 80, currency: 'CNY' }),
      ],
    });
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(150);
    const { rows: kinds } = await r.db.pool.query(
      `SELECT kind FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[]) ORDER BY created_at, id`,
      [t.tenantId, [`event:${tag}-p2`, `event:${tag}-r2`]],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['earn', 'refund']);
    // Location: inside the flagship geofence, twice within a 100-point monthly budget of 50-point surprises, then no more.
    const near = { lat: 31.2305, lng: 121.4738 };
    // A location from yesterday, or an hour ahead, earns nothing: the surprise is for being there now.
    await call('POST', '/v1/events', {
      events: [
        { ...ev('l-old', 'location', near), occurred_at: new Date(now() - DAY).toISOString() },
        { ...ev('l-ahead', 'location', near), occurred_at: new Date(now() + 3_600_000).toISOString() },
      ],
    });
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(150);
    await call('POST', '/v1/events', { events: [ev('l1', 'location', near), ev('l2', 'location', { lat: 39.9, lng: 116.4 })] });
    await r.bus.drain();
    expect((await balance(friend)).available).toBe(200);
    await call('POST', '/v1/events', { events: [ev('l3', 'location', near), ev('l4', 'location', near)] });
    await r.bus.drain();
    const {
      rows: [s],
    } = await r.db.pool.query(`SELECT sum(points)::int AS n FROM loyalty_transactions WHERE tenant_id = $1 AND reason = 'surprise'`, [t.tenantId]);
    expect(s.n).toBe(100);
  });

  it('earns points for purchases whose bus delivery was lost, on the next reconciliation pass', async () => {
    const other = await createTestTenant(r);
    const email = `${randomBytes(6).toString('hex')}@example.com`;
    const ingest = await r.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: other.headers,
      payload: {
        events: [
          {
            id: 'lost-1',
            type: 'purchase',
            occurred_at: clock.now().toISOString(),
            identities: { email },
            properties: { order_id: 'o', amount: 42, currency: 'CNY' },
          },
        ],
      },
    });
    const customerId = ingest.json().results[0].customer_id;
    await r.bus.drain();
    // The programme did not exist when the event was ingested, as if the earning had crashed.
    await r.app.inject({ method: 'PUT', url: '/v1/loyalty/program', headers: other.headers, payload: {} });
    const before = await r.app.inject({ method: 'GET', url: `/v1/loyalty/customers/${customerId}/balance`, headers: other.headers });
    expect(before.json().available).toBe(0);
    expect(await r.loyalty.reconcileTenant(other.tenantId)).toBe(1);
    const after = await r.app.inject({ method: 'GET', url: `/v1/loyalty/customers/${customerId}/balance`, headers: other.headers });
    expect(after.json().available).toBe(42);
    expect(await r.loyalty.reconcileTenant(other.tenantId)).toBe(0);
  });

  it('moves points to the survivor on merge, exports them, and keeps amounts on erasure', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await earn(a, 100);
    await earn(b, 40, { pending_days: 5 });
    const m = await call('POST', `/v1/customers/${a}/merge`, { other_id: b });
    expect(m.statusCode, m.body).toBe(200);
    expect(await balance(a)).toMatchObject({ available: 100, pending: 40 });
    expect(await postingSums(a)).toEqual({ available: 100, pending: 40, debt: 0 });
    expect(await postingSums(b)).toEqual({ available: 0, pending: 0, debt: 0 });
    expect((await spend(a, 100)).statusCode).toBe(201);
    const exp = (await call('GET', `/v1/customers/${a}/export`)).json();
    expect(exp.loyalty.accounts.find((x: { customer_id: string }) => x.customer_id === a)).toMatchObject({ available: 0, pending: 40 });
    expect((await call('POST', `/v1/customers/${a}/erase`)).statusCode).toBe(200);
    const { rows } = await r.db.pool.query(
      `SELECT count(*)::int AS n FROM loyalty_transactions WHERE tenant_id = $1 AND customer_id = $2 AND details <> '{}'`,
      [t.tenantId, a],
    );
    expect(rows[0].n).toBe(0);
  });

  it('reports liability by issuance cohort with IFRS 15 breakage and cost per member and tier', async () => {
    const res = await call('GET', '/v1/loyalty/liability');
    expect(res.statusCode, res.body).toBe(200);
    const l = res.json();
    const {
      rows: [lots],
    } = await r.db.pool.query('SELECT sum(remaining)::int AS outstanding FROM loyalty_lots WHERE tenant_id = $1', [t.tenantId]);
    expect(l.points_outstanding).toBe(lots.outstanding);
    expect(l).toMatchObject({ expected_redemption_basis: 'assumption', breakage_basis: 'assumption', breakage_rate: 0.2, expected_redemption_rate: 0.8 });
    const c = l.cohorts.at(-1);
    expect(c.issued).toBeGreaterThan(0);
    expect(c.liability).toBeCloseTo(c.allocated - c.revenue_recognised, 1);
    expect(l.tiers.reduce((s: number, x: { members: number }) => s + x.members, 0)).toBe(l.members);
  });

  it('refuses writes to entries: the ledger is append-only', async () => {
    await expect(r.db.pool.query('UPDATE loyalty_entries SET amount = amount + 1 WHERE tenant_id = $1', [t.tenantId])).rejects.toThrow(/append-only/);
  });

  it('expires end-of-month points at the last millisecond of the month, and end-of-year points at the last of the year', async () => {
    const other = await createTestTenant(r);
    const as = (path: string, payload?: object, method: 'GET' | 'POST' | 'PUT' = 'POST') =>
      r.app.inject({ method, url: path, headers: other.headers, ...(payload ? { payload } : {}) });
    const customer = async () => (await as('/v1/customers', { identities: { email: `${randomBytes(6).toString('hex')}@example.com` } })).json().id as string;
    expect((await as('/v1/loyalty/program', { expiry: { policy: 'end_of_month', months: 0, warning_days: 1 } }, 'PUT')).statusCode).toBe(200);
    // Earned on 29 February of a leap year: the month ends that same day.
    clock.set('2028-02-29T12:00:00Z');
    const leap = await customer();
    expect((await as('/v1/loyalty/earn', { customer_id: leap, points: 40, idempotency_key: key() })).json().expires_at).toBe('2028-02-29T23:59:59.999Z');
    expect(await r.loyalty.runExpiry(new Date('2028-02-29T23:59:59.998Z'), other.tenantId)).toEqual({ accounts: 0, expired: 0, released: 0 });
    expect(await r.loyalty.runExpiry(new Date('2028-02-29T23:59:59.999Z'), other.tenantId)).toEqual({ accounts: 1, expired: 40, released: 0 });
    // End of year: earned on New Year's Eve, gone at the first instant of the new year and not before.
    expect((await as('/v1/loyalty/program', { expiry: { policy: 'end_of_year', years: 0, warning_days: 1 } }, 'PUT')).statusCode).toBe(200);
    clock.set('2026-12-31T23:30:00Z');
    const eve = await customer();
    expect((await as('/v1/loyalty/earn', { customer_id: eve, points: 25, idempotency_key: key() })).json().expires_at).toBe('2026-12-31T23:59:59.999Z');
    expect(await r.loyalty.runExpiry(new Date('2026-12-31T23:59:59.998Z'), other.tenantId)).toEqual({ accounts: 0, expired: 0, released: 0 });
    clock.set('2027-01-01T00:00:00Z');
    expect(await r.loyalty.runExpiry(undefined, other.tenantId)).toEqual({ accounts: 1, expired: 25, released: 0 });
    const b = (await as(`/v1/loyalty/customers/${eve}/balance`, undefined, 'GET')).json();
    expect(b).toMatchObject({ available: 0, expiring_soon: { points: 0 } });
  });

  it("starts a fresh surprise budget at the first instant of a month, by the programme's clock", async () => {
    const other = await createTestTenant(r);
    const as = (path: string, payload: object, method: 'POST' | 'PUT' = 'POST') => r.app.inject({ method, url: path, headers: other.headers, payload });
    expect(
      (
        await as(
          '/v1/loyalty/program',
          {
            location_surprise: {
              stores: [{ store_id: 'flagship', lat: 31.2304, lng: 121.4737, radius_m: 200 }],
              probability: 1,
              points: 50,
              monthly_budget: 100,
              max_per_customer_per_day: 10,
            },
          },
          'PUT',
        )
      ).statusCode,
    ).toBe(200);
    const email = `${randomBytes(6).toString('hex')}@example.com`;
    const near = { lat: 31.2305, lng: 121.4738 };
    let n = 0;
    const visit = async () => {
      const res = await as('/v1/events', {
        events: [{ id: `visit-${++n}`, type: 'location', occurred_at: clock.now().toISOString(), identities: { email }, properties: near }],
      });
      expect(res.json().accepted).toBe(1);
      await r.bus.drain();
    };
    const surprises = async () =>
      (
        await r.db.pool.query(
          `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(points)::int AS points FROM loyalty_transactions WHERE tenant_id = $1 AND reason = 'surprise' GROUP BY 1 ORDER BY 1`,
          [other.tenantId],
        )
      ).rows;
    // The last minutes of January spend the month's budget; the third visit wins nothing.
    clock.set('2026-01-31T23:58:00Z');
    await visit();
    await visit();
    clock.set('2026-01-31T23:59:50Z');
    await visit();
    expect(await surprises()).toEqual([{ month: '2026-01', points: 100 }]);
    // One second later it is February: a new budget, of which the first surprise takes half.
    clock.set('2026-02-01T00:00:00Z');
    await visit();
    expect(await surprises()).toEqual([
      { month: '2026-01', points: 100 },
      { month: '2026-02', points: 50 },
    ]);
  });
});
