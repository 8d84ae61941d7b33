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
import { queryRow, rowOf } from '../../platform/query-rows.js';
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
  const returning = `${ACCOUNT_KEYS.map((c) => `a.${c}`).join(', ')}, a.merged_into, a.is_closed,
       (SELECT json_build_object('hash', t.request_hash, 'result', t.result) FROM loyalty_transactions t WHERE t.tenant_id = $1 AND t.idempotency_key = $3) AS prior`;
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

/** Reads an account without locking it (balances, tier). */
export async function readAccount(db: pg.Pool | pg.PoolClient, tenantId: string, customerId: string): Promise<Account | undefined> {
  const row = await queryRow(db, AccountRow, `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_accounts WHERE tenant_id = $1 AND customer_id = $2`, [
    tenantId,
    customerId,
  ]);
  return row ? toAccount(row) : undefined;
}

const minDate = (...ds: (Date | null | undefined)[]) => ds.reduce<Date | null>((m, d) => (d && (!m || d < m) ? d : m), null);

/**
 * Writes one ledger transaction with its postings, its lot and the account's new balances in a single
 * statement. The account must be locked by the caller in the same database transaction.
 */
export async function commitWrite(tx: pg.PoolClient, tenantId: string, account: Account, w: LedgerWrite): Promise<LedgerResult> {
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
  const postings = w.postings.filter((p) => p.amount !== 0);
  const id = newId('ltx');
  const points = delta.available + delta.pending - delta.debt;
  const result: LedgerResult = { transaction_id: id, customer_id: account.customerId, kind: w.kind, reason: w.reason, points, balance: after, ...w.extra };
  const nextDueAt =
    w.nextDueAt !== undefined ? w.nextDueAt : minDate(account.nextDueAt, w.lot && !w.lot.isReleased ? w.lot.availableAt : null, w.lot?.expiresAt);
  const params = [
    tenantId,
    id,
    account.customerId,
    w.kind,
    w.reason,
    w.key,
    w.hash,
    points,
    w.money ?? null,
    w.currency ?? null,
    w.reference ?? null,
    JSON.stringify(w.details ?? {}),
    JSON.stringify(result),
    w.occurredAt ?? w.at,
    postings.map((p) => p.account),
    postings.map((p) => p.lotId ?? null),
    postings.map((p) => p.amount),
    w.lot?.id ?? null,
    w.lot?.amount ?? null,
    w.lot?.availableAt ?? null,
    w.lot?.isReleased ?? null,
    w.lot?.expiresAt ?? null,
    after.available,
    after.pending,
    after.debt,
    nextDueAt,
    w.at,
    w.baseMoney ?? null,
  ];
  // Nothing reads this statement's rows: in the keyed writes' pipelined transaction it goes with COMMIT.
  await queryAtCommit(tx, fromLots ? stmt('loyalty_commit_spend', SPEND, [...params, fromLots]) : stmt('loyalty_commit_write', WRITE, params));
  Object.assign(account, after, { nextDueAt });
  return result;
}

// The parts of a write statement: its transaction, its postings ($15-$17) and its lot, then the
// account's new balances. $1 tenant, $2 transaction, $3 customer; see commitWrite for the rest.
const INSERT_TRANSACTION = `INSERT INTO loyalty_transactions (tenant_id, id, customer_id, kind, reason, idempotency_key, request_hash, points, money, currency, base_money, reference, details, result, occurred_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $28, $11, $12, $13, $14, $27)`;
const POSTINGS = `SELECT $1, $2, $3, x.a, x.l, x.n, $27 FROM unnest($15::text[], $16::text[], $17::int[]) AS x(a, l, n)`;
const INSERT_LOT = `INSERT INTO loyalty_lots (tenant_id, id, customer_id, transaction_id, amount, remaining, available_at, is_released, expires_at, created_at)
       SELECT $1, $18, $3, $2, $19, $19, $20, $21, $22, $27 WHERE $18::text IS NOT NULL`;
const WRITE = `WITH t AS (
       ${INSERT_TRANSACTION}
     ), e AS (
       INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, lot_id, amount, created_at)
       ${POSTINGS}
     ), l AS (
       ${INSERT_LOT}
     )
     UPDATE loyalty_accounts SET available = $23, pending = $24, debt = $25, next_due_at = $26, updated_at = now()
      WHERE tenant_id = $1 AND customer_id = $3`;
/**
 * The one order in which points leave lots: soonest-expiring first (never-expiring last), oldest first
 * on ties. Two CTEs, `open` and `take` (id, is_released, take), for a take of `points` from the lots of
 * `customer` that pass `where`; the placeholders name the caller's parameters.
 */
export function lotsToTake(p: { tenant: string; customer: string; points: string; where: string }): string {
  return `open AS (
       SELECT id, remaining, is_released, sum(remaining) OVER (ORDER BY expires_at ASC NULLS LAST, created_at, id) AS cum
         FROM loyalty_lots
        WHERE tenant_id = ${p.tenant} AND customer_id = ${p.customer} AND remaining > 0 AND ${p.where}
     ), take AS (
       SELECT id, is_released, least(remaining, ${p.points} - (cum - remaining))::int AS take FROM open WHERE cum - remaining < ${p.points}
     )`;
}

// A spend takes $29 points from the released lots in the same statement as the write, so a spend costs
// the round trips of an earn. The account row said there were enough; should its lots hold fewer (a
// ledger out of step with itself), the new balance is NULL, which the column refuses, and the whole
// transaction fails rather than book points no lot held.
const SPEND = `WITH ${lotsToTake({ tenant: '$1', customer: '$3', points: '$29', where: 'is_released' })}, taken AS (
       UPDATE loyalty_lots l SET remaining = l.remaining - take.take FROM take
        WHERE l.tenant_id = $1 AND l.id = take.id
       RETURNING l.id, take.take
     ), t AS (
       ${INSERT_TRANSACTION}
     ), e AS (
       INSERT INTO loyalty_entries (tenant_id, transaction_id, customer_id, account, lot_id, amount, created_at)
       SELECT $1, $2, $3, 'available', id, -take, $27 FROM taken
        UNION ALL ${POSTINGS}
     ), l AS (
       ${INSERT_LOT}
     )
     UPDATE loyalty_accounts SET available = CASE WHEN (SELECT sum(take) FROM taken) = $29 THEN $23::int END, pending = $24, debt = $25, next_due_at = $26, updated_at = now()
      WHERE tenant_id = $1 AND customer_id = $3`;
