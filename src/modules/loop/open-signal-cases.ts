// Signals become cases: a rule of the signal decides whether one opens and of which type; the case
// gets its priority from the customer's value, its team from the routing rules and its SLA from its
// priority, and a timer at its first-contact deadline.
import type { LoopDeps } from './loop-deps.js';
import { matchRule, routeCase, priorityFor, slaDue, type Signal, type SignalFacts, type Priority } from './case-rules.js';
import { openCase } from './open-case.js';

export interface CaseOpened {
  caseId: string;
  customerId?: string;
  type: string;
  teamId?: string;
}

export type SignalCase = {
  sourceType: string;
  sourceId: string;
  customerId?: string | null;
  summary?: string | null;
  touchpoint?: string | null;
  topics?: string[];
  topicSentiments?: Record<string, string>;
  text?: string | null;
  details?: Record<string, unknown>;
  teamId?: string | null;
  type?: string;
  priority?: Priority;
  at?: Date;
};

/** Priority facts of many customers in one read; a customer unknown or erased opens a case without one. */
async function customerValues(deps: LoopDeps, tenantId: string, ids: (string | null | undefined)[]) {
  const out = new Map<string, { id: string; value: { is_core: boolean; clv: number | null } }>();
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (!wanted.length) return out;
  for (const [asked, p] of await deps.customers.getActiveSummaries(tenantId, wanted)) out.set(asked, { id: p.id, value: { is_core: p.isCore, clv: p.clv } });
  return out;
}

/** Opens a case when a rule of this signal matches (or the type is given); returns its id, or undefined. */
export async function openFromSignal(deps: LoopDeps, tenantId: string, signal: Signal, facts: SignalFacts, c: SignalCase) {
  const rule = c.type ? { case_type: c.type } : matchRule(await deps.caches.rules(tenantId), signal, facts);
  if (!rule) return undefined;
  return (await openCases(deps, tenantId, [{ ...c, type: rule.case_type }]))[0];
}

/**
 * Opens the cases of many signals whose rule already matched, in one transaction with one statement
 * per table; a source that already has its case opens nothing. Returns each one's new id or undefined.
 * `routeAfter`: topics known only later (text analysis) route a case no rule routed without them.
 */
export async function openCases(
  deps: LoopDeps,
  tenantId: string,
  list: (SignalCase & { type: string; routeAfter?: string[] })[],
): Promise<(string | undefined)[]> {
  if (!list.length) return [];
  const values = await customerValues(
    deps,
    tenantId,
    list.map((c) => c.customerId),
  );
  const s = await deps.caches.settings(tenantId);
  const routing = await deps.caches.routing(tenantId);
  const planned = list.map((c) => {
    const at = c.at ?? deps.clock.now();
    const cust = c.customerId ? values.get(c.customerId) : undefined;
    const priority = c.priority ?? priorityFor(cust?.value, { highValueClv: s.high_value_clv ?? undefined });
    const team =
      c.teamId ??
      routeCase(routing, {
        type: c.type,
        touchpoint: c.touchpoint,
        topics: c.topics ?? [],
        topicSentiments: c.topicSentiments,
        text: [c.summary, c.text].filter(Boolean).join('\n'),
      })?.team ??
      (c.routeAfter
        ? routeCase(routing, { type: c.type, touchpoint: c.touchpoint, topics: c.routeAfter, topicSentiments: c.topicSentiments, text: c.text })?.team
        : undefined) ??
      null;
    return { c: { ...c, topics: c.topics ?? c.routeAfter }, at, priority, team, due: slaDue(priority, at, s.sla), customerId: cust?.id ?? null };
  });
  const ids = await openCase(
    deps.pool,
    tenantId,
    planned.map((p) => ({
      type: p.c.type,
      sourceType: p.c.sourceType,
      sourceId: p.c.sourceId,
      customerId: p.customerId,
      summary: p.c.summary,
      touchpoint: p.c.touchpoint,
      topics: p.c.topics,
      details: { ...p.c.details, ...(p.c.text ? { text: p.c.text } : {}), ...(p.c.topicSentiments ? { topic_sentiments: p.c.topicSentiments } : {}) },
      teamId: p.team,
      priority: p.priority,
      ...p.due,
      at: p.at,
    })),
  );
  const opened = planned.flatMap((p, i) => (ids[i] ? [{ ...p, id: ids[i]! }] : []));
  if (opened.length) {
    deps.bus.publish(
      opened.map((p) => ({
        type: 'case.opened',
        tenantId,
        payload: {
          caseId: p.id,
          type: p.c.type,
          ...(p.customerId ? { customerId: p.customerId } : {}),
          ...(p.team ? { teamId: p.team } : {}),
        } satisfies CaseOpened,
      })),
    );
    await scheduleSla(
      deps,
      tenantId,
      opened.map((p) => p.due.firstContactDueAt),
    );
  }
  return ids;
}

/**
 * Timers at the first-contact deadlines (the per-minute sweep catches resolution deadlines), one job
 * per second in which deadlines fall: cases opened together share a timer.
 */
async function scheduleSla(deps: LoopDeps, tenantId: string, deadlines: Date[]) {
  const { slaTimers } = deps;
  const now = deps.clock.now().getTime() / 1000;
  for (const [key, sec] of slaTimers) if (sec < now) slaTimers.delete(key);
  const seconds = [...new Set(deadlines.map((d) => Math.ceil(d.getTime() / 1000)))].filter((sec) => !slaTimers.has(`${tenantId}|${sec}`));
  await deps.jobs.sendMany(
    'loop-sla',
    seconds.map((sec) => ({ data: { tenantId }, startAfter: new Date(sec * 1000) })),
  );
  for (const sec of seconds) slaTimers.set(`${tenantId}|${sec}`, sec);
}
