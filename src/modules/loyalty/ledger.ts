// The points ledger's core. Every write for a customer runs in one database transaction that first
// locks the customer's account row, so writes for one customer are serial and the balance checks (here
// and in ledger-lots.ts, the lots points are earned into and spent from) see the latest state; the CHECK
// constraints on the account and its lots are the second line.
//
// Double entry: a transaction's postings always sum to zero. The customer's side is `available`,
// `pending` and `debt` (a debt is a negative balance: points a refund took back after they were spent);
// the programme's side is `issued` (credited when points are given), `redeemed`, `expired` and
// `reversed`. The account row caches the customer's side so a balance read is one row.
//
// Idempotency: each transaction carries the caller's key, unique per tenant. The lock statement also
// reads a prior transaction with the key; a key committed concurrently by another customer's write
// still trips the unique index, and both paths answer the first result (or 422 for another request).
import type pg from 'pg';
import { prepared } from '../../platform/db.js';
import { queryAtCommit } from '../../platform/pipelined-transaction.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { loyaltyAccounts } from './schema.js';
import { AccountMissing } from './keyed-write.js';
import { newId } from '../../platform/ids.js';
import type { BusMessage } from '../../platform/bus.js';
import { insufficientPoints } from './errors.js';

export type CustomerAccountName = 'available' | 'pending' | 'debt';
export type ProgrammeAccountName = 'issued' | 'redeemed' | 'expired' | 'reversed';

export interface Account {
  customerId: string;
  available: number;
  pending: number;
  debt: number;
  tier: string | null;
  tierSince: Date | null;
  tierGraceUntil: Date | null;
  nextDueAt: Date | null;
}

export interface Posting {
  account: CustomerAccountName | ProgrammeAccountName;
  amount: number;
  lotId?: string;
}

export interface NewLot {
  id: string;
  amount: number;
  availableAt: Date;
  isReleased: boolean;
  expiresAt: Date | null;
}

export interface LedgerWrite {
  kind: 'earn' | 'spend' | 'refund' | 'expire' | 'release' | 'cancel_redemption';
  reason: string;
  key: string;
  hash: string;
  postings: Posting[];
  lot?: NewLot;
  money?: number | null;
  currency?: string | null;
  /** The money in the programme's base currency. */
  baseMoney?: number | null;
  reference?: string | null;
  details?: Record<string, unknown>;
  occurredAt?: Date;
  /** When the ledger books it (the clock's instant): statements place a transaction in a period by it. */
  at: Date;
  /** Added to the stored and returned result. */
  extra?: Record<string, unknown>;
  nextDueAt?: Date | null;
  /**
   * Points this write takes from the customer's released lots, soonest-expiring first, in the same
   * statement: one 'available' posting per lot it draws on (the postings given balance the rest).
   */
  fromLots?: number;
}

export interface LedgerResult {
  transaction_id: string;
  customer_id: string;
  kind: string;
  reason: string;
  points: number;
  balance: { available: number; pending: number; debt: number };
  [k: string]: unknown;
}

/** The outcome of a use case: its answer and what to publish once it committed. */
export interface WriteOutcome<T = LedgerResult> {
  result: T;
  publish?: BusMessage[];
}

// Hot statements run as named prepared statements, saving a parse and a plan per write. On the embedded
// database, whose connections share one backend, db.ts sends them unnamed.
export const stmt = (name: string, text: string, values: unknown[]) => prepared(name, text)(values);

const ACCOUNT_KEYS = ['customer_id', 'available', 'pending', 'debt', 'tier', 'tier_since', 'tier_grace_until', 'next_due_at'] as const;
const AccountRow = rowOf(loyaltyAccounts, ACCOUNT_KEYS);
const ACCOUNT_COLUMNS = ACCOUNT_KEYS.join(', ');
/** The locked account, whether it still takes writes, and a transaction already committed under the key. */
const LockedRow = rowOf(loyaltyAccounts, [...ACCOUNT_KEYS, 'merged_into', 'is_closed']).and<{ prior: { hash: string; result: unknown } | null }>(['prior']);
const LOCKED_COLUMNS = `${ACCOUNT_KEYS.map((c) => `a.${c}`).join(', ')}, a.merged_into, a.is_closed`;
const PRIOR = `json_build_object('hash', t.request_hash, 'result', t.result)`;

