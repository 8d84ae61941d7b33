// What other modules tell outreach over the bus, kept in outreach's own tables: complaint cases and
// negative conversations suppress marketing until resolved; tiers and feedback scores feed segments.
// Every handler is idempotent on the source id, because the bus may deliver a message again.
import type pg from 'pg';
import type { BusMessage } from '../../platform/bus.js';
import { prepared } from '../../platform/db.js';

// Prepared: one of each runs for every batch of cases opened and of responses submitted.
const SUPPRESS_FOR_CASES = prepared(
  'outreach_suppress_cases',
  `INSERT INTO outreach_suppressions (tenant_id, customer_id, source_kind, source_id, reason)
   SELECT $1, s.customer_id, 'case', s.case_id, s.reason FROM unnest($2::text[], $3::text[], $4::text[]) AS s(customer_id, case_id, reason) ON CONFLICT DO NOTHING`,
);
const RECORD_SCORES = prepared(
  'outreach_record_scores',
  `INSERT INTO outreach_feedback_scores (tenant_id, response_id, customer_id, kind, score, at)
   SELECT $1, u.*, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS u ON CONFLICT DO NOTHING`,
);

/** Whether an inbound message reads as a complaint; the text module's sentiment replaces this at merge. */
export type SentimentOf = (text: string) => Promise<'negative' | 'neutral' | 'positive'> | 'negative' | 'neutral' | 'positive';

// A small lexicon stand-in: strong complaint words in Chinese and English.
const NEGATIVE =
  /(投诉|差评|太差|垃圾|骗子|退款|欺骗|失望|愤怒|恶心|不满|举报|complain|complaint|terrible|awful|refund|scam|disappointed|angry|unacceptable|worst|disgusting)/i;
export const lexiconSentiment: SentimentOf = (text) => (NEGATIVE.test(text) ? 'negative' : 'neutral');

/** Cases of one tenant opened together: the suppressing ones are written in one statement. */
export async function onCasesOpened(db: pg.Pool, tenantId: string, msgs: BusMessage[], suppressTypes: string[]) {
  const rows = msgs
    .map((m) => m.payload as { caseId?: string; customerId?: string; type?: string })
    .filter((p) => p?.caseId && p.customerId && suppressTypes.includes(p.type ?? '')) as { caseId: string; customerId: string; type: string }[];
  if (!rows.length) return;
  await db.query(SUPPRESS_FOR_CASES([tenantId, rows.map((p) => p.customerId), rows.map((p) => p.caseId), rows.map((p) => `open ${p.type} case ${p.caseId}`)]));
}

export async function onResolved(db: pg.Pool, msg: BusMessage, kind: 'case' | 'conversation', now: Date) {
  const p = msg.payload as { caseId?: string; conversationId?: string };
  const id = kind === 'case' ? p?.caseId : p?.conversationId;
  if (!id) return;
  await db.query('UPDATE outreach_suppressions SET resolved_at = coalesce(resolved_at, $4) WHERE tenant_id = $1 AND source_kind = $2 AND source_id = $3', [
    msg.tenantId,
    kind,
    id,
    now,
  ]);
}

export async function onMessageReceived(db: pg.Pool, msg: BusMessage, sentimentOf: SentimentOf) {
  const p = msg.payload as { conversationId?: string; customerId?: string; text?: string };
  if (!p?.conversationId || !p.customerId || !p.text) return;
  if ((await sentimentOf(p.text)) !== 'negative') return;
  // A new complaint in a conversation that had been resolved opens the suppression again.
  await db.query(
    `INSERT INTO outreach_suppressions (tenant_id, customer_id, source_kind, source_id, reason) VALUES ($1,$2,'conversation',$3,$4)
     ON CONFLICT (tenant_id, source_kind, source_id) DO UPDATE SET resolved_at = NULL, customer_id = excluded.customer_id`,
    [msg.tenantId, p.customerId, p.conversationId, `unresolved negative conversation ${p.conversationId}`],
  );
}

export async function onTierChanged(db: pg.Pool, msg: BusMessage, now: Date) {
  const p = msg.payload as { customerId?: string; to?: string };
  if (!p?.customerId || !p.to) return;
  await db.query(
    `INSERT INTO outreach_customer_tiers (tenant_id, customer_id, tier, changed_at) VALUES ($1,$2,$3,$4)
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET tier = excluded.tier, changed_at = excluded.changed_at`,
    [msg.tenantId, p.customerId, p.to, now],
  );
}

/** Scores of one tenant's responses submitted together, in one statement, received at `now` (segments count them by it). */
export async function onFeedback(db: pg.Pool, tenantId: string, msgs: BusMessage[], now: Date) {
  const rows = msgs
    .map((m) => m.payload as { responseId?: string; customerId?: string; kind?: string; score?: number })
    .filter((p) => p?.responseId && p.customerId && p.kind && typeof p.score === 'number') as {
    responseId: string;
    customerId: string;
    kind: string;
    score: number;
  }[];
  if (!rows.length) return;
  await db.query(
    RECORD_SCORES([tenantId, rows.map((p) => p.responseId), rows.map((p) => p.customerId), rows.map((p) => p.kind), rows.map((p) => p.score), now]),
  );
}
