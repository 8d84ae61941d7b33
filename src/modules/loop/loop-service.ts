// The loop service: signals become cases, cases reach an owner within an SLA, resolutions reach the
// customer, and systemic issues fix many cases at once and tell everyone affected. Each use case is its
// own file; this one only assembles them.
import type { ModuleContext } from '../../platform/context.js';
import type { Actor } from '../../platform/audit.js';
import { settingsArea } from '../../platform/settings.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import type { LoopDeps } from './loop-deps.js';
import { createLoopCaches, loadRules, LoopSettingsArea } from './loop-settings.js';
import { mailDelivery, type Delivery } from './notify-customer.js';
import { openFromSignal } from './open-signal-cases.js';
import { openResponseCases, type ResponseSignal, type AnalysisSignal } from './open-response-cases.js';
import { openMentionCase, type MentionSignal } from './open-mention-case.js';
import { createCase, reportComplaint } from './create-case.js';
import { getCase, listCases, openCasesOf } from './read-cases.js';
import { assignCase } from './assign-case.js';
import { correctCaseTopics } from './correct-case-topics.js';
import { addCaseNote, recordContact } from './record-case-work.js';
import { resolveCase, closeWontFix } from './resolve-case.js';
import { registerNoticeDelivery, resendNotice } from './tell-customer.js';
import { checkSla } from './check-sla.js';
import { createIssue, getIssue, listIssues, linkCases } from './manage-issues.js';
import { fixIssue } from './fix-issue.js';
import { createRule, deleteRule, createRouting, deleteRouting } from './manage-rules.js';
import { readerLanguage, type ReaderLanguage } from './case-activity.js';
import { loopMetrics } from './measure-loop.js';
import { subscribeLoop } from './subscriptions.js';
import type { Priority, RoutingMatch, RuleCondition, Signal, SignalFacts } from './case-rules.js';
import type { SignalCase } from './open-signal-cases.js';

export { ERASED_RESOLUTION } from './loop-deps.js';
export { LoopSettingsArea } from './loop-settings.js';
export type { CaseOpened } from './open-signal-cases.js';

