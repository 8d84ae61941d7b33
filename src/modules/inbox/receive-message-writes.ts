// Steps 6 to 9 of storing a batch of inbound messages (receive-message-steps.ts has 1 to 5): the
// next-response clocks, the messages with their attachments and timeline items, the new conversations'
// agents, and what the agents' feeds and the bus hear after commit.
import { newId } from '../../platform/ids.js';
import { assignNewConversations } from './route-conversation.js';
import { schedule } from './sla-timers.js';
import { addBusinessMinutes } from './business-hours.js';
import type { Conversation } from './read-conversations.js';
import { policiesOf, raced, type Batch, type BatchState, type Item } from './receive-message-steps.js';

/** 6. A customer who writes again after an agent answered starts the next-response clock. */
export async function startNextResponseClocks(b: Batch) {
  const { tx, tenantId, fx } = b;
  const nextDue: { conv: Conversation; due: Date }[] = [];
  for (const [cid, conv] of b.convOf) {
    if (b.opened.has(cid) || !conv.first_responded_at || conv.next_response_due_at || !conv.sla_policy_id) continue;
    const p = (await policiesOf(b)).find((x) => x.id === conv.sla_policy_id);
    if (!p || p.nextResponseMinutes == null) continue;
    const at = b.firstOf(cid).at;
    const due = addBusinessMinutes(p.calendar, at, p.nextResponseMinutes);
    nextDue.push({ conv, due });
    schedule(fx, tenantId, conv.id, 'next_response', at, due, p.warningPercent);
  }
  if (!nextDue.length) return;
  // By primary-key upsert, so that each row is found by an index probe whatever the statistics say
  // (see wakeOpen). The rows are this batch's, woken or reopened above and locked: the insert arm
  // never runs, and their customer and reply token only fill its NOT NULL columns.
  await tx.query(
    `INSERT INTO inbox_conversations AS c (tenant_id, id, customer_id, reply_token, next_response_due_at)
       SELECT $1, u.id, u.customer_id, u.reply_token, u.due FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(id, customer_id, reply_token, due)
     ON CONFLICT (tenant_id, id) DO UPDATE SET next_response_due_at = excluded.next_response_due_at`,
    [tenantId, nextDue.map((n) => n.conv.id), nextDue.map((n) => n.conv.customer_id), nextDue.map((n) => n.conv.reply_token), nextDue.map((n) => n.due)],
  );
}

/**
 * 7. The messages, in one statement, then their attachments and timeline items. One JSON document
 * carries the batch: meta is already serialised and is spliced in as it is. Answers each message's id.
 */
