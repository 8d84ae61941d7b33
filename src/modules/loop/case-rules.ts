// Which signals open a case, which team gets it, how urgent it is and how long it may take.
// Pure functions over the rules a tenant keeps (or the defaults below).
import { z } from '../../platform/validation.js';

export const SIGNALS = ['response', 'analysis', 'mention', 'complaint'] as const;
export type Signal = (typeof SIGNALS)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RuleCondition = z
  .object({
    kinds: z.array(z.string().max(40)).max(10).optional(),
    max_score: z.number().int().min(0).max(10).optional(),
    triggers: z.array(z.string().max(40)).max(10).optional(),
    sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
    about_company: z.boolean().optional(),
  })
  .strict();
export type RuleCondition = z.infer<typeof RuleCondition>;

export interface CaseRule {
  id: string;
  name: string;
  signal: Signal;
  condition: RuleCondition;
  case_type: string;
  is_enabled: boolean;
}

/** NPS detractors (0-6), CSAT 1-2, negative open text, an abandonment reason, negative mentions, complaints. */
export const DEFAULT_RULES: CaseRule[] = [
  { id: 'default-detractor', name: 'NPS detractor', signal: 'response', condition: { kinds: ['nps'], max_score: 6 }, case_type: 'detractor', is_enabled: true },
  { id: 'default-low-csat', name: 'CSAT 1-2', signal: 'response', condition: { kinds: ['csat'], max_score: 2 }, case_type: 'low_csat', is_enabled: true },
  {
    id: 'default-abandonment',
    name: 'Abandonment reason',
    signal: 'response',
    condition: { triggers: ['abandonment'] },
    case_type: 'abandonment',
    is_enabled: true,
  },
  {
    id: 'default-negative-text',
    name: 'Negative open text',
    signal: 'analysis',
    condition: { sentiment: 'negative' },
    case_type: 'negative_text',
    is_enabled: true,
  },
  {
    id: 'default-negative-mention',
    name: 'Negative public mention',
    signal: 'mention',
    condition: { sentiment: 'negative', about_company: true },
    case_type: 'negative_mention',
    is_enabled: true,
  },
  { id: 'default-complaint', name: 'Complaint', signal: 'complaint', condition: {}, case_type: 'complaint', is_enabled: true },
];

export interface SignalFacts {
  kind?: string;
  score?: number | null;
  trigger?: string;
  sentiment?: string;
  aboutCompany?: boolean;
}

/** The first enabled rule of this signal whose every condition holds. */
export function matchRule(rules: CaseRule[], signal: Signal, f: SignalFacts): CaseRule | undefined {
  return rules.find((r) => {
    if (!r.is_enabled || r.signal !== signal) return false;
    const c = r.condition;
    if (c.kinds && !(f.kind && c.kinds.includes(f.kind))) return false;
    if (c.max_score !== undefined && !(typeof f.score === 'number' && f.score <= c.max_score)) return false;
    if (c.triggers && !(f.trigger && c.triggers.includes(f.trigger))) return false;
    if (c.sentiment && f.sentiment !== c.sentiment) return false;
    if (c.about_company !== undefined && f.aboutCompany !== c.about_company) return false;
    return true;
  });
}

export const RoutingMatch = z
  .object({
    case_types: z.array(z.string().max(40)).max(20).optional(),
    touchpoints: z.array(z.string().max(100)).max(50).optional(),
    topics: z.array(z.string().max(100)).max(50).optional(),
    keywords: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .strict();
export type RoutingMatch = z.infer<typeof RoutingMatch>;
export interface RoutingRule {
  id: string;
  position: number;
  match: RoutingMatch;
  team: string;
}

export interface CaseFacts {
  type: string;
  touchpoint?: string | null;
  topics: string[];
  text?: string | null;
  /** The polarity of each topic in the customer's words, when the text module read them. */
  topicSentiments?: Record<string, string>;
}

/**
 * The topics a case is routed by: those the customer complained about. "Delivery was quick but the
 * agent was rude" goes to whoever handles service, not delivery; with no complaint, the topics not
 * praised; without polarities (a manual case), every topic.
 */
export function routingTopics(topics: string[], sentiments?: Record<string, string>): string[] {
  if (!sentiments) return topics;
  const negative = topics.filter((t) => sentiments[t] === 'negative');
  return negative.length ? negative : topics.filter((t) => sentiments[t] !== 'positive');
}

/**
 * The team of the first rule (by position) whose every given field matches: "timeout" or "app" to
 * IT, "cannot find answer" to service, "price" to product. Keywords match the text case-insensitively.
 */
export function routeCase(rules: RoutingRule[], f: CaseFacts): RoutingRule | undefined {
  const text = (f.text ?? '').toLowerCase();
  const topics = routingTopics(f.topics, f.topicSentiments).map((t) => t.toLowerCase());
  return [...rules]
    .sort((a, b) => a.position - b.position)
    .find(({ match: m }) => {
      if (m.case_types && !m.case_types.includes(f.type)) return false;
      if (m.touchpoints && !(f.touchpoint && m.touchpoints.includes(f.touchpoint))) return false;
      const hasTopic = m.topics ? m.topics.some((t) => topics.includes(t.toLowerCase())) : undefined;
      const hasKeyword = m.keywords ? m.keywords.some((k) => text.includes(k.toLowerCase())) : undefined;
      // Topics and keywords are two ways to say what the case is about: either one is enough.
      if (hasTopic === undefined && hasKeyword === undefined) return true;
      return hasTopic === true || hasKeyword === true;
    });
}

/** Core customers (the top share by value) and high lifetime value come first. */
export function priorityFor(value: { is_core: boolean; clv: number | null } | undefined, opts: { highValueClv?: number }): Priority {
  if (!value) return 'normal';
  if (value.is_core) return 'high';
  if (opts.highValueClv !== undefined && value.clv !== null && value.clv >= opts.highValueClv) return 'high';
  return 'normal';
}

export interface Sla {
  first_contact_minutes: number;
  resolve_hours: number;
}
export const DEFAULT_SLA: Record<Priority, Sla> = {
  urgent: { first_contact_minutes: 60, resolve_hours: 24 },
  high: { first_contact_minutes: 240, resolve_hours: 48 },
  normal: { first_contact_minutes: 1440, resolve_hours: 120 },
  low: { first_contact_minutes: 2880, resolve_hours: 240 },
};

export function slaDue(priority: Priority, openedAt: Date, overrides: Partial<Record<Priority, Partial<Sla>>> = {}) {
  const s = { ...DEFAULT_SLA[priority], ...overrides[priority] };
  return {
    firstContactDueAt: new Date(openedAt.getTime() + s.first_contact_minutes * 60_000),
    resolveDueAt: new Date(openedAt.getTime() + s.resolve_hours * 3600_000),
  };
}
