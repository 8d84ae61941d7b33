// Property-style: many random concurrent earn, purchase, spend, refund, expire and replay operations on a
// few customers (so they contend), then the ledger's invariants must hold for every account:
// each balance equals the sum of its postings and of its lots, none is negative, every transaction's
// postings sum to zero, and no idempotency key took effect twice.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';
import { AppError } from '../../platform/errors.js';

// A few seconds on an idle machine; the timeout below is for a CI box shared with other work.
const OPS = { embedded: 200, postgres: 2000 } as const;
const WORKERS = 16;
const CUSTOMERS = 40;

// A small deterministic generator, seeded per run and printed on failure, so a failing run can be replayed.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe.each(databases)('ledger properties on $name', ({ name, url }) => {
  let r: Rapport;
  let t: TestTenant;
  const customers: string[] = [];
  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    await r.loyalty.setProgram(t.tenantId, (await import('./program.js')).Program.parse({ expiry: { policy: 'never' } }));
    for (let i = 0; i < CUSTOMERS; i++) {
      const id = `cus_prop${randomBytes(8).toString('hex')}`;
      await r.db.pool.query('INSERT INTO customers (tenant_id, id) VALUES ($1, $2)', [t.tenantId, id]);
      customers.push(id);
    }
  });
  afterAll(async () => r?.close());

  it('keeps every balance equal to its postings and lots, never negative, each key effective once', async () => {
    const seed = Number(process.env.LOYALTY_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const total = OPS[name];
    const orders: { customerId: string; orderId: string }[] = [];
    // Every answered key and the transaction it answered with; replays must name the same one.
    const answered = new Map<string, string>();
    const sent: { key: string; run: () => Promise<{ result: { transaction_id?: string } | undefined; replayed: boolean }> }[] = [];
    const counts: Record<string, number> = {};
    const unexpected: string[] = [];
    let next = 0;

    function makeOp(): { kind: string; key: string; run: () => Promise<{ result: { transaction_id?: string } | undefined; replayed: boolean }> } {
      const customerId = pick(customers);
      const key = `p-${seed}-${next}-${randomBytes(3).toString('hex')}`;
      const roll = rand();
      if (roll < 0.25) {
        const points = 1 + Math.floor(rand() * 100);
        // Some lots expire during the run, some stay pending past it.
        const expiresAt = rand() < 0.3 ? new Date(r.clock.now().getTime() + Math.floor(rand() * 1500)) : null;
        const pendingDays = rand() < 0.1 ? 1 : 0;
        return { kind: 'earn', key, run: () => r.loyalty.earn(t.tenantId, { customerId, points, key, expiresAt, pendingDays }) };
      }
      if (roll < 0.4) {
        const orderId = `o-${seed}-${next}`;
        orders.push({ customerId, orderId });
        const amount = 10 + Math.floor(rand() * 200);
        const occurredAt = r.clock.now();
        return { kind: 'purchase', key, run: () => r.loyalty.purchase(t.tenantId, { customerId, orderId, amount, currency: 'CNY', occurredAt, key }) };
      }
      if (roll < 0.7) {
        const points = 1 + Math.floor(rand() * 120);
        return { kind: 'spend', key, run: () => r.loyalty.spend(t.tenantId, { customerId, points, key }) };
      }
      if (roll < 0.8 && orders.length) {
        const o = pick(orders);
        const amount = rand() < 0.5 ? undefined : 1 + Math.floor(rand() * 100);
        return { kind: 'refund', key, run: () => r.loyalty.refund(t.tenantId, { customerId: o.customerId, orderId: o.orderId, amount, key }) };
      }
      if (roll < 0.9) {
        return {
          kind: 'expire',
          key,
          run: async () => {
            await r.loyalty.settleAccount(t.tenantId, customerId);
            return { result: undefined, replayed: false };
          },
        };
      }
      // A retry of an earlier request, with the same body: it must answer the same transaction.
      const earlier = sent.length ? pick(sent) : undefined;
      if (!earlier)
        return {
          kind: 'expire',
          key,
          run: async () => {
            await r.loyalty.settleAccount(t.tenantId, customerId);
            return { result: undefined, replayed: false };
          },
        };
      return { kind: 'replay', key: earlier.key, run: earlier.run };
    }

    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < total) {
          next++;
          const op = makeOp();
          if (op.kind !== 'replay' && op.kind !== 'expire') sent.push({ key: op.key, run: op.run });
          try {
            const out = await op.run();
            counts[op.kind] = (counts[op.kind] ?? 0) + 1;
            const txId = out.result?.transaction_id;
            if (txId) {
              const first = answered.get(op.key);
              if (first && first !== txId) unexpected.push(`${op.key} answered ${first} and then ${txId}`);
              answered.set(op.key, first ?? txId);
            }
          } catch (err) {
            const code = err instanceof AppError ? err.code : (err as Error).message;
            counts[code] = (counts[code] ?? 0) + 1;
            // Refused spends and refunds of an order whose points moved on are expected; nothing else is.
            if (!['LOYALTY_INSUFFICIENT_POINTS', 'LOYALTY_PURCHASE_NOT_FOUND'].includes(code)) unexpected.push(`${op.kind}: ${code}`);
          }
        }
      }),
    );
    await r.bus.drain();
    const context = `seed ${seed}, ${JSON.stringify(counts)}`;
    expect(unexpected, context).toEqual([]);
    expect(counts.spend ?? 0, context).toBeGreaterThan(0);

    const pool = r.db.pool;
    const { rows: accounts } = await pool.query(
      `SELECT a.customer_id, a.available, a.pending, a.debt,
              coalesce(e.available, 0)::int AS e_available, coalesce(e.pending, 0)::int AS e_pending, coalesce(e.debt, 0)::int AS e_debt,
              coalesce(l.released, 0)::int AS l_available, coalesce(l.unreleased, 0)::int AS l_pending
         FROM loyalty_accounts a
         LEFT JOIN (SELECT customer_id, sum(amount) FILTER (WHERE account = 'available') AS available, sum(amount) FILTER (WHERE account = 'pending') AS pending,
                           -sum(amount) FILTER (WHERE account = 'debt') AS debt
                      FROM loyalty_entries WHERE tenant_id = $1 GROUP BY customer_id) e ON e.customer_id = a.customer_id
         LEFT JOIN (SELECT customer_id, sum(remaining) FILTER (WHERE is_released) AS released, sum(remaining) FILTER (WHERE NOT is_released) AS unreleased
                      FROM loyalty_lots WHERE tenant_id = $1 GROUP BY customer_id) l ON l.customer_id = a.customer_id
        WHERE a.tenant_id = $1`,
      [t.tenantId],
    );
    // Accounts open on a customer's first write; a customer no operation picked has none.
    expect(accounts.length, context).toBeGreaterThan(CUSTOMERS / 2);
    expect(accounts.length, context).toBeLessThanOrEqual(CUSTOMERS);
    for (const a of accounts) {
      expect({ available: a.available, pending: a.pending, debt: a.debt }, `${a.customer_id}: ${context}`).toEqual({
        available: a.e_available,
        pending: a.e_pending,
        debt: a.e_debt,
      });
      expect({ available: a.available, pending: a.pending }, `lots of ${a.customer_id}: ${context}`).toEqual({
        available: a.l_available,
        pending: a.l_pending,
      });
      expect(Math.min(a.available, a.pending, a.debt), context).toBeGreaterThanOrEqual(0);
    }
    const {
      rows: [neg],
    } = await pool.query('SELECT count(*)::int AS n FROM loyalty_lots WHERE tenant_id = $1 AND (remaining < 0 OR remaining > amount)', [t.tenantId]);
    expect(neg.n).toBe(0);
    const { rows: unbalanced } = await pool.query(
      'SELECT transaction_id, sum(amount) FROM loyalty_entries WHERE tenant_id = $1 GROUP BY transaction_id HAVING sum(amount) <> 0',
      [t.tenantId],
    );
    expect(unbalanced, context).toEqual([]);
    // Each answered key is exactly one transaction, the one every answer named.
    const { rows: keyed } = await pool.query(
      'SELECT idempotency_key, id FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key = ANY($2::text[])',
      [t.tenantId, [...answered.keys()]],
    );
    expect(keyed.length, context).toBe(answered.size);
    for (const k of keyed) expect(k.id, k.idempotency_key).toBe(answered.get(k.idempotency_key));
    // A refused request left no transaction behind.
    const {
      rows: [extra],
    } = await pool.query(
      `SELECT count(*)::int AS n FROM loyalty_transactions WHERE tenant_id = $1 AND idempotency_key LIKE 'p-%' AND NOT (idempotency_key = ANY($2::text[]))`,
      [t.tenantId, [...answered.keys()]],
    );
    expect(extra.n, context).toBe(0);
  }, 240_000);
});
