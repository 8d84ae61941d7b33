// Telling the customer what was done. The loop writes the notice (what, to whom, in which language)
// and the outbox hands it to a delivery for its channel: email goes through the platform mailer when a
// relay is configured; setDelivery adds or replaces a channel's delivery (src/app.ts wires SMS,
// WhatsApp and WeChat through the inbox's channels).
import type { Mailer } from '../../platform/mailer.js';

export interface Notice {
  id: string;
  tenantId: string;
  customerId: string;
  channel: string;
  recipient: string;
  language: string;
  subject: string;
  body: string;
}

/** Delivers one notice; throws when the channel refused it (an error with isPermanent: true when no retry helps). */
// biome-ignore lint/suspicious/noConfusingVoidType: a delivery that has no provider id returns nothing
export type Delivery = (n: Notice) => Promise<{ providerId?: string | null } | void>;

export const NOTICE_KIND = 'loop.notice';

/** Channels whose provider reports delivery later (Twilio's StatusCallback): "sent" there is not yet "told". */
export const RECEIPT_CHANNELS = new Set<string>(['sms', 'whatsapp']);

export function mailDelivery(mailer: Mailer): Delivery {
  return async (n) => {
    await mailer.send({ to: n.recipient, subject: n.subject, text: n.body, headers: { 'X-Rapport-Notice': n.id } });
  };
}

import { readerLanguageOf, type ReaderLanguage } from './case-activity.js';

type Lang = ReaderLanguage;
const TEMPLATES: Record<Lang, { subject: string; body: string; issueSubject: string; issueBody: string }> = {
  en: {
    subject: 'What we did about your feedback',
    body: 'Dear {name},\n\nThank you for telling us what went wrong. We looked into it, and this is what we did:\n\n{resolution}\n\nWe are grateful you took the time to tell us.',
    issueSubject: 'We fixed what you told us about',
    issueBody:
      'Dear {name},\n\nYou told us about a problem, and you were not the only one. We found the cause and fixed it:\n\n{resolution}\n\nThank you for helping us improve.',
  },
  'zh-CN': {
    subject: '关于您的反馈，我们做了这些',
    body: '{name}，您好：\n\n感谢您告诉我们遇到的问题。我们已经进行了调查，并采取了以下措施：\n\n{resolution}\n\n再次感谢您抽出时间反馈。',
    issueSubject: '您反馈的问题已经解决',
    issueBody: '{name}，您好：\n\n您曾向我们反馈过一个问题，其他客户也遇到了同样的情况。我们找到了原因并已修复：\n\n{resolution}\n\n感谢您帮助我们改进。',
  },
  // Customers in Taiwan, Hong Kong and Macau read Traditional characters.
  'zh-TW': {
    subject: '關於您的意見，我們做了這些',
    body: '{name}，您好：\n\n感謝您告訴我們遇到的問題。我們已經進行了調查，並採取了以下措施：\n\n{resolution}\n\n再次感謝您撥冗回饋。',
    issueSubject: '您回報的問題已經解決',
    issueBody: '{name}，您好：\n\n您曾向我們回報過一個問題，其他客戶也遇到了同樣的情況。我們找到了原因並已修復：\n\n{resolution}\n\n感謝您幫助我們改進。',
  },
};

export function languageOf(tags: (string | null | undefined)[]): Lang {
  for (const t of tags) if (t) return readerLanguageOf(t);
  return 'en';
}

/** The templated message; a custom subject or body replaces the template's, with the same fields. */
export function composeNotice(
  lang: Lang,
  kind: 'case' | 'issue',
  fields: { name: string | null; resolution: string },
  custom?: { subject?: string; body?: string },
) {
  const t = TEMPLATES[lang];
  const name = fields.name ?? { en: 'customer', 'zh-CN': '尊敬的客户', 'zh-TW': '尊敬的客戶' }[lang];
  const fill = (s: string) => s.replace(/\{name\}/g, name).replace(/\{resolution\}/g, fields.resolution);
  return {
    subject: fill(custom?.subject ?? (kind === 'case' ? t.subject : t.issueSubject)),
    body: fill(custom?.body ?? (kind === 'case' ? t.body : t.issueBody)),
  };
}
