// Asking a customer: the one place every trigger goes through, so consent, the contact window and
// the once-in-N-days rule across all surveys hold whatever asked.
import type pg from 'pg';
import { withTransaction } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { hasConsent, isWithinWindow, nextWindowOpening, type ContactWindow } from './contact-rules.js';
import type { SurveyRow } from './manage-surveys.js';
import type { Purpose } from '../customers/index.js';
import { chooseChannel, INVITATION_CHANNELS } from '../outreach/index.js';

export const DEFAULT_THROTTLE_DAYS = 30;

/** What the customers service tells about a customer that asking depends on. */
export interface ContactProfile {
  id: string;
  timezone: string | null;
  locale: string | null;
  language: string | null;
  contactWindow: ContactWindow | null;
  consent: { channel: string; purpose: string; status: string }[];
  /** The customer's ranked channels, most preferred first (empty: no preference given). */
  channels: string[];
  addresses: Partial<Record<string, string>>;
}

export interface InvitationRequest {
  surveyId: string;
  customerId: string;
  trigger: string;
  sourceKey: string;
  channel?: string;
  context?: Record<string, unknown>;
}

export type InvitationOutcome =
  | { outcome: 'issued'; invitationId: string; channel: string; expiresAt: Date; surveyVersion: number }
  | { outcome: 'outside_window'; next?: Date }
  | { outcome: 'throttled' | 'no_consent' | 'inactive' | 'no_customer' | 'duplicate' };

/**
 * Channels the customer is on already: the page button, and the widget's pop-in, shown only inside
 * the chat the visitor opened on the company's site. Nothing is sent to them, so no consent is needed.
 */
const CUSTOMER_INITIATED = new Set(['web', 'widget']);

/**
 * The survey's own channel when the customer consents to it; otherwise the first of the customer's
 * ranked channels that outreach can carry an invitation on, with consent and an address (outreach's
 * choice for any message). A channel the caller named is not replaced: it was asked for on purpose.
 */
function askingChannel(survey: SurveyRow, profile: ContactProfile): string | undefined {
  const purpose = survey.consent_purpose;
  if (CUSTOMER_INITIATED.has(survey.channel) || hasConsent(profile.consent, survey.channel, purpose)) return survey.channel;
  // Asking needs an explicit grant (silence is no), stricter than outreach's rule for service messages,
  // so every channel without one is handed to the choice as withdrawn.
  const consent = Object.fromEntries(
    INVITATION_CHANNELS.map((c) => [`${c}:${purpose}`, hasConsent(profile.consent, c, purpose) ? ('granted' as const) : ('withdrawn' as const)]),
  );
  return chooseChannel({ channels: profile.channels, consent, addresses: profile.addresses }, purpose as Purpose, INVITATION_CHANNELS).channel ?? undefined;
}

export async function issueInvitation(
  pool: pg.Pool,
  tenantId: string,
  survey: SurveyRow | undefined,
  profile: ContactProfile | undefined,
  req: InvitationRequest,
  opts: { now: Date; tenantThrottleDays?: number },
): Promise<InvitationOutcome> {
  if (!survey || survey.status !== 'active') return { outcome: 'inactive' };
  if (!profile) return { outcome: 'no_customer' };
  const channel = req.channel ?? askingChannel(survey, profile);
  if (!channel || (!CUSTOMER_INITIATED.has(channel) && !hasConsent(profile.consent, channel, survey.consent_purpose))) return { outcome: 'no_consent' };
  if (!isWithinWindow(profile.contactWindow, profile.timezone, opts.now)) {
    return { outcome: 'outside_window', next: nextWindowOpening(profile.contactWindow, profile.timezone, opts.now) };
  }
  const days = survey.throttle_days ?? opts.tenantThrottleDays ?? DEFAULT_THROTTLE_DAYS;
  return withTransaction(pool, async (tx) => {
    // One customer's invitations are decided one at a time, so two triggers firing together cannot
    // both pass the once-in-N-days check.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7))`, [tenantId, profile.id]);
    if (days > 0) {
      const { rows } = await tx.query(
        `SELECT 1 FROM survey_invitations WHERE tenant_id = $1 AND customer_id = $2 AND created_at > $3::timestamptz - make_interval(days => $4) AND created_at <= $3::timestamptz LIMIT 1`,
        [tenantId, profile.id, opts.now, days],
      );
      if (rows.length) return { outcome: 'throttled' as const };
    }
    const id = newId('inv');
    const expiresAt = new Date(opts.now.getTime() + survey.link_ttl_hours * 3600_000);
    const inserted = await tx.query(
      `INSERT INTO survey_invitations (tenant_id, id, survey_id, survey_version, customer_id, channel, touchpoint, journey_stage, trigger, source_key, context, expires_at, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING`,
      [
        tenantId,
        id,
        survey.id,
        survey.current_version,
        profile.id,
        channel,
        survey.touchpoint,
        survey.journey_stage,
        req.trigger,
        req.sourceKey,
        JSON.stringify(req.context ?? {}),
        expiresAt,
        opts.now,
      ],
    );
    if (inserted.rowCount !== 1) return { outcome: 'duplicate' as const };
    return { outcome: 'issued' as const, invitationId: id, channel, expiresAt, surveyVersion: survey.current_version };
  });
}
