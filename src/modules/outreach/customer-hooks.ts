// What outreach does when the customers module merges, erases or exports a customer: merges move
// outreach rows to the survivor; erasure removes what identifies the person and keeps what was sent
// when (the frequency caps and the delivery figures need it); an export lists the messages.
import type pg from 'pg';
import type { Outbox } from '../../platform/outbox.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { iso } from './outreach-context.js';
import { outreachMessages } from './schema.js';

const ExportedMessage = rowOf(outreachMessages, [
  'id',
  'channel',
  'purpose',
  'status',
  'reason',
  'status_reason',
  'template_id',
  'campaign_id',
  'journey_id',
  'to_address',
  'subject',
  'scheduled_at',
  'sent_at',
  'delivered_at',
  'opened_at',
  'clicked_at',
]);

export async function mergeOutreachRows(tx: pg.PoolClient, tenantId: string, survivorId: string, mergedId: string) {
  for (const t of ['outreach_messages', 'outreach_enrollments', 'outreach_suppressions', 'outreach_feedback_scores']) {
    await tx.query(`UPDATE ${t} SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3`, [tenantId, survivorId, mergedId]);
  }
  await tx.query(
    `DELETE FROM outreach_customer_tiers WHERE tenant_id = $1 AND customer_id = $2 AND EXISTS (SELECT 1 FROM outreach_customer_tiers WHERE tenant_id = $1 AND customer_id = $3)`,
    [tenantId, mergedId, survivorId],
  );
  await tx.query('UPDATE outreach_customer_tiers SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
}

export async function eraseOutreachRows(tx: pg.PoolClient, outbox: Outbox, tenantId: string, ids: string[]) {
  // The operator's reason and the provider's reports may name the customer; what was sent when, and
  // its status, stay for the frequency caps and the delivery figures.
  await tx.query(
    `UPDATE outreach_message_events e SET details = '{}' FROM outreach_messages m
                   WHERE e.tenant_id = $1 AND m.tenant_id = $1 AND m.id = e.message_id AND m.customer_id = ANY($2::text[]) AND e.details <> '{}'`,
    [tenantId, ids],
  );
  await tx.query(
    `UPDATE outreach_messages SET to_address = NULL, subject = NULL, variables = '{}', reason = 'erased',
                    status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, status_reason = CASE WHEN status = 'queued' THEN 'customer erased' ELSE status_reason END
                   WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`,
    [tenantId, ids],
  );
  // A provider's refusal often names the address ("550 <a@b> unknown user"): the outbox forgets it too.
  const sent = await queryRows(tx, rowOf(outreachMessages, ['id']), 'SELECT id FROM outreach_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [
    tenantId,
    ids,
  ]);
  await outbox.forget(
    tx,
    tenantId,
    sent.map((r) => r.id),
  );
  await tx.query(`UPDATE outreach_messages SET last_error = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND last_error IS NOT NULL`, [
    tenantId,
    ids,
  ]);
  await tx.query('DELETE FROM outreach_enrollments WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  await tx.query('DELETE FROM outreach_suppressions WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
}

export async function exportOutreachMessages(pool: pg.Pool, tenantId: string, ids: string[]) {
  const rows = await queryRows(
    pool,
    ExportedMessage,
    `SELECT id, channel, purpose, status, reason, status_reason, template_id, campaign_id, journey_id, to_address, subject, scheduled_at, sent_at, delivered_at, opened_at, clicked_at
       FROM outreach_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY scheduled_at, id`,
    [tenantId, ids],
  );
  return rows.map((r) => ({
    ...r,
    scheduled_at: iso(r.scheduled_at),
    sent_at: iso(r.sent_at),
    delivered_at: iso(r.delivered_at),
    opened_at: iso(r.opened_at),
    clicked_at: iso(r.clicked_at),
  }));
}
