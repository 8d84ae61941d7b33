// A survey as the builder edits it: its kinds, question types, triggers and channels, the question
// each standard survey starts with, and texts in either language.
import { everyOf } from '../../../shared/contract.js';
import type { Localized, Question, Survey, SurveyKind, Trigger } from '../../api/surveys.js';

export type { Definition, Localized, Question, Survey, Trigger } from '../../api/surveys.js';
export type Kind = SurveyKind;

export const KINDS = everyOf<Kind>()(['nps', 'csat', 'ces', 'custom']);

export type QType = Question['type'];

export const QTYPES = everyOf<QType>()(['nps', 'csat', 'ces', 'rating', 'single_choice', 'multiple_choice', 'text']);

export const TRIGGERS = everyOf<Trigger['type']>()(['event', 'abandonment', 'conversation_resolved', 'periodic']);

export const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

// The channels the builder offers a survey on (the server also takes weibo, phone and whatsapp).
export const CHANNELS = ['web', 'email', 'sms', 'wechat', 'webchat', 'widget', 'app_push'] as const satisfies readonly Survey['channel'][];

// The question each standard survey starts with, in both languages.
const STARTER: Record<Exclude<Kind, 'custom'>, { en: string; 'zh-CN': string }> = {
  nps: { en: 'How likely are you to recommend us to a friend or colleague?', 'zh-CN': '您有多大可能向朋友或同事推荐我们？' },
  csat: { en: 'How satisfied are you with our service?', 'zh-CN': '您对我们的服务满意吗？' },
  ces: { en: 'How easy was it to get what you needed?', 'zh-CN': '办成您要办的事有多容易？' },
};

export const textIn = (l: Localized | undefined, lang: 'en' | 'zh-CN') => (typeof l === 'string' ? l : (l?.[lang] ?? l?.en ?? l?.['zh-CN'] ?? ''));

export const localized = (en: string, zh: string): Localized => (en && zh ? { en, 'zh-CN': zh } : en || zh);

export function starter(kind: Kind): Survey {
  const q: Question =
    kind === 'custom'
      ? { key: 'comment', type: 'text', text: { en: 'What could we do better?', 'zh-CN': '我们哪里可以做得更好？' } }
      : { key: kind, type: kind, text: STARTER[kind], required: true };
  return {
    id: '',
    name: '',
    kind,
    status: 'active',
    current_version: 0,
    throttle_days: 30,
    channel: 'web',
    touchpoint: null,
    triggers: [],
    definition: { title: { en: 'A quick question', 'zh-CN': '一个小问题' }, questions: [q] },
  };
}
