// Everything an agent needs beside a conversation, in one call: the profile with value and core
// flag, preferences and consent, the recent timeline, open cases and last feedback (kept from the
// loop and feedback modules' events), and next-best-action hints from simple rules.
import type { Actor } from '../../platform/audit.js';
import type { InboxDeps } from './effects.js';
import { getConversation } from './read-conversations.js';

export interface Hint { code: string; message: string }

// Words that signal a customer is thinking of leaving (English and Chinese).
const LEAVING = /\b(cancel|close my account|unsubscribe|switch(ing)? to|leave|leaving|terminate|refund everything)\b|取消|注销|销户|退订|不想用|换一家|投诉到|退款/i;
const COMPLAINT_TYPES = /complaint|投诉/i;

export function nextBestActions(input: { isCore: boolean; openCases: Record<string, { type: string }>; lastFeedback: { kind?: string; score?: number } | null; lastInboundText: string; tier: string | null }): Hint[] {
  const hints: Hint[] = [];
  const cases = Object.values(input.openCases);
  if (cases.some((c) => COMPLAINT_TYPES.test(c.type))) hints.push({ code: 'open_complaint_no_offers', message: 'The customer has an open complaint: do not offer products; resolve the complaint first.' });
  else if (cases.length) hints.push({ code: 'open_case', message: 'The customer has an open case: check it before answering.' });
  if (LEAVING.test(input.lastInboundText)) hints.push({ code: 'retention_offer', message: 'The customer may be leaving: consider a retention offer and involve a senior colleague.' });
  if (input.isCore) hints.push({ code: 'core_customer', message: 'Core customer: answer personally and quickly.' });
  const fb = input.lastFeedback;
  if (fb && typeof fb.score === 'number' && ((fb.kind === 'nps' && fb.score <= 6) || (fb.kind === 'csat' && fb.score <= 2) || (fb.kind === 'ces' && fb.score >= 5))) {
    hints.push({ code: 'recent_detractor', message: 'Their last feedback was negative: acknowledge it.' });
  }
  if (input.tier) hints.push({ code: 'loyalty_tier', message: `Loyalty tier ${input.tier}: mention the benefits that apply.` });
  return hints;
}

export async function getAgentContext(deps: InboxDeps, tenantId: string, conversationId: string, actor: Actor) {
  const conversation = await getConversation(deps.pool, tenantId, conversationId);
  const [profile, consent, timeline, signals, lastIn] = await Promise.all([
    deps.customers.getCustomer(tenantId, conversation.customer_id, actor),
    deps.customers.consentHistory(tenantId, conversation.customer_id).catch(() => []),
    deps.events.readTimeline(tenantId, conversation.customer_id, { limit: 20 } as never).catch(() => ({ data: [] })),
    deps.pool.query('SELECT open_cases, last_feedback, tier FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $2', [tenantId, conversation.customer_id]),
    deps.pool.query(`SELECT text FROM inbox_messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' ORDER BY created_at DESC LIMIT 3`, [tenantId, conversationId]),
  ]);
  const s = signals.rows[0] ?? { open_cases: {}, last_feedback: null, tier: null };
  const p = profile as any;
  return {
    conversation,
    customer: p ? { id: p.id, display_name: p.display_name, given_name: p.given_name, family_name: p.family_name, locale: p.locale, identities: p.identities, value: p.value, activity: p.activity } : null,
    preferences: p?.preferences ?? null,
    consent,
    recent_timeline: (timeline as { data: unknown[] }).data,
    open_cases: Object.entries(s.open_cases as Record<string, { type: string }>).map(([id, c]) => ({ id, ...c })),
    last_feedback: s.last_feedback,
    loyalty_tier: s.tier,
    hints: nextBestActions({ isCore: p?.value?.is_core ?? false, openCases: s.open_cases, lastFeedback: s.last_feedback, lastInboundText: lastIn.rows.map((r) => r.text).join('\n'), tier: s.tier }),
  };
}
