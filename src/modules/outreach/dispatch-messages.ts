// The dispatcher: takes due queued messages, at most each channel's per-minute throttle, checks
// again what may have changed since planning (consent withdrawn, complaint opened, customer erased,
// timezone changed), renders them in the customer's locale and hands them to the channel's sender.
// Failures are retried with exponential backoff; after the last attempt the message is failed.
import type pg from 'pg';
import type { Logger } from 'pino';
import { PURPOSES, formatName, type ContactProfile, type CustomersService } from '../customers/index.js';
import { withdrawConsent } from './record-delivery-status.js';
import type { EventsService } from '../events/index.js';
import { hasConsent } from './choose-channel.js';
import { isInContactWindow, nextContactTime } from './contact-window.js';
import { getTemplate } from './manage-templates.js';
import { hasOpenSuppression, timeZoneOf } from './plan-message.js';
import { chooseLocale, flattenVariables, renderChannel, RenderError, type Channel } from './render-template.js';
import type { OutboundSender, SendResult } from './senders.js';
import type { OutreachSettings } from './settings.js';
import { signLink } from './sign-link.js';
import { addEmailTracking } from './track-email.js';

export const MAX_ATTEMPTS = 5;
/** 1, 4, 16, 64 minutes between attempts. */
export const backoffMs = (attempt: number) => 60_000 * 4 ** (attempt - 1);

export type VariablesProvider = (tenantId: string, customerId: string) => Promise<Record<string, unknown>>;

export interface DispatchDeps {
  pool: pg.Pool;
  customers: CustomersService;
  events: EventsService;
  senders: Partial<Record<Channel, OutboundSender>>;
  settings(tenantId: string): Promise<OutreachSettings>;
  /** Loyalty figures (points, tier, expiring) until the loyalty module provides them. */
  loyaltyVariables: VariablesProvider;
  publicBaseUrl: string;
  log: Logger;
}

interface Claimed {
  id: string; customer_id: string; template_id: string; purpose: 'transactional' | 'service' | 'marketing'; channel: Channel;
  reason: string; is_urgent: boolean; campaign_id: string | null; journey_id: string | null; variables: Record<string, unknown>; attempts: number;
}

export function customerVariables(p: ContactProfile) {
  return {
    id: p.id, given_name: p.givenName ?? '', family_name: p.familyName ?? '', display_name: formatName(p, p.language ?? p.locale) ?? '',
    is_core: p.value.isCore, order_count: p.value.orderCount, ...p.attributes,
  };
}

