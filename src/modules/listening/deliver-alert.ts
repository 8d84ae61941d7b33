// Sends a crisis alert to the tenant's webhook, signed per Standard Webhooks, and by email to the
// tenant's alert addresses through the platform mailer, and records what happened to each. Both go once
// per alert: an alert opens once per scope while a crisis lasts, which is what deduplicates them.
// The webhook leaves through the platform outbox, so a receiver that is down or overloaded (network,
// 429, 5xx) gets the alert when it is back; a refusal (another 4xx) stops at once. Each attempt builds
// the body from the stored alert and signs it with the clock's instant of that attempt: a receiver
// rejects a signature older than five minutes, and an erased author's example leaves the next attempt.
import type pg from 'pg';
import type { Logger } from 'pino';
import { webhookHeaders } from '../../platform/sign-webhook.js';
import type { Mailer } from '../../platform/mailer.js';
import type { Egress } from '../../platform/egress.js';
import type { Clock } from '../../platform/clock.js';
import type { Outbox, OutboxHandler } from '../../platform/outbox.js';
import { isRetryableHttp } from '../../platform/outbox.js';
import { retryAfterMs, sendHttp } from '../../platform/send-http.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { CrisisAlert } from './check-crisis.js';
import { crisisAlerts, listeningSettings } from './schema.js';

const Alert = rowOf(crisisAlerts, '*');

export const ALERT_KIND = 'listening.alert';

/** `webhook` follows the outbox: queued, sending, sent or failed; `webhook_error` names why while it is not sent. */
export interface AlertDelivery {
  webhook: string;
  webhook_error?: string | null;
  email: string;
}

export async function deliverAlert(
  pool: pg.Pool,
  tenantId: string,
  alert: CrisisAlert,
  opts: { outbox?: Outbox; log?: Logger; mailer?: Mailer },
): Promise<AlertDelivery> {
  const s = await queryRow(
    pool,
    rowOf(listeningSettings, ['alert_webhook_url', 'alert_webhook_secret_enc', 'alert_email']),
    'SELECT alert_webhook_url, alert_webhook_secret_enc, alert_email FROM listening_settings WHERE tenant_id = $1',
    [tenantId],
  );
  const delivery: AlertDelivery = { webhook: 'not configured', email: s?.alert_email ? 'no SMTP configured' : 'not configured' };
  const hasWebhook = Boolean(s?.alert_webhook_url && s.alert_webhook_secret_enc && opts.outbox);
  if (hasWebhook) {
    await opts.outbox!.enqueue(pool, { tenantId, id: alert.id, kind: ALERT_KIND, payload: {} });
    delivery.webhook = 'queued';
  }
  if (s?.alert_email && opts.mailer?.hasPlatformRelay) {
    const to = s.alert_email
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    try {
      await opts.mailer.send({ to, ...alertMail(alert), headers: { 'X-Rapport-Alert': alert.id } });
      delivery.email = 'sent';
    } catch (err) {
      delivery.email = `failed: ${(err as Error).message.slice(0, 200)}`;
      opts.log?.warn({ tenantId, alertId: alert.id, delivery: delivery.email }, 'crisis alert email not delivered');
    }
  }
  await pool.query('UPDATE listening_alerts SET delivery = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, alert.id, JSON.stringify(delivery)]);
  if (!hasWebhook) return delivery;
  // The first attempt at once, as before the outbox; its status lands on the alert through onStatus.
  const state = await opts.outbox!.dispatch(tenantId, alert.id, { inline: true });
  return state ? { ...delivery, webhook: state.status, webhook_error: state.status === 'sent' ? null : state.last_error } : delivery;
}

/** The outbox's handler for alert webhooks: one signed POST per attempt, its answer as an outcome. */
export function createAlertHandler(deps: {
  pool: pg.Pool;
  egress: Pick<Egress, 'fetch'>;
  clock: Clock;
  openSecret: (sealed: string) => string;
  log?: Logger;
}): OutboxHandler<Record<string, never>> {
  const { pool } = deps;
  return {
    async deliver(item) {
      const s = await queryRow(
        pool,
        rowOf(listeningSettings, ['alert_webhook_url', 'alert_webhook_secret_enc']),
        'SELECT alert_webhook_url, alert_webhook_secret_enc FROM listening_settings WHERE tenant_id = $1',
        [item.tenantId],
      );
      if (!s?.alert_webhook_url || !s.alert_webhook_secret_enc) return { status: 'failed', error: 'the alert webhook was removed', isPermanent: true };
      const a = await queryRow(pool, Alert, 'SELECT * FROM listening_alerts WHERE tenant_id = $1 AND id = $2', [item.tenantId, item.id]);
      if (!a) return { status: 'failed', error: 'the alert no longer exists', isPermanent: true };
      const now = deps.clock.now();
      const body = JSON.stringify({
        type: 'listening.crisis',
        timestamp: now.toISOString(),
        data: {
          alert_id: a.id,
          scope: { kind: a.scope_kind, key: a.scope_key },
          hour: a.started_at.toISOString(),
          volume: a.volume,
          baseline: a.baseline,
          negative_share: a.negative_share,
          baseline_negative_share: a.baseline_negative_share,
          p_value: a.p_value,
          top_terms: a.top_terms,
          examples: a.examples,
        },
      });
      const res = await sendHttp(deps.egress, s.alert_webhook_url, {
        method: 'POST',
        headers: webhookHeaders(deps.openSecret(s.alert_webhook_secret_enc), a.id, body, now),
        body,
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { status: 'sent' };
      return {
        status: 'failed',
        error: `HTTP ${res.status}`,
        isPermanent: !isRetryableHttp(res.status),
        httpStatus: res.status,
        retryAfterMs: retryAfterMs(res),
      };
    },
    async onStatus(item, change) {
      const webhook = { webhook: change.status, webhook_error: change.status === 'sent' || change.status === 'delivered' ? null : (change.error ?? null) };
      await pool.query('UPDATE listening_alerts SET delivery = delivery || $3::jsonb WHERE tenant_id = $1 AND id = $2', [
        item.tenantId,
        item.id,
        JSON.stringify(webhook),
      ]);
      if (change.status === 'failed') deps.log?.warn({ tenantId: item.tenantId, alertId: item.id, error: change.error }, 'crisis alert webhook not delivered');
    },
  };
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