function toAccount(r: typeof AccountRow.row): Account {
  return {
    customerId: r.customer_id,
    available: r.available,
    pending: r.pending,
    debt: r.debt,
    tier: r.tier,
    tierSince: r.tier_since,
    tierGraceUntil: r.tier_grace_until,
    nextDueAt: r.next_due_at,
  };
}

/**
 * Locks (creating when new) the customer's account. With a key, also returns a transaction already
 * committed under it: the lock makes a same-customer retry wait for the first attempt and then see it.
 */
export async function lockAccount(
  tx: pg.PoolClient,
  tenantId: string,
  customerId: string,
  key?: string,
  opts: { create?: boolean } = {},
): Promise<{ account: Account; prior?: { hash: string; result: unknown }; mergedInto: string | null; isClosed: boolean }> {
  // A row lock, not an update: the write's own UPDATE (commitWrite) is then the only new version of the
  // account row per transaction. The prior read rides on the lock statement to save a round trip. Its snapshot predates a wait for
  // the lock, so a same-key write committed meanwhile may be missed here: runKeyedWrite then finds it
  // when this attempt fails (unique index, or a balance check that the first attempt's effect trips).
  const returning = `${LOCKED_COLUMNS}, (SELECT ${PRIOR} FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.idempotency_key = $3) AS prior`;
  // Creating, an existing account is locked by bumping its version column (DO NOTHING would return no row).
  const row = opts.create
    ? await queryRow(
        tx,
        LockedRow,
        `INSERT INTO loyalty_accounts AS a (tenant_id, customer_id) VALUES ($1, $2)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET version = a.version + 1 RETURNING ${returning}`,
        [tenantId, customerId, key ?? null],
      )
    : await queryRow(
        tx,
        LockedRow,
        stmt('loyalty_lock_row', `SELECT ${returning} FROM loyalty_accounts AS a WHERE a.tenant_id = $1 AND a.customer_id = $2 FOR UPDATE OF a`, [
          tenantId,
          customerId,
          key ?? null,
        ]),
      );
  if (!row) throw new AccountMissing(customerId);
  return { account: toAccount(row), prior: row.prior ?? undefined, mergedInto: row.merged_into, isClosed: row.is_closed };
}

/**
 * Locks the accounts of several customers (distinct), in the order of their ids so that two batches
 * never wait on each other crosswise, each with a transaction already committed under its write's key
 * (as lockAccount, whose snapshot caveat it shares). A customer without an account has no entry.
 */
export async function lockAccounts(
  tx: pg.PoolClient,
  tenantId: string,
  writes: { customerId: string; key: string }[],
): Promise<Map<string, { account: Account; prior?: { hash: string; result: unknown }; mergedInto: string | null; isClosed: boolean }>> {
  const rows = await queryRows(
    tx,
    LockedRow,
    stmt(
      'loyalty_lock_rows',
      `SELECT ${LOCKED_COLUMNS}, (SELECT ${PRIOR} FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.idempotency_key = r.key) AS prior
         FROM unnest($2::text[], $3::text[]) AS r(customer_id, key)
         JOIN loyalty_accounts AS a ON a.tenant_id = $1 AND a.customer_id = r.customer_id COLLATE "C"
        ORDER BY a.customer_id FOR UPDATE OF a`,
      [tenantId, writes.map((w) => w.customerId), writes.map((w) => w.key)],
    ),
  );
  return new Map(
    rows.map((row) => [row.customer_id, { account: toAccount(row), prior: row.prior ?? undefined, mergedInto: row.merged_into, isClosed: row.is_closed }]),
  );
}

