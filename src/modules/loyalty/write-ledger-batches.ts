// Group commit for the ledger's plain earns and spends (the API's /v1/loyalty/earn and /spend): the
// requests for one tenant that arrive while its write is under way are written together, in one
// database transaction of two round trips whatever their number. One statement locks all their accounts
// (in the order of their ids), one writes all their transactions, postings, lots and balances
// (commitWrites), and each request is answered once that transaction committed, so nothing is
// acknowledged before it is durable. Each write is checked against its own locked account exactly as
// on its own (planWrite), and a batch holds at most one write per customer and per key, so no write
// sees another's effect half-applied.
//
// A batch only writes: a request it cannot simply write (a replayed key, too few points, an account
// missing, merged, closed or with lots coming due) runs afterwards on its own keyed write
// (loyalty-context.ts keyedFor), which answers it as it always has. Should the batch's transaction fail
// (a key committed meanwhile by a retry running alongside, a deadlock with another writer), it wrote
// nothing, and every one of its requests runs on its own.
import type pg from 'pg';
import type { Clock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db.js';
import { commitWrites, lockAccounts, planWrite, type Account, type LedgerResult, type LedgerWrite, type PlannedWrite } from './ledger.js';

/** Batches in flight per tenant on a node: the next one gathers while these commit. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 64;

export interface BatchedWrite {
  customerId: string;
  key: string;
  /** The write this request books on the customer's locked account (earnWrite, spendWrite). */
  write(account: Account, now: Date): LedgerWrite;
  /** The request on its own keyed write: for what the batch does not write. */
  alone(): Promise<{ result: LedgerResult; replayed: boolean }>;
}

interface Waiting {
  request: BatchedWrite;
  resolve(answer: { result: LedgerResult; replayed: boolean }): void;
  reject(err: unknown): void;
}

interface TenantQueue {
  waiting: Waiting[];
  inFlight: number;
}

export function createLedgerBatcher(deps: { pool: pg.Pool; clock: Clock }) {
  const queues = new Map<string, TenantQueue>();

  /** Runs each request on its own, answering it with what that gives. */
  const alone = (ws: Waiting[]) => {
    for (const w of ws) w.request.alone().then(w.resolve, w.reject);
  };

  /** Writes what it can of a batch in one transaction; returns the requests left for their own writes. */
  async function writeBatch(tenantId: string, batch: Waiting[]): Promise<Waiting[]> {
    const left: Waiting[] = [];
    const written: { w: Waiting; plan: PlannedWrite }[] = [];
    try {
      await withTransaction(
        deps.pool,
        async (tx) => {
          const now = deps.clock.now();
          const locked = await lockAccounts(
            tx,
            tenantId,
            batch.map((w) => ({ customerId: w.request.customerId, key: w.request.key })),
          );
          for (const w of batch) {
            const found = locked.get(w.request.customerId);
            if (!found || found.prior || found.mergedInto || found.isClosed || (found.account.nextDueAt && found.account.nextDueAt <= now)) {
              left.push(w);
              continue;
            }
            try {
              written.push({ w, plan: planWrite(found.account, w.request.write(found.account, now)) });
            } catch {
              // Too few points: its own write refuses it, after looking for a retry's first answer.
              left.push(w);
            }
          }
          if (written.length)
            await commitWrites(
              tx,
              tenantId,
              written.map((x) => x.plan),
            );
        },
        { pipelined: true },
      );
    } catch {
      return batch;
    }
    for (const { w, plan } of written) w.resolve({ result: plan.result, replayed: false });
    return left;
  }

  function pump(tenantId: string, q: TenantQueue) {
    while (q.inFlight < MAX_IN_FLIGHT && q.waiting.length) {
      const batch: Waiting[] = [];
      const rest: Waiting[] = [];
      const customers = new Set<string>();
      const keys = new Set<string>();
      for (const w of q.waiting) {
        if (batch.length < MAX_BATCH && !customers.has(w.request.customerId) && !keys.has(w.request.key)) {
          batch.push(w);
          customers.add(w.request.customerId);
          keys.add(w.request.key);
        } else rest.push(w);
      }
      q.waiting = rest;
      q.inFlight++;
      void writeBatch(tenantId, batch)
        .then(alone)
        .finally(() => {
          q.inFlight--;
          if (q.waiting.length) pump(tenantId, q);
          else if (!q.inFlight) queues.delete(tenantId);
        });
    }
  }

  return {
    /** Books the request's write in the tenant's next batch; answers once it committed. */
    submit(tenantId: string, request: BatchedWrite): Promise<{ result: LedgerResult; replayed: boolean }> {
      let q = queues.get(tenantId);
      if (!q) {
        q = { waiting: [], inFlight: 0 };
        queues.set(tenantId, q);
      }
      const queue = q;
      return new Promise((resolve, reject) => {
        queue.waiting.push({ request, resolve, reject });
        pump(tenantId, queue);
      });
    },
  };
}

export type LedgerBatcher = ReturnType<typeof createLedgerBatcher>;
