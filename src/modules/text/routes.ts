// HTTP for the text library: batch analysis of up to 1,000 texts, answered in their order. Nothing is
// stored, so the call needs no idempotency key.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { describeText } from './describe-text.js';

const tags = ['text'];
export const MAX_TEXTS = 1000;

const AnalyzeInput = z.object({
  texts: z.array(z.string().max(20_000)).min(1).max(MAX_TEXTS),
  keywords: z.number().int().min(0).max(50).optional(),
}).strict();
const Polarity = z.enum(['negative', 'neutral', 'positive']);
const Analysis = z.object({
  index: z.number().int(),
  language: z.string(),
  script: z.enum(['simplified', 'traditional']).optional(),
  sentiment: z.object({ label: Polarity, score: z.number() }),
  topics: z.array(z.object({ topic: z.string(), name: z.string(), terms: z.array(z.string()), sentiment: Polarity.nullable(), score: z.number().nullable() })),
  keywords: z.array(z.object({ term: z.string(), weight: z.number() })),
}).meta({ id: 'TextAnalysis' });

export function textRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/text/analyze', {
      schema: { tags, summary: 'Language, sentiment, topics with their polarity, and keywords of up to 1,000 texts', body: AnalyzeInput, response: { 200: z.object({ results: z.array(Analysis) }), ...problemResponses } },
    }, async (req) => {
      const { texts, keywords } = req.body;
      return { results: texts.map((text, index) => ({ index, ...describeText(text, { keywords }) })) };
    });
  };
}
