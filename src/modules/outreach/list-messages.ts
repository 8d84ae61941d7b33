// Messages as the API shows them: one with its status history, or a customer's or a campaign's newest first.
import type pg from 'pg';
import { campaignMessagePrefix } from './plan-campaign.js';
import { iso } from './outreach-context.js';

export async function getMessage(pool: pg.Pool, tenantId: string, id: string) {
  const {
    rows: [m],
  } = await pool.query('SELECT * FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  if (!m) return undefined;
  const { rows: history } = await pool.query(
    'SELECT status, at, details FROM outreach_message_events WHERE tenant_id = $1 AND message_id = $2 ORDER BY at, id',
    [tenantId, id],
  );
  return { ...messageOut(m), history: history.map((h) => ({ status: h.status, at: iso(h.at)!, details: h.details })) };
}

export async function listMessages(pool: pg.Pool, tenantId: string, q: { customerId?: string; campaignId?: string; limit: number }) {
  const { rows } = await pool.query(
    `SELECT * FROM outreach_messages WHERE tenant_id = $1 AND ($2::text IS NULL OR customer_id = $2)
        AND ($3::text IS NULL OR (campaign_id = $3 AND id >= $5 AND id < $5 || '~'))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [tenantId, q.customerId ?? null, q.campaignId ?? null, q.limit, q.campaignId ? campaignMessagePrefix(q.campaignId) : ''],
  );
  return rows.map(messageOut);
}

function messageOut(m: Record<string, unknown>) {
  return {
    id: m.id as string,
    customer_id: m.customer_id as string,
    template_id: m.template_id as string,
    purpose: m.purpose as string,
    channel: (m.channel as string | null) ?? null,
    status: m.status as string,
    reason: m.reason as string,
    status_reason: (m.status_reason as string | null) ?? null,
    is_urgent: m.is_urgent as boolean,
    campaign_id: (m.campaign_id as string | null) ?? null,
    journey_id: (m.journey_id as string | null) ?? null,
    scheduled_at: iso(m.scheduled_at)!,
    attempts: m.attempts as number,
    provider_message_id: (m.provider_message_id as string | null) ?? null,
    sent_at: iso(m.sent_at),
    delivered_at: iso(m.delivered_at),
    opened_at: iso(m.opened_at),
    clicked_at: iso(m.clicked_at),
    created_at: iso(m.created_at)!,
  };
}
