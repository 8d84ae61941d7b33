// Mail no person wrote: bounces (RFC 3464 delivery status notifications, MAILER-DAEMON) and
// automatic replies (out-of-office, list mail). They never open or reopen a conversation and never
// start an auto-answer (they would answer each other for ever: RFC 3834 §2). When one can be tied
// to a message we sent, it is kept on that conversation as a system note; a bounce marks the bounced
// message failed with the receiving server's diagnostic, and repeated hard bounces of one address
// withdraw the customer's email consent, so outreach stops writing to it.
import type { ParsedMail } from 'mailparser';
import { newId } from '../../platform/ids.js';
import { computedRow, queryRow, rowOf } from '../../platform/query-rows.js';
import { PURPOSES } from '../customers/index.js';
import type { InboxDeps } from './effects.js';
import type { InboundMessage, ReceiveResult } from './receive-message.js';
import { messageIdsIn } from './channels/email.js';
import { inboxConversations, inboxMessages } from './schema.js';

const SentMessage = rowOf(inboxMessages, ['id', 'conversation_id', 'customer_id']);
const LinkedConversation = rowOf(inboxConversations, ['id', 'customer_id']);
const Holders = rowOf(inboxConversations, ['team_id', 'assignee_id']);
const Count = computedRow<{ n: number }>(['n']);

export interface AutomatedMail {
  kind: 'bounce' | 'auto_reply';
  /** Which header or sign told us (for the note and the log). */
  reason: string;
  /** Message-IDs of the mail it answers or returns, best first. */
  relatesTo: string[];
  /** Bounces: the DSN's Action (failed, delayed, delivered, relayed, expanded), Status and diagnostic. */
  action?: string;
  status?: string;
  diagnostic?: string;
  recipient?: string;
}

/** Hard bounces of one address, across messages, before outreach stops writing to it. */
export const HARD_BOUNCES_TO_STOP = 2;

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name);
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value ?? '');
  return String(v);
}

/**
 * Whether a parsed mail is a bounce or an automatic reply, by the signs senders use: a multipart/report
 * of delivery-status, MAILER-DAEMON or postmaster, a null return path (RFC 5321 §4.5.5), Auto-Submitted
 * other than "no" (RFC 3834), X-Autoreply and X-Autorespond (Exchange, older autoresponders), and
 * Precedence bulk, junk, list or auto_reply.
 */
export function classifyAutomated(mail: ParsedMail, envelopeFrom?: string): AutomatedMail | undefined {
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = ct?.value === 'multipart/report' && /delivery-status/i.test(ct.params?.['report-type'] ?? '');
  const from = mail.from?.value?.[0]?.address?.toLowerCase() ?? '';
  const local = from.split('@')[0];
  const returnPathLine = mail.headerLines.find((h) => h.key === 'return-path')?.line ?? '';
  const isNullSender = envelopeFrom === '' || /^return-path:\s*<\s*>\s*$/i.test(returnPathLine);
  const autoSubmitted = header(mail, 'auto-submitted');
  const precedence = header(mail, 'precedence');
  const relatesTo = [...messageIdsIn(mail.inReplyTo), ...messageIdsIn(mail.references).reverse()];

  if (isReport || local === 'mailer-daemon' || local === 'postmaster') {
    // The returned message's headers come as a text/rfc822-headers or message/rfc822 part, which the
    // parser keeps as an attachment or folds into the text; its Message-ID names what bounced.
    const parts = [...mail.attachments.filter((a) => /rfc822/i.test(a.contentType)).map((a) => a.content.toString('utf8')), mail.text ?? ''];
    const returned = parts.flatMap((p) => [...p.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((x) => x[1]));
    const text = [mail.text ?? '', ...mail.attachments.filter((a) => /delivery-status/i.test(a.contentType)).map((a) => a.content.toString('utf8'))].join('\n');
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(text)?.[1]?.trim();
    return {
      kind: 'bounce',
      reason: isReport ? 'multipart/report delivery-status' : `from ${local}`,
      relatesTo: [...new Set([...returned, ...relatesTo])],
      action: field('Action')?.toLowerCase(),
      status: field('Status'),
      diagnostic: field('Diagnostic-Code')
        ?.replace(/^smtp;\s*/i, '')
        .slice(0, 500),
      recipient:
        field('Final-Recipient')
          ?.replace(/^rfc822;\s*/i, '')
          .toLowerCase() ??
        field('Original-Recipient')
          ?.replace(/^rfc822;\s*/i, '')
          .toLowerCase(),
    };
  }
  const reason = autoReplySign({
    autoSubmitted,
    precedence,
    hasXAutoreply: mail.headers.has('x-autoreply'),
    hasXAutorespond: mail.headers.has('x-autorespond'),
    isNullSender,
  });
  return reason ? { kind: 'auto_reply', reason, relatesTo } : undefined;
}

/** The sign of an automatic reply among its headers, for the parsed mail and for providers' header lists alike. */
export function autoReplySign(h: {
  autoSubmitted?: string;
  precedence?: string;
  hasXAutoreply?: boolean;
  hasXAutorespond?: boolean;
  isNullSender?: boolean;
}): string | undefined {
  const auto = h.autoSubmitted?.trim().toLowerCase();
  const precedence = h.precedence?.trim().toLowerCase() ?? '';
  return auto && auto !== 'no'
    ? `Auto-Submitted: ${auto}`
    : h.hasXAutoreply
      ? 'X-Autoreply'
      : h.hasXAutorespond
        ? 'X-Autorespond'
        : ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)
          ? `Precedence: ${precedence}`
          : h.isNullSender
            ? 'null return path'
            : undefined;
}

