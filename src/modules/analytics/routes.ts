// HTTP for analytics: one GET per measure (JSON, or one of its tables as CSV with format=csv), the
// on-demand refresh, the settings and the digest sent now.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import type { AnalyticsService } from './analytics-service.js';
import { MEASURES } from './measures.js';
import { MeasureQuery } from './filters.js';
import { toCsv } from './measured.js';
import { AnalyticsSettings } from './settings.js';
import { Answer, CustomerChurnRisk, MEASURE_ANSWERS } from './contract.js';

const tags = ['analytics'];

export function analyticsRoutes(service: AnalyticsService): FastifyPluginAsyncZod {
  return async (app) => {
    for (const [name, m] of Object.entries(MEASURES)) {
      app.get(
        `/v1/analytics/${name}`,
        {
          schema: {
            tags,
            summary: m.summary,
            description: `Filters: ${m.filters}`,
            querystring: MeasureQuery,
            response: {
              200: ((MEASURE_ANSWERS as Record<string, typeof Answer>)[name] ?? Answer).describe(
                'The figures with the time of the roll-ups they come from (refreshed_at); with format=csv, text/csv',
              ),
              ...problemResponses,
            },
          },
        },
        async (req, reply) => {
          const out = await service.measure(name, principalOf(req).tenantId, req.query);
          if (req.query.format !== 'csv') return out.body as z.infer<typeof Answer>;
          const table = req.query.table ?? Object.keys(out.tables)[0];
          if (!out.tables[table])
            throw new AppError(422, 'VALIDATION_FAILED', `No table ${table} in ${name}`, [
              { field: 'table', message: `must be one of ${Object.keys(out.tables).join(', ')}` },
            ]);
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}-${table}.csv"`)
            .header('x-refreshed-at', String(out.body.refreshed_at ?? ''))
            .send(toCsv(out.tables[table]) as never);
        },
      );
    }

    app.get(
      '/v1/analytics/churn-risk/customers/:customerId',
      {
        schema: {
          tags,
          summary: "One customer's churn risk as of the last refresh, and why: the three features that move it most",
          params: z.object({ customerId: z.string().min(1).max(200) }),
          response: {
            200: CustomerChurnRisk,
            ...problemResponses,
          },
        },
      },
      async (req) => service.customerChurnRisk(principalOf(req).tenantId, req.params.customerId),
    );

    app.post(
      '/v1/analytics/refresh',
      {
        schema: {
          tags,
          summary: "Refresh the tenant's roll-ups now (a job does it hourly, incrementally, and rebuilds them whole nightly)",
          querystring: z.object({
            mode: z
              .enum(['auto', 'full', 'incremental'])
              .default('auto')
              .describe(
                'full: rebuild everything and retrain the churn model; incremental: only what changed since the last refresh; auto: incremental unless the last full rebuild is a day old or missing',
              ),
          }),
          response: {
            200: z.object({
              refreshed_at: z.string(),
              as_of: z.string(),
              mode: z.enum(['full', 'incremental']),
              full_at: z.string().describe('When the roll-ups were last rebuilt whole'),
              seconds: z.number(),
              changed: z.record(z.string(), z.number()).describe('Incremental: customers rewritten and periods rebuilt, by source'),
              model: z.object({ status: z.string() }).loose(),
              step_ms: z.record(z.string(), z.number()).describe('Milliseconds each step of the refresh took'),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => service.refresh(principalOf(req).tenantId, undefined, { mode: req.query.mode }),
    );

    app.get(
      '/v1/analytics/settings',
      {
        schema: {
          tags,
          summary: 'Hourly cost, minutes per case action, staffed hours, digest recipients',
          response: { 200: AnalyticsSettings, ...problemResponses },
        },
      },
      async (req) => service.settings(principalOf(req).tenantId),
    );
    app.put(
      '/v1/analytics/settings',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Replace the analytics settings',
          body: AnalyticsSettings.strict(),
          response: { 200: AnalyticsSettings, ...problemResponses },
        },
      },
      async (req) => service.saveSettings(principalOf(req).tenantId, req.body),
    );

    app.post(
      '/v1/analytics/digest',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Send the weekly digest to its recipients now',
          response: {
            200: z
              .object({
                recipients: z.number(),
                subject: z.string(),
                text: z.string(),
                figures: z.array(
                  z.object({ name: z.string(), this_week: z.number().nullable(), last_week: z.number().nullable(), change: z.number().nullable() }),
                ),
              })
              .loose(),
            ...problemResponses,
          },
        },
      },
      async (req) => service.sendDigest(principalOf(req).tenantId),
    );
  };
}
