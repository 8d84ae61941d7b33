// Deciding one message: channel, suppression, quiet hours and caps, recorded as a row in
// outreach_messages with its status and reason — queued for the dispatcher, or dropped/suppressed
// with why. Runs in the caller's transaction, serialised per customer so two sends at once cannot
// both slip under a cap.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { ContactProfile, CustomersService } from '../customers/index.js';
import { chooseChannel, type ChannelChoice } from './choose-channel.js';
import { isTimeZone } from '../../platform/validation.js';
import { nextContactTime } from './contact-window.js';
import { checkCaps } from './frequency-caps.js';
import { getTemplate, type Template } from './manage-templates.js';
import type { OutreachSettings } from './settings.js';
import { customerNotFound, templateNotFound, urgentNotTransactional } from './errors.js';
import { missingVariables, type Channel } from './render-template.js';
import { outreachMessages, outreachSuppressions } from './schema.js';

const Prior = rowOf(outreachMessages, ['id', 'customer_id', 'status', 'status_reason', 'channel', 'scheduled_at']);

export interface SendRequest {
  /** A caller-derived id makes the send idempotent: a second send with the same id returns the first. */
  id?: string;
  customerId: string;
  templateId: string;
  /** Why this message is sent, shown on the timeline: "journey: review request", "order 123 shipped"... */
  reason: string;
  variables?: Record<string, unknown>;
  /** Only this channel (a survey invitation goes where the survey asked); otherwise the customer's ranking decides. */
  channel?: Channel;
  /** Transactional only: skip quiet hours (a security alert, a boarding reminder). */
  isUrgent?: boolean;
  campaignId?: string;
  journeyId?: string;
  enrollmentId?: string;
}

export interface PlannedMessage {
  id: string;
  customerId: string;
  status: 'queued' | 'dropped' | 'suppressed' | 'skipped' | (string & {});
  statusReason: string | null;
  channel: Channel | null;
  scheduledAt: string;
  /** The message was planned by an earlier send with the same id. */
  isReplay?: boolean;
}

export async function hasOpenSuppression(db: pg.PoolClient | pg.Pool, tenantId: string, customerId: string): Promise<string | null> {
  const r = await queryRow(
    db,
    rowOf(outreachSuppressions, ['reason']),
    'SELECT reason FROM outreach_suppressions WHERE tenant_id = $1 AND customer_id = $2 AND resolved_at IS NULL ORDER BY opened_at LIMIT 1',
    [tenantId, customerId],
  );
  return r?.reason ?? null;
}

/** The reason a message is skipped: the required variables it had no value for. */
export const missingReason = (names: string[]) => `missing_variables: ${names.join(', ')}`;

export function timeZoneOf(p: Pick<ContactProfile, 'timezone'>, s: OutreachSettings): string {
  return p.timezone && isTimeZone(p.timezone) ? p.timezone : s.defaultTimezone;
}

export async function planMessage(
  tx: pg.PoolClient,
  deps: { customers: CustomersService; settings: OutreachSettings; now: Date },
  tenantId: string,
  req: SendRequest,
): Promise<PlannedMessage> {
  const template: Template | undefined = await getTemplate(tx, tenantId, req.templateId);
  if (!template) throw templateNotFound();
  if (req.isUrgent && template.purpose !== 'transactional') throw urgentNotTransactional();
  // The caller resolved merged ids to their survivor before opening the transaction.
  const customerId = req.customerId;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outreach:${tenantId}:${customerId}`]);
  if (req.id) {
    const prior = await queryRow(
      tx,
      Prior,
      'SELECT id, customer_id, status, status_reason, channel, scheduled_at FROM outreach_messages WHERE tenant_id = $1 AND id = $2',
      [tenantId, req.id],
    );
    if (prior)
      return {
        id: prior.id,
        customerId: prior.customer_id,
        status: prior.status,
        statusReason: prior.status_reason,
        // Only chooseChannel's choice is stored.
        channel: prior.channel as Channel | null,
        scheduledAt: prior.scheduled_at.toISOString(),
        isReplay: true,
      };
  }
  const profile = (await deps.customers.readContactProfiles(tenantId, [customerId], tx)).get(customerId);
  if (!profile || profile.status !== 'active') throw customerNotFound();

  const { settings, now } = deps;
  const purpose = template.purpose;
  let status: PlannedMessage['status'] = 'queued';
  let statusReason: string | null = null;
  let at = now;

  // A message without a value for a required variable would go out with a blank where it belongs, or fail at send.
  const missing = missingVariables(template.variables, req.variables ?? {});
  const choice: ChannelChoice = missing.length
    ? { channel: null, skipped: [] }
    : chooseChannel(profile, purpose, req.channel ? template.channels.filter((c) => c === req.channel) : template.channels);
  if (missing.length) {
    status = 'skipped';
    statusReason = missingReason(missing);
  } else if (!choice.channel) {
    status = 'dropped';
    statusReason = `no_channel: ${choice.skipped.map((s) => `${s.channel} ${s.why}`).join(', ') || 'no channel ranked'}`;
  } else if (purpose === 'marketing') {
    const suppressed = await hasOpenSuppression(tx, tenantId, customerId);
    if (suppressed) {
      status = 'suppressed';
      statusReason = suppressed;
    }
  }
  if (status === 'queued') {
    if (!req.isUrgent) at = nextContactTime(now, timeZoneOf(profile, settings), profile.contactWindow ?? settings.defaultWindow);
    const cap = await checkCaps(tx, tenantId, customerId, purpose, at, settings.caps[purpose], profile.maxMessagesPerWeek);
    if (cap.isOver && cap.rule === 'drop') {
      status = 'dropped';
      statusReason = cap.why;
    } else if (cap.isOver) {
      statusReason = `deferred: ${cap.why}`;
      at = req.isUrgent ? cap.deferUntil : nextContactTime(cap.deferUntil, timeZoneOf(profile, settings), profile.contactWindow ?? settings.defaultWindow);
    }
  }

  const id = req.id ?? newId('msg');
  await tx.query(
    `INSERT INTO outreach_messages (tenant_id, id, customer_id, template_id, purpose, channel, status, reason, status_reason, is_urgent,
                                    campaign_id, journey_id, enrollment_id, variables, scheduled_at, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16)`,
    [
      tenantId,
      id,
      customerId,
      template.id,
      purpose,
      choice.channel,
      status,
      req.reason,
      statusReason,
      !!req.isUrgent,
      req.campaignId ?? null,
      req.journeyId ?? null,
      req.enrollmentId ?? null,
      JSON.stringify(req.variables ?? {}),
      at,
      now,
    ],
  );
  return { id, customerId, status, statusReason, channel: choice.channel, scheduledAt: at.toISOString() };
}
