// The loop service: signals become cases, cases reach an owner within an SLA, resolutions reach the
// customer, and systemic issues fix many cases at once and tell everyone affected.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { newId } from '../../platform/ids.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { settingsArea } from '../../platform/settings.js';
import { z } from '../../platform/validation.js';
import type { Actor } from '../../platform/audit.js';
import { perTenant, type BusMessage } from '../../platform/bus.js';
import { formatName, type CustomersService, type CustomerErased } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { DEFAULT_RULES, DEFAULT_SLA, matchRule, routeCase, priorityFor, slaDue, type CaseRule, type RoutingRule, type Signal, type SignalFacts, type Priority, type Sla, type RuleCondition, type RoutingMatch } from './case-rules.js';
import { openCase } from './open-case.js';
import { renderActivity, writeActivity, readerLanguage, type ReaderLanguage } from './case-activity.js';
import { composeNotice, languageOf, mailDelivery, NOTICE_KIND, RECEIPT_CHANNELS, type Delivery, type Notice } from './notify-customer.js';
import type { StatusChange } from '../../platform/outbox.js';
import { chooseChannel } from '../outreach/index.js';
import { loopMetrics } from './measure-loop.js';
import { caseClosed, caseNotFound, issueFixed, issueNotFound, noticeNotFound, ownerNotFound, ruleNotFound } from './errors.js';

const SYSTEM: Actor = { type: 'system', id: 'loop' };
/** The resolution of a case closed because its customer was erased. */
export const ERASED_RESOLUTION = 'Closed by the system: the customer was erased';

export interface CaseOpened { caseId: string; customerId?: string; type: string; teamId?: string }

interface LoopSettings { sla?: Partial<Record<Priority, Partial<Sla>>>; high_value_clv?: number | null }

const SlaTarget = (d: Sla) => z.object({ first_contact_minutes: z.number().int().min(1).max(60 * 24 * 90).default(d.first_contact_minutes), resolve_hours: z.number().int().min(1).max(24 * 365).default(d.resolve_hours) }).strict().default(d);
/** The loop's tenant settings: SLA targets by priority, and the CLV from which a customer's case is high priority. */
export const LoopSettingsArea = z.object({
  sla: z.object({ urgent: SlaTarget(DEFAULT_SLA.urgent), high: SlaTarget(DEFAULT_SLA.high), normal: SlaTarget(DEFAULT_SLA.normal), low: SlaTarget(DEFAULT_SLA.low) }).strict()
    .default(DEFAULT_SLA).describe('Minutes to first contact and hours to resolution, by priority'),
  high_value_clv: z.number().min(0).max(1e12).nullable().default(null).describe('Cases of customers with at least this CLV are high priority; null: only core customers'),
}).strict();

