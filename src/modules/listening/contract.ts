// The listening module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';
import { ANGLES } from './watch-list.js';

export const Id = z.object({ id: z.string().min(1).max(64) });
export const Source = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  url: z.string().nullable(),
  poll_minutes: z.number().nullable(),
  last_polled_at: z.string().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  secret: z.string().optional(),
});
export type Source = z.infer<typeof Source>;
export const SourceInput = z
  .object({
    kind: z.enum(['rss', 'webhook', 'import']),
    name: z.string().trim().min(1).max(200),
    url: z.url().max(2000).optional(),
    poll_minutes: z.number().int().min(5).max(1440).optional(),
  })
  .strict()
  .refine((s) => s.kind !== 'rss' || !!s.url, { message: 'an RSS source needs a url', path: ['url'] });
export type SourceInput = z.infer<typeof SourceInput>;
export const WatchTerm = z.object({ id: z.string(), angle: z.string(), term: z.string(), aliases: z.array(z.string()), created_at: z.string() });
export type WatchTerm = z.infer<typeof WatchTerm>;
export const WatchTermInput = z
  .object({
    angle: z.enum(ANGLES),
    term: z.string().trim().min(1).max(100),
    aliases: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  })
  .strict();
export type WatchTermInput = z.infer<typeof WatchTermInput>;
export const ItemResult = z.object({
  index: z.number().int(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  id: z.string().optional(),
  sentiment: z.string().optional(),
  angles: z.array(z.string()).optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
});
export const IngestResponse = z.object({ accepted: z.number().int(), duplicates: z.number().int(), rejected: z.number().int(), results: z.array(ItemResult) });
export type IngestResponse = z.infer<typeof IngestResponse>;
// The database holds only these (listening_mentions_sentiment).
export const Sentiment = z.enum(['negative', 'neutral', 'positive']);
export const Mention = z.object({
  id: z.string(),
  source_id: z.string().nullable(),
  channel: z.string(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  author_handle: z.string().nullable(),
  reach: z.number().nullable(),
  text: z.string(),
  published_at: z.string(),
  language: z.string(),
  sentiment: Sentiment,
  score: z.number(),
  topics: z.array(z.unknown()),
  angles: z.array(z.string()),
  matched_terms: z.array(z.string()),
  about_company: z.boolean(),
  customer_id: z.string().nullable(),
});
export type Mention = z.infer<typeof Mention>;
export const MentionQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(64).optional().describe('Cursor: the last id of the previous page'),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  angle: z.enum(ANGLES).optional(),
  topic: z.string().max(64).optional(),
});
export type MentionQuery = z.infer<typeof MentionQuery>;
export const Settings = z.object({
  alert_webhook_url: z.string().nullable(),
  has_alert_webhook_secret: z.boolean(),
  alert_email: z.string().nullable(),
  min_volume: z.number(),
  user_words: z.array(z.string()),
  topics: z.array(z.unknown()),
  alert_webhook_secret: z.string().optional(),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = z
  .object({
    alert_webhook_url: z.url().max(2000).nullable().optional(),
    alert_email: z
      .string()
      .trim()
      .max(2000)
      .refine((v) => v.split(',').every((a) => z.email().max(254).safeParse(a.trim()).success), 'must be one email address or several separated by commas')
      .nullable()
      .optional()
      .describe('Where crisis alerts are mailed: one address, or several separated by commas'),
    min_volume: z.number().int().min(1).max(1_000_000).optional(),
    user_words: z.array(z.string().trim().min(1).max(50)).max(5000).optional().describe('Brand and product names for the segmenter'),
    topics: z
      .array(
        z.object({
          key: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/),
          name: z.object({ zh: z.string().max(50), en: z.string().max(50) }),
          zh: z.array(z.string().min(1).max(30)).max(200),
          en: z.array(z.string().min(1).max(50)).max(200),
        }),
      )
      .max(100)
      .optional(),
    rotate_webhook_secret: z.boolean().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
export const Range = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(['day', 'week']).default('day'),
});
/** A crisis alert: a spike in volume or negative share over its baseline, on one scope (a watched term, a topic, all). */
export const Alert = z.object({
  id: z.string(),
  scope: z.object({ kind: z.string(), key: z.string() }),
  started_at: z.string(),
  last_hour_at: z.string(),
  ended_at: z.string().nullable(),
  volume: z.number(),
  baseline: z.number(),
  negative_share: z.number(),
  baseline_negative_share: z.number(),
  p_value: z.number(),
  top_terms: z.array(z.object({ term: z.string(), weight: z.number() }).loose()),
  examples: z.array(z.unknown()),
  delivery: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof Alert>;
export type Angle = (typeof ANGLES)[number];
export { ANGLES };

/** GET /v1/listening/share-of-voice: each name's mentions over the range and its share of them all. */
export const ShareOfVoice = z.object({
  data: z.array(z.object({ name: z.string(), mentions: z.number(), share: z.number(), positive: z.number(), negative: z.number() })),
});
export type ShareOfVoice = z.infer<typeof ShareOfVoice>;
/** GET /v1/listening/sentiment-trend: sentiment per angle per day or week. */
export const SentimentTrend = z.object({
  data: z.array(
    z.object({
      angle: z.string(),
      period: z.string(),
      mentions: z.number(),
      positive: z.number(),
      negative: z.number(),
      average_score: z.number(),
    }),
  ),
});
export type SentimentTrend = z.infer<typeof SentimentTrend>;
