// HTTP for systemic issues: opening one, listing and reading them, grouping cases under one, and the fix
// that resolves its cases and tells every affected customer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import { actorOf } from '../../platform/audit.js';
import type { LoopService } from './loop-service.js';
import { issueNotFound } from './errors.js';
import { Id, IssueDetail, IssueList, NewIssue, FixIssue, FixIssueOut } from './contract.js';

const tags = ['loop'];

export function loopIssueRoutes(service: LoopService): FastifyPluginAsyncZod {
  return async (app) => {
    const issueDetail = async (tenantId: string, id: string) => {
      const i = await service.getIssue(tenantId, id);
      if (!i) throw issueNotFound();
      return i as never;
    };
    app.post(
      '/v1/loop-issues',
      {
        schema: {
          tags,
          summary: 'Open a systemic issue that groups cases under one improvement action',
          body: NewIssue,
          response: { 201: IssueDetail, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const id = await service.createIssue(p.tenantId, { title: req.body.title, rootCause: req.body.root_cause, action: req.body.action });
        return reply.status(201).send(await issueDetail(p.tenantId, id));
      },
    );
    app.get(
      '/v1/loop-issues',
      {
        schema: {
          tags,
          summary: 'Systemic issues',
          response: { 200: IssueList, ...problemResponses },
        },
      },
      async (req) => ({ data: (await service.listIssues(principalOf(req).tenantId)) as never }),
    );
    app.get(
      '/v1/loop-issues/:id',
      { schema: { tags, summary: 'An issue with its cases', params: Id, response: { 200: IssueDetail, ...problemResponses } } },
      async (req) => issueDetail(principalOf(req).tenantId, req.params.id),
    );
    app.post(
      '/v1/loop-issues/:id/cases',
      {
        schema: {
          tags,
          summary: 'Group cases under the issue',
          params: Id,
          body: z.object({ case_ids: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict(),
          response: { 200: IssueDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.linkCases(p.tenantId, req.params.id, req.body.case_ids);
        return issueDetail(p.tenantId, req.params.id);
      },
    );
    app.post(
      '/v1/loop-issues/:id/fix',
      {
        schema: {
          tags,
          summary: 'The fix is done: resolve its cases and tell every affected customer',
          params: Id,
          body: FixIssue,
          response: { 200: FixIssueOut, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return service.fixIssue(p.tenantId, req.params.id, { action: req.body.action, message: req.body.message }, actorOf(p));
      },
    );
  };
}
