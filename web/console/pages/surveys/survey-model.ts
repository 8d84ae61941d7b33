// A survey as the builder edits it: its kinds, question types, triggers and channels, the question
// each standard survey starts with, and texts in either language.

type Localized = string | { en?: string; 'zh-CN'?: string };

export type QType = 'nps' | 'csat' | 'ces' | 'rating' | 'single_choice' | 'multiple_choice' | 'text';

export interface Question {
  key: string;
  type: QType;
  text: Localized;
  required?: boolean;
  scale?: { min: number; max: number };
  options?: { value: string; text: Localized }[];
}

export interface Definition {
  title: Localized;
  default_language?: 'en' | 'zh-CN';
  questions: Question[];
}

export type Trigger =
  | { type: 'event'; event_type: string; delay_minutes?: number; first_time_only?: boolean }
  | { type: 'abandonment'; start_event: string; complete_event: string; within_minutes: number }
  | { type: 'conversation_resolved'; delay_minutes?: number }
  | { type: 'periodic'; every_days: number; segment?: { is_core?: boolean } };

export interface Survey {
  id: string;
  name: string;
  kind: Kind;
  status: string;
  current_version: number;
  throttle_days: number | null;
  channel: string;
  touchpoint: string | null;
  triggers: Trigger[];
  definition?: Definition;
}

export type Kind = 'nps' | 'csat' | 'ces' | 'custom';

export const KINDS: Kind[] = ['nps', 'csat', 'ces', 'custom'];

export const QTYPES: QType[] = ['nps', 'csat', 'ces', 'rating', 'single_choice', 'multiple_choice', 'text'];

export const TRIGGERS: Trigger['type'][] = ['event', 'abandonment', 'conversation_resolved', 'periodic'];

export const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

export const CHANNELS = ['web', 'email', 'sms', 'wechat', 'webchat', 'widget', 'app_push'];

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