export function createLoopService(ctx: ModuleContext & { customers: CustomersService; events: EventsService }) {
  const pool = ctx.db.pool;
  const deps: LoopDeps = { ...ctx, pool, caches: createLoopCaches(pool), deliveries: new Map<string, Delivery>(), slaTimers: new Map() };
  if (ctx.mailer.hasPlatformRelay) deps.deliveries.set('email', mailDelivery(ctx.mailer));
  registerNoticeDelivery(deps);
  subscribeLoop(deps);

  return {
    settingsAreas: [settingsArea({ name: 'loop', schema: LoopSettingsArea, onChange: (tenantId) => deps.caches.forgetSettings(tenantId) })],
    /** The channels' deliveries plug in here (flows); email over SMTP is set when configured. Returns the one replaced. */
    setDelivery(channel: string, d: Delivery | undefined): Delivery | undefined {
      const before = deps.deliveries.get(channel);
      if (d) deps.deliveries.set(channel, d);
      else deps.deliveries.delete(channel);
      return before;
    },
    /** A notice that failed (or waits for a retry) sent again now, its retries starting afresh. */
    resendNotice: (tenantId: string, id: string) => resendNotice(deps, tenantId, id),

    // --- signals ---
    openFromSignal: (tenantId: string, signal: Signal, facts: SignalFacts, c: SignalCase) => openFromSignal(deps, tenantId, signal, facts, c),
    /** Survey responses and their readings, a batch at a time (src/flows/detractor-opens-case.ts). */
    openResponseCases: (tenantId: string, batch: { submitted: ResponseSignal[]; analyzed: AnalysisSignal[] }) => openResponseCases(deps, tenantId, batch),
    /** A public mention (src/flows/negative-mention-opens-case.ts). */
    openMentionCase: (tenantId: string, m: MentionSignal) => openMentionCase(deps, tenantId, m),
    /** Complaints from the inbox (or any module) open a case per conversation. */
    reportComplaint: (tenantId: string, c: { conversationId: string; customerId?: string; text?: string; channel?: string; teamId?: string }) =>
      reportComplaint(deps, tenantId, c),

    // --- cases ---
    createCase: (
      tenantId: string,
      input: { summary: string; customerId?: string; type: string; touchpoint?: string; topics?: string[]; team?: string; priority?: Priority },
    ) => createCase(deps, tenantId, input),
    /** The language a console reader sees activity in: the one asked, else their locale, else English. */
    readerLanguage: (tenantId: string, actor: Actor, asked?: string) => readerLanguage(pool, tenantId, actor, asked),
    getCase: (tenantId: string, id: string, lang?: ReaderLanguage) => getCase(pool, tenantId, id, lang),
    listCases: (tenantId: string, q: { status?: string; team?: string; customerId?: string; issueId?: string; limit: number }) => listCases(pool, tenantId, q),
    /** The customer's open cases, read when an agent opens one of their conversations. */
    openCasesOf: (tenantId: string, customerId: string) => openCasesOf(pool, tenantId, customerId),
    assignCase: (tenantId: string, id: string, p: { team?: string | null; ownerId?: string | null; priority?: Priority }, actor: Actor) =>
      assignCase(deps, tenantId, id, p, actor),
    correctTopics: (tenantId: string, id: string, c: { add: string[]; remove: string[] }, actor: Actor) => correctCaseTopics(deps, tenantId, id, c, actor),
    addNote: (tenantId: string, id: string, body: string, actor: Actor) => addCaseNote(deps, tenantId, id, body, actor),
    /** A contact with the customer (a call, a message): the first one moves the case to contacted. */
    recordContact: (tenantId: string, id: string, c: { channel: string; body: string }, actor: Actor, at?: Date) =>
      recordContact(deps, tenantId, id, c, actor, at),
    resolveCase: (
      tenantId: string,
      id: string,
      r: { resolution: string; notify: boolean; message?: { subject?: string; body?: string } },
      actor: Actor,
      at?: Date,
    ) => resolveCase(deps, tenantId, id, r, actor, at),
    wontFix: (tenantId: string, id: string, reason: string, actor: Actor, at?: Date) => closeWontFix(deps, tenantId, id, reason, actor, at),

    // --- systemic issues ---
    createIssue: (tenantId: string, i: { title: string; rootCause?: string; action?: string }) => createIssue(pool, tenantId, i),
    getIssue: (tenantId: string, id: string) => getIssue(pool, tenantId, id),
    listIssues: (tenantId: string) => listIssues(pool, tenantId),
    linkCases: (tenantId: string, issueId: string, caseIds: string[]) => linkCases(pool, tenantId, issueId, caseIds),
    /** The fix is done: every open case of the issue is resolved, and every affected customer is told once. */
    fixIssue: (tenantId: string, issueId: string, f: { action: string; message?: { subject?: string; body?: string } }, actor: Actor, at?: Date) =>
      fixIssue(deps, tenantId, issueId, f, actor, at),

    // --- rules ---
    // The list reads the table itself: a screen showing rules must not wait out the cache, nor drop
    // every node's caches (a forget is a NOTIFY to all of them) just to be read.
    listRules: (tenantId: string) => loadRules(pool, tenantId),
    createRule: (tenantId: string, r: { name: string; signal: Signal; condition: RuleCondition; caseType: string }) => createRule(deps, tenantId, r),
    deleteRule: (tenantId: string, id: string) => deleteRule(deps, tenantId, id),
    listRouting: (tenantId: string) => deps.caches.routing(tenantId),
    createRouting: (tenantId: string, r: { position: number; match: RoutingMatch; team: string }) => createRouting(deps, tenantId, r),
    deleteRouting: (tenantId: string, id: string) => deleteRouting(deps, tenantId, id),

    checkSla: (tenantId: string | undefined, now?: Date) => checkSla(deps, tenantId, now),
    /** The module's clock, for the routes' default periods. */
    clock: ctx.clock,
    metrics: (tenantId: string, q: { from: Date; to: Date }) => loopMetrics(pool, tenantId, q),

    async startJobs() {
      await ctx.jobs.define<{ tenantId?: string }>(
        'loop-sla',
        async (d) => {
          await checkSla(deps, d.tenantId);
        },
        { cron: '* * * * *' },
      );
    },
  };
}

export type LoopService = ReturnType<typeof createLoopService>;
