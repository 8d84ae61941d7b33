// What channels report after sending: delivered, opened, clicked, bounced, complained, failed. A
// status never goes backwards (a late "delivered" after "opened" changes nothing but the history),
// a hard bounce withdraws every purpose on that channel and a complaint withdraws marketing, so
// Rapport stops writing to an address that does not exist or a customer who called it spam.
import type pg from 'pg';
import type { CustomersService, Purpose } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { PURPOSES } from '../customers/index.js';
import { z } from '../../platform/validation.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import { outreachMessages } from './schema.js';

const Reported = rowOf(outreachMessages, ['id', 'customer_id', 'channel', 'status']);

export const DeliveryReport = z
  .object({
    message_id: z.string().min(1).max(64).optional(),
    provider_message_id: z.string().min(1).max(500).optional(),
    status: z.enum(['delivered', 'opened', 'clicked', 'bounced', 'complained', 'failed']),
    bounce_type: z.enum(['hard', 'soft']).optional(),
    event_id: z.string().min(1).max(200).optional(),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
    details: z
      .record(z.string(), z.unknown())
      .refine((d) => JSON.stringify(d).length <= 4096, 'must be at most 4 KB of JSON')
      .optional(),
  })
  .refine((r) => r.message_id || r.provider_message_id, { message: 'message_id or provider_message_id is required', path: ['message_id'] });
export type DeliveryReport = z.infer<typeof DeliveryReport>;

const RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, opened: 4, clicked: 5 };

export async function withdrawConsent(
  customers: CustomersService,
  tenantId: string,
  customerId: string,
  channel: string,
  purposes: readonly Purpose[],
  source: string,
  details: Record<string, unknown>,
) {
  for (const purpose of purposes) {
    await customers.recordConsent(
      tenantId,
      customerId,
      { channel: channel as never, purpose, status: 'withdrawn', source, details },
      { type: 'system', id: 'outreach' },
    );
  }
}

export async function recordDeliveryStatus(
  deps: { pool: pg.Pool; customers: CustomersService; events: EventsService },
  tenantId: string,
  r: DeliveryReport,
  now: Date,
): Promise<{ id: string; status: string } | undefined> {
  const m = await queryRow(
    deps.pool,
    Reported,
    r.message_id
      ? 'SELECT id, customer_id, channel, status FROM outreach_messages WHERE tenant_id = $1 AND id = $2'
      : 'SELECT id, customer_id, channel, status FROM outreach_messages WHERE tenant_id = $1 AND provider_message_id = $2 LIMIT 1',
    [tenantId, r.message_id ?? r.provider_message_id],
  );
  if (!m) return undefined;
  const at = r.occurred_at ? new Date(r.occurred_at) : now;
  const eventId = r.event_id ?? `${r.status}-${at.toISOString()}`;
  const ins = await deps.pool.query(
    'INSERT INTO outreach_message_events (tenant_id, message_id, id, status, at, details) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING',
    [tenantId, m.id, eventId, r.status, at, JSON.stringify({ ...(r.bounce_type ? { bounce_type: r.bounce_type } : {}), ...(r.details ?? {}) })],
  );
  if (ins.rowCount === 0) return { id: m.id, status: m.status }; // a replayed report

  let next: string = m.status;
  if (r.status === 'bounced' && r.bounce_type !== 'soft') next = 'bounced';
  else if (r.status === 'failed') next = RANK[m.status] != null && RANK[m.status] < RANK.delivered ? 'failed' : m.status;
  else if (r.status in RANK && (RANK[m.status] ?? 99) < RANK[r.status]) next = r.status;
  const column = ({ delivered: 'delivered_at', opened: 'opened_at', clicked: 'clicked_at' } as Record<string, string>)[r.status];
  await deps.pool.query(
    `UPDATE outreach_messages SET status = $3, updated_at = now()${column ? `, ${column} = coalesce(${column}, $4)` : ''} WHERE tenant_id = $1 AND id = $2`,
    column ? [tenantId, m.id, next, at] : [tenantId, m.id, next],
  );
  // A channel reports on what it was given: a message without a channel (dropped at planning) never was.
  if (r.status === 'bounced' && r.bounce_type !== 'soft') {
    await withdrawConsent(deps.customers, tenantId, m.customer_id, m.channel!, PURPOSES, 'outreach:hard_bounce', { message_id: m.id });
  }
  if (r.status === 'complained') {
    await withdrawConsent(deps.customers, tenantId, m.customer_id, m.channel!, ['marketing'], 'outreach:complaint', { message_id: m.id });
  }
  if (['bounced', 'complained', 'opened', 'clicked'].includes(r.status)) {
    await deps.events.append(undefined, tenantId, [
      {
        id: `outreach:${m.id}:${r.status}`,
        customerId: m.customer_id,
        type: `outreach.message.${r.status}`,
        source: 'outreach',
        occurredAt: at,
        properties: { message_id: m.id, channel: m.channel },
      },
    ]);
  }
  return { id: m.id, status: next };
}
