// Telling the customer what was done: the notice is written in the customer's language and handed to
// the outbox on the channel outreach would choose for a service message; each outbox status reaches
// the notice and its cases, and a delivered notice counts the customer as told.
import { withTransaction } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRow, rowOf } from '../../platform/query-rows.js';
import type { StatusChange } from '../../platform/outbox.js';
import { formatName } from '../customers/index.js';
import { chooseChannel } from '../outreach/index.js';
import { SYSTEM, type LoopDeps } from './loop-deps.js';
import { writeActivity } from './case-activity.js';
import { composeNotice, languageOf, NOTICE_KIND, RECEIPT_CHANNELS, type Notice } from './notify-customer.js';
import { noticeNotFound } from './errors.js';
import { caseNotices } from './schema.js';

type NoticePayload = { case_ids: string[]; issue_id: string | null };

/**
 * Writes the notice and hands it to the outbox: the customer's ranked channels with consent and an
 * address, among those a delivery is wired for. Once per dedupe key (a case, or an issue and customer).
 */
export async function tellCustomer(
  deps: LoopDeps,
  tenantId: string,
  n: {
    dedupeKey: string;
    caseIds: string[];
    caseId?: string;
    issueId?: string;
    customerId: string;
    kind: 'case' | 'issue';
    resolution: string;
    custom?: { subject?: string; body?: string };
  },
) {
  const { pool, outbox, clock } = deps;
  // Telling the customer is processing, not someone viewing the profile: the unaudited contact read.
  const p = (await deps.customers.readContactProfiles(tenantId, [n.customerId])).get(n.customerId);
  if (!p) return { status: 'no_customer' };
  const lang = languageOf([p.language, p.locale]);
  const { subject, body } = composeNotice(lang, n.kind, { name: formatName(p, lang), resolution: n.resolution }, n.custom);
  const choice = chooseChannel(p, 'service', [...deps.deliveries.keys()] as never);
  const channel = choice.channel ?? choice.skipped.find((x) => x.why === 'no_consent')?.channel ?? Object.keys(p.addresses)[0] ?? 'email';
  const recipient = choice.channel ? (p.addresses[choice.channel] ?? null) : null;
  // Why none: every address the customer has refused service messages, or none can be carried, or truly none.
  const status = choice.channel
    ? 'queued'
    : choice.skipped.some((x) => x.why === 'no_consent')
      ? 'no_consent'
      : Object.keys(p.addresses).length
        ? 'no_channel'
        : 'no_address';
  const id = newId('ntc');
  const inserted = await withTransaction(pool, async (tx) => {
    const ins = await tx.query(
      `INSERT INTO case_notices (tenant_id, id, dedupe_key, case_id, issue_id, customer_id, channel, recipient, language, subject, body, status)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      [tenantId, id, n.dedupeKey, n.caseId ?? null, n.issueId ?? null, p.id, channel, recipient, lang, subject, body, status],
    );
    if (ins.rowCount !== 1) return false;
    if (status === 'queued') await outbox.enqueue(tx, { tenantId, id, kind: NOTICE_KIND, payload: { case_ids: n.caseIds, issue_id: n.issueId ?? null } });
    else for (const caseId of n.caseIds) await writeActivity(tx, tenantId, caseId, 'notice', { code: 'notice', status, subject }, SYSTEM, clock.now(), channel);
    return true;
  });
  if (!inserted) return { status: 'already_told' };
  if (status !== 'queued') return { status, noticeId: id };
  const state = await outbox.dispatch(tenantId, id, { inline: true });
  return { status: state?.status ?? 'queued', noticeId: id };
}

/** Each outbox status of a notice, on the notice and its cases; delivered (or sent where no receipt comes) tells the customer. */
async function recordNoticeStatus(deps: LoopDeps, tenantId: string, id: string, payload: NoticePayload, change: StatusChange) {
  if (change.status === 'sending') return;
  const at = change.at;
  await withTransaction(deps.pool, async (tx) => {
    const ntc = await queryRow(
      tx,
      rowOf(caseNotices, ['customer_id', 'channel', 'subject']),
      `UPDATE case_notices SET status = $3, error = $4, sent_at = CASE WHEN $3 IN ('sent','delivered') THEN coalesce(sent_at, $5) ELSE sent_at END
        WHERE tenant_id = $1 AND id = $2 RETURNING customer_id, channel, subject`,
      [tenantId, id, change.status, change.status === 'failed' || change.status === 'queued' ? (change.error ?? null) : null, at],
    );
    if (!ntc) return;
    const error = change.error && change.status !== 'sent' && change.status !== 'delivered' ? { error: change.error } : {};
    for (const caseId of payload.case_ids)
      await writeActivity(tx, tenantId, caseId, 'notice', { code: 'notice', status: change.status, subject: ntc.subject, ...error }, SYSTEM, at, ntc.channel);
    const isTold = change.status === 'delivered' || (change.status === 'sent' && !RECEIPT_CHANNELS.has(ntc.channel));
    if (isTold) {
      const { rowCount } = await tx.query(
        'UPDATE cases SET customer_told_at = coalesce(customer_told_at, $3), updated_at = $3 WHERE tenant_id = $1 AND id = ANY($2::text[]) AND customer_told_at IS NULL',
        [tenantId, payload.case_ids, at],
      );
      if (rowCount)
        await deps.events.append(tx, tenantId, [
          {
            id: `loop:${id}`,
            customerId: ntc.customer_id,
            type: 'case.customer_told',
            source: 'loop',
            occurredAt: at,
            properties: { notice_id: id, case_ids: payload.case_ids, issue_id: payload.issue_id, channel: ntc.channel },
          },
        ]);
    }
  });
}

/** The outbox's handler for notices: delivers through the channel's delivery and records each status. */
export function registerNoticeDelivery(deps: LoopDeps) {
  deps.outbox.register<NoticePayload>(NOTICE_KIND, {
    async deliver(item) {
      const ntc = await queryRow(
        deps.pool,
        rowOf(caseNotices, ['customer_id', 'channel', 'recipient', 'language', 'subject', 'body']),
        'SELECT customer_id, channel, recipient, language, subject, body FROM case_notices WHERE tenant_id = $1 AND id = $2',
        [item.tenantId, item.id],
      );
      if (!ntc?.recipient) return { status: 'failed', error: 'the notice has no recipient (erased?)', isPermanent: true };
      const delivery = deps.deliveries.get(ntc.channel);
      if (!delivery) return { status: 'failed', error: `nothing delivers ${ntc.channel} notices`, isPermanent: false };
      const sent = await delivery({
        id: item.id,
        tenantId: item.tenantId,
        customerId: ntc.customer_id,
        channel: ntc.channel,
        recipient: ntc.recipient,
        // tellCustomer stores the language it worded the notice in (languageOf: English when none is known).
        language: ntc.language ?? 'en',
        subject: ntc.subject,
        body: ntc.body,
      } satisfies Notice);
      return { status: 'sent', providerId: sent?.providerId ?? null };
    },
    onStatus: (item, change) => recordNoticeStatus(deps, item.tenantId, item.id, item.payload, change),
  });
}

/** A notice that failed (or waits for a retry) sent again now, its retries starting afresh. */
export async function resendNotice(deps: LoopDeps, tenantId: string, id: string) {
  const state = await deps.outbox.resend(tenantId, id, { inline: true });
  if (!state) throw noticeNotFound();
  const n = await queryRow(
    deps.pool,
    rowOf(caseNotices, ['id', 'channel', 'recipient', 'status', 'error', 'sent_at']),
    'SELECT id, channel, recipient, status, error, sent_at FROM case_notices WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  // The outbox found the notice just now, and notices are never deleted.
  if (!n) throw noticeNotFound();
  return {
    id: n.id,
    channel: n.channel,
    recipient: n.recipient,
    status: n.status,
    error: n.error,
    sent_at: n.sent_at?.toISOString() ?? null,
    attempts: state.attempts,
  };
}