/** A hard bounce: the DSN says failed with a permanent status (5.x.x), or the diagnostic is an SMTP 5xx. */
export const isHardBounce = (a: AutomatedMail) =>
  a.kind === 'bounce' && (a.action === 'failed' || !a.action) && (/^5\./.test(a.status ?? '') || /^5\d\d/.test(a.diagnostic ?? ''));

const bounceError = (a: AutomatedMail) => `bounced${a.status ? ` ${a.status}` : ''}: ${a.diagnostic ?? 'no diagnostic given'}`;

export async function receiveAutomated(deps: InboxDeps, m: InboundMessage & { automated: AutomatedMail }): Promise<ReceiveResult> {
  const tenantId = m.channel.tenantId;
  const a = m.automated;
  // Our own outbound Message-IDs are what it answers; a reply+token address names the conversation.
  const sent = await queryRow(
    deps.pool,
    SentMessage,
    `SELECT id, conversation_id, customer_id FROM inbox_messages WHERE tenant_id = $1 AND direction = 'out' AND external_id = ANY($2::text[]) ORDER BY created_at DESC LIMIT 1`,
    [tenantId, a.relatesTo],
  );
  let conv = sent ? { id: sent.conversation_id, customer_id: sent.customer_id } : undefined;
  if (!conv && m.replyToken) {
    const c = await queryRow(deps.pool, LinkedConversation, 'SELECT id, customer_id FROM inbox_conversations WHERE tenant_id = $1 AND reply_token = $2', [
      tenantId,
      m.replyToken,
    ]);
    conv = c;
  }
  deps.log.info({ tenant: tenantId, kind: a.kind, reason: a.reason, linked: !!conv }, 'automated mail kept out of the inbox');
  if (!conv) {
    // Mail another module sent (an outreach campaign, a survey invitation) is known to the outbox by its
    // Message-ID: the bounce goes there, and the outbox tells the module that owns the message.
    if (a.kind === 'bounce' && (a.action === 'failed' || !a.action)) {
      for (const providerId of a.relatesTo) {
        if (await deps.outbox.recordReceipt(tenantId, { providerId }, { status: 'failed', error: bounceError(a), isPermanent: isHardBounce(a) })) break;
      }
    }
    return { status: 'accepted', messageId: '', conversationId: '', customerId: '', isNewConversation: false };
  }

  const noteId = newId('msg');
  const text =
    a.kind === 'bounce'
      ? `Bounce${a.recipient ? ` from ${a.recipient}` : ''}: ${a.action ?? 'failed'}${a.status ? ` (${a.status})` : ''}${a.diagnostic ? ` — ${a.diagnostic}` : ''}`
      : `Automatic reply (${a.reason}): ${(m.subject ?? '').slice(0, 200)}\n${m.text.slice(0, 2000)}`;
  // Keyed on the provider's id: the same bounce delivered twice is one note.
  const { rowCount } = await deps.pool.query(
    `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, subject, external_id, meta, created_at)
     SELECT $1::text, $2::text, $3::text, $4::text, 'note', 'email', $5::text, 'system', $6::text, $7::text, $8::text, $9::jsonb, $10::timestamptz
      WHERE $8::text IS NULL OR NOT EXISTS (SELECT 1 FROM inbox_messages WHERE tenant_id = $1 AND channel_id = $5 AND external_id = $8)`,
    [
      tenantId,
      noteId,
      conv.id,
      conv.customer_id,
      m.channel.id,
      text,
      m.subject ?? null,
      m.externalId ?? null,
      JSON.stringify({
        automated: a.kind,
        reason: a.reason,
        ...(sent ? { relates_to: sent.id } : {}),
        ...(a.recipient ? { recipient: a.recipient } : {}),
        ...(a.status ? { dsn_status: a.status } : {}),
      }),
      deps.clock.now(),
    ],
  );
  if (!rowCount) return { status: 'duplicate', messageId: '', conversationId: conv.id, customerId: conv.customer_id, isNewConversation: false };
  const c = await queryRow(deps.pool, Holders, 'SELECT team_id, assignee_id FROM inbox_conversations WHERE tenant_id = $1 AND id = $2', [tenantId, conv.id]);
  deps.feed.publish([
    {
      type: 'note.created',
      tenantId,
      conversationId: conv.id,
      teamId: c?.team_id ?? null,
      assigneeId: c?.assignee_id ?? null,
      data: { message_id: noteId, text: text.slice(0, 4000), author_type: 'system' },
    },
  ]);

  if (a.kind === 'bounce' && sent && (a.action === 'failed' || !a.action)) {
    await deps.outbox.recordReceipt(tenantId, { id: sent.id }, { status: 'failed', error: bounceError(a), isPermanent: isHardBounce(a) });
  }
  if (isHardBounce(a) && a.recipient) {
    const n = (await queryRow(
      deps.pool,
      Count,
      `SELECT count(*)::int AS n FROM inbox_messages WHERE tenant_id = $1 AND customer_id = $2 AND direction = 'note' AND author_type = 'system' AND meta->>'automated' = 'bounce' AND meta->>'recipient' = $3 AND meta->>'dsn_status' LIKE '5.%'`,
      [tenantId, conv.customer_id, a.recipient],
    ))!;
    if (n.n >= HARD_BOUNCES_TO_STOP) {
      for (const purpose of PURPOSES) {
        await deps.customers.recordConsent(
          tenantId,
          conv.customer_id,
          { channel: 'email', purpose, status: 'withdrawn', source: 'inbox:hard_bounce', details: { address: a.recipient, bounces: n.n } },
          { type: 'system', id: 'inbox' },
        );
      }
    }
  }
  return { status: 'accepted', messageId: noteId, conversationId: conv.id, customerId: conv.customer_id, isNewConversation: false };
}
