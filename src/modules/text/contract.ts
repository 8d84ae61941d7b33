// The text module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';

export const MAX_TEXTS = 1000;
export const AnalyzeInput = z
  .object({
    texts: z.array(z.string().max(20_000)).min(1).max(MAX_TEXTS),
    keywords: z.number().int().min(0).max(50).optional(),
  })
  .strict();
export type AnalyzeInput = z.infer<typeof AnalyzeInput>;
export const Polarity = z.enum(['negative', 'neutral', 'positive']);
export const Analysis = z
  .object({
    index: z.number().int(),
    language: z.string(),
    script: z.enum(['simplified', 'traditional']).optional(),
    sentiment: z.object({ label: Polarity, score: z.number() }),
    topics: z.array(
      z.object({ topic: z.string(), name: z.string(), terms: z.array(z.string()), sentiment: Polarity.nullable(), score: z.number().nullable() }),
    ),
    keywords: z.array(z.object({ term: z.string(), weight: z.number() })),
  })
  .meta({ id: 'TextAnalysis' });
export type Analysis = z.infer<typeof Analysis>;
