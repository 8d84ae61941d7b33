// The outbox: everything Rapport sends leaves through here, so nothing said is lost. A module stores
// its message and an outbox row in one transaction; a pg-boss job (or the caller at once) makes an
// attempt; every attempt is a row. A failure worth retrying (network, 429, 5xx, SMTP 4xx) is tried
// again with exponential backoff and jitter, honouring Retry-After, until the message's retry time
// runs out (24 hours unless configured); a refusal no retry can change (4xx, SMTP 5xx, a channel's
// own "never") stops at once with the provider's reason. Status moves queued -> sending -> sent ->
// delivered, or failed; the module that owns the message hears of every change (onStatus) and tells
// its people. The outbox knows no business: a kind names the module's handler, the payload is its own.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Jobs } from './jobs.js';
import { queryRow, queryRows, rowOf } from './query-rows.js';
import { outboxMessages } from './schema.js';
import { outcomeOfError, retryDelayMs } from './delivery-outcomes.js';
import type { DeliveryOutcome, EnqueueInput, OutboxHandler, OutboxItem, OutboxState, OutboxStatus, StatusChange } from './outbox-types.js';
import { readOutboxState } from './read-outbox-state.js';

export * from './outbox-types.js';
export { isRetryableHttp, isRetryableSmtp, outcomeOfError, retryDelayMs } from './delivery-outcomes.js';

const Taken = rowOf(outboxMessages, ['kind', 'payload', 'attempts', 'give_up_at']);
const Requeued = rowOf(outboxMessages, ['kind', 'payload', 'attempts']);
const Receipted = rowOf(outboxMessages, ['id', 'kind', 'payload', 'attempts', 'provider_id']);
const Due = rowOf(outboxMessages, ['tenant_id', 'id']);

export const OUTBOX_QUEUE = 'outbox-deliver';
const SWEEP_QUEUE = 'outbox-sweep';
/** A message left 'sending' this long by a node that died mid-send goes back to the queue. */
const STUCK_MS = 10 * 60_000;

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface Outbox {
  register<P>(kind: string, handler: OutboxHandler<P>): void;
  /** Stores the message's outbox row in the caller's transaction: nothing is sent until dispatch. */
  enqueue<P>(db: Queryable, input: EnqueueInput<P>): Promise<void>;
  /** After commit: an attempt now in this process (`inline`), answering its state, or a job for a worker. */
  dispatch(tenantId: string, id: string, opts?: { inline?: boolean }): Promise<OutboxState | undefined>;
  /** One attempt if the message is due; answers the state after it. */
  attempt(tenantId: string, id: string): Promise<OutboxState | undefined>;
  /** A failed (or stalled) message queued again with a fresh retry time, and dispatched. */
  resend(tenantId: string, id: string, opts?: { inline?: boolean }): Promise<OutboxState | undefined>;
  /** A receipt from the provider after sending: delivered, or failed with its reason. */
  recordReceipt(
    tenantId: string,
    ref: { id?: string; providerId?: string },
    receipt: { status: 'delivered' | 'failed'; error?: string; isPermanent?: boolean },
  ): Promise<OutboxState | undefined>;
  get(tenantId: string, id: string): Promise<OutboxState | undefined>;
  /**
   * Erasure, in the erasing transaction: a provider's reason often names the recipient ("21211: invalid
   * 'To' +8613…", "550 <a@b> unknown user"), so the stored reasons of these messages go. Status, times
   * and HTTP statuses stay for the delivery figures.
   */
  forget(db: Queryable, tenantId: string, ids: string[]): Promise<void>;
  /**
   * Attempts every due message (the minute sweep: jobs lost in a crash, retries whose job was missed),
   * or only one tenant's (a test sharing its database with others).
   */
  runDue(opts?: { tenantId?: string; limit?: number }): Promise<number>;
  start(): Promise<void>;
}

