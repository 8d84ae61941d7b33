// Routing rules: in order, the first whose conditions hold picks a conversation's team and priority (by
// channel, language, keywords, customer value and tier, business hours). route-conversation.ts then
// picks the agent within that team.
import type { RowOf } from '../../platform/query-rows.js';
import { z } from '../../platform/validation.js';
import { Calendar, isOpenAt } from './business-hours.js';
import type { inboxRoutingRules } from './schema.js';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RuleConditions = z
  .object({
    channels: z
      .array(z.enum(['webchat', 'email', 'sms', 'whatsapp', 'wechat', 'api']))
      .max(10)
      .optional(),
    languages: z.array(z.string().min(2).max(16)).max(50).optional(),
    keywords: z.array(z.string().min(1).max(100)).max(200).optional(),
    is_core: z.boolean().optional(),
    min_clv: z.number().min(0).optional(),
    tiers: z.array(z.string().min(1).max(64)).max(50).optional(),
    business_hours: z.enum(['open', 'closed']).optional(),
    calendar: Calendar.optional(),
  })
  .strict();
export type RuleConditions = z.infer<typeof RuleConditions>;

export interface RoutingFacts {
  channel: string;
  language: string | null;
  text: string;
  isCore: boolean;
  clv: number | null;
  tier: string | null;
  at: Date;
}

export function ruleMatches(c: RuleConditions, f: RoutingFacts): boolean {
  if (c.channels?.length && !c.channels.includes(f.channel as never)) return false;
  if (c.languages?.length && !(f.language && c.languages.some((l) => f.language!.toLowerCase().startsWith(l.toLowerCase())))) return false;
  if (c.keywords?.length) {
    const t = f.text.toLowerCase();
    if (!c.keywords.some((k) => t.includes(k.toLowerCase()))) return false;
  }
  if (c.is_core !== undefined && c.is_core !== f.isCore) return false;
  if (c.min_clv !== undefined && !(f.clv != null && f.clv >= c.min_clv)) return false;
  if (c.tiers?.length && !(f.tier && c.tiers.includes(f.tier))) return false;
  if (c.business_hours) {
    const open = isOpenAt(c.calendar ?? { kind: '24x7' }, f.at);
    if ((c.business_hours === 'open') !== open) return false;
  }
  return true;
}

export interface LoadedRule {
  ruleId: string;
  teamId: string;
  priority: Priority | null;
  conditions: RuleConditions;
}

/** What routing reads of a rule row. */
export type RuleRow = RowOf<typeof inboxRoutingRules, 'id' | 'conditions' | 'team_id' | 'priority'>;

/** Rule rows (in position order) as routing uses them; a rule whose conditions no longer parse never matches. */
export function parseRoutingRules(rows: readonly RuleRow[]): LoadedRule[] {
  const rules: LoadedRule[] = [];
  for (const r of rows) {
    const parsed = RuleConditions.safeParse(r.conditions);
    // The priority column holds only PRIORITIES: the routes validate it before it is stored.
    if (parsed.success) rules.push({ ruleId: r.id, teamId: r.team_id, priority: r.priority as Priority | null, conditions: parsed.data });
  }
  return rules;
}

/** The first rule that matches. */
export function matchRoute(rules: readonly LoadedRule[], facts: RoutingFacts): { ruleId: string; teamId: string; priority: Priority | null } | undefined {
  const rule = rules.find((r) => ruleMatches(r.conditions, facts));
  return rule ? { ruleId: rule.ruleId, teamId: rule.teamId, priority: rule.priority } : undefined;
}
