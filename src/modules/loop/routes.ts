// HTTP for the loop: cases and their workflow, rules, systemic issues and loop metrics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, problemResponses, Timestamp } from '../../platform/validation.js';
import { principalOf } from '../../platform/http.js';
import type { Principal } from '../../platform/auth.js';
import { actorOf } from '../../platform/audit.js';
import { unprocessable } from '../../platform/errors.js';
import type { LoopService } from './loop-service.js';
import { PRIORITIES, SIGNALS, RuleCondition, RoutingMatch } from './case-rules.js';
import { caseNotFound, issueNotFound } from './errors.js';
import { READER_LANGUAGES } from './case-activity.js';
import { TopicCorrectionInput } from '../text/index.js';
import { channelName } from '../customers/index.js';
import { Id, Team, Created, CaseType, Message, Case, CaseDetail, Ok, Issue, IssueDetail, TeamLoopMetrics } from './contract.js';

export function loopRoutes(service: LoopService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['loop'];
    // The case in the language its reader asked for, else the console user's own.
    const detail = async (p: Principal, id: string, asked?: string) => {
      const c = await service.getCase(p.tenantId, id, await service.readerLanguage(p.tenantId, actorOf(p), asked));
      if (!c) throw caseNotFound();
      return c;
    };

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

    app.post(
      '/v1/cases/:id/notes',
      {
        schema: {
          tags,
          summary: 'Add a note',
          params: Id,
          body: z.object({ body: z.string().trim().min(1).max(10000) }).strict(),
          response: { 201: Ok, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        await service.addNote(p.tenantId, req.params.id, req.body.body, actorOf(p));
        return reply.status(201).send({ ok: true as const });
      },
    );

    app.post(
      '/v1/cases/:id/contacts',
      {
        schema: {
          tags,
          summary: 'Record a contact with the customer (moves the case to contacted)',
          params: Id,
          body: z
            .object({ channel: channelName(['phone', 'email', 'sms', 'wechat', 'webchat', 'in_person', 'other']), body: z.string().trim().min(1).max(10000) })
            .strict(),
          response: { 201: Ok, ...problemResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        await service.recordContact(p.tenantId, req.params.id, req.body, actorOf(p));
        return reply.status(201).send({ ok: true as const });
      },
    );

    app.post(
      '/v1/cases/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve a case and tell the customer what was done',
          params: Id,
          body: z.object({ resolution: z.string().trim().min(1).max(5000), notify_customer: z.boolean().default(true), message: Message.optional() }).strict(),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.resolveCase(
          p.tenantId,
          req.params.id,
          { resolution: req.body.resolution, notify: req.body.notify_customer, message: req.body.message },
          actorOf(p),
        );
        return detail(p, req.params.id) as never;
      },
    );

    app.post(
      '/v1/cases/:id/wont-fix',
      {
        schema: {
          tags,
          summary: "Close a case as won't fix, with the reason",
          params: Id,
          body: z.object({ reason: z.string().trim().min(1).max(5000) }).strict(),
          response: { 200: CaseDetail, ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        await service.wontFix(p.tenantId, req.params.id, req.body.reason, actorOf(p));
        return detail(p, req.params.id) as never;
      },
    );

    app.post(
      '/v1/case-notices/:id/resend',
      {
        schema: {
          tags,
          summary: 'Send a notice to the customer again (a failed one, or one waiting for a retry)',
          params: Id,
          response: {
            200: z.object({
              id: z.string(),
              channel: z.string(),
              recipient: z.string().nullable(),
              status: z.string(),
              error: z.string().nullable(),
              sent_at: z.string().nullable(),
              attempts: z.number(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        return service.resendNotice(principalOf(req).tenantId, req.params.id);
      },
    );
    app.get(
      '/v1/case-metrics',
      {
        schema: {
          tags,
          summary: 'Loop-closure rate, time to first contact and time to resolve, by team',
          querystring: z.object({ from: Timestamp.optional(), to: Timestamp.optional() }),
          response: { 200: z.object({ data: z.array(TeamLoopMetrics) }), ...problemResponses },
        },
      },
      async (req) => {
        const to = req.query.to ? new Date(req.query.to) : service.clock.now();
        const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 90 * 86_400_000);
        if (from >= to) throw unprocessable('from must be before to', [{ field: 'query.from', message: 'must be before to' }]);
        return { data: await service.metrics(principalOf(req).tenantId, { from, to }) };
      },
    );

    const Rule = z.object({
      id: z.string(),
      name: z.string(),
      signal: z.string(),
      condition: z.record(z.string(), z.unknown()),
      case_type: z.string(),
      is_enabled: z.boolean(),
    });
    app.get(
      '/v1/case-rules',
      {
        schema: {
          tags,
          summary: 'Rules that open cases (the defaults until the tenant adds its own)',
          response: { 200: z.object({ data: z.array(Rule) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listRules(principalOf(req).tenantId) }),
    );
    app.post(
      '/v1/case-rules',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Add a rule that opens cases (replaces the defaults)',
          body: z
            .object({ name: z.string().trim().min(1).max(200), signal: z.enum(SIGNALS), condition: RuleCondition.default({}), case_type: CaseType })
            .strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) =>
        reply.status(201).send({
          id: await service.createRule(principalOf(req).tenantId, {
            name: req.body.name,
            signal: req.body.signal,
            condition: req.body.condition,
            caseType: req.body.case_type,
          }),
        }),
    );
    app.delete(
      '/v1/case-rules/:id',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Remove a rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteRule(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    const Routing = z.object({ id: z.string(), position: z.number(), match: z.record(z.string(), z.unknown()), team: z.string() });
    app.get(
      '/v1/case-routing-rules',
      {
        schema: {
          tags,
          summary: 'Which team gets which case, first match by position',
          response: { 200: z.object({ data: z.array(Routing) }), ...problemResponses },
        },
      },
      async (req) => ({ data: await service.listRouting(principalOf(req).tenantId) }),
    );
    app.post(
      '/v1/case-routing-rules',
      {
        config: { scope: 'admin' },
        schema: {
          tags,
          summary: 'Add a routing rule',
          body: z.object({ position: z.number().int().min(0).max(100000).default(100), match: RoutingMatch, team: Team }).strict(),
          response: { 201: Created, ...problemResponses },
        },
      },
      async (req, reply) => reply.status(201).send({ id: await service.createRouting(principalOf(req).tenantId, req.body) }),
    );
    app.delete(
      '/v1/case-routing-rules/:id',
      { config: { scope: 'admin' }, schema: { tags, summary: 'Remove a routing rule', params: Id, response: { 204: z.null(), ...problemResponses } } },
      async (req, reply) => {
        await service.deleteRouting(principalOf(req).tenantId, req.params.id);
        return reply.status(204).send(null);
      },
    );

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
          body: z
            .object({ title: z.string().trim().min(1).max(300), root_cause: z.string().max(5000).optional(), action: z.string().max(5000).optional() })
            .strict(),
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
          response: { 200: z.object({ data: z.array(Issue.extend({ case_count: z.number() })) }), ...problemResponses },
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
          body: z.object({ action: z.string().trim().min(1).max(5000), message: Message.optional() }).strict(),
          response: { 200: z.object({ resolved_cases: z.number(), customers: z.number(), notices: z.record(z.string(), z.number()) }), ...problemResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return service.fixIssue(p.tenantId, req.params.id, { action: req.body.action, message: req.body.message }, actorOf(p));
      },
    );
  };
}