export function createOutbox(deps: { pool: pg.Pool; jobs: Jobs; clock: Clock; log: Logger; retryForMs?: number; random?: () => number }): Outbox {
  const { pool, jobs, clock, log } = deps;
  const handlers = new Map<string, OutboxHandler<never>>();
  const retryForMs = deps.retryForMs ?? 24 * 3_600_000;
  const random = deps.random ?? Math.random;

  const get = (tenantId: string, id: string) => readOutboxState(pool, tenantId, id);

  async function tell(item: OutboxItem<never>, change: StatusChange) {
    const h = handlers.get(item.kind);
    if (!h?.onStatus) return;
    try {
      await h.onStatus(item, change);
    } catch (err) {
      log.warn({ err: (err as Error).message, tenant: item.tenantId, message: item.id }, 'outbox status hook failed');
    }
  }

  async function schedule(tenantId: string, id: string, at: Date | null) {
    // pg-boss counts its delay on the database's clock; the seconds are taken from ours.
    const seconds = at ? Math.max(0, Math.ceil((at.getTime() - clock.now().getTime()) / 1000)) : 0;
    await jobs
      .send(OUTBOX_QUEUE, { tenantId, id }, seconds ? { startAfter: seconds } : undefined)
      .catch((err) => log.warn({ err: (err as Error).message, tenant: tenantId, message: id }, 'outbox job not queued; the sweep will send it'));
  }

  async function attempt(tenantId: string, id: string): Promise<OutboxState | undefined> {
    const now = clock.now();
    const m = await queryRow(
      pool,
      Taken,
      `UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1, updated_at = $3
        WHERE tenant_id = $1 AND id = $2 AND status = 'queued' AND next_attempt_at <= $3
        RETURNING kind, payload, attempts, give_up_at`,
      [tenantId, id, now],
    );
    if (!m) return get(tenantId, id);
    const item: OutboxItem<never> = { tenantId, id, kind: m.kind, payload: m.payload as never, attempts: m.attempts };
    await pool.query('INSERT INTO outbox_attempts (tenant_id, message_id, n, started_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [
      tenantId,
      id,
      m.attempts,
      now,
    ]);
    await tell(item, { status: 'sending', at: now, attempts: m.attempts });
    const handler = handlers.get(m.kind);
    let outcome: DeliveryOutcome;
    try {
      outcome = handler ? await handler.deliver(item) : { status: 'failed', error: `nothing delivers ${m.kind} messages on this node`, isPermanent: false };
    } catch (err) {
      outcome = outcomeOfError(err);
    }
    const done = clock.now();
    let status: OutboxStatus;
    let next: Date | null = null;
    let error: string | null = null;
    if (outcome.status !== 'failed') status = outcome.status;
    else {
      error = outcome.error;
      const wait = retryDelayMs(m.attempts, random, outcome.retryAfterMs);
      if (outcome.isPermanent) status = 'failed';
      else if (done.getTime() + wait > m.give_up_at.getTime()) {
        status = 'failed';
        error = `gave up after ${m.attempts} attempts: ${outcome.error}`.slice(0, 500);
      } else {
        status = 'queued';
        next = new Date(done.getTime() + wait);
      }
    }
    const providerId = outcome.status === 'failed' ? null : (outcome.providerId ?? null);
    await pool.query(
      `UPDATE outbox_messages SET status = $3, last_error = $4, next_attempt_at = coalesce($5, next_attempt_at), provider_id = coalesce($6, provider_id), updated_at = $7,
              sent_at = CASE WHEN $3 IN ('sent','delivered') THEN coalesce(sent_at, $7) ELSE sent_at END,
              delivered_at = CASE WHEN $3 = 'delivered' THEN $7 ELSE delivered_at END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, status, error, next, providerId, done],
    );
    await pool.query(
      'UPDATE outbox_attempts SET finished_at = $4, outcome = $5, error = $6, http_status = $7 WHERE tenant_id = $1 AND message_id = $2 AND n = $3',
      [
        tenantId,
        id,
        m.attempts,
        done,
        outcome.status === 'failed' ? (status === 'queued' ? 'retry' : 'failed') : outcome.status,
        outcome.status === 'failed' ? outcome.error : null,
        outcome.status === 'failed' ? (outcome.httpStatus ?? null) : null,
      ],
    );
    if (status === 'queued') await schedule(tenantId, id, next);
    await tell(item, {
      status,
      error,
      providerId,
      at: done,
      nextAttemptAt: next,
      attempts: m.attempts,
      ...(status === 'failed' && outcome.status === 'failed' ? { isPermanent: outcome.isPermanent } : {}),
    });
    return get(tenantId, id);
  }

  const outbox: Outbox = {
    register(kind, handler) {
      handlers.set(kind, handler as OutboxHandler<never>);
    },

    async enqueue(db, input) {
      const now = clock.now();
      await db.query(
        `INSERT INTO outbox_messages (tenant_id, id, kind, status, payload, next_attempt_at, give_up_at, created_at, updated_at)
         VALUES ($1,$2,$3,'queued',$4,$5,$6,$5,$5) ON CONFLICT (tenant_id, id) DO NOTHING`,
        [input.tenantId, input.id, input.kind, JSON.stringify(input.payload), now, new Date(now.getTime() + (input.retryForMs ?? retryForMs))],
      );
    },

    async dispatch(tenantId, id, opts) {
      if (opts?.inline) return attempt(tenantId, id);
      await schedule(tenantId, id, null);
      return undefined;
    },

    attempt,

    async resend(tenantId, id, opts) {
      const now = clock.now();
      const m = await queryRow(
        pool,
        Requeued,
        `UPDATE outbox_messages SET status = 'queued', next_attempt_at = $3, give_up_at = $4, updated_at = $3
          WHERE tenant_id = $1 AND id = $2 AND (status IN ('failed','queued') OR (status = 'sending' AND updated_at < $5))
          RETURNING kind, payload, attempts`,
        [tenantId, id, now, new Date(now.getTime() + retryForMs), new Date(now.getTime() - STUCK_MS)],
      );
      if (!m) return get(tenantId, id);
      await tell(
        { tenantId, id, kind: m.kind, payload: m.payload as never, attempts: m.attempts },
        { status: 'queued', at: now, attempts: m.attempts, nextAttemptAt: now },
      );
      if (opts?.inline) return attempt(tenantId, id);
      await schedule(tenantId, id, null);
      return get(tenantId, id);
    },

    async recordReceipt(tenantId, ref, receipt) {
      const now = clock.now();
      // A receipt never takes a message back: "delivered" after "failed" (a late retry that did arrive)
      // is believed, "failed" after "delivered" is not.
      const m = await queryRow(
        pool,
        Receipted,
        `UPDATE outbox_messages SET status = $3, last_error = CASE WHEN $3 = 'failed' THEN $4 ELSE last_error END, updated_at = $5,
                delivered_at = CASE WHEN $3 = 'delivered' THEN coalesce(delivered_at, $5) ELSE delivered_at END
          WHERE tenant_id = $1 AND ${ref.id ? 'id' : 'provider_id'} = $2 AND status <> 'delivered' AND ($3 = 'delivered' OR status <> 'failed')
          RETURNING id, kind, payload, attempts, provider_id`,
        [tenantId, ref.id ?? ref.providerId ?? null, receipt.status, receipt.error?.slice(0, 500) ?? null, now],
      );
      if (!m) return ref.id ? get(tenantId, ref.id) : undefined;
      await tell(
        { tenantId, id: m.id, kind: m.kind, payload: m.payload as never, attempts: m.attempts },
        {
          status: receipt.status,
          error: receipt.error ?? null,
          providerId: m.provider_id,
          at: now,
          attempts: m.attempts,
          ...(receipt.isPermanent !== undefined ? { isPermanent: receipt.isPermanent } : {}),
        },
      );
      return get(tenantId, m.id);
    },

    get,

    async forget(db, tenantId, ids) {
      if (!ids.length) return;
      await db.query('UPDATE outbox_messages SET last_error = NULL WHERE tenant_id = $1 AND id = ANY($2::text[]) AND last_error IS NOT NULL', [tenantId, ids]);
      await db.query('UPDATE outbox_attempts SET error = NULL WHERE tenant_id = $1 AND message_id = ANY($2::text[]) AND error IS NOT NULL', [tenantId, ids]);
    },

    async runDue(opts = {}) {
      const now = clock.now();
      const tenant = opts.tenantId ?? null;
      await pool.query(`UPDATE outbox_messages SET status = 'queued' WHERE status = 'sending' AND updated_at < $1 AND ($2::text IS NULL OR tenant_id = $2)`, [
        new Date(now.getTime() - STUCK_MS),
        tenant,
      ]);
      const rows = await queryRows(
        pool,
        Due,
        `SELECT tenant_id, id FROM outbox_messages WHERE status = 'queued' AND next_attempt_at <= $1 AND ($3::text IS NULL OR tenant_id = $3) ORDER BY next_attempt_at LIMIT $2`,
        [now, opts.limit ?? 200, tenant],
      );
      for (const r of rows) await attempt(r.tenant_id, r.id);
      return rows.length;
    },

    async start() {
      await jobs.define<{ tenantId: string; id: string }>(OUTBOX_QUEUE, async (d) => {
        const s = await attempt(d.tenantId, d.id);
        // A job that ran before its message was due (clocks apart) comes back when it is.
        if (s?.status === 'queued' && s.next_attempt_at && new Date(s.next_attempt_at) > clock.now())
          await schedule(d.tenantId, d.id, new Date(s.next_attempt_at));
      });
      await jobs.define(
        SWEEP_QUEUE,
        async () => {
          await outbox.runDue();
        },
        { cron: '* * * * *' },
      );
    },
  };
  return outbox;
}
