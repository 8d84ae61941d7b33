// The feedback module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z, Timestamp } from '../../platform/validation.js';
import type { SURVEY_KINDS, SurveyInput as SurveyInputSchema, Trigger as TriggerSchema } from './manage-surveys.js';
import type { SurveyDefinition as SurveyDefinitionSchema } from './survey-definition.js';

export type { Answers } from './survey-definition.js';

export const Id = z.object({ id: z.string().min(1).max(64) });
export const Survey = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    status: z.string(),
    current_version: z.number(),
    throttle_days: z.number().nullable(),
    consent_purpose: z.string(),
    channel: z.string(),
    touchpoint: z.string().nullable(),
    journey_stage: z.string().nullable(),
    triggers: z.array(z.record(z.string(), z.unknown())),
    link_ttl_hours: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
    definition: z.unknown().optional(),
  })
  .meta({ id: 'Survey' });
export type Survey = z.infer<typeof Survey>;
export const Response = z
  .object({
    id: z.string(),
    survey_id: z.string(),
    survey_version: z.number(),
    customer_id: z.string().nullable(),
    invitation_id: z.string().nullable(),
    kind: z.string(),
    score: z.number().nullable(),
    answers: z.record(z.string(), z.unknown()),
    open_text: z.string().nullable(),
    status: z.string(),
    channel: z.string().nullable(),
    touchpoint: z.string().nullable(),
    journey_stage: z.string().nullable(),
    trigger: z.string().nullable(),
    language: z.string().nullable(),
    page_url: z.string().nullable(),
    sentiment: z.string().nullable(),
    topics: z.array(z.string()),
    topic_sentiments: z.record(z.string(), z.string()),
    started_at: z.string(),
    submitted_at: z.string().nullable(),
  })
  .meta({ id: 'SurveyResponse' });
export type Response = z.infer<typeof Response>;
export const Submitted = z.object({
  id: z.string(),
  status: z.enum(['partial', 'complete']),
  survey_version: z.number(),
  score: z.number().nullable(),
  missing: z.array(z.string()),
});
export type Submitted = z.infer<typeof Submitted>;
export const Range = z.object({ from: Timestamp.optional(), to: Timestamp.optional() });
export const ListLimit = z.coerce.number().int().min(1).max(200).default(50);
export type { WidgetSurvey } from './present-in-widget.js';
/** NPS, CSAT or CES for one group and time bucket, with its 95% interval. */
export const ScoreRow = z.object({
  group: z.string(),
  bucket: z.string().nullable(),
  count: z.number(),
  score: z.number(),
  ci_low: z.number(),
  ci_high: z.number(),
  mean: z.number(),
  promoters: z.number().optional(),
  passives: z.number().optional(),
  detractors: z.number().optional(),
});
export type ScoreRow = z.infer<typeof ScoreRow>;
/** How many answered one score. */
/** GET /v1/survey-invitations: an invitation as issued, newest first. */
export const Invitation = z.object({
  id: z.string(),
  survey_id: z.string(),
  survey_version: z.number(),
  customer_id: z.string(),
  channel: z.string(),
  touchpoint: z.string().nullable(),
  journey_stage: z.string().nullable(),
  trigger: z.string(),
  status: z.string().describe('issued, partial or answered'),
  expires_at: z.string(),
  created_at: z.string(),
});
export type Invitation = z.infer<typeof Invitation>;

/** GET /v1/feedback/response-rates: invitations issued in the range, and how many were answered. */
export const ResponseRate = z.object({
  survey_id: z.string(),
  invited: z.number(),
  answered: z.number(),
  partial: z.number(),
  response_rate: z.number().describe('answered per 100 invited'),
});
export type ResponseRate = z.infer<typeof ResponseRate>;

export const ScoreCount = z.object({ score: z.number(), count: z.number() });
export type ScoreCount = z.infer<typeof ScoreCount>;
/** A topic among detractors against promoters, and how often it was named with a complaint or with praise. */
export const TopicCount = z.object({
  topic: z.string(),
  detractors: z.number(),
  promoters: z.number(),
  negative: z.number().describe('Answers that named the topic with a complaint'),
  positive: z.number().describe('Answers that named the topic with praise'),
});
export type TopicCount = z.infer<typeof TopicCount>;
// What a survey's author writes (POST and PATCH /v1/surveys take them), before the server's defaults.
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export type SurveyInput = z.input<typeof SurveyInputSchema>;
export type SurveyDefinitionInput = z.input<typeof SurveyDefinitionSchema>;
export type TriggerInput = z.input<typeof TriggerSchema>;
/** The feedback settings area (/v1/settings/feedback): a tenant-wide minimum of days between two surveys to one customer; null leaves it to each survey. */
export const FeedbackSettingsArea = z.object({ throttle_days: z.number().int().min(0).max(3650).nullable().default(null) }).strict();
export type FeedbackSettings = z.infer<typeof FeedbackSettingsArea>;
