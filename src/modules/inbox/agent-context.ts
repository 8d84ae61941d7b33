// Everything an agent needs beside a conversation, in one call: the profile with value and core
// flag, preferences and consent, the recent timeline, open cases and last feedback (read from the
// loop and feedback modules as the agent opens it), and next-best-action hints from simple rules.
import type { Actor } from '../../platform/audit.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { InboxDeps } from './effects.js';
import { getConversation } from './read-conversations.js';
import { inboxCustomerSignals, inboxMessages } from './schema.js';

const Signals = rowOf(inboxCustomerSignals, ['tier']);
const InboundText = rowOf(inboxMessages, ['text']);

export interface Hint {
  code: string;
  message: string;
}
export type HintLanguage = 'en' | 'zh-CN';

// Hints are read by the agent: written in the agent's language, whatever the customer's.
const HINTS: Record<HintLanguage, Record<string, (v: Record<string, string>) => string>> = {
  en: {
    open_complaint_no_offers: () => 'The customer has an open complaint: do not offer products; resolve the complaint first.',
    open_case: () => 'The customer has an open case: check it before answering.',
    retention_offer: () => 'The customer may be leaving: consider a retention offer and involve a senior colleague.',
    core_customer: () => 'Core customer: answer personally and quickly.',
    recent_detractor: () => 'Their last feedback was negative: acknowledge it.',
    loyalty_tier: (v) => `Loyalty tier ${v.tier}: mention the benefits that apply.`,
    reply_language: (v) => `The customer's language is ${v.language === 'zh-CN' ? 'Chinese' : 'English'}: reply in it.`,
  },
  'zh-CN': {
    open_complaint_no_offers: () => '客户有未关闭的投诉：请勿推销产品，先解决投诉。',
    open_case: () => '客户有未关闭的工单：回复前请先查看。',
    retention_offer: () => '客户可能要流失：考虑挽留优惠，并请资深同事参与。',
    core_customer: () => '核心客户：请亲自并尽快回复。',
    recent_detractor: () => '客户最近的反馈是负面的：请先回应。',
    loyalty_tier: (v) => `会员等级 ${v.tier}：请提及适用的权益。`,
    reply_language: (v) => `客户的语言是${v.language === 'zh-CN' ? '中文' : '英文'}：请用该语言回复。`,
  },
};

/** en or zh-CN from a BCP 47 tag; anything else reads English. */
export const hintLanguageOf = (tag: string | null | undefined): HintLanguage => (tag?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

// Words that signal a customer is thinking of leaving (English and Chinese).
const LEAVING =
  /\b(cancel|close my account|unsubscribe|switch(ing)? to|leave|leaving|terminate|refund everything)\b|取消|注销|销户|退订|不想用|换一家|投诉到|退款/i;
const COMPLAINT_TYPES = /complaint|投诉/i;

export function nextBestActions(
  input: {
    isCore: boolean;
    openCases: readonly { type: string }[];
    lastFeedback: { kind?: string; score?: number | null } | null;
    lastInboundText: string;
    tier: string | null;
    customerLanguage?: string | null;
  },
  language: HintLanguage = 'en',
): Hint[] {
  const found: [code: string, values?: Record<string, string>][] = [];
  const cases = input.openCases;
  if (cases.some((c) => COMPLAINT_TYPES.test(c.type))) found.push(['open_complaint_no_offers']);
  else if (cases.length) found.push(['open_case']);
  if (LEAVING.test(input.lastInboundText)) found.push(['retention_offer']);
  if (input.isCore) found.push(['core_customer']);
  const fb = input.lastFeedback;
  if (
    fb &&
    typeof fb.score === 'number' &&
    ((fb.kind === 'nps' && fb.score <= 6) || (fb.kind === 'csat' && fb.score <= 2) || (fb.kind === 'ces' && fb.score >= 5))
  )
    found.push(['recent_detractor']);
  if (input.tier) found.push(['loyalty_tier', { tier: input.tier }]);
  if (input.customerLanguage && hintLanguageOf(input.customerLanguage) !== language)
    found.push(['reply_language', { language: hintLanguageOf(input.customerLanguage) }]);
  return found.map(([code, values]) => ({ code, message: HINTS[language][code](values ?? {}) }));
}

export async function getAgentContext(deps: InboxDeps, tenantId: string, conversationId: string, actor: Actor, language: HintLanguage = 'en') {
  const conversation = await getConversation(deps.pool, tenantId, conversationId);
  const [profile, consent, timeline, signals, openCases, lastFeedback, lastIn] = await Promise.all([
    deps.customers.getCustomer(tenantId, conversation.customer_id, actor),
    deps.customers.consentHistory(tenantId, conversation.customer_id).catch(() => []),
    deps.events.readTimeline(tenantId, conversation.customer_id, { limit: 20 } as never).catch(() => ({ data: [] })),
    queryRow(deps.pool, Signals, 'SELECT tier FROM inbox_customer_signals WHERE tenant_id = $1 AND customer_id = $2', [tenantId, conversation.customer_id]),
    deps.openCasesOf(tenantId, conversation.customer_id),
    deps.lastFeedbackOf(tenantId, conversation.customer_id),
    queryRows(
      deps.pool,
      InboundText,
      `SELECT text FROM inbox_messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' ORDER BY created_at DESC LIMIT 3`,
      [tenantId, conversationId],
    ),
  ]);
  const tier = signals?.tier ?? null;
  const p = profile as any;
  return {
    conversation,
    customer: p
      ? {
          id: p.id,
          display_name: p.display_name,
          given_name: p.given_name,
          family_name: p.family_name,
          locale: p.locale,
          identities: p.identities,
          value: p.value,
          activity: p.activity,
        }
      : null,
    preferences: p?.preferences ?? null,
    consent,
    recent_timeline: (timeline as { data: { id: string; type: string; occurred_at: string; source: string; properties: Record<string, unknown> }[] }).data,
    open_cases: openCases,
    last_feedback: lastFeedback,
    loyalty_tier: tier,
    hints: nextBestActions(
      {
        isCore: p?.value?.is_core ?? false,
        openCases,
        lastFeedback,
        lastInboundText: lastIn.map((r) => r.text).join('\n'),
        tier,
        customerLanguage: p?.preferences?.language ?? p?.locale ?? conversation.language,
      },
      language,
    ),
  };
}