export async function insertMessages(b: Batch): Promise<Map<Item, string>> {
  const { tx, tenantId, todo, customerOf, convOf } = b;
  const messageIds = new Map<Item, string>(todo.map((it) => [it, newId('msg')]));
  // Messages of one batch often share a millisecond: a microsecond apiece keeps their stored order
  // (created_at, then id) the order they arrived in, and moves no time the rest of the code reads.
  const sameMs = new Map<number, number>();
  const storedAt = (it: Item) => {
    const k = sameMs.get(it.at.getTime()) ?? 0;
    sameMs.set(it.at.getTime(), k + 1);
    const iso = it.at.toISOString();
    return k ? `${iso.slice(0, -1)}${String(k).padStart(3, '0')}Z` : iso;
  };
  const rowsJson =
    '[' +
    todo
      .map((it) => {
        const conv = convOf.get(customerOf(it))!;
        return `[${JSON.stringify(messageIds.get(it))},${JSON.stringify(conv.id)},${JSON.stringify(customerOf(it))},${JSON.stringify(it.m.channel.kind)},${JSON.stringify(it.m.channel.id)},${JSON.stringify(it.m.text)},${JSON.stringify(it.m.html ?? null)},${JSON.stringify(it.m.subject ?? null)},${JSON.stringify(it.m.externalId ?? null)},${it.metaJson},"${storedAt(it)}"]`;
      })
      .join(',') +
    ']';
  const { rowCount } = await tx.query(
    `INSERT INTO inbox_messages (tenant_id, id, conversation_id, customer_id, direction, channel_kind, channel_id, author_type, text, html, subject, external_id, meta, created_at)
       SELECT $1, r->>0, r->>1, r->>2, 'in', r->>3, r->>4, 'customer', r->>5, r->>6, r->>7, r->>8, r->9, (r->>10)::timestamptz FROM jsonb_array_elements($2::jsonb) AS r
     ON CONFLICT (tenant_id, channel_id, external_id) DO NOTHING`,
    [tenantId, rowsJson],
  );
  // Fewer rows than messages: a delivery raced in on another connection and won; run the batch again.
  if (rowCount !== todo.length) throw raced('duplicate delivery raced this batch');

  const attachments = todo.flatMap((it) => (it.m.attachments ?? []).map((a) => ({ ...a, messageId: messageIds.get(it)! })));
  if (attachments.length) {
    await tx.query(
      `INSERT INTO inbox_attachments (tenant_id, id, message_id, filename, content_type, size, content_id, content, url)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::bytea[], $9::text[])`,
      [
        tenantId,
        attachments.map(() => newId('att')),
        attachments.map((a) => a.messageId),
        attachments.map((a) => a.filename ?? null),
        attachments.map((a) => a.contentType),
        attachments.map((a) => a.size ?? a.content?.length ?? 0),
        attachments.map((a) => a.contentId ?? null),
        attachments.map((a) => a.content ?? null),
        attachments.map((a) => a.url ?? null),
      ],
    );
  }

  for (const it of todo) {
    const messageId = messageIds.get(it)!;
    b.timeline.push({
      id: `inbox:${messageId}`,
      customerId: customerOf(it),
      type: 'message.received',
      source: 'inbox',
      occurredAt: it.at,
      properties: {
        conversation_id: convOf.get(customerOf(it))!.id,
        message_id: messageId,
        channel: it.m.channel.kind,
        text: it.m.text.slice(0, 1000),
        ...(it.m.subject ? { subject: it.m.subject } : {}),
      },
    });
  }
  await b.deps.events.append(tx, tenantId, b.timeline);
  return messageIds;
}

/**
 * 8. The new conversations' agents, last: assigning locks the teams, and every batch opening
 * conversations in them waits for that lock until this one commits, so it is held for as short a
 * time as possible.
 */
export async function assignOpenedConversations(b: Batch) {
  if (!b.toAssign.length) return;
  const assigned = await assignNewConversations(
    b.tx,
    b.tenantId,
    b.toAssign.map((a) => ({ id: a.conv.id, teamId: a.teamId, at: a.at })),
    b.fx,
  );
  for (const a of b.toAssign) {
    a.conv.team_id = a.teamId;
    a.conv.assignee_id = assigned.get(a.conv.id) ?? null;
  }
}

/** 9. What the agents' feeds and the bus hear of each message once the batch commits, and each message's answer. */
export function announceMessages(b: Batch, messageIds: Map<Item, string>, state: BatchState) {
  const { tenantId, fx } = b;
  for (const it of b.todo) {
    const cid = b.customerOf(it);
    const conv: Conversation = b.convOf.get(cid)!;
    const messageId = messageIds.get(it)!;
    const isNew = b.opened.has(cid) && b.firstOf(cid) === it;
    fx.feed.push({
      type: 'message.created',
      tenantId,
      conversationId: conv.id,
      teamId: conv.team_id,
      assigneeId: conv.assignee_id,
      data: {
        message_id: messageId,
        customer_id: cid,
        direction: 'in',
        channel: it.m.channel.kind,
        text: it.m.text.slice(0, 4000),
        subject: it.m.subject ?? null,
        at: it.at.toISOString(),
      },
    });
    fx.bus.push({
      type: 'message.received',
      tenantId,
      payload: { conversationId: conv.id, messageId, customerId: cid, channel: it.m.channel.kind, text: it.m.text, isNewConversation: isNew },
    });
    state.results.set(it, { status: 'accepted', messageId, conversationId: conv.id, customerId: cid, isNewConversation: isNew });
  }
}
