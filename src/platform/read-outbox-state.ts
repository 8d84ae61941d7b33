// A message's delivery story as the API shows it: its status, when the next try comes, and every attempt.
import type { Queryable } from './db.js';
import type { OutboxState } from './outbox-types.js';
import { queryRow, queryRows, rowOf } from './query-rows.js';
import { outboxAttempts, outboxMessages } from './schema.js';

const Message = rowOf(outboxMessages, [
  'id',
  'kind',
  'status',
  'attempts',
  'last_error',
  'provider_id',
  'next_attempt_at',
  'give_up_at',
  'created_at',
  'sent_at',
  'delivered_at',
]);
const Attempt = rowOf(outboxAttempts, ['n', 'started_at', 'finished_at', 'outcome', 'error', 'http_status']);

export async function readOutboxState(pool: Queryable, tenantId: string, id: string): Promise<OutboxState | undefined> {
  const m = await queryRow(
    pool,
    Message,
    `SELECT id, kind, status, attempts, last_error, provider_id, next_attempt_at, give_up_at, created_at, sent_at, delivered_at FROM outbox_messages WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  if (!m) return undefined;
  const log = await queryRows(
    pool,
    Attempt,
    'SELECT n, started_at, finished_at, outcome, error, http_status FROM outbox_attempts WHERE tenant_id = $1 AND message_id = $2 ORDER BY n',
    [tenantId, id],
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: m.id,
    kind: m.kind,
    status: m.status,
    attempts: m.attempts,
    last_error: m.last_error,
    provider_id: m.provider_id,
    next_attempt_at: m.status === 'queued' ? iso(m.next_attempt_at) : null,
    give_up_at: m.give_up_at.toISOString(),
    created_at: m.created_at.toISOString(),
    sent_at: iso(m.sent_at),
    delivered_at: iso(m.delivered_at),
    attempt_log: log.map((a) => ({
      n: a.n,
      started_at: a.started_at.toISOString(),
      finished_at: iso(a.finished_at),
      outcome: a.outcome,
      error: a.error,
      http_status: a.http_status,
    })),
  };
}
