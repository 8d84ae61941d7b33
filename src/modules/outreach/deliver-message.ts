// How an outreach message leaves: the platform outbox makes each attempt through this handler, which
// checks once more what may have changed since the message was handed over (consent withdrawn, a
// complaint opened, the customer erased, the template deleted), renders it in the customer's locale
// and gives it to the channel's sender. The rendered text is never stored in the outbox: each attempt
// renders again from the message row, so erasure leaves nothing behind. Every status the outbox or a
// provider's receipt reports comes back onto the outreach message and its history.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { DeliveryOutcome, OutboxHandler, OutboxItem, StatusChange } from '../../platform/outbox.js';
import { computedRow, queryRow, rowOf } from '../../platform/query-rows.js';
import { PURPOSES, formatName, type ContactProfile, type CustomersService, type Purpose } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { hasConsent } from './choose-channel.js';
import { getTemplate } from './manage-templates.js';
import { hasOpenSuppression, timeZoneOf } from './plan-message.js';
import { outreachMessages } from './schema.js';
import { withdrawConsent } from './record-delivery-status.js';
import { chooseLocale, flattenVariables, renderChannel, RenderError, type Channel } from './render-template.js';
import type { OutboundSender } from './senders.js';
import type { OutreachSettings } from './settings.js';
import { signLink } from './sign-link.js';
import { addEmailTracking } from './track-email.js';

export const OUTREACH_KIND = 'outreach.message';

export type OutreachPayload = { channel: Channel };

/** Hard bounces of one address, across messages, before outreach stops writing to it (as the inbox does for replies). */
export const HARD_BOUNCES_TO_STOP = 2;

export type VariablesProvider = (tenantId: string, customerId: string) => Promise<Record<string, unknown>>;

export interface DeliverDeps {
  pool: pg.Pool;
  customers: CustomersService;
  events: EventsService;
  senders: Partial<Record<Channel, OutboundSender>>;
  settings(tenantId: string): Promise<OutreachSettings>;
  /** Loyalty figures (points, tier, expiring) until the loyalty module provides them. */
  loyaltyVariables: VariablesProvider;
  publicBaseUrl: string;
  log: Logger;
  clock: Clock;
}

export function customerVariables(p: ContactProfile) {
  return {
    id: p.id,
    given_name: p.givenName ?? '',
    family_name: p.familyName ?? '',
    display_name: formatName(p, p.language ?? p.locale) ?? '',
    is_core: p.value.isCore,
    order_count: p.value.orderCount,
    ...p.attributes,
  };
}

/** Statuses outreach settles itself, before or instead of sending: the outbox's reports no longer change them. */
const SETTLED = ['cancelled', 'suppressed', 'dropped', 'failed', 'bounced'];
/** How far a message has gone; a report never takes it back (a late "sent" after "delivered" changes nothing). */
const RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, opened: 4, clicked: 5 };

const Message = rowOf(outreachMessages, [
  'id',
  'customer_id',
  'template_id',
  'purpose',
  'channel',
  'status',
  'status_reason',
  'reason',
  'campaign_id',
  'journey_id',
  'variables',
  'to_address',
]);
const Reported = rowOf(outreachMessages, ['id', 'customer_id', 'channel', 'status', 'to_address']);
const Bounces = computedRow<{ n: number }>(['n']);

// What schema.ts cannot say: the check constraint holds purpose to the three, a message is handed to the
// outbox only once its channel was chosen (a message with none is dropped, never sent), and its
// variables are the object plan-message stored.
type Row = Omit<typeof Message.row, 'purpose' | 'channel' | 'variables'> & { purpose: Purpose; channel: Channel; variables: Record<string, unknown> };
type ReportedRow = Omit<typeof Reported.row, 'channel'> & { channel: Channel };

