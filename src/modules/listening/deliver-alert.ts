// Sends a crisis alert to the tenant's webhook, signed per Standard Webhooks, and by email to the
// tenant's alert addresses through the platform mailer, and records what happened to each. Both go once
// per alert: an alert opens once per scope while a crisis lasts, which is what deduplicates them.
import type pg from 'pg';
import type { Logger } from 'pino';
import { webhookHeaders } from '../../platform/sign-webhook.js';
import type { Mailer } from '../../platform/mailer.js';
import type { Egress } from '../../platform/egress.js';
import type { CrisisAlert } from './check-crisis.js';

export interface AlertDelivery { webhook: string; email: string }

export async function deliverAlert(pool: pg.Pool, tenantId: string, alert: CrisisAlert, opts: { now: Date; fetch?: Egress['fetch']; log?: Logger; openSecret?: (sealed: string) => string; mailer?: Mailer }): Promise<AlertDelivery> {
  const s = (await pool.query('SELECT alert_webhook_url, alert_webhook_secret_enc, alert_email FROM listening_settings WHERE tenant_id = $1', [tenantId])).rows[0];
  const delivery: AlertDelivery = { webhook: 'not configured', email: s?.alert_email ? 'no SMTP configured' : 'not configured' };
  if (s?.alert_webhook_url && s.alert_webhook_secret_enc && opts.openSecret && opts.fetch) {
    const body = JSON.stringify({
      type: 'listening.crisis', timestamp: opts.now.toISOString(),
      data: { alert_id: alert.id, scope: alert.scope, hour: alert.hour, volume: alert.verdict.volume, baseline: alert.verdict.baseline,
        negative_share: alert.verdict.negativeShare, baseline_negative_share: alert.verdict.baselineNegativeShare, p_value: alert.verdict.pValue,
        top_terms: alert.topTerms, examples: alert.examples },
    });
    try {
      const res = await opts.fetch(s.alert_webhook_url, { method: 'POST', headers: webhookHeaders(opts.openSecret(s.alert_webhook_secret_enc), alert.id, body, opts.now), body, signal: AbortSignal.timeout(10_000) });
      delivery.webhook = res.ok ? 'sent' : `failed: HTTP ${res.status}`;
    } catch (err) {
      delivery.webhook = `failed: ${(err as Error).name}`;
    }
    if (delivery.webhook !== 'sent') opts.log?.warn({ tenantId, alertId: alert.id, delivery: delivery.webhook }, 'crisis alert webhook not delivered');
  }
  if (s?.alert_email && opts.mailer?.hasPlatformRelay) {
    const to = String(s.alert_email).split(',').map((a) => a.trim()).filter(Boolean);
    try {
      await opts.mailer.send({ to, ...alertMail(alert), headers: { 'X-Rapport-Alert': alert.id } });
      delivery.email = 'sent';
    } catch (err) {
      delivery.email = `failed: ${(err as Error).message.slice(0, 200)}`;
      opts.log?.warn({ tenantId, alertId: alert.id, delivery: delivery.email }, 'crisis alert email not delivered');
    }
  }
  return delivery;
}

const SCOPE_NAMES: Record<string, string> = { all: 'all mentions', angle: 'angle', topic: 'topic' };
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A short plain-text alert a person on duty can act on from a phone: what, how big, where to look. */
export function alertMail(alert: CrisisAlert): { subject: string; text: string } {
  const scope = alert.scope.kind === 'all' ? SCOPE_NAMES.all : `${SCOPE_NAMES[alert.scope.kind]} "${alert.scope.key}"`;
  const v = alert.verdict;
  const lines = [
    `Crisis alert on ${scope} for the hour from ${alert.hour}.`,
    '',
    `Mentions: ${v.volume} (usual for this hour: ${v.baseline.toFixed(1)})`,
    `Negative share: ${pct(v.negativeShare)} (usual: ${pct(v.baselineNegativeShare)})`,
    '',
    `Top terms: ${alert.topTerms.map((t) => t.term).join(', ') || '-'}`,
    '',
    'Examples:',
    ...alert.examples.map((e) => `- ${e.text}${e.url ? `\n  ${e.url}` : ''}`),
    '',
    `Alert ${alert.id}. You will not get another alert for this scope until the crisis has passed.`,
  ];
  return { subject: `Crisis alert: ${v.volume} mentions on ${scope}, ${pct(v.negativeShare)} negative`, text: lines.join('\n') };
}
