// The events module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';
import { MAX_BATCH } from './ingest-events.js';

export const IngestBody = z.object({
  events: z
    .array(z.unknown())
    .min(1)
    .max(MAX_BATCH)
    .describe(
      'Up to 1,000 events, each {id, type, occurred_at, identities, properties}. `id` is your idempotency key. ' +
        'Built-in types: purchase, refund, page_view, app_action, sign_up, bill_issued, application_started, application_completed, location; any other type is custom.',
    ),
});
export const ItemResult = z.object({
  index: z.number().int(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  id: z.string().optional(),
  customer_id: z.string().nullable().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
});
export const IngestResponse = z.object({ accepted: z.number().int(), duplicates: z.number().int(), rejected: z.number().int(), results: z.array(ItemResult) });
export type IngestResponse = z.infer<typeof IngestResponse>;
export const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
  types: z.string().max(2000).optional().describe('Comma-separated event types'),
  sources: z.string().max(2000).optional().describe('Comma-separated sources (api, import, inbox, ...)'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;
export const TimelineResponse = z.object({
  customer_id: z.string(),
  merged_from: z.string().optional(),
  data: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      occurred_at: z.string(),
      received_at: z.string(),
      source: z.string(),
      customer_id: z.string(),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
  next_cursor: z.string().nullable(),
});
export type TimelineResponse = z.infer<typeof TimelineResponse>;
