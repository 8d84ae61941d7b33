// What other modules tell outreach over the bus, kept in outreach's own tables: complaint cases and
// negative conversations suppress marketing until resolved; tiers and feedback scores feed segments.
// Every handler is idempotent on the source id, because the bus may deliver a message again.
import type pg from 'pg';
import type { BusMessage } from '../../platform/bus.js';

/** Whether an inbound message reads as a complaint; the text module's sentiment replaces this at merge. */
export type SentimentOf = (text: string) => Promise<'negative' | 'neutral' | 'positive'> | 'negative' | 'neutral' | 'positive';

// A small lexicon stand-in: strong complaint words in Chinese and English.
const NEGATIVE = /(投诉|差评|太差|垃圾|骗子|退款|欺骗|失望|愤怒|恶心|不满|举报|complain|complaint|terrible|awful|refund|scam|disappointed|angry|unacceptable|worst|disgusting)/i;
export const lexiconSentiment: SentimentOf = (text) => (NEGATIVE.test(text) ? 'negative' : 'neutral');

export async function onCaseOpened(db: pg.Pool, msg: BusMessage, suppressTypes: string[]) {
  const p = msg.payload as { caseId?: string; customerId?: string; type?: string };
  if (!p?.caseId || !p.customerId || !suppressTypes.includes(p.type ?? '')) return;
  await db.query(
    `INSERT INTO outreach_suppressions (tenant_id, customer_id, source_kind, source_id, reason) VALUES ($1,$2,'case',$3,$4) ON CONFLICT DO NOTHING`,
    [msg.tenantId, p.customerId, p.caseId, `open ${p.type} case ${p.caseId}`],
  );
}

export async function onResolved(db: pg.Pool, msg: BusMessage, kind: 'case' | 'conversation') {
  const p = msg.payload as { caseId?: string; conversationId?: string };
  const id = kind === 'case' ? p?.caseId : p?.conversationId;
  if (!id) return;
  await db.query('UPDATE outreach_suppressions SET resolved_at = coalesce(resolved_at, now()) WHERE tenant_id = $1 AND source_kind = $2 AND source_id = $3', [msg.tenantId, kind, id]);
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

export async function onTierChanged(db: pg.Pool, msg: BusMessage) {
  const p = msg.payload as { customerId?: string; to?: string };
  if (!p?.customerId || !p.to) return;
  await db.query(
    `INSERT INTO outreach_customer_tiers (tenant_id, customer_id, tier, changed_at) VALUES ($1,$2,$3,now())
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET tier = excluded.tier, changed_at = excluded.changed_at`,
    [msg.tenantId, p.customerId, p.to],
  );
}

export async function onFeedback(db: pg.Pool, msg: BusMessage) {
  const p = msg.payload as { responseId?: string; customerId?: string; kind?: string; score?: number };
  if (!p?.responseId || !p.customerId || !p.kind || typeof p.score !== 'number') return;
  await db.query(
    'INSERT INTO outreach_feedback_scores (tenant_id, response_id, customer_id, kind, score) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING',
    [msg.tenantId, p.responseId, p.customerId, p.kind, p.score],
  );
}