export function createLoopService(ctx: ModuleContext & { customers: CustomersService; events: EventsService }) {
  const { db, bus, jobs, customers, events, log, clock } = ctx;
  const pool = db.pool;
  const deliveries = new Map<string, Delivery>();
  if (ctx.mailer.hasPlatformRelay) deliveries.set('email', mailDelivery(ctx.mailer));

  // Rules and settings change rarely and are read for every signal: kept for ten seconds, and dropped
  // at once on every node when they change through the API.
  const settingsCache = createTenantCache({ ttlMs: 10_000, load: async (tenantId) => ((await getTenantSettings(pool, tenantId)).loop ?? {}) as LoopSettings });
  async function loadRules(tenantId: string): Promise<CaseRule[]> {
    const { rows } = await pool.query('SELECT id, name, signal, condition, case_type, is_enabled FROM case_rules WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
    return rows.length ? (rows as CaseRule[]) : DEFAULT_RULES;
  }
  const rulesCache = createTenantCache({ ttlMs: 10_000, load: loadRules });
  const routingCache = createTenantCache({
    ttlMs: 10_000,
    async load(tenantId): Promise<RoutingRule[]> {
      const { rows } = await pool.query('SELECT id, position, match, team_id AS team FROM case_routing_rules WHERE tenant_id = $1 ORDER BY position, created_at', [tenantId]);
      return rows as RoutingRule[];
    },
  });
  const forget = (tenantId: string) => { for (const c of [settingsCache, rulesCache, routingCache]) c.forget(tenantId); };
  const settings = (tenantId: string) => settingsCache.get(tenantId);
  const rulesOf = (tenantId: string) => rulesCache.get(tenantId);
  const routingOf = (tenantId: string) => routingCache.get(tenantId);

  /** Priority facts of many customers in one read; a customer unknown or erased opens a case without one. */
  async function customerValues(tenantId: string, ids: (string | null | undefined)[]) {
    const out = new Map<string, { id: string; value: { is_core: boolean; clv: number | null } }>();
    const wanted = [...new Set(ids.filter((i): i is string => !!i))];
    if (!wanted.length) return out;
    for (const [asked, p] of await customers.getActiveSummaries(tenantId, wanted)) out.set(asked, { id: p.id, value: { is_core: p.isCore, clv: p.clv } });
    return out;
  }

  type SignalCase = { sourceType: string; sourceId: string; customerId?: string | null; summary?: string | null; touchpoint?: string | null; topics?: string[]; topicSentiments?: Record<string, string>; text?: string | null; details?: Record<string, unknown>; teamId?: string | null; type?: string; priority?: Priority; at?: Date };

  /** Opens a case when a rule of this signal matches; returns its id, or undefined. */
  async function openFromSignal(tenantId: string, signal: Signal, facts: SignalFacts, c: SignalCase) {
    const rule = c.type ? { case_type: c.type } : matchRule(await rulesOf(tenantId), signal, facts);
    if (!rule) return undefined;
    return (await openCases(tenantId, [{ ...c, type: rule.case_type }]))[0];
  }

  /**
   * Opens the cases of many signals whose rule already matched, in one transaction with one statement
   * per table; a source that already has its case opens nothing. Returns each one's new id or undefined.
   * `routeAfter`: topics known only later (text analysis) route a case no rule routed without them.
   */
  async function openCases(tenantId: string, list: (SignalCase & { type: string; routeAfter?: string[] })[]): Promise<(string | undefined)[]> {
    if (!list.length) return [];
    const values = await customerValues(tenantId, list.map((c) => c.customerId));
    const s = await settings(tenantId);
    const routing = await routingOf(tenantId);
    const planned = list.map((c) => {
      const at = c.at ?? clock.now();
      const cust = c.customerId ? values.get(c.customerId) : undefined;
      const priority = c.priority ?? priorityFor(cust?.value, { highValueClv: s.high_value_clv ?? undefined });
      const team = c.teamId ?? routeCase(routing, { type: c.type, touchpoint: c.touchpoint, topics: c.topics ?? [], topicSentiments: c.topicSentiments, text: [c.summary, c.text].filter(Boolean).join('\n') })?.team
        ?? (c.routeAfter ? routeCase(routing, { type: c.type, touchpoint: c.touchpoint, topics: c.routeAfter, topicSentiments: c.topicSentiments, text: c.text })?.team : undefined) ?? null;
      return { c: { ...c, topics: c.topics ?? c.routeAfter }, at, priority, team, due: slaDue(priority, at, s.sla), customerId: cust?.id ?? null };
    });
    const ids = await openCase(pool, tenantId, planned.map((p) => ({
      type: p.c.type, sourceType: p.c.sourceType, sourceId: p.c.sourceId, customerId: p.customerId, summary: p.c.summary, touchpoint: p.c.touchpoint, topics: p.c.topics,
      details: { ...p.c.details, ...(p.c.text ? { text: p.c.text } : {}), ...(p.c.topicSentiments ? { topic_sentiments: p.c.topicSentiments } : {}) }, teamId: p.team, priority: p.priority, ...p.due, at: p.at,
    })));
    const opened = planned.flatMap((p, i) => (ids[i] ? [{ ...p, id: ids[i]! }] : []));
    if (opened.length) {
      bus.publish(opened.map((p) => ({ type: 'case.opened', tenantId, payload: { caseId: p.id, type: p.c.type, ...(p.customerId ? { customerId: p.customerId } : {}), ...(p.team ? { teamId: p.team } : {}) } satisfies CaseOpened })));
      await scheduleSla(tenantId, opened.map((p) => p.due.firstContactDueAt));
    }
    return ids;
  }

  /**
   * Timers at the first-contact deadlines (the per-minute sweep catches resolution deadlines), one job
   * per second in which deadlines fall: cases opened together share a timer.
   */
  async function scheduleSla(tenantId: string, deadlines: Date[]) {
    const now = clock.now().getTime() / 1000;
    for (const [key, sec] of slaTimers) if (sec < now) slaTimers.delete(key);
    const seconds = [...new Set(deadlines.map((d) => Math.ceil(d.getTime() / 1000)))].filter((sec) => !slaTimers.has(`${tenantId}|${sec}`));
    await jobs.sendMany('loop-sla', seconds.map((sec) => ({ data: { tenantId }, startAfter: new Date(sec * 1000) })));
    for (const sec of seconds) slaTimers.set(`${tenantId}|${sec}`, sec);
  }
  /** The timers this process already set (tenant|second): cases opened in the same second share one. */
  const slaTimers = new Map<string, number>();

  async function lockOpenCase(tx: pg.PoolClient, tenantId: string, id: string) {
    const { rows: [c] } = await tx.query('SELECT id, status, customer_id, team_id, type FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
    if (!c) throw caseNotFound();
    if (c.status === 'resolved' || c.status === 'wont_fix') throw caseClosed();
    return c as { id: string; status: string; customer_id: string | null; team_id: string | null; type: string };
  }

  const activity = writeActivity;

  /**
   * Writes the notice and hands it to the outbox on the channel outreach would choose for a service
   * message: the customer's ranked channels with consent and an address, among those a delivery is
   * wired for. The case records the customer as told once the notice is delivered (noticeStatus).
   */
  async function tellCustomer(tenantId: string, n: { dedupeKey: string; caseIds: string[]; caseId?: string; issueId?: string; customerId: string; kind: 'case' | 'issue'; resolution: string; custom?: { subject?: string; body?: string } }) {
    // Telling the customer is processing, not someone viewing the profile: the unaudited contact read.
    const p = (await customers.readContactProfiles(tenantId, [n.customerId])).get(n.customerId);
    if (!p) return { status: 'no_customer' };
    const lang = languageOf([p.language, p.locale]);
    const { subject, body } = composeNotice(lang, n.kind, { name: formatName(p, lang), resolution: n.resolution }, n.custom);
    const choice = chooseChannel(p, 'service', [...deliveries.keys()] as never);
    const channel = choice.channel ?? (choice.skipped.find((x) => x.why === 'no_consent')?.channel ?? Object.keys(p.addresses)[0] ?? 'email');
    const recipient = choice.channel ? p.addresses[choice.channel] ?? null : null;
    // Why none: every address the customer has refused service messages, or none can be carried, or truly none.
    const status = choice.channel ? 'queued'
      : choice.skipped.some((x) => x.why === 'no_consent') ? 'no_consent'
      : Object.keys(p.addresses).length ? 'no_channel' : 'no_address';
    const id = newId('ntc');
    const inserted = await withTransaction(pool, async (tx) => {
      const ins = await tx.query(
        `INSERT INTO case_notices (tenant_id, id, dedupe_key, case_id, issue_id, customer_id, channel, recipient, language, subject, body, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
        [tenantId, id, n.dedupeKey, n.caseId ?? null, n.issueId ?? null, p.id, channel, recipient, lang, subject, body, status],
      );
      if (ins.rowCount !== 1) return false;
      if (status === 'queued') await ctx.outbox.enqueue(tx, { tenantId, id, kind: NOTICE_KIND, payload: { case_ids: n.caseIds, issue_id: n.issueId ?? null } });
      else for (const caseId of n.caseIds) await activity(tx, tenantId, caseId, 'notice', { code: 'notice', status, subject }, SYSTEM, clock.now(), channel);
      return true;
    });
    if (!inserted) return { status: 'already_told' };
    if (status !== 'queued') return { status, noticeId: id };
    const state = await ctx.outbox.dispatch(tenantId, id, { inline: true });
    return { status: state?.status ?? 'queued', noticeId: id };
  }

  /** Each outbox status of a notice, on the notice and its cases; delivered (or sent where no receipt comes) tells the customer. */
  async function noticeStatus(tenantId: string, id: string, payload: { case_ids: string[]; issue_id: string | null }, change: StatusChange) {
    if (change.status === 'sending') return;
    const at = change.at;
    await withTransaction(pool, async (tx) => {
      const { rows: [ntc] } = await tx.query(
        `UPDATE case_notices SET status = $3, error = $4, sent_at = CASE WHEN $3 IN ('sent','delivered') THEN coalesce(sent_at, $5) ELSE sent_at END
          WHERE tenant_id = $1 AND id = $2 RETURNING customer_id, channel, subject`,
        [tenantId, id, change.status, change.status === 'failed' || change.status === 'queued' ? change.error ?? null : null, at]);
      if (!ntc) return;
      for (const caseId of payload.case_ids) await activity(tx, tenantId, caseId, 'notice', { code: 'notice', status: change.status, subject: ntc.subject, ...(change.error && change.status !== 'sent' && change.status !== 'delivered' ? { error: change.error } : {}) }, SYSTEM, at, ntc.channel);
      const isTold = change.status === 'delivered' || (change.status === 'sent' && !RECEIPT_CHANNELS.has(ntc.channel));
      if (isTold) {
        const { rowCount } = await tx.query('UPDATE cases SET customer_told_at = coalesce(customer_told_at, $3), updated_at = $3 WHERE tenant_id = $1 AND id = ANY($2::text[]) AND customer_told_at IS NULL', [tenantId, payload.case_ids, at]);
        if (rowCount) await events.append(tx, tenantId, [{ id: `loop:${id}`, customerId: ntc.customer_id, type: 'case.customer_told', source: 'loop', occurredAt: at, properties: { notice_id: id, case_ids: payload.case_ids, issue_id: payload.issue_id, channel: ntc.channel } }]);
      }
    });
  }

  ctx.outbox.register<{ case_ids: string[]; issue_id: string | null }>(NOTICE_KIND, {
    async deliver(item) {
      const { rows: [ntc] } = await pool.query('SELECT customer_id, channel, recipient, language, subject, body FROM case_notices WHERE tenant_id = $1 AND id = $2', [item.tenantId, item.id]);
      if (!ntc?.recipient) return { status: 'failed', error: 'the notice has no recipient (erased?)', isPermanent: true };
      const delivery = deliveries.get(ntc.channel);
      if (!delivery) return { status: 'failed', error: `nothing delivers ${ntc.channel} notices`, isPermanent: false };
      const sent = await delivery({ id: item.id, tenantId: item.tenantId, customerId: ntc.customer_id, channel: ntc.channel, recipient: ntc.recipient, language: ntc.language, subject: ntc.subject, body: ntc.body } satisfies Notice);
      return { status: 'sent', providerId: sent?.providerId ?? null };
    },
    onStatus: (item, change) => noticeStatus(item.tenantId, item.id, item.payload, change),
  });

  async function resolveCase(tenantId: string, id: string, r: { resolution: string; notify: boolean; message?: { subject?: string; body?: string } }, actor: Actor, at = clock.now()) {
    const c = await withTransaction(pool, async (tx) => {
      const c = await lockOpenCase(tx, tenantId, id);
      await tx.query(`UPDATE cases SET status = 'resolved', resolution = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, r.resolution, at]);
      await activity(tx, tenantId, id, 'status', r.resolution === ERASED_RESOLUTION ? { code: 'closed_erased' } : { code: 'resolved', resolution: r.resolution }, actor, at);
      if (c.customer_id) await events.append(tx, tenantId, [{ id: `loop:${id}:resolved`, customerId: c.customer_id, type: 'case.resolved', source: 'loop', occurredAt: at, properties: { case_id: id, type: c.type } }]);
      return c;
    });
    bus.publish({ type: 'case.resolved', tenantId, payload: { caseId: id, type: c.type, status: 'resolved', ...(c.customer_id ? { customerId: c.customer_id } : {}), ...(c.team_id ? { teamId: c.team_id } : {}) } });
    const notice = r.notify && c.customer_id ? await tellCustomer(tenantId, { dedupeKey: `case:${id}`, caseIds: [id], caseId: id, customerId: c.customer_id, kind: 'case', resolution: r.resolution, custom: r.message }) : undefined;
    return { notice };
  }

  /** Escalates cases past their SLA: level 1 when nobody contacted the customer in time, 2 when unresolved in time. */
  async function checkSla(tenantId: string | undefined, now = clock.now()) {
    const escalated: { caseId: string; level: number; teamId?: string }[] = [];
    for (const [level, condition] of [[1, `status = 'new' AND first_contact_due_at <= $2`], [2, `status IN ('new','contacted') AND resolve_due_at <= $2`]] as const) {
      await withTransaction(pool, async (tx) => {
        const { rows } = await tx.query(
          `UPDATE cases SET escalation_level = $3, updated_at = $2 WHERE ($1::text IS NULL OR tenant_id = $1) AND ${condition} AND escalation_level < $3
           RETURNING tenant_id, id, team_id`, [tenantId ?? null, now, level]);
        for (const r of rows) {
          await activity(tx, r.tenant_id, r.id, 'escalation', { code: level === 1 ? 'first_contact_overdue' : 'resolution_overdue' }, SYSTEM, now);
          escalated.push({ caseId: r.id, level, ...(r.team_id ? { teamId: r.team_id } : {}), tenantId: r.tenant_id } as never);
        }
      });
    }
    for (const e of escalated as (typeof escalated[number] & { tenantId: string })[]) {
      bus.publish({ type: 'case.escalated', tenantId: e.tenantId, payload: { caseId: e.caseId, level: e.level, ...(e.teamId ? { teamId: e.teamId } : {}) } });
    }
    return escalated.length;
  }

  // --- signals from other modules ---
  // Responses and their text analysis, a batch at a time. A response analysed before it was written
  // arrives with its reading in the same batch: its case is decided once, with both.
  bus.subscribeBatch(['feedback.response.submitted', 'feedback.response.analyzed'], (msgs) => perTenant(msgs, onResponses));

  type Submitted = { responseId: string; customerId: string | null; kind: string; score: number | null; text?: string; touchpoint?: string; trigger?: string; surveyId: string };
  type Analyzed = Submitted & { sentiment: string; topics: string[]; topicSentiments?: Record<string, string> };
  async function onResponses(tenantId: string, msgs: BusMessage[]) {
    const rules = await rulesOf(tenantId);
    const analyses = new Map(msgs.filter((m) => m.type === 'feedback.response.analyzed').map((m) => [(m.payload as Analyzed).responseId, m.payload as Analyzed]));
    const cases: Parameters<typeof openCases>[1] = [];
    for (const m of msgs) {
      if (m.type !== 'feedback.response.submitted') continue;
      const r = m.payload as Submitted;
      const a = analyses.get(r.responseId);
      analyses.delete(r.responseId);
      const rule = matchRule(rules, 'response', { kind: r.kind, score: r.score, trigger: r.trigger });
      if (rule) {
        cases.push({
          type: rule.case_type, sourceType: 'response', sourceId: r.responseId, customerId: r.customerId, touchpoint: r.touchpoint, text: r.text ?? null,
          summary: `${r.kind.toUpperCase()} ${r.score ?? '-'}${r.text ? `: ${r.text.slice(0, 200)}` : ''}`, details: { survey_id: r.surveyId, score: r.score, kind: r.kind },
          ...(a ? { routeAfter: a.topics, topicSentiments: a.topicSentiments } : {}),
        });
      } else if (a) {
        const c = analysisCase(rules, a);
        if (c) cases.push(c);
      }
    }
    // Readings of responses written earlier (re-processing): they add topics to the response's case, or open one.
    const later = [...analyses.values()];
    if (later.length) {
      const { rows: existing } = await pool.query(`SELECT id, team_id, type, source_id FROM cases WHERE tenant_id = $1 AND source_type = 'response' AND source_id = ANY($2::text[])`, [tenantId, later.map((a) => a.responseId)]);
      const bySource = new Map(existing.map((e) => [e.source_id as string, e]));
      const routing = await routingOf(tenantId);
      const updates: { id: string; topics: string[]; team: string | null }[] = [];
      for (const a of later) {
        const e = bySource.get(a.responseId);
        if (e) updates.push({ id: e.id, topics: a.topics, team: e.team_id ?? routeCase(routing, { type: e.type, touchpoint: a.touchpoint, topics: a.topics, topicSentiments: a.topicSentiments, text: a.text })?.team ?? null });
        else {
          const c = analysisCase(rules, a);
          if (c) cases.push(c);
        }
      }
      if (updates.length) {
        await pool.query(
          `UPDATE cases c SET topics = ARRAY(SELECT jsonb_array_elements_text(u.topics::jsonb)), team_id = u.team, updated_at = now()
             FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, topics, team) WHERE c.tenant_id = $1 AND c.id = u.id`,
          [tenantId, updates.map((u) => u.id), updates.map((u) => JSON.stringify(u.topics)), updates.map((u) => u.team)]);
      }
    }
    await openCases(tenantId, cases);
  }
  function analysisCase(rules: CaseRule[], a: Analyzed) {
    const rule = matchRule(rules, 'analysis', { kind: a.kind, score: a.score, sentiment: a.sentiment });
    if (!rule) return undefined;
    return {
      type: rule.case_type, sourceType: 'response', sourceId: a.responseId, customerId: a.customerId, touchpoint: a.touchpoint, topics: a.topics, topicSentiments: a.topicSentiments, text: a.text ?? null,
      summary: a.text?.slice(0, 200) ?? null, details: { survey_id: a.surveyId, sentiment: a.sentiment },
    };
  }
  bus.subscribe('mention.created', async (msg) => {
    const m = msg.payload as { mentionId: string; customerId?: string; sentiment: string; aboutCompany: boolean; text: string; url?: string; source: string; topics?: string[]; topicSentiments?: Record<string, string>; angles?: string[] };
    await openFromSignal(msg.tenantId, 'mention', { sentiment: m.sentiment, aboutCompany: m.aboutCompany }, {
      sourceType: 'mention', sourceId: m.mentionId, customerId: m.customerId ?? null, topics: m.topics ?? [], topicSentiments: m.topicSentiments, text: m.text, touchpoint: m.source,
      summary: m.text.slice(0, 200), details: { url: m.url ?? null, source: m.source, angles: m.angles ?? [] },
    });
  });

  // --- merges, erasure, export ---
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE cases SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
    await tx.query('UPDATE case_notices SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });
  customers.onErase(async (tx, tenantId, ids) => {
    const { rows: erased } = await tx.query(`UPDATE cases SET summary = NULL, details = '{}', resolution = NULL, wont_fix_reason = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`, [tenantId, ids]);
    const caseIds = erased.map((c) => c.id as string);
    // Agents' notes and contact records say what the customer said and how to reach them.
    await tx.query('UPDATE case_activities SET body = NULL WHERE tenant_id = $1 AND case_id = ANY($2::text[]) AND body IS NOT NULL', [tenantId, caseIds]);
    const { rows: notices } = await tx.query(`UPDATE case_notices SET recipient = NULL, body = '', subject = '', error = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`, [tenantId, ids]);
    await ctx.outbox.forget(tx, tenantId, notices.map((n) => n.id as string));
    return caseIds;
  });
  // An erased customer's open cases are resolved, untold: nobody is left to contact, and their SLA stops.
  bus.subscribe('customer.erased', async (msg) => {
    const { customerIds } = msg.payload as CustomerErased;
    const { rows } = await pool.query(`SELECT id FROM cases WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND status IN ('new', 'contacted')`, [msg.tenantId, customerIds]);
    for (const c of rows) await resolveCase(msg.tenantId, c.id, { resolution: ERASED_RESOLUTION, notify: false }, SYSTEM, ctx.clock.now());
  });
  customers.addExportSection('cases', async (tenantId, ids) => {
    const { rows } = await pool.query(`SELECT id, type, status, summary, resolution, created_at, resolved_at, customer_told_at FROM cases WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY created_at`, [tenantId, ids]);
    return rows;
  });

  const CASE_COLUMNS = `id, type, source_type, source_id, customer_id, status, priority, team_id, owner_id, summary, touchpoint, topics, details, issue_id,
    first_contact_due_at, resolve_due_at, escalation_level, first_contact_at, resolved_at, resolution, wont_fix_reason, customer_told_at, created_at, updated_at`;
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const toCase = (r: Record<string, unknown>) => ({
    ...r, first_contact_due_at: iso(r.first_contact_due_at), resolve_due_at: iso(r.resolve_due_at), first_contact_at: iso(r.first_contact_at),
    resolved_at: iso(r.resolved_at), customer_told_at: iso(r.customer_told_at), created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)!,
  });

  return {
    settingsAreas: [settingsArea({ name: 'loop', schema: LoopSettingsArea, onChange: (tenantId) => settingsCache.forget(tenantId) })],
    /** The outreach module plugs its channels in here; email over SMTP is set when configured. Returns the one replaced. */
    setDelivery(channel: string, d: Delivery | undefined): Delivery | undefined {
      const before = deliveries.get(channel);
      if (d) deliveries.set(channel, d); else deliveries.delete(channel);
      return before;
    },
    /** A notice that failed (or waits for a retry) sent again now, its retries starting afresh. */
    async resendNotice(tenantId: string, id: string) {
      const state = await ctx.outbox.resend(tenantId, id, { inline: true });
      if (!state) throw noticeNotFound();
      const { rows: [n] } = await pool.query('SELECT id, channel, recipient, status, error, sent_at FROM case_notices WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      return { id: n.id as string, channel: n.channel as string, recipient: n.recipient as string | null, status: n.status as string, error: n.error as string | null, sent_at: iso(n.sent_at), attempts: state.attempts };
    },
    openFromSignal,
    /** Complaints from the inbox (or any module) open a case per conversation. */
    reportComplaint: (tenantId: string, c: { conversationId: string; customerId?: string; text?: string; channel?: string; teamId?: string }) =>
      openFromSignal(tenantId, 'complaint', {}, { sourceType: 'conversation', sourceId: c.conversationId, customerId: c.customerId, text: c.text, summary: c.text?.slice(0, 200), teamId: c.teamId, touchpoint: c.channel }),

    async createCase(tenantId: string, input: { summary: string; customerId?: string; type: string; touchpoint?: string; topics?: string[]; team?: string; priority?: Priority }) {
      const sourceId = newId('man');
      if (input.customerId) {
        const found = await customers.findCustomerId(tenantId, input.customerId);
        if (!found || found.status !== 'active') throw caseNotFound('No such customer', [{ field: 'customer_id', message: 'names no customer' }]);
      }
      return (await openFromSignal(tenantId, 'complaint', {}, { type: input.type, sourceType: 'manual', sourceId, customerId: input.customerId, summary: input.summary, text: input.summary, touchpoint: input.touchpoint, topics: input.topics, teamId: input.team, priority: input.priority }))!;
    },
    /** The language a console reader sees activity in: the one asked, else their locale, else English. */
    readerLanguage: (tenantId: string, actor: Actor, asked?: string) => readerLanguage(pool, tenantId, actor, asked),
    async getCase(tenantId: string, id: string, lang: ReaderLanguage = 'en') {
      const { rows: [c] } = await pool.query(`SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      if (!c) return undefined;
      const [acts, notices] = await Promise.all([
        pool.query('SELECT id, kind, body, channel, actor, at FROM case_activities WHERE tenant_id = $1 AND case_id = $2 ORDER BY at, id', [tenantId, id]),
        pool.query('SELECT id, channel, recipient, language, subject, body, status, error, created_at, sent_at FROM case_notices WHERE tenant_id = $1 AND (case_id = $2 OR ($3::text IS NOT NULL AND issue_id = $3 AND customer_id = $4)) ORDER BY created_at', [tenantId, id, c.issue_id, c.customer_id]),
      ]);
      return { ...toCase(c), activities: acts.rows.map((a) => ({ ...a, ...renderActivity(a.kind, a.body, lang), at: iso(a.at)! })), notices: notices.rows.map((n) => ({ ...n, created_at: iso(n.created_at)!, sent_at: iso(n.sent_at) })) };
    },
    async listCases(tenantId: string, q: { status?: string; team?: string; customerId?: string; issueId?: string; limit: number }) {
      const { rows } = await pool.query(
        `SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR team_id = $3)
            AND ($4::text IS NULL OR customer_id = $4) AND ($5::text IS NULL OR issue_id = $5) ORDER BY created_at DESC, id DESC LIMIT $6`,
        [tenantId, q.status ?? null, q.team ?? null, q.customerId ?? null, q.issueId ?? null, q.limit]);
      return rows.map(toCase);
    },
    async assignCase(tenantId: string, id: string, p: { team?: string | null; ownerId?: string | null; priority?: Priority }, actor: Actor) {
      if (p.ownerId) {
        const { rows } = await pool.query('SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2', [tenantId, p.ownerId]);
        if (!rows.length) throw ownerNotFound('No such user', [{ field: 'owner_id', message: 'names no user of this tenant' }]);
      }
      await withTransaction(pool, async (tx) => {
        await lockOpenCase(tx, tenantId, id);
        await tx.query(`UPDATE cases SET team_id = CASE WHEN $3 THEN $4 ELSE team_id END, owner_id = CASE WHEN $5 THEN $6 ELSE owner_id END, priority = coalesce($7, priority), updated_at = now() WHERE tenant_id = $1 AND id = $2`,
          [tenantId, id, p.team !== undefined, p.team ?? null, p.ownerId !== undefined, p.ownerId ?? null, p.priority ?? null]);
        await activity(tx, tenantId, id, 'assignment', JSON.stringify({ team: p.team, owner_id: p.ownerId, priority: p.priority }), actor, clock.now());
      });
    },
    /**
     * A person's correction of a case's topics, kept in its activity; the text module learns from it
     * (bus `topics.corrected`) what the customer's words were about.
     */
    async correctTopics(tenantId: string, id: string, c: { add: string[]; remove: string[] }, actor: Actor) {
      const k = await withTransaction(pool, async (tx) => {
        const { rows: [k] } = await tx.query(`SELECT topics, customer_id, coalesce(details->>'text', summary) AS text FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
        if (!k) throw caseNotFound();
        const before = k.topics as string[];
        const topics = [...before.filter((t) => !c.remove.includes(t)), ...c.add.filter((t) => !before.includes(t))].slice(0, 50);
        await tx.query('UPDATE cases SET topics = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, id, topics]);
        await activity(tx, tenantId, id, 'topics', JSON.stringify({ add: c.add, remove: c.remove }), actor, clock.now());
        return { text: k.text as string | null, customerId: k.customer_id as string | null };
      });
      if (k.text) bus.publish({ type: 'topics.corrected', tenantId, payload: { sourceType: 'case', sourceId: id, text: k.text, customerId: k.customerId, add: c.add, remove: c.remove, by: actor.id } });
    },
    async addNote(tenantId: string, id: string, body: string, actor: Actor) {
      await withTransaction(pool, async (tx) => {
        const { rows } = await tx.query('SELECT 1 FROM cases WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
        if (!rows.length) throw caseNotFound();
        await activity(tx, tenantId, id, 'note', body, actor, clock.now());
      });
    },
    /** A contact with the customer (a call, a message): the first one moves the case to contacted. */
    async recordContact(tenantId: string, id: string, c: { channel: string; body: string }, actor: Actor, at = clock.now()) {
      await withTransaction(pool, async (tx) => {
        await lockOpenCase(tx, tenantId, id);
        await tx.query(`UPDATE cases SET status = 'contacted', first_contact_at = coalesce(first_contact_at, $3), updated_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, at]);
        await activity(tx, tenantId, id, 'contact', c.body, actor, at, c.channel);
      });
    },
    resolveCase,
    async wontFix(tenantId: string, id: string, reason: string, actor: Actor, at = clock.now()) {
      const c = await withTransaction(pool, async (tx) => {
        const c = await lockOpenCase(tx, tenantId, id);
        await tx.query(`UPDATE cases SET status = 'wont_fix', wont_fix_reason = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, reason, at]);
        await activity(tx, tenantId, id, 'status', { code: 'wont_fix', reason }, actor, at);
        return c;
      });
      bus.publish({ type: 'case.resolved', tenantId, payload: { caseId: id, type: c.type, status: 'wont_fix', ...(c.customer_id ? { customerId: c.customer_id } : {}), ...(c.team_id ? { teamId: c.team_id } : {}) } });
    },

    // --- systemic issues ---
    async createIssue(tenantId: string, i: { title: string; rootCause?: string; action?: string }) {
      const id = newId('iss');
      await pool.query('INSERT INTO loop_issues (tenant_id, id, title, root_cause, action) VALUES ($1,$2,$3,$4,$5)', [tenantId, id, i.title, i.rootCause ?? null, i.action ?? null]);
      return id;
    },
    async getIssue(tenantId: string, id: string) {
      const { rows: [i] } = await pool.query('SELECT id, title, root_cause, action, status, fixed_at, created_at FROM loop_issues WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!i) return undefined;
      const { rows } = await pool.query('SELECT id, customer_id, status, customer_told_at FROM cases WHERE tenant_id = $1 AND issue_id = $2 ORDER BY created_at', [tenantId, id]);
      return { ...i, fixed_at: iso(i.fixed_at), created_at: iso(i.created_at)!, cases: rows.map((r) => ({ ...r, customer_told_at: iso(r.customer_told_at) })) };
    },
    async listIssues(tenantId: string) {
      const { rows } = await pool.query(`SELECT i.id, i.title, i.root_cause, i.action, i.status, i.fixed_at, i.created_at,
          (SELECT count(*)::int FROM cases c WHERE c.tenant_id = i.tenant_id AND c.issue_id = i.id) AS case_count
        FROM loop_issues i WHERE i.tenant_id = $1 ORDER BY i.created_at DESC LIMIT 500`, [tenantId]);
      return rows.map((r) => ({ ...r, fixed_at: iso(r.fixed_at), created_at: iso(r.created_at)! }));
    },
    async linkCases(tenantId: string, issueId: string, caseIds: string[]) {
      await withTransaction(pool, async (tx) => {
        const { rows: [i] } = await tx.query('SELECT status FROM loop_issues WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, issueId]);
        if (!i) throw issueNotFound();
        if (i.status === 'fixed') throw issueFixed();
        const { rows } = await tx.query('SELECT id FROM cases WHERE tenant_id = $1 AND id = ANY($2::text[])', [tenantId, caseIds]);
        const found = new Set(rows.map((r) => r.id));
        const missing = caseIds.map((c, index) => ({ c, index })).filter((x) => !found.has(x.c));
        if (missing.length) throw caseNotFound('Some cases do not exist', missing.map((m) => ({ field: `case_ids[${m.index}]`, message: 'names no case' })));
        await tx.query('UPDATE cases SET issue_id = $3, updated_at = now() WHERE tenant_id = $1 AND id = ANY($2::text[])', [tenantId, caseIds, issueId]);
      });
    },
    /** The fix is done: every open case of the issue is resolved, and every affected customer is told once. */
    async fixIssue(tenantId: string, issueId: string, f: { action: string; message?: { subject?: string; body?: string } }, actor: Actor, at = clock.now()) {
      const { resolved, all } = await withTransaction(pool, async (tx) => {
        const { rows: [i] } = await tx.query('SELECT status FROM loop_issues WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, issueId]);
        if (!i) throw issueNotFound();
        if (i.status === 'fixed') throw issueFixed();
        await tx.query(`UPDATE loop_issues SET status = 'fixed', action = $3, fix_message = $4, fixed_at = $5 WHERE tenant_id = $1 AND id = $2`, [tenantId, issueId, f.action, JSON.stringify(f.message ?? null), at]);
        const { rows: resolved } = await tx.query(
          `UPDATE cases SET status = 'resolved', resolution = $3, resolved_at = $4, updated_at = $4 WHERE tenant_id = $1 AND issue_id = $2 AND status IN ('new','contacted')
           RETURNING id, type, customer_id, team_id`, [tenantId, issueId, f.action, at]);
        for (const c of resolved) await activity(tx, tenantId, c.id, 'status', { code: 'resolved_by_issue', issue_id: issueId, action: f.action }, actor, at);
        const { rows: all } = await tx.query(`SELECT id, customer_id FROM cases WHERE tenant_id = $1 AND issue_id = $2 AND customer_id IS NOT NULL`, [tenantId, issueId]);
        return { resolved, all };
      });
      for (const c of resolved) bus.publish({ type: 'case.resolved', tenantId, payload: { caseId: c.id, type: c.type, status: 'resolved', ...(c.customer_id ? { customerId: c.customer_id } : {}), ...(c.team_id ? { teamId: c.team_id } : {}) } });
      const byCustomer = new Map<string, string[]>();
      for (const c of all) byCustomer.set(c.customer_id, [...(byCustomer.get(c.customer_id) ?? []), c.id]);
      const notices: Record<string, number> = {};
      for (const [customerId, caseIds] of byCustomer) {
        const r = await tellCustomer(tenantId, { dedupeKey: `issue:${issueId}:${customerId}`, caseIds, issueId, customerId, kind: 'issue', resolution: f.action, custom: f.message });
        notices[r.status] = (notices[r.status] ?? 0) + 1;
      }
      return { resolved_cases: resolved.length, customers: byCustomer.size, notices };
    },

    // --- rules ---
    // The list reads the table itself: a screen showing rules must not wait out the cache, nor drop
    // every node's caches (a forget is a NOTIFY to all of them) just to be read.
    async listRules(tenantId: string) { return loadRules(tenantId); },
    async createRule(tenantId: string, r: { name: string; signal: Signal; condition: RuleCondition; caseType: string }) {
      const id = newId('rul');
      await pool.query('INSERT INTO case_rules (tenant_id, id, name, signal, condition, case_type) VALUES ($1,$2,$3,$4,$5,$6)', [tenantId, id, r.name, r.signal, JSON.stringify(r.condition), r.caseType]);
      forget(tenantId);
      return id;
    },
    async deleteRule(tenantId: string, id: string) {
      if (!(await pool.query('DELETE FROM case_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rowCount) throw ruleNotFound();
      forget(tenantId);
    },
    listRouting: (tenantId: string) => routingOf(tenantId),
    async createRouting(tenantId: string, r: { position: number; match: RoutingMatch; team: string }) {
      const id = newId('rte');
      await pool.query('INSERT INTO case_routing_rules (tenant_id, id, position, match, team_id) VALUES ($1,$2,$3,$4,$5)', [tenantId, id, r.position, JSON.stringify(r.match), r.team]);
      forget(tenantId);
      return id;
    },
    async deleteRouting(tenantId: string, id: string) {
      if (!(await pool.query('DELETE FROM case_routing_rules WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rowCount) throw ruleNotFound();
      forget(tenantId);
    },

    checkSla,
    /** The module's clock, for the routes' default periods. */
    clock,
    metrics: (tenantId: string, q: { from: Date; to: Date }) => loopMetrics(pool, tenantId, q),

    async startJobs() {
      await jobs.define<{ tenantId?: string }>('loop-sla', async (d) => { await checkSla(d.tenantId); }, { cron: '* * * * *' });
    },
  };
}

export type LoopService = ReturnType<typeof createLoopService>;
