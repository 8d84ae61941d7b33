// The outreach module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';
import type { SettingsInput, SuppressionArea } from './settings.js';

export const Id = z.string().min(1).max(64);
export const Variables = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= 16_384, 'must be at most 16 KB of JSON');
export const TemplateOut = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.string(),
  default_locale: z.string(),
  content: z.record(z.string(), z.unknown()),
  channels: z.array(z.string()),
  variables: z.array(z.object({ name: z.string(), required: z.boolean(), description: z.string().optional() })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TemplateOut = z.infer<typeof TemplateOut>;
export const MessageOut = z.object({
  id: z.string(),
  customer_id: z.string(),
  template_id: z.string(),
  purpose: z.string(),
  channel: z.string().nullable(),
  status: z.string(),
  reason: z.string(),
  status_reason: z.string().nullable(),
  is_urgent: z.boolean(),
  campaign_id: z.string().nullable(),
  journey_id: z.string().nullable(),
  scheduled_at: z.string(),
  attempts: z.number(),
  provider_message_id: z.string().nullable(),
  sent_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  opened_at: z.string().nullable(),
  clicked_at: z.string().nullable(),
  created_at: z.string(),
});
export type MessageOut = z.infer<typeof MessageOut>;
export const SegmentOut = z.object({ id: z.string(), name: z.string(), rules: z.unknown(), created_at: z.string() });
export type SegmentOut = z.infer<typeof SegmentOut>;
/**
 * A campaign's plan figures, empty until it is planned. They are kept as planned (jsonb), so a figure
 * this schema does not name is passed on as it is.
 */
export const CampaignPlanStats = z
  .object({
    segment: z.number().optional(),
    queued: z.number().optional(),
    deferred: z.number().optional(),
    suppressed: z.number().optional(),
    dropped: z.record(z.string(), z.number()).optional(),
    skipped: z.record(z.string(), z.number()).optional().describe('Messages not queued because a required variable had no value, by reason'),
    by_channel: z.record(z.string(), z.number()).optional(),
  })
  .loose();
export type CampaignPlanStats = z.infer<typeof CampaignPlanStats>;
export const CampaignOut = z.object({
  id: z.string(),
  name: z.string(),
  segment_id: z.string(),
  template_id: z.string(),
  status: z.string(),
  planned_at: z.string().nullable(),
  stats: CampaignPlanStats,
  created_at: z.string(),
});
export type CampaignOut = z.infer<typeof CampaignOut>;
/** GET /v1/outreach/campaigns/{id}: the campaign with its messages counted by status now. */
export const CampaignDetail = CampaignOut.extend({ delivery: z.record(z.string(), z.number()) });
export type CampaignDetail = z.infer<typeof CampaignDetail>;
export const JourneyOut = z.object({
  id: z.string(),
  name: z.string(),
  trigger: z.string(),
  steps: z.array(z.unknown()),
  exit_on: z.array(z.string()),
  is_active: z.boolean(),
  enrollments: z.record(z.string(), z.number()),
  created_at: z.string(),
});
export type JourneyOut = z.infer<typeof JourneyOut>;
export const Token = z.object({ token: z.string().min(1).max(200) });
/** The outreach settings area (GET/PATCH /v1/settings/outreach). */
export type OutreachSettings = z.infer<typeof SuppressionArea>;

const CapRuleOut = z.object({ per_day: z.number().nullable(), per_week: z.number().nullable(), over_cap: z.enum(['drop', 'defer']) });
/** GET/PUT /v1/outreach/settings: every setting but the SMTP password and the link-signing key. */
export const OutreachSettingsOut = z.object({
  smtp: z
    .object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string().nullable(), from: z.string(), has_password: z.boolean() })
    .nullable(),
  caps: z.object({ transactional: CapRuleOut, service: CapRuleOut, marketing: CapRuleOut }),
  default_window: z.object({ start: z.string(), end: z.string(), days: z.array(z.number()) }),
  default_timezone: z.string(),
  default_locale: z.string(),
  throttle: z.record(z.string(), z.number()),
  suppress_case_types: z.array(z.string()),
  public_base_url: z.string().nullable(),
  statements: z.object({ template_id: z.string(), every: z.enum(['month', 'quarter']) }).nullable(),
  track_email: z.boolean(),
  survey_template_id: z.string().nullable(),
});
export type OutreachSettingsOut = z.infer<typeof OutreachSettingsOut>;
/** PUT /v1/outreach/settings: the settings to change; those left out stay as they are. */
export type OutreachSettingsInput = z.input<typeof SettingsInput>;

/** POST /v1/outreach/templates/{id}/preview: what the customer would get on each channel. */
export const PreviewBody = z.object({ customer_id: Id, variables: Variables.optional(), locale: z.string().max(35).optional() });
export type PreviewBody = z.infer<typeof PreviewBody>;
const SmsSize = z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number(), units: z.number(), segments: z.number() });
const RenderedContent = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), subject: z.string(), html: z.string(), text: z.string() }),
  z.object({ channel: z.literal('sms'), text: z.string(), sms: SmsSize }),
  z.object({ channel: z.literal('wechat'), template_id: z.string(), url: z.string().optional(), data: z.record(z.string(), z.object({ value: z.string() })) }),
  z.object({ channel: z.literal('whatsapp'), text: z.string(), content_sid: z.string().optional(), variables: z.record(z.string(), z.string()).optional() }),
]);
export const TemplatePreview = z.object({
  template_id: z.string(),
  customer_id: z.string(),
  locale: z.string(),
  timezone: z.string(),
  channel: z.string().nullable().describe('The channel a send would take; null when none may be used'),
  skipped: z.array(z.object({ channel: z.string(), why: z.enum(['no_template_variant', 'no_consent', 'no_address', 'not_supported']) })),
  rendered: z.record(z.string(), RenderedContent),
});
export type TemplatePreview = z.infer<typeof TemplatePreview>;
