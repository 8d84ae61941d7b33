// The dispatcher: takes due queued messages, at most each channel's per-minute throttle, waits for
// the customer's contact window, and hands the rest to the platform outbox, which sends them through
// the outreach handler (deliver-message.ts) and retries what is worth retrying. Outreach keeps no
// retry loop of its own: a message handed over is the outbox's until it is sent or failed.
import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '../../platform/db.js';
import type { Outbox } from '../../platform/outbox.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import type { CustomersService } from '../customers/index.js';
import { isInContactWindow, nextContactTime } from './contact-window.js';
import { OUTREACH_KIND, type OutreachPayload } from './deliver-message.js';
import { timeZoneOf } from './plan-message.js';
import type { Channel } from './render-template.js';
import { outreachMessages } from './schema.js';
import type { OutreachSettings } from './settings.js';

const Due = rowOf(outreachMessages, ['id', 'customer_id', 'is_urgent']);
const StatusCount = rowOf(outreachMessages, ['status']).and<{ n: number }>(['n']);

export interface DispatchDeps {
  pool: pg.Pool;
  customers: CustomersService;
  outbox: Outbox;
  channels: Channel[];
  settings(tenantId: string): Promise<OutreachSettings>;
  log: Logger;
}

/**
 * Hands due messages to the outbox and makes their first attempt here, one batch per channel, so a
 * campaign leaves at the throttle's pace without a job per message. Answers the messages' statuses
 * after it (sent, queued for a retry or the contact window, failed, cancelled...).
 */
export async function dispatchDue(deps: DispatchDeps, tenantId: string, now: Date): Promise<Record<string, number>> {
  const settings = await deps.settings(tenantId);
  const handed: string[] = [];
  const tally: Record<string, number> = {};
  for (const channel of deps.channels) {
    const limit = settings.throttle[channel] ?? 100;
    // Profiles are read before the transaction opens: on the embedded database a second connection's
    // query would wait for the open transaction, which would wait for it in turn.
    const due = `SELECT m.id, m.customer_id, m.is_urgent FROM outreach_messages m
        WHERE m.tenant_id = $1 AND m.status = 'queued' AND m.scheduled_at <= $3 AND m.channel = $2
          AND NOT EXISTS (SELECT 1 FROM outbox_messages o WHERE o.tenant_id = m.tenant_id AND o.id = m.id)`;
    const candidates = await queryRows(deps.pool, Due, `${due} ORDER BY m.scheduled_at LIMIT $4`, [tenantId, channel, now, limit]);
    if (!candidates.length) continue;
    const profiles = await deps.customers.readContactProfiles(tenantId, [...new Set(candidates.map((r) => r.customer_id))]);
    // Kept apart until the transaction commits: a retried transaction starts its lists afresh.
    const batch = await withTransaction(deps.pool, async (tx) => {
      const out = { handed: [] as string[], deferred: 0 };
      // Locked and checked again: another node's dispatcher may have handed some over meanwhile.
      const rows = await queryRows(tx, Due, `${due} AND m.id = ANY($4::text[]) ORDER BY m.scheduled_at FOR UPDATE SKIP LOCKED`, [
        tenantId,
        channel,
        now,
        candidates.map((r) => r.id),
      ]);
      for (const m of rows) {
        const profile = profiles.get(m.customer_id);
        if (profile && !m.is_urgent) {
          const tz = timeZoneOf(profile, settings);
          const window = profile.contactWindow ?? settings.defaultWindow;
          if (!isInContactWindow(now, tz, window)) {
            await tx.query(
              `UPDATE outreach_messages SET scheduled_at = $3, status_reason = 'waiting for contact window', updated_at = $4 WHERE tenant_id = $1 AND id = $2`,
              [tenantId, m.id, nextContactTime(now, tz, window), now],
            );
            out.deferred++;
            continue;
          }
        }
        // A customer gone since planning is the handler's to cancel, with the other checks made at sending.
        await deps.outbox.enqueue<OutreachPayload>(tx, { tenantId, id: m.id, kind: OUTREACH_KIND, payload: { channel } });
        out.handed.push(m.id);
      }
      return out;
    });
    handed.push(...batch.handed);
    if (batch.deferred) tally.queued = (tally.queued ?? 0) + batch.deferred;
  }
  for (const id of handed) {
    await deps.outbox
      .dispatch(tenantId, id, { inline: true })
      .catch((err) => deps.log.error({ err: (err as Error).message, message: id }, 'outreach delivery crashed; the outbox sweep tries again'));
  }
  if (handed.length) {
    const rows = await queryRows(
      deps.pool,
      StatusCount,
      'SELECT status, count(*)::int AS n FROM outreach_messages WHERE tenant_id = $1 AND id = ANY($2::text[]) GROUP BY status',
      [tenantId, handed],
    );
    for (const r of rows) tally[r.status] = (tally[r.status] ?? 0) + r.n;
  }
  return tally;
}

/** Dispatches the named tenant's due messages, or those of every tenant with a message due; the statuses summed. */
export async function dispatchTenants(deps: DispatchDeps, tenantId: string | undefined, now: Date): Promise<Record<string, number>> {
  const tenants = tenantId
    ? [tenantId]
    : (
        await queryRows(
          deps.pool,
          rowOf(outreachMessages, ['tenant_id']),
          `SELECT DISTINCT tenant_id FROM outreach_messages WHERE status = 'queued' AND scheduled_at <= $1`,
          [now],
        )
      ).map((r) => r.tenant_id);
  const out: Record<string, number> = {};
  for (const t of tenants) for (const [k, v] of Object.entries(await dispatchDue(deps, t, now))) out[k] = (out[k] ?? 0) + v;
  return out;
}
