// Continue by email: a web chat reply the visitor's widget never confirmed (they closed the page before
// the agent answered) is, after the channel's delay, mailed to the visitor when their profile has an
// email address, the way Intercom and Chatwoot continue a chat by email. The email is an ordinary
// reply on the tenant's email channel, through the outbox and the reply handler, so the visitor's
// answer comes back into the same conversation. A reply is mailed once: mailing marks it, and a
// visitor who comes back later is not shown it a second time; one confirmed before the delay is never
// mailed. The delay is counted on the platform clock; a pg-boss job, delayed by it, does the work.
import { withTransaction } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { queryRows, rowOf } from '../../platform/query-rows.js';
import { REPLY_KIND, type ReplyPayload } from './deliver-reply.js';
import type { InboxDeps } from './effects.js';
import type { Channel } from './manage-channels.js';
import { inboxConversations, inboxMessages } from './schema.js';

const OfConversation = rowOf(inboxConversations, ['customer_id', 'subject']);
const Unseen = rowOf(inboxMessages, ['id', 'channel_id', 'text', 'created_at']).and<typeof OfConversation.row>(['customer_id', 'subject']);
const Claimed = rowOf(inboxMessages, ['id', 'text', 'created_at']);

export const CONTINUE_BY_EMAIL_QUEUE = 'inbox-webchat-email';
/** Minutes a web chat reply may stay unseen before it is mailed, when the channel does not say. */
export const DEFAULT_CONTINUE_AFTER_MINUTES = 10;

/** The channel's delay; null when the channel turned continuing by email off. */
export function continueAfterMs(channel: Pick<Channel, 'settings'>): number | null {
  const v = channel.settings.continue_by_email_after_minutes;
  if (v === null) return null;
  return (typeof v === 'number' ? v : DEFAULT_CONTINUE_AFTER_MINUTES) * 60_000;
}

/** After a web chat reply was sent: the job that mails it if it is still unseen when the delay runs out. */
export async function scheduleContinueByEmail(deps: InboxDeps, tenantId: string, conversationId: string, channel: Channel, sentAt: Date) {
  const wait = continueAfterMs(channel);
  if (wait === null) return;
  const seconds = Math.max(1, Math.ceil((sentAt.getTime() + wait - deps.clock.now().getTime()) / 1000));
  await deps.jobs
    .send(CONTINUE_BY_EMAIL_QUEUE, { tenantId, conversationId }, { startAfter: seconds })
    .catch((err) => deps.log.warn({ err: (err as Error).message, tenant: tenantId, conversation: conversationId }, 'continue-by-email job not queued'));
}

export type ContinueResult =
  | { status: 'emailed'; messageId: string; replies: string[] }
  | { status: 'waiting'; dueAt: Date }
  | { status: 'nothing' | 'no_email' | 'no_email_channel' };

/**
 * Mails the conversation's web chat replies that are still unconfirmed and whose delay has run out, in
 * one email. Answers `waiting` with the instant to come back when some are unconfirmed but not yet due.
 */
export async function continueByEmail(deps: InboxDeps, tenantId: string, conversationId: string): Promise<ContinueResult> {
  const now = deps.clock.now();
  const unseen = await queryRows(
    deps.pool,
    Unseen,
    `SELECT m.id, m.channel_id, m.text, m.created_at, c.customer_id, c.subject FROM inbox_messages m JOIN inbox_conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
      WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND m.direction = 'out' AND m.channel_kind = 'webchat' AND m.delivery_status = 'sent' AND m.meta->>'emailed_as' IS NULL
      ORDER BY m.created_at, m.id LIMIT 50`,
    [tenantId, conversationId],
  );
  if (!unseen.length) return { status: 'nothing' };
  const due: string[] = [];
  let next: Date | undefined;
  for (const m of unseen) {
    const channel = m.channel_id ? await deps.channels.get(tenantId, m.channel_id, { fresh: true }) : undefined;
    const wait = channel ? continueAfterMs(channel) : null;
    if (wait === null) continue;
    const at = new Date(m.created_at.getTime() + wait);
    if (at <= now) due.push(m.id);
    else if (!next || at < next) next = at;
  }
  if (!due.length) return next ? { status: 'waiting', dueAt: next } : { status: 'nothing' };

  const customerId = unseen[0].customer_id;
  const profile = (await deps.customers.readContactProfiles(tenantId, [customerId])).get(customerId);
  const to = profile?.status === 'active' ? profile.addresses.email : undefined;
  // An address the customer asked not to be written to, or that bounced for good, is not used.
  if (!to || profile?.consent['email:service'] === 'withdrawn') return { status: 'no_email' };
  const email = (await deps.channels.list(tenantId)).find((c) => c.kind === 'email' && c.isEnabled);
  if (!email) return { status: 'no_email_channel' };

  const messageId = newId('msg');
  const replies = await withTransaction(deps.pool, async (tx) => {
    // Claimed here, so that a visitor confirming at this moment, or a second job, cannot have it twice.
    const rows = await queryRows(
      tx,
      Claimed,
      `UPDATE inbox_messages SET meta = meta || jsonb_build_object('emailed_as', $3::text)
        WHERE tenant_id = $1 AND id = ANY($2::text[]) AND delivery_status = 'sent' AND meta->>'emailed_as' IS NULL
        RETURNING id, text, created_at`,
      [tenantId, due, messageId],
    );
    if (!rows.length) return [];
    rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
    const text = `${rows.map((r) => r.text).join('\n\n')}\n\n—\nYou left the chat before this reached you. Reply to this email to continue the conversation.`;
    const subject = unseen[0].subject ?? `Your chat with ${email.settings.from_name ?? email.name}`;
    await tx.query(
      `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, subject, external_id, meta, delivery_status, created_at)
       VALUES ($1,$2,$3,$4,'out','email',$5,'system',$6,$7,$8,$9,'queued',$10)`,
      [
        tenantId,
        messageId,
        conversationId,
        customerId,
        email.id,
        text,
        subject,
        `<${messageId}@${String(email.settings.address).split('@')[1]}>`,
        JSON.stringify({ to, continues: rows.map((r) => r.id) }),
        now,
      ],
    );
    await deps.outbox.enqueue(tx, { tenantId, id: messageId, kind: REPLY_KIND, payload: { conversation_id: conversationId } satisfies ReplyPayload });
    return rows.map((r) => r.id);
  });
  if (!replies.length) return { status: 'nothing' };
  await deps.outbox.dispatch(tenantId, messageId, { inline: true });
  return { status: 'emailed', messageId, replies };
}

/** The job: mails what is due, and comes back later for replies still within their delay. */
export async function runContinueByEmail(deps: InboxDeps, tenantId: string, conversationId: string) {
  const r = await continueByEmail(deps, tenantId, conversationId);
  if (r.status === 'waiting') {
    const seconds = Math.max(1, Math.ceil((r.dueAt.getTime() - deps.clock.now().getTime()) / 1000));
    await deps.jobs.send(CONTINUE_BY_EMAIL_QUEUE, { tenantId, conversationId }, { startAfter: seconds });
  }
  return r;
}
