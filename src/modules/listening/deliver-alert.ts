// Sends a crisis alert to the tenant's webhook, signed per Standard Webhooks, and records what
// happened. Email needs an SMTP relay, which Rapport's configuration does not have yet: the alert is
// recorded with `email: "no SMTP configured"` so the console shows it was not mailed.
import type pg from 'pg';
import type { Logger } from 'pino';
import { webhookHeaders } from '../../platform/sign-webhook.js';
import type { CrisisAlert } from './check-crisis.js';

export interface AlertDelivery { webhook: string; email: string }

export async function deliverAlert(pool: pg.Pool, tenantId: string, alert: CrisisAlert, opts: { fetch?: typeof fetch; log?: Logger; openSecret?: (sealed: string) => string } = {}): Promise<AlertDelivery> {
  const s = (await pool.query('SELECT alert_webhook_url, alert_webhook_secret_enc, alert_email FROM listening_settings WHERE tenant_id = $1', [tenantId])).rows[0];
  const delivery: AlertDelivery = { webhook: 'not configured', email: s?.alert_email ? 'no SMTP configured' : 'not configured' };
  if (s?.alert_webhook_url && s.alert_webhook_secret_enc && opts.openSecret) {
    const body = JSON.stringify({
      type: 'listening.crisis', timestamp: new Date().toISOString(),
      data: { alert_id: alert.id, scope: alert.scope, hour: alert.hour, volume: alert.verdict.volume, baseline: alert.verdict.baseline,
        negative_share: alert.verdict.negativeShare, baseline_negative_share: alert.verdict.baselineNegativeShare, p_value: alert.verdict.pValue,
        top_terms: alert.topTerms, examples: alert.examples },
    });
    try {
      const res = await (opts.fetch ?? fetch)(s.alert_webhook_url, { method: 'POST', headers: webhookHeaders(opts.openSecret(s.alert_webhook_secret_enc), alert.id, body), body, signal: AbortSignal.timeout(10_000) });
      delivery.webhook = res.ok ? 'sent' : `failed: HTTP ${res.status}`;
    } catch (err) {
      delivery.webhook = `failed: ${(err as Error).name}`;
    }
    if (delivery.webhook !== 'sent') opts.log?.warn({ tenantId, alertId: alert.id, delivery: delivery.webhook }, 'crisis alert webhook not delivered');
  }
  return delivery;
}
