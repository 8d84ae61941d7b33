// The feedback module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z, Timestamp } from '../../platform/validation.js';

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
