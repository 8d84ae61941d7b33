// HTTP for the text library: batch analysis of up to 1,000 texts, answered in their order. Nothing is
// stored, so the call needs no idempotency key.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { describeText } from './describe-text.js';
import { AnalyzeInput, Analysis } from './contract.js';

const tags = ['text'];

export function textRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/text/analyze',
      {
        schema: {
          tags,
          summary: 'Language, sentiment, topics with their polarity, and keywords of up to 1,000 texts',
          body: AnalyzeInput,
          response: { 200: z.object({ results: z.array(Analysis) }), ...problemResponses },
        },
      },
      async (req) => {
        const { texts, keywords } = req.body;
        return { results: texts.map((text, index) => ({ index, ...describeText(text, { keywords }) })) };
      },
    );
  };
}
