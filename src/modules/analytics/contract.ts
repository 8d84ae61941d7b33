// The analytics module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';

export const Answer = z
  .object({
    refreshed_at: z.string().nullable(),
    as_of: z.string(),
    refresh_mode: z.string().nullable().describe('full or incremental: what the last refresh was'),
    rebuilt_at: z.string().nullable().describe('When the roll-ups were last rebuilt whole'),
    filters: z.record(z.string(), z.string()).describe('The filters the figures honour'),
    filters_not_applied: z
      .record(z.string(), z.string())
      .optional()
      .describe('Filters given that this measure cannot apply, each with why; the figures are not filtered by them'),
  })
  .loose();
export type Answer = z.infer<typeof Answer>;