export async function dispatchDue(deps: DispatchDeps, tenantId: string, now: Date): Promise<Record<string, number>> {
  const settings = await deps.settings(tenantId);
  const tally: Record<string, number> = {};
  // A message left 'sending' by a node that died mid-send goes back to the queue.
  await deps.pool.query(`UPDATE outreach_messages SET status = 'queued' WHERE tenant_id = $1 AND status = 'sending' AND updated_at < $2::timestamptz - interval '10 minutes'`, [tenantId, now]);
  for (const channel of Object.keys(deps.senders) as Channel[]) {
    const limit = settings.throttle[channel] ?? 100;
    const { rows } = await deps.pool.query(
      `UPDATE outreach_messages m SET status = 'sending', attempts = attempts + 1, updated_at = $3
         FROM (SELECT id FROM outreach_messages WHERE tenant_id = $1 AND status = 'queued' AND scheduled_at <= $3 AND channel = $2
                ORDER BY scheduled_at LIMIT $4 FOR UPDATE SKIP LOCKED) due
        WHERE m.tenant_id = $1 AND m.id = due.id
        RETURNING m.id, m.customer_id, m.template_id, m.purpose, m.channel, m.reason, m.is_urgent, m.campaign_id, m.journey_id, m.variables, m.attempts`,
      [tenantId, channel, now, limit],
    );
    if (!rows.length) continue;
    const profiles = await deps.customers.readContactProfiles(tenantId, [...new Set(rows.map((r) => r.customer_id as string))]);
    for (const m of rows as Claimed[]) {
      const outcome = await deliverOne(deps, settings, tenantId, m, profiles.get(m.customer_id), now).catch((err) => {
        deps.log.error({ err: (err as Error).message, message: m.id }, 'outreach delivery crashed');
        return finish(deps.pool, tenantId, m, { status: 'queued', error: 'internal error' }, now);
      });
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
  }
  return tally;
}

type Finish = { status: 'sent' | 'delivered' | 'failed' | 'bounced' | 'cancelled' | 'suppressed' | 'dropped' | 'queued'; error?: string; reason?: string; at?: Date; result?: SendResult; to?: string; subject?: string };

async function finish(pool: pg.Pool, tenantId: string, m: Claimed, f: Finish, now: Date): Promise<string> {
  let status = f.status;
  let at: Date | null = f.at ?? null;
  if (status === 'queued' && !at) {
    // A failed attempt: back off, or give up after the last one.
    if (m.attempts >= MAX_ATTEMPTS) status = 'failed';
    else at = new Date(now.getTime() + backoffMs(m.attempts));
  }
  await pool.query(
    `UPDATE outreach_messages SET status = $3, status_reason = coalesce($4, status_reason), last_error = coalesce($5, last_error),
            scheduled_at = coalesce($6, scheduled_at), attempts = CASE WHEN $7 THEN attempts - 1 ELSE attempts END,
            provider_message_id = coalesce($8, provider_message_id), to_address = coalesce($9, to_address), subject = coalesce($10, subject),
            sent_at = CASE WHEN $3 IN ('sent','delivered') THEN $11 ELSE sent_at END,
            delivered_at = CASE WHEN $3 = 'delivered' THEN $11 ELSE delivered_at END, updated_at = $11
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, m.id, status, f.reason ?? null, f.error ?? null, at, f.status === 'queued' && !!f.at, f.result?.providerMessageId ?? null, f.to ?? null, f.subject ?? null, now],
  );
  await pool.query('INSERT INTO outreach_message_events (tenant_id, message_id, id, status, at, details) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING',
    [tenantId, m.id, `attempt-${m.attempts}-${status}`, status, now, JSON.stringify({ ...(f.error ? { error: f.error } : {}), ...(f.reason ? { reason: f.reason } : {}) })]);
  return status;
}

async function deliverOne(deps: DispatchDeps, settings: OutreachSettings, tenantId: string, m: Claimed, profile: ContactProfile | undefined, now: Date): Promise<string> {
  const pool = deps.pool;
  if (!profile || profile.status !== 'active') return finish(pool, tenantId, m, { status: 'cancelled', reason: 'customer no longer active' }, now);
  if (!hasConsent(m.purpose, profile.consent[`${m.channel}:${m.purpose}`])) return finish(pool, tenantId, m, { status: 'cancelled', reason: 'consent_withdrawn' }, now);
  if (m.purpose === 'marketing') {
    const suppressed = await hasOpenSuppression(pool, tenantId, m.customer_id);
    if (suppressed) return finish(pool, tenantId, m, { status: 'suppressed', reason: suppressed }, now);
  }
  const tz = timeZoneOf(profile, settings);
  const window = profile.contactWindow ?? settings.defaultWindow;
  if (!m.is_urgent && !isInContactWindow(now, tz, window)) {
    return finish(pool, tenantId, m, { status: 'queued', at: nextContactTime(now, tz, window), reason: 'waiting for contact window' }, now);
  }
  const to = profile.addresses[m.channel];
  if (!to) return finish(pool, tenantId, m, { status: 'dropped', reason: `no ${m.channel} address` }, now);
  const template = await getTemplate(pool, tenantId, m.template_id);
  if (!template) return finish(pool, tenantId, m, { status: 'failed', reason: 'template deleted' }, now);

  const locale = chooseLocale(Object.keys(template.content), [profile.language, profile.locale], template.defaultLocale);
  const vars = flattenVariables({ customer: customerVariables(profile), loyalty: await deps.loyaltyVariables(tenantId, m.customer_id), ...m.variables });
  let content;
  try {
    content = renderChannel(template.content[locale], m.channel, locale, tz, vars);
  } catch (err) {
    if (err instanceof RenderError) return finish(pool, tenantId, m, { status: 'failed', reason: `render: ${err.message}` }, now);
    throw err;
  }
  const base = (settings.publicBaseUrl ?? deps.publicBaseUrl).replace(/\/$/, '');
  const headers: Record<string, string> = {};
  if (m.channel === 'email' && m.purpose !== 'transactional') {
    // RFC 8058: an HTTPS URI in List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click
    // let the mail client unsubscribe with one POST, no page, no login.
    const token = signLink(settings.signingKey, { t: tenantId, m: m.id, k: 'u' });
    headers['List-Unsubscribe'] = `<${base}/v1/outreach/unsubscribe/${token}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    if (content.channel === 'email') {
      const prefs = `${base}/v1/outreach/preferences/${token}`;
      content = { ...content, html: `${content.html}\n<p style="font-size:12px;color:#667"><a href="${prefs}">${locale.startsWith('zh') ? (locale === 'zh-TW' ? '管理訂閱偏好' : '管理订阅偏好') : 'Manage your preferences'}</a></p>`, text: `${content.text}\n\n${prefs}` };
    }
  }
  if (content.channel === 'email' && settings.trackEmail) content = addEmailTracking(content, base, settings.signingKey, tenantId, m.id);
  const sender = deps.senders[m.channel];
  if (!sender) return finish(pool, tenantId, m, { status: 'queued', error: `no sender for ${m.channel}` }, now);
  const result = await sender.send({ tenantId, messageId: m.id, channel: m.channel, to, content, headers });
  const subject = content.channel === 'email' ? content.subject : undefined;
  if (result.status === 'sent' || result.status === 'delivered') {
    const status = await finish(pool, tenantId, m, { status: result.status, result, to, subject }, now);
    // The timeline says what the customer received and why.
    await deps.events.append(undefined, tenantId, [{
      id: `outreach:${m.id}:sent`, customerId: m.customer_id, type: 'outreach.message.sent', source: 'outreach', occurredAt: now,
      properties: { message_id: m.id, channel: m.channel, template_id: m.template_id, template: template.name, purpose: m.purpose, reason: m.reason, locale,
        ...(subject ? { subject } : {}), ...(m.campaign_id ? { campaign_id: m.campaign_id } : {}), ...(m.journey_id ? { journey_id: m.journey_id } : {}) },
    }]);
    return status;
  }
  if (result.status === 'bounced') {
    const status = await finish(pool, tenantId, m, { status: 'bounced', error: result.error, result, to }, now);
    await withdrawConsent(deps.customers, tenantId, m.customer_id, m.channel, PURPOSES, 'outreach:hard_bounce', { message_id: m.id });
    return status;
  }
  if (result.isPermanent) return finish(pool, tenantId, m, { status: 'failed', error: result.error, result }, now);
  return finish(pool, tenantId, m, { status: 'queued', error: result.error }, now);
}
