// Messages as the API shows them: one with its status history, or a customer's or a campaign's newest first.
import type pg from 'pg';
import { campaignMessagePrefix } from './plan-campaign.js';
import { iso } from './outreach-context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { outreachMessageEvents, outreachMessages } from './schema.js';

const Message = rowOf(outreachMessages, '*');
const Step = rowOf(outreachMessageEvents, ['status', 'at', 'details']);

export async function getMessage(pool: pg.Pool, tenantId: string, id: string) {
  const m = await queryRow(pool, Message, 'SELECT * FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!m) return undefined;
  const history = await queryRows(
    pool,
    Step,
    'SELECT status, at, details FROM outreach_message_events WHERE tenant_id = $1 AND message_id = $2 ORDER BY at, id',
    [tenantId, id],
  );
  return { ...messageOut(m), history: history.map((h) => ({ status: h.status, at: iso(h.at)!, details: h.details })) };
}

export async function listMessages(pool: pg.Pool, tenantId: string, q: { customerId?: string; campaignId?: string; limit: number }) {
  const rows = await queryRows(
    pool,
    Message,
    `SELECT * FROM outreach_messages WHERE tenant_id = $1 AND ($2::text IS NULL OR customer_id = $2)
        AND ($3::text IS NULL OR (campaign_id = $3 AND id >= $5 AND id < $5 || '~'))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, q.customerId ?? null, q.campaignId ?? null, q.limit, q.campaignId ? campaignMessagePrefix(q.campaignId) : ''],
  );
  return rows.map(messageOut);
}

function messageOut(m: typeof Message.row) {
  return {
    id: m.id,
    customer_id: m.customer_id,
    template_id: m.template_id,
    purpose: m.purpose,
    channel: m.channel,
    status: m.status,
    reason: m.reason,
    status_reason: m.status_reason,
    is_urgent: m.is_urgent,
    campaign_id: m.campaign_id,
    journey_id: m.journey_id,
    scheduled_at: iso(m.scheduled_at)!,
    attempts: m.attempts,
    provider_message_id: m.provider_message_id,
    sent_at: iso(m.sent_at),
    delivered_at: iso(m.delivered_at),
    opened_at: iso(m.opened_at),
    clicked_at: iso(m.clicked_at),
    created_at: iso(m.created_at)!,
  };
}
