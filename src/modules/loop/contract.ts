// The loop module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';
import type { LoopSettingsArea } from './loop-settings.js';

export const Id = z.object({ id: z.string().min(1).max(64) });
export const Team = z.string().trim().min(1).max(64);
export const Created = z.object({ id: z.string() });
export const CaseType = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower_snake_case');
export const Message = z.object({ subject: z.string().min(1).max(300).optional(), body: z.string().min(1).max(10000).optional() }).strict();
// The database holds only these (cases_status_check).
export const CaseStatus = z.enum(['new', 'contacted', 'resolved', 'wont_fix']);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const Case = z
  .object({
    id: z.string(),
    type: z.string(),
    source_type: z.string(),
    source_id: z.string(),
    customer_id: z.string().nullable(),
    status: CaseStatus,
    priority: z.string(),
    team_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    summary: z.string().nullable(),
    touchpoint: z.string().nullable(),
    topics: z.array(z.string()),
    details: z.record(z.string(), z.unknown()),
    issue_id: z.string().nullable(),
    first_contact_due_at: z.string().nullable(),
    resolve_due_at: z.string().nullable(),
    escalation_level: z.number(),
    first_contact_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    resolution: z.string().nullable(),
    wont_fix_reason: z.string().nullable(),
    customer_told_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Case' });
export type Case = z.infer<typeof Case>;
export const CaseDetail = Case.extend({
  // body: in the reader's language; params: what a system step stored (its code and fields), null for a person's words.
  activities: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      body: z.string().nullable(),
      params: z.record(z.string(), z.unknown()).nullable(),
      channel: z.string().nullable(),
      actor: z.string(),
      at: z.string(),
    }),
  ),
  notices: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      recipient: z.string().nullable(),
      language: z.string().nullable(),
      subject: z.string(),
      body: z.string(),
      status: z.string(),
      error: z.string().nullable(),
      created_at: z.string(),
      sent_at: z.string().nullable(),
    }),
  ),
});
export type CaseDetail = z.infer<typeof CaseDetail>;
export const Ok = z.object({ ok: z.literal(true) });
export const Issue = z.object({
  id: z.string(),
  title: z.string(),
  root_cause: z.string().nullable(),
  action: z.string().nullable(),
  status: z.string(),
  fixed_at: z.string().nullable(),
  created_at: z.string(),
});
export type Issue = z.infer<typeof Issue>;
export const IssueDetail = Issue.extend({
  cases: z.array(z.object({ id: z.string(), customer_id: z.string().nullable(), status: z.string(), customer_told_at: z.string().nullable() })),
});
export type IssueDetail = z.infer<typeof IssueDetail>;
/** How well the loop closes for one team: the rate is the share of cases whose customer was told, in percent. */
export const TeamLoopMetrics = z.object({
  team: z.string(),
  cases: z.number(),
  told: z.number(),
  closed: z.number(),
  escalated: z.number(),
  loop_closure_rate: z.number(),
  avg_first_contact_minutes: z.number().nullable(),
  median_first_contact_minutes: z.number().nullable(),
  avg_resolve_hours: z.number().nullable(),
  median_resolve_hours: z.number().nullable(),
});
export type TeamLoopMetrics = z.infer<typeof TeamLoopMetrics>;
export { PRIORITIES, SIGNALS, RuleCondition, RoutingMatch } from './case-rules.js';
/** The loop's settings area (GET/PATCH /v1/settings/loop). */
export type LoopSettings = z.infer<typeof LoopSettingsArea>;

/** GET /v1/loop-issues: every issue with how many cases it groups. */
export const IssueList = z.object({ data: z.array(Issue.extend({ case_count: z.number() })) });
export type IssueList = z.infer<typeof IssueList>;
export const NewIssue = z
  .object({ title: z.string().trim().min(1).max(300), root_cause: z.string().max(5000).optional(), action: z.string().max(5000).optional() })
  .strict();
export type NewIssue = z.infer<typeof NewIssue>;
export const FixIssue = z.object({ action: z.string().trim().min(1).max(5000), message: Message.optional() }).strict();
export type FixIssue = z.infer<typeof FixIssue>;
/** POST /v1/loop-issues/{id}/fix: the cases resolved, the customers told, and the notices sent by channel. */
export const FixIssueOut = z.object({ resolved_cases: z.number(), customers: z.number(), notices: z.record(z.string(), z.number()) });
export type FixIssueOut = z.infer<typeof FixIssueOut>;
