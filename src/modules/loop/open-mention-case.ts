// A public mention becomes a case when a mention rule matches (by default: negative and about the company).
import type { LoopDeps } from './loop-deps.js';
import { openFromSignal } from './open-signal-cases.js';

/** A mention as the loop reads it (listening's mention.created). */
export type MentionSignal = {
  mentionId: string;
  customerId?: string;
  sentiment: string;
  aboutCompany: boolean;
  text: string;
  url?: string;
  source: string;
  topics?: string[];
  topicSentiments?: Record<string, string>;
  angles?: string[];
};

export function openMentionCase(deps: LoopDeps, tenantId: string, m: MentionSignal) {
  return openFromSignal(
    deps,
    tenantId,
    'mention',
    { sentiment: m.sentiment, aboutCompany: m.aboutCompany },
    {
      sourceType: 'mention',
      sourceId: m.mentionId,
      customerId: m.customerId ?? null,
      topics: m.topics ?? [],
      topicSentiments: m.topicSentiments,
      text: m.text,
      touchpoint: m.source,
      summary: m.text.slice(0, 200),
      details: { url: m.url ?? null, source: m.source, angles: m.angles ?? [] },
    },
  );
}