export function createOutreachHandler(deps: DeliverDeps): OutboxHandler<OutreachPayload> {
  const { pool } = deps;

  /** Outreach's own verdict (cancelled, suppressed, dropped, failed): stored here, and the outbox stops at once. */
  async function settle(tenantId: string, m: Row, status: string, reason: string): Promise<DeliveryOutcome> {
    const now = deps.clock.now();
    await pool.query(`UPDATE outreach_messages SET status = $3, status_reason = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      m.id,
      status,
      reason,
      now,
    ]);
    await pool.query('INSERT INTO outreach_message_events (tenant_id, message_id, id, status, at, details) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING', [
      tenantId,
      m.id,
      `settled-${status}`,
      status,
      now,
      JSON.stringify({ reason }),
    ]);
    return { status: 'failed', error: `${status}: ${reason}`, isPermanent: true };
  }

  async function deliver(item: OutboxItem<OutreachPayload>): Promise<DeliveryOutcome> {
    const tenantId = item.tenantId;
    const m = (await queryRow(
      pool,
      Message,
      `SELECT id, customer_id, template_id, purpose, channel, status, status_reason, reason, campaign_id, journey_id, variables, to_address
         FROM outreach_messages WHERE tenant_id = $1 AND id = $2`,
      [tenantId, item.id],
    )) as Row | undefined;
    if (!m) return { status: 'failed', error: 'the message no longer exists', isPermanent: true };
    // Cancelled since it was handed over (the customer erased, a campaign stopped): it never leaves.
    if (['cancelled', 'suppressed', 'dropped'].includes(m.status))
      return { status: 'failed', error: `${m.status}: ${m.status_reason ?? 'not sent'}`, isPermanent: true };
    const [settings, profiles] = await Promise.all([deps.settings(tenantId), deps.customers.readContactProfiles(tenantId, [m.customer_id])]);
    const profile = profiles.get(m.customer_id);
    if (!profile || profile.status !== 'active') return settle(tenantId, m, 'cancelled', 'customer no longer active');
    if (!hasConsent(m.purpose, profile.consent[`${m.channel}:${m.purpose}`])) return settle(tenantId, m, 'cancelled', 'consent_withdrawn');
    if (m.purpose === 'marketing') {
      const suppressed = await hasOpenSuppression(pool, tenantId, m.customer_id);
      if (suppressed) return settle(tenantId, m, 'suppressed', suppressed);
    }
    const to = profile.addresses[m.channel];
    if (!to) return settle(tenantId, m, 'dropped', `no ${m.channel} address`);
    const template = await getTemplate(pool, tenantId, m.template_id);
    if (!template) return settle(tenantId, m, 'failed', 'template deleted');

    const tz = timeZoneOf(profile, settings);
    const locale = chooseLocale(Object.keys(template.content), [profile.language, profile.locale], template.defaultLocale);
    const vars = flattenVariables({ customer: customerVariables(profile), loyalty: await deps.loyaltyVariables(tenantId, m.customer_id), ...m.variables });
    let content: ReturnType<typeof renderChannel>;
    try {
      content = renderChannel(template.content[locale], m.channel, locale, tz, vars);
    } catch (err) {
      if (err instanceof RenderError) return settle(tenantId, m, 'failed', `render: ${err.message}`);
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
        content = {
          ...content,
          html: `${content.html}\n<p style="font-size:12px;color:#667"><a href="${prefs}">${locale.startsWith('zh') ? (locale === 'zh-TW' ? '管理訂閱偏好' : '管理订阅偏好') : 'Manage your preferences'}</a></p>`,
          text: `${content.text}\n\n${prefs}`,
        };
      }
    }
    if (content.channel === 'email' && settings.trackEmail) content = addEmailTracking(content, base, settings.signingKey, tenantId, m.id);
    const sender = deps.senders[m.channel];
    if (!sender) return { status: 'failed', error: `no sender for ${m.channel}`, isPermanent: false };
    const subject = content.channel === 'email' ? content.subject : null;
    // Where it went is kept before it leaves: a bounce that comes back later is counted against this address.
    await pool.query('UPDATE outreach_messages SET to_address = $3, subject = $4 WHERE tenant_id = $1 AND id = $2', [tenantId, m.id, to, subject]);
    const result = await sender.send({ tenantId, messageId: m.id, channel: m.channel, to, content, headers });
    if (result.status === 'sent' || result.status === 'delivered') {
      // The timeline says what the customer received and why; a failure to say so never sends the message twice.
      await deps.events
        .append(undefined, tenantId, [
          {
            id: `outreach:${m.id}:sent`,
            customerId: m.customer_id,
            type: 'outreach.message.sent',
            source: 'outreach',
            occurredAt: deps.clock.now(),
            properties: {
              message_id: m.id,
              channel: m.channel,
              template_id: m.template_id,
              template: template.name,
              purpose: m.purpose,
              reason: m.reason,
              locale,
              ...(subject ? { subject } : {}),
              ...(m.campaign_id ? { campaign_id: m.campaign_id } : {}),
              ...(m.journey_id ? { journey_id: m.journey_id } : {}),
            },
          },
        ])
        .catch((err) => deps.log.warn({ err: (err as Error).message, message: m.id }, 'outreach timeline entry not written'));
      return { status: result.status, providerId: result.providerMessageId };
    }
    const error = result.error ?? result.status;
    if (result.status === 'bounced') {
      await recordHardBounce(tenantId, { ...m, to_address: to }, error);
      return { status: 'failed', error, isPermanent: true };
    }
    return { status: 'failed', error, isPermanent: !!result.isPermanent };
  }

  /**
   * A refusal of the address itself (an SMTP 5xx at sending, a DSN with a 5.x.x status): kept on the
   * history, and the second one for the same address withdraws the channel for every purpose, as the
   * inbox does for agents' replies, so outreach stops writing to an address that does not exist.
   */
  async function recordHardBounce(tenantId: string, m: Pick<ReportedRow, 'id' | 'customer_id' | 'channel' | 'to_address'>, error: string) {
    await pool.query('INSERT INTO outreach_message_events (tenant_id, message_id, id, status, at, details) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING', [
      tenantId,
      m.id,
      'hard-bounce',
      'bounced',
      deps.clock.now(),
      JSON.stringify({ bounce_type: 'hard', error }),
    ]);
    const n = await queryRow(
      pool,
      Bounces,
      `SELECT count(DISTINCT m.id)::int AS n FROM outreach_messages m JOIN outreach_message_events e ON e.tenant_id = m.tenant_id AND e.message_id = m.id
        WHERE m.tenant_id = $1 AND m.customer_id = $2 AND m.channel = $3 AND m.to_address = $4 AND e.status = 'bounced' AND coalesce(e.details->>'bounce_type', 'hard') = 'hard'`,
      [tenantId, m.customer_id, m.channel, m.to_address],
    );
    if (n && n.n >= HARD_BOUNCES_TO_STOP) {
      await withdrawConsent(deps.customers, tenantId, m.customer_id, m.channel, PURPOSES, 'outreach:hard_bounce', { message_id: m.id, bounces: n.n });
    }
  }

  async function onStatus(item: OutboxItem<OutreachPayload>, change: StatusChange) {
    const tenantId = item.tenantId;
    const m = (await queryRow(pool, Reported, 'SELECT id, customer_id, channel, status, to_address FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      item.id,
    ])) as ReportedRow | undefined;
    if (!m || (SETTLED.includes(m.status) && change.status !== 'delivered')) return;
    const at = change.at;
    if (change.status === 'failed') {
      // A receipt after sending (a DSN, a carrier's report) that refuses the address for good is a hard bounce.
      if (change.isPermanent && (m.status === 'sent' || m.status === 'delivered') && m.to_address)
        await recordHardBounce(tenantId, m, change.error ?? 'bounced');
    } else if (change.status !== 'queued' && (m.status === 'failed' ? -1 : (RANK[m.status] ?? 99)) >= RANK[change.status]) return;
    await pool.query(
      `UPDATE outreach_messages SET status = $3, attempts = $4, updated_at = $5, last_error = CASE WHEN $3 IN ('failed','queued') THEN coalesce($6, last_error) ELSE last_error END,
              provider_message_id = coalesce($7, provider_message_id),
              sent_at = CASE WHEN $3 IN ('sent','delivered') THEN coalesce(sent_at, $5) ELSE sent_at END,
              delivered_at = CASE WHEN $3 = 'delivered' THEN coalesce(delivered_at, $5) ELSE delivered_at END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, m.id, change.status, change.attempts, at, change.error ?? null, change.providerId ?? null],
    );
    if (change.status === 'sending') return;
    await pool.query('INSERT INTO outreach_message_events (tenant_id, message_id, id, status, at, details) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING', [
      tenantId,
      m.id,
      `attempt-${change.attempts}-${change.status}`,
      change.status,
      at,
      JSON.stringify({
        ...(change.error ? { error: change.error } : {}),
        ...(change.nextAttemptAt ? { next_attempt_at: change.nextAttemptAt.toISOString() } : {}),
      }),
    ]);
  }

  return { deliver, onStatus };
}