/** Reads an account without locking it (balances, tier). */
export async function readAccount(db: pg.Pool | pg.PoolClient, tenantId: string, customerId: string): Promise<Account | undefined> {
  const row = await queryRow(db, AccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2`, [
    tenantId,
    customerId,
  ]);
  return row ? toAccount(row) : undefined;
}

const minDate = (...ds: (Date | null | undefined)[]) => ds.reduce<Date | null>((m, d) => (d && (!m || d < m) ? d : m), null);

/** A write checked against its locked account: the answer it gives and what its statement stores. */
export interface PlannedWrite {
  account: Account;
  write: LedgerWrite;
  id: string;
  points: number;
  postings: Posting[];
  after: { available: number; pending: number; debt: number };
  nextDueAt: Date | null;
  result: LedgerResult;
}

/**
 * Checks one ledger transaction against its account (balanced postings, no balance below zero) and
 * computes its answer; nothing is written. The account must be locked by the caller.
 */
export function planWrite(account: Account, w: LedgerWrite): PlannedWrite {
  const fromLots = w.fromLots ?? 0;
  const sum = w.postings.reduce((s, p) => s + p.amount, 0) - fromLots;
  if (sum !== 0) throw new Error(`unbalanced ledger transaction (${w.kind}: ${sum})`);
  const delta = { available: -fromLots, pending: 0, debt: 0 };
  for (const p of w.postings) {
    if (p.account === 'available') delta.available += p.amount;
    else if (p.account === 'pending') delta.pending += p.amount;
    else if (p.account === 'debt') delta.debt -= p.amount; // a debt posting is negative; the account keeps it positive
  }
  const after = { available: account.available + delta.available, pending: account.pending + delta.pending, debt: account.debt + delta.debt };
  if (after.available < 0) throw insufficientPoints(undefined, [], { available: account.available });
  if (after.pending < 0 || after.debt < 0) throw new Error(`ledger would go negative (${w.kind})`);
  const id = newId('ltx');
  const points = delta.available + delta.pending - delta.debt;
  const result: LedgerResult = { transaction_id: id, customer_id: account.customerId, kind: w.kind, reason: w.reason, points, balance: after, ...w.extra };
  const nextDueAt =
    w.nextDueAt !== undefined ? w.nextDueAt : minDate(account.nextDueAt, w.lot && !w.lot.isReleased ? w.lot.availableAt : null, w.lot?.expiresAt);
  return { account, write: w, id, points, postings: w.postings.filter((p) => p.amount !== 0), after, nextDueAt, result };
}

/**
 * Writes one ledger transaction with its postings, its lot and the account's new balances in a single
 * statement. The account must be locked by the caller in the same database transaction.
 */
export async function commitWrite(tx: pg.PoolClient, tenantId: string, account: Account, w: LedgerWrite): Promise<LedgerResult> {
  const [plan] = await commitWrites(tx, tenantId, [planWrite(account, w)]);
  return plan.result;
}

/**
 * Writes planned transactions, at most one per account, all in one statement (the batched earns and
 * spends of write-ledger-batches.ts, or one write), and moves each account to its new balances. Nothing
 * reads the statement's rows: in the keyed writes' pipelined transaction it goes with COMMIT.
 */
export async function commitWrites(tx: pg.PoolClient, tenantId: string, plans: PlannedWrite[]): Promise<PlannedWrite[]> {
  const col = <T>(f: (p: PlannedWrite) => T) => plans.map(f);
  const postings = plans.flatMap((p, n) => p.postings.map((posting) => ({ n: n + 1, ...posting })));
  await queryAtCommit(
    tx,
    stmt('loyalty_commit_writes', WRITES, [
      tenantId,
      col((p) => p.id),
      col((p) => p.account.customerId),
      col((p) => p.write.kind),
      col((p) => p.write.reason),
      col((p) => p.write.key),
      col((p) => p.write.hash),
      col((p) => p.points),
      col((p) => p.write.money ?? null),
      col((p) => p.write.currency ?? null),
      col((p) => p.write.baseMoney ?? null),
      col((p) => p.write.reference ?? null),
      col((p) => JSON.stringify(p.write.details ?? {})),
      col((p) => JSON.stringify(p.result)),
      col((p) => p.write.occurredAt ?? p.write.at),
      col((p) => p.write.at),
      col((p) => p.write.lot?.id ?? null),
      col((p) => p.write.lot?.amount ?? null),
      col((p) => p.write.lot?.availableAt ?? null),
      col((p) => p.write.lot?.isReleased ?? null),
      col((p) => p.write.lot?.expiresAt ?? null),
      col((p) => p.after.available),
      col((p) => p.after.pending),
      col((p) => p.after.debt),
      col((p) => p.nextDueAt),
      col((p) => p.write.fromLots ?? 0),
      postings.map((x) => x.n),
      postings.map((x) => x.account),
      postings.map((x) => x.lotId ?? null),
      postings.map((x) => x.amount),
    ]),
  );
  for (const p of plans) Object.assign(p.account, p.after, { nextDueAt: p.nextDueAt });
  return plans;
}

/** The one order in which points leave a customer's lots: soonest-expiring first (never-expiring last), oldest first on ties. */
const LOT_ORDER = 'expires_at ASC NULLS LAST, created_at, id';

/**
 * The lots a take of `points` from the lots of `customer` that pass `where` draws on, in the one order:
 * two CTEs, `open` and `take` (id, is_released, take); the placeholders name the caller's parameters.
 */
export function lotsToTake(p: { tenant: string; customer: string; points: string; where: string }): string {
  return `open AS (
       SELECT id, remaining, is_released, sum(remaining) OVER (ORDER BY ${LOT_ORDER}) AS cum
         FROM loyalty_lots
        WHERE tenant_id = ${p.tenant} AND customer_id = ${p.customer} AND remaining > 0 AND ${p.where}
     ), take AS (
       SELECT id, is_released, least(remaining, ${p.points} - (cum - remaining))::int AS take FROM open WHERE cum - remaining < ${p.points}
     )`;
}

// The write statement, for one transaction or many (one row of the arrays $2-$26 each, numbered n; the
// postings $27-$30 name theirs by n). A write that spends (from_lots > 0) takes its points from the
// customer's released lots in the same statement, in the one order, one 'available' posting per lot, so
// a spend costs the round trips of an earn. The account row said there were enough; should its lots
// hold fewer (a ledger out of step with itself), the new balance is NULL, which the column refuses, and
// the whole transaction fails rather than book points no lot held.
const WRITES = `WITH w AS (
       SELECT u.id COLLATE "C" AS id, u.customer_id COLLATE "C" AS customer_id, u.kind, u.reason, u.key, u.hash, u.points, u.money, u.currency, u.base_money,
              u.reference, u.details, u.result, u.occurred_at, u.at, u.lot_id, u.lot_amount, u.lot_available_at, u.lot_is_released, u.lot_expires_at,
              u.available, u.pending, u.debt, u.next_due_at, u.from_lots, u.n
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::numeric[], $10::text[], $11::numeric[],
                     $12::text[], $13::jsonb[], $14::jsonb[], $15::timestamptz[], $16::timestamptz[], $17::text[], $18::int[], $19::timestamptz[], $20::boolean[], $21::timestamptz[],
                     $22::int[], $23::int[], $24::int[], $25::timestamptz[], $26::int[]) WITH ORDINALITY
           AS u(id, customer_id, kind, reason, key, hash, points, money, currency, base_money, reference, details, result, occurred_at, at,
                lot_id, lot_amount, lot_available_at, lot_is_released, lot_expires_at, available, pending, debt, next_due_at, from_lots, n)
     ), take AS (
       SELECT o.id, w.n, least(o.remaining, w.from_lots - (o.cum - o.remaining))::int AS take
         FROM w CROSS JOIN LATERAL (
           SELECT id, remaining, sum(remaining) OVER (ORDER BY ${LOT_ORDER}) AS cum
             FROM loyalty_lots WHERE tenant_id = $1 AND customer_id = w.customer_id AND remaining > 0 AND is_released
         ) o
        WHERE w.from_lots > 0 AND o.cum - o.remaining < w.from_lots
     ), taken AS (
       UPDATE loyalty_lots l SET remaining = l.remaining - take.take FROM take
        WHERE l.tenant_id = $1 AND l.id = take.id
       RETURNING l.id, take.n, take.take
     ), t AS (
       INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, money, currency, base_money, reference, details, result, occurred_at, created_at)
       SELECT $1, id, customer_id, kind, reason, key, hash, points, money, currency, base_money, reference, details, result, occurred_at, at FROM w
     ), e AS (
       INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, lot_id, amount, created_at)
       SELECT $1, w.id, w.customer_id, 'available', taken.id, -taken.take, w.at FROM taken JOIN w ON w.n = taken.n
        UNION ALL
       SELECT $1, w.id, w.customer_id, x.account, x.lot_id, x.amount, w.at
         FROM unnest($27::int[], $28::text[], $29::text[], $30::int[]) AS x(n, account, lot_id, amount) JOIN w ON w.n = x.n
     ), l AS (
       INSERT INTO loyalty_lots (tenant_id, id, customer_id, transaction_id, amount, remaining, available_at, is_released, expires_at, created_at)
       SELECT $1, lot_id, customer_id, id, lot_amount, lot_amount, lot_available_at, lot_is_released, lot_expires_at, at FROM w WHERE lot_id IS NOT NULL
     )
     UPDATE loyalty_accounts a
        SET available = CASE WHEN w.from_lots = 0 OR (SELECT sum(taken.take) FROM taken WHERE taken.n = w.n) = w.from_lots THEN w.available END,
            pending = w.pending, debt = w.debt, next_due_at = w.next_due_at, updated_at = now()
       FROM w WHERE a.tenant_id = $1 AND a.customer_id = w.customer_id`;
