// HTTP for the loop's cases: opening one by hand, listing and reading them (in the reader's language),
// assigning, and correcting their topics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { Principal } from '../../platform/auth.js';
import { actorOf } from '../../platform/audit.js';
import type { LoopService } from './loop-service.js';
import { caseNotFound } from './errors.js';
import { READER_LANGUAGES } from './case-activity.js';
import { TopicCorrectionInput } from '../text/index.js';
import { Id, Team, CaseType, Case, CaseDetail, PRIORITIES } from './contract.js';

const tags = ['loop'];

/** The case in the language its reader asked for, else the console user's own. */
export function caseDetailOf(service: LoopService) {
  return async (p: Principal, id: string, asked?: string) => {
    const c = await service.getCase(p.tenantId, id, await service.readerLanguage(p.tenantId, actorOf(p), asked));
    if (!c) throw caseNotFound();
    return c;
  };
}

export function loopCaseRoutes(service: LoopService): FastifyPluginAsyncZod {
  return async (app) => {
    const detail = caseDetailOf(service);

    app.post(
      '/v1/cases',
      {
        schema: {
          tags,
          summary: 'Open a case by hand (a complaint taken on the phone, say)',
          body: z
            .object({
              summary: z.string().trim().min(1).max(2000),
              customer_id: z.string().min(1).max(64).optional(),
              type: CaseType.default('manual'),
              touchpoint: z.string().max(100).optional(),
              topics: z.array(z.string().min(1).max(100)).max(20).optional(),
              team: Team.optional(),
              priority: z.enum(PRIORITIES).optional(),
            })
            .strict(),
          response: { 201: CaseDetail, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const b = req.body;
        const id = await service.createCase(p.tenantId, {
          summary: b.summary,
          customerId: b.customer_id,
          type: b.type,
          touchpoint: b.touchpoint,
          topics: b.topics,
          team: b.team,
          priority: b.priority,
        });
        return reply.status(201).send((await detail(p, id)) as never);
      },
    );

    app.get(
      '/v1/cases',
      {
        schema: {
          tags,
          summary: 'Cases, newest first',
          querystring: z.object({
            status: z.enum(['new', 'contacted', 'resolved', 'wont_fix']).optional(),
            team: Team.optional(),
            customer_id: z.string().max(64).optional(),
            issue_id: z.string().max(64).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ data: z.array(Case) }), ...problemResponses },
        },
      },
      async (req) => {
        const q = req.query;
        return {
          data: (await service.listCases(principalOf(req).tenantId, {
            status: q.status,
            team: q.team,
            customerId: q.customer_id,
            issueId: q.issue_id,
            limit: q.limit,
          })) as never,
        };
      },
    );

    app.get(
      '/v1/cases/:id',
      {
        schema: {
          tags,
          summary: "A case with its activity (in the language asked, else the console user's) and notices",
          params: Id,
          querystring: z.object({ language: z.enum(READER_LANGUAGES).optional() }),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => detail(principalOf(req), req.params.id, req.query.language) as never,
    );

    app.patch(
      '/v1/cases/:id',
      {
        schema: {
          tags,
          summary: 'Assign a case to a team or owner, or change its priority',
          params: Id,
          body: z
            .object({ team: Team.nullable().optional(), owner_id: z.string().min(1).max(64).nullable().optional(), priority: z.enum(PRIORITIES).optional() })
            .strict(),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.assignCase(p.tenantId, req.params.id, { team: req.body.team, ownerId: req.body.owner_id, priority: req.body.priority }, actorOf(p));
        return detail(p, req.params.id) as never;
      },
    );

    app.post(
      '/v1/cases/:id/topics',
      {
        schema: {
          tags,
          summary: "Correct a case's topics: the text module learns from the correction",
          params: Id,
          body: TopicCorrectionInput,
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.correctTopics(p.tenantId, req.params.id, req.body, actorOf(p));
        return detail(p, req.params.id) as never;
      },
    );
  };
}
