// The feedback service: surveys, triggers and invitations, responses, and the hooks that keep
// responses with their customer through merges, erasure and export.
import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { ModuleContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import { settingsArea } from '../../platform/settings.js';
import { z } from '../../platform/validation.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { createSurvey, updateSurvey, getSurvey, listSurveys, getSurveyVersion, listSurveyVersions, type SurveyInput, type SurveyPatch, type SurveyRow, type Trigger } from './manage-surveys.js';
import { submitResponse, prepareResponse, type SubmitInput, type StoredResponse, type SurveyForSubmit } from './submit-response.js';
import { analyzedPayload, cleanTopics, cleanTopicSentiments, createResponseBatcher, submittedPayload } from './write-response-batches.js';
import { issueInvitation, type ContactProfile, type InvitationOutcome, type InvitationRequest } from './issue-invitation.js';
import { watchedTypes, createMarkRecorder, schedulesForEvent, insertSchedule, hasCompletedSince, isStillFirst, type ActiveTrigger, type ObservedEvent, type ScheduleRequest } from './run-triggers.js';
import { signLink, peekLink, verifyLink } from './sign-link.js';
import { chooseLanguage, type Answers, type Language, type SurveyDefinition } from './survey-definition.js';
import { alreadyAnswered, linkExpired, linkInvalid, noSuchCustomer, surveyNotFound } from './errors.js';
import { presentInWidget, type WidgetSurvey } from './present-in-widget.js';
import { moveTopics, rebuildRollups } from './keep-rollups.js';
import { correctResponseTopics } from './correct-response-topics.js';
import { measureScores, scoreDistribution, responseRates, topicsBySentiment, satisfiedButLeft, type MeasureQuery } from './measure-feedback.js';

/** What the text module gives back for a piece of open text. */
export interface TextAnalysis {
  sentiment: 'negative' | 'neutral' | 'positive'; score?: number; topics: string[]; language?: string;
  /** The polarity of each topic, by topic: "delivery was quick but the agent was rude" is positive on delivery, negative on staff. */
  topicSentiments?: Record<string, string>;
}
/** Reads a tenant's open text; the tenant's own topic corrections take part. */
export type TextAnalyzer = (text: string, language: string | null, tenantId: string) => Promise<TextAnalysis> | TextAnalysis;

/** The payload of feedback.response.submitted (the contract other modules read). */
export interface ResponseSubmitted {
  responseId: string; surveyId: string; customerId: string | null; kind: string; score: number | null;
  text?: string; touchpoint?: string; channel?: string; journeyStage?: string; trigger?: string; surveyVersion: number;
}


/** A tenant-wide minimum of days between two surveys to one customer; null leaves it to each survey. */
const FeedbackSettingsArea = z.object({ throttle_days: z.number().int().min(0).max(3650).nullable().default(null) }).strict();

export function createFeedbackService(ctx: ModuleContext & { customers: CustomersService; events: EventsService; publicUrl: string }) {
  const { db, bus, jobs, customers, events, log, clock } = ctx;
  const pool = db.pool;
  const recordMark = createMarkRecorder(pool);
  const keyCache = new Map<string, string>();
  const surveyCache = new Map<string, { at: number; survey: SurveyRow }>();
  const versionCache = new Map<string, SurveyDefinition>();
  let analyzer: TextAnalyzer | undefined;

  // Every ingested event asks for its tenant's active triggers: one shared load per tenant (tenant-cache).
  const triggerCache = createTenantCache<{ triggers: ActiveTrigger[]; watched: Set<string> }>({
    ttlMs: 10_000,
    async load(tenantId) {
      const { rows } = await pool.query(`SELECT id, triggers FROM surveys WHERE tenant_id = $1 AND status = 'active' AND triggers <> '[]'::jsonb`, [tenantId]);
      const triggers = rows.flatMap((r) => (r.triggers as Trigger[]).map((trigger) => ({ surveyId: r.id as string, trigger })));
      return { triggers, watched: watchedTypes(triggers) };
    },
  });
  const activeTriggers = (tenantId: string) => triggerCache.get(tenantId);

  function forget(tenantId: string, surveyId?: string) {
    triggerCache.forget(tenantId);
    if (surveyId) surveyCache.delete(`${tenantId}:${surveyId}`);
  }

  async function cachedSurvey(tenantId: string, id: string): Promise<SurveyRow | undefined> {
    const k = `${tenantId}:${id}`;
    const hit = surveyCache.get(k);
    // A cache entry's life is real elapsed time (monotonic), not a product decision about "now".
    if (hit && performance.now() - hit.at < 5_000) return hit.survey;
    const survey = await getSurvey(pool, tenantId, id);
    if (survey) surveyCache.set(k, { at: performance.now(), survey });
    return survey;
  }

  /** Versions never change once written, so they are cached for good. */
  async function definitionOf(tenantId: string, surveyId: string, version: number): Promise<SurveyDefinition> {
    const k = `${tenantId}:${surveyId}:${version}`;
    let def = versionCache.get(k);
    if (!def) {
      def = await getSurveyVersion(pool, tenantId, surveyId, version);
      if (!def) throw surveyNotFound();
      versionCache.set(k, def);
    }
    return def;
  }

  /**
   * A tenant's link key is made once and never changes, so one read per process is enough. Made on
   * first use by signing (`create`); checking a link never makes one.
   */
  async function existingLinkKey(tenantId: string, opts: { create?: boolean } = {}): Promise<string | undefined> {
    const hit = keyCache.get(tenantId);
    if (hit) return hit;
    if (opts.create) await pool.query('INSERT INTO feedback_keys (tenant_id, link_key) VALUES ($1,$2) ON CONFLICT DO NOTHING', [tenantId, randomBytes(32).toString('base64url')]);
    const { rows: [k] } = await pool.query('SELECT link_key FROM feedback_keys WHERE tenant_id = $1', [tenantId]);
    if (k) keyCache.set(tenantId, k.link_key as string);
    return k?.link_key as string | undefined;
  }
  const linkKey = async (tenantId: string) => (await existingLinkKey(tenantId, { create: true }))!;

  async function contactProfile(tenantId: string, customerId: string): Promise<ContactProfile | undefined> {
    const found = await customers.findCustomerId(tenantId, customerId);
    if (!found || found.status !== 'active') return undefined;
    // Deciding whether to ask is processing, not someone viewing the profile: the unaudited contact read.
    const p = (await customers.readContactProfiles(tenantId, [found.id])).get(found.id);
    if (!p) return undefined;
    return {
      id: p.id, timezone: p.timezone, locale: p.locale, language: p.language,
      contactWindow: p.contactWindow as ContactProfile['contactWindow'], channels: p.channels, addresses: p.addresses,
      consent: Object.entries(p.consent).map(([key, status]) => {
        const [channel, purpose] = key.split(':');
        return { channel, purpose, status };
      }),
    };
  }

  async function tenantThrottleDays(tenantId: string): Promise<number | undefined> {
    const s = (await getTenantSettings(pool, tenantId)).feedback as { throttle_days?: number } | undefined;
    return typeof s?.throttle_days === 'number' ? s.throttle_days : undefined;
  }

  async function invitationUrl(tenantId: string, invitationId: string, expiresAt: Date) {
    const token = signLink(await linkKey(tenantId), { t: tenantId, i: invitationId, k: 'inv', e: Math.floor(expiresAt.getTime() / 1000) });
    return `${ctx.publicUrl}/s/${token}`;
  }

  async function issue(tenantId: string, req: InvitationRequest, now: Date): Promise<InvitationOutcome & { url?: string }> {
    const survey = await getSurvey(pool, tenantId, req.surveyId);
    const profile = await contactProfile(tenantId, req.customerId);
    const result = await issueInvitation(pool, tenantId, survey, profile, req, { now, tenantThrottleDays: await tenantThrottleDays(tenantId) });
    if (result.outcome !== 'issued') return result;
    const url = await invitationUrl(tenantId, result.invitationId, result.expiresAt);
    const def = await definitionOf(tenantId, req.surveyId, result.surveyVersion);
    // Outreach (email, SMS, WeChat) and the inbox (in-conversation) deliver the link; feedback only asks.
    bus.publish({
      type: 'feedback.invitation.created', tenantId,
      payload: {
        invitationId: result.invitationId, surveyId: req.surveyId, customerId: profile!.id, channel: result.channel, url,
        language: chooseLanguage([profile!.language, profile!.locale], def), trigger: req.trigger, expiresAt: result.expiresAt.toISOString(),
        ...(req.context?.conversation_id ? { conversationId: req.context.conversation_id } : {}),
      },
    });
    return { ...result, url };
  }

  async function processSchedule(tenantId: string, row: { id: string; survey_id: string; customer_id: string; kind: string; source_key: string; context: Record<string, unknown> }, now: Date) {
    let outcome: string;
    const c = row.context as { trigger?: string; started_at?: string; complete_event?: string; channel?: string; first_time_only?: boolean; event_type?: string; event_id?: string };
    if (c.first_time_only && !(await isStillFirst(pool, tenantId, row.customer_id, c.event_type!, c.event_id!))) {
      outcome = 'not_first';
    } else if (row.kind === 'abandonment' && await hasCompletedSince(pool, tenantId, row.customer_id, c.complete_event!, new Date(c.started_at!))) {
      outcome = 'completed';
    } else {
      const r = await issue(tenantId, { surveyId: row.survey_id, customerId: row.customer_id, trigger: c.trigger ?? row.kind, sourceKey: row.source_key, channel: c.channel, context: row.context }, now);
      if (r.outcome === 'outside_window' && r.next) {
        // Held until the customer's window opens, then asked (or throttled) as usual.
        await pool.query(`UPDATE survey_schedules SET state = 'waiting', due_at = $3, outcome = 'held_for_window' WHERE tenant_id = $1 AND id = $2`, [tenantId, row.id, r.next]);
        await jobs.send('feedback-due', { tenantId }, { startAfter: r.next });
        return 'held_for_window';
      }
      outcome = r.outcome;
    }
    await pool.query(`UPDATE survey_schedules SET state = 'done', outcome = $3, processed_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, row.id, outcome]);
    return outcome;
  }

  /** Processes every schedule due at `now` (the clock is a parameter so tests can move it). */
  async function processDue(tenantId: string | undefined, now: Date = clock.now()): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (;;) {
      // Claimed by flipping the state, so two workers never process one row; a claim older than ten
      // minutes (a worker that died) is taken over.
      // The claim's age is read on the database's clock, not the product's: it measures how long a worker
      // has held the row, which a test moving its clock must not cut short.
      const { rows } = await pool.query(
        `UPDATE survey_schedules s SET state = 'running', processed_at = now()
          WHERE (s.tenant_id, s.id) IN (
            SELECT tenant_id, id FROM survey_schedules
             WHERE ($1::text IS NULL OR tenant_id = $1) AND due_at <= $2
               AND (state = 'waiting' OR (state = 'running' AND processed_at < now() - interval '10 minutes'))
             ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING tenant_id, id, survey_id, customer_id, kind, source_key, context`,
        [tenantId ?? null, now],
      );
      for (const row of rows) {
        try {
          const o = await processSchedule(row.tenant_id, row, now);
          counts[o] = (counts[o] ?? 0) + 1;
        } catch (err) {
          log.error({ err: (err as Error).message, schedule: row.id }, 'survey schedule failed');
          await pool.query(`UPDATE survey_schedules SET state = 'done', outcome = 'failed' WHERE tenant_id = $1 AND id = $2`, [row.tenant_id, row.id]);
        }
      }
      if (rows.length < 100) return counts;
    }
  }

  async function schedule(tenantId: string, s: ScheduleRequest, now: Date) {
    const id = await insertSchedule(pool, tenantId, s);
    if (!id) return;
    if (s.dueAt.getTime() <= now.getTime()) await processDue(tenantId, now);
    else await jobs.send('feedback-due', { tenantId }, { startAfter: s.dueAt });
  }

  async function onEvent(tenantId: string, e: ObservedEvent, now: Date = clock.now()) {
    const { triggers, watched } = await activeTriggers(tenantId);
    if (!watched.has(e.type)) return;
    const firstId = await recordMark(tenantId, e);
    for (const s of schedulesForEvent(triggers, e, firstId, now)) await schedule(tenantId, s, now);
  }

  async function onConversationResolved(tenantId: string, c: { conversationId: string; customerId: string; channel: string; teamId?: string }, now: Date = clock.now()) {
    const { triggers } = await activeTriggers(tenantId);
    for (const { surveyId, trigger: t } of triggers) {
      if (t.type !== 'conversation_resolved') continue;
      await schedule(tenantId, {
        surveyId, customerId: c.customerId, kind: 'invite', dueAt: new Date(now.getTime() + t.delay_minutes * 60_000), sourceKey: `conversation:${c.conversationId}`,
        // A web chat visitor is asked in the widget they chatted in (the inbox's channel kind is "webchat").
        context: { trigger: 'conversation_resolved', channel: c.channel === 'webchat' ? 'widget' : c.channel, conversation_id: c.conversationId, ...(c.teamId ? { team_id: c.teamId } : {}) },
      }, now);
    }
  }

  /** Relationship surveys: every `every_days`, each customer of the segment is asked (throttling applies). */
  async function runPeriodic(tenantId: string | undefined, now: Date = clock.now()) {
    const { rows } = await pool.query(`SELECT tenant_id, id, triggers, last_periodic_at FROM surveys WHERE ($1::text IS NULL OR tenant_id = $1) AND status = 'active' AND triggers @> '[{"type":"periodic"}]'::jsonb`, [tenantId ?? null]);
    let scheduled = 0;
    for (const s of rows) {
      const t = (s.triggers as Trigger[]).find((x) => x.type === 'periodic') as Extract<Trigger, { type: 'periodic' }>;
      if (s.last_periodic_at && new Date(s.last_periodic_at).getTime() + t.every_days * 86_400_000 > now.getTime()) continue;
      const claimed = await pool.query('UPDATE surveys SET last_periodic_at = $3 WHERE tenant_id = $1 AND id = $2 AND last_periodic_at IS NOT DISTINCT FROM $4 RETURNING id', [s.tenant_id, s.id, now, s.last_periodic_at]);
      if (!claimed.rowCount) continue;
      const round = now.toISOString().slice(0, 10);
      let cursor: string | undefined;
      do {
        const page = await customers.listCustomers(s.tenant_id, { limit: 200, cursor, isCore: t.segment.is_core });
        for (const c of page.data) {
          const id = await insertSchedule(pool, s.tenant_id, { surveyId: s.id, customerId: c.id as string, kind: 'invite', dueAt: now, sourceKey: `periodic:${round}:${c.id}`, context: { trigger: 'periodic' } });
          if (id) scheduled++;
        }
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      await processDue(s.tenant_id, now);
    }
    return scheduled;
  }

  /** After a response written one by one (an invitation's answers, a partial completed later). */
  async function afterSubmit(tenantId: string, r: StoredResponse) {
    if (r.status !== 'complete') return;
    bus.publish({ type: 'feedback.response.submitted', tenantId, payload: submittedPayload(r) });
    if (r.openText && analyzer) await analyzeResponses(tenantId, [r.id]).catch((err) => log.warn({ err: (err as Error).message }, 'text analysis failed; left for re-processing'));
  }

  /** One response in its own transaction: merges with a partial response of the same invitation or key. */
  async function submitOne(tenantId: string, survey: SurveyForSubmit, input: SubmitInput): Promise<StoredResponse> {
    const run = () => withTransaction(pool, (tx) => submitResponse(tx, tenantId, survey, input, (t, entries) => events.append(t, tenantId, entries)));
    let r: StoredResponse;
    try {
      r = await run();
    } catch (err) {
      // Two first submissions of one invitation or key at once: the loser sees the winner's row.
      if ((err as { code?: string }).code !== '23505') throw err;
      r = await run();
    }
    await afterSubmit(tenantId, r);
    return r;
  }

  const batcher = createResponseBatcher({
    pool, bus, log, analyzer: () => analyzer,
    submitOne: async (tenantId, row) => submitOne(tenantId, row.survey, row.checkCustomer ? await withCheckedCustomer(tenantId, row.input) : row.input),
  });

  /** The input with its client-given customer id checked, and followed to the survivor of a merge. */
  async function withCheckedCustomer(tenantId: string, input: SubmitInput): Promise<SubmitInput> {
    if (!input.customerId) return input;
    const found = await customers.findCustomerId(tenantId, input.customerId);
    if (!found || found.status !== 'active') throw noSuchCustomer();
    return { ...input, customerId: found.id };
  }

  /**
   * Responses with nothing to merge with go through the group commit; so does a keyed one, which falls
   * back to the one-by-one path when its key turns out to be stored already. `checkCustomer`: the
   * customer id came from the client and is checked (in the batch, for all at once).
   */
  async function submit(tenantId: string, survey: SurveyRow, version: number, input: SubmitInput, opts: { checkCustomer?: boolean } = {}): Promise<StoredResponse> {
    const s: SurveyForSubmit = { id: survey.id, kind: survey.kind, status: survey.status, version, definition: await definitionOf(tenantId, survey.id, version) };
    if (!input.invitationId) {
      let prepared: ReturnType<typeof prepareResponse> | undefined;
      try {
        prepared = prepareResponse(s, input);
      } catch (err) {
        // With a key, earlier partial answers may make these answers whole: the one-by-one path decides.
        if (!input.submissionKey) throw err;
      }
      if (prepared) return batcher.enqueue(tenantId, { ...prepared.row, checkCustomer: !!opts.checkCustomer }, prepared.stored);
    }
    return submitOne(tenantId, s, opts.checkCustomer ? await withCheckedCustomer(tenantId, input) : input);
  }

  /** Answers arriving through a signed link: the invitation fixes customer, version and touchpoint. */
  /** `withProfile`: the customer's language for rendering the page; storing answers does not need it. */
  async function openLink(token: string, now: Date = clock.now(), opts: { withProfile?: boolean } = { withProfile: true }) {
    const p = peekLink(token);
    if (!p) throw linkInvalid();
    const k = await existingLinkKey(p.t);
    if (!k || !verifyLink(k, token)) throw linkInvalid();
    if (p.e !== undefined && p.e * 1000 < now.getTime()) throw linkExpired();
    const tenantId = p.t;
    if (p.k === 'btn') {
      const survey = await cachedSurvey(tenantId, p.i);
      if (!survey) throw linkInvalid();
      return { tenantId, survey, version: survey.current_version, definition: await definitionOf(tenantId, survey.id, survey.current_version), invitation: undefined, profile: undefined };
    }
    const { rows: [inv] } = await pool.query('SELECT id, survey_id, survey_version, customer_id, channel, touchpoint, journey_stage, trigger, status, context FROM survey_invitations WHERE tenant_id = $1 AND id = $2', [tenantId, p.i]);
    if (!inv) throw linkInvalid();
    const survey = await cachedSurvey(tenantId, inv.survey_id);
    if (!survey) throw linkInvalid();
    const profile = opts.withProfile ? await contactProfile(tenantId, inv.customer_id) : undefined;
    return { tenantId, survey, version: inv.survey_version as number, definition: await definitionOf(tenantId, survey.id, inv.survey_version), invitation: inv, profile };
  }

  async function pendingPartial(tenantId: string, invitationId: string): Promise<Answers> {
    const { rows } = await pool.query(`SELECT answers FROM survey_responses WHERE tenant_id = $1 AND invitation_id = $2 AND status = 'partial'`, [tenantId, invitationId]);
    return rows[0]?.answers ?? {};
  }

  async function analyzeResponses(tenantId: string, ids?: string[], limit = 200): Promise<number> {
    if (!analyzer) return 0;
    const { rows } = await pool.query(
      `SELECT id, survey_id, survey_version, customer_id, kind, score, open_text, language, touchpoint, channel FROM survey_responses
        WHERE tenant_id = $1 AND open_text IS NOT NULL AND text_processed_at IS NULL AND status = 'complete' AND ($2::text[] IS NULL OR id = ANY($2))
        ORDER BY updated_at LIMIT $3`,
      [tenantId, ids ?? null, limit],
    );
    for (const r of rows) await recordTextAnalysis(tenantId, r.id, await analyzer(r.open_text, r.language, tenantId));
    return rows.length;
  }

  /** Stores the text module's reading of a response and tells the loop (negative text opens cases). */
  async function recordTextAnalysis(tenantId: string, responseId: string, a: TextAnalysis): Promise<boolean> {
    const topics = cleanTopics(a.topics);
    const topicSentiments = cleanTopicSentiments(a.topicSentiments, topics);
    const r = await withTransaction(pool, async (tx) => {
      const { rows: [before] } = await tx.query('SELECT topics, topic_sentiments FROM survey_responses WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, responseId]);
      if (!before) return undefined;
      const { rows: [r] } = await tx.query(
        `UPDATE survey_responses SET sentiment = $3, topics = $4, topic_sentiments = $5, text_processed_at = now() WHERE tenant_id = $1 AND id = $2
         RETURNING id, survey_id, customer_id, kind, score, open_text, touchpoint, channel, trigger, submitted_at`,
        [tenantId, responseId, a.sentiment, topics, JSON.stringify(topicSentiments)],
      );
      if (r.submitted_at) await moveTopics(tx, tenantId, { kind: r.kind, at: new Date(r.submitted_at), score: r.score }, { topics: before.topics, sentiments: before.topic_sentiments }, { topics, sentiments: topicSentiments });
      return r;
    });
    if (!r) return false;
    bus.publish({
      type: 'feedback.response.analyzed', tenantId,
      payload: analyzedPayload({ id: r.id, surveyId: r.survey_id, customerId: r.customer_id, kind: r.kind, score: r.score, openText: r.open_text, touchpoint: r.touchpoint, channel: r.channel, trigger: r.trigger }, { sentiment: a.sentiment, topics, topicSentiments }),
    });
    return true;
  }

  // --- merges, erasure, export ---
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    for (const table of ['survey_responses', 'survey_invitations', 'survey_schedules']) {
      await tx.query(`UPDATE ${table} SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3`, [tenantId, survivorId, mergedId]);
    }
    // Marks: the earliest first and the latest last of the two customers.
    await tx.query(
      `INSERT INTO feedback_marks (tenant_id, customer_id, event_type, first_event_id, first_at, last_at)
       SELECT tenant_id, $2, event_type, first_event_id, first_at, last_at FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $3
       ON CONFLICT (tenant_id, customer_id, event_type) DO UPDATE SET
         first_event_id = CASE WHEN excluded.first_at < feedback_marks.first_at THEN excluded.first_event_id ELSE feedback_marks.first_event_id END,
         first_at = least(feedback_marks.first_at, excluded.first_at), last_at = greatest(feedback_marks.last_at, excluded.last_at)`,
      [tenantId, survivorId, mergedId],
    );
    await tx.query('DELETE FROM feedback_marks WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId]);
  });
  // Erasure keeps the scores (anonymous figures) and drops what the customer wrote or where they were.
  customers.onErase(async (tx, tenantId, ids) => {
    await tx.query(`UPDATE survey_responses SET answers = '{}', open_text = NULL, page_url = NULL, topics = '{}', topic_sentiments = '{}', sentiment = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`, [tenantId, ids]);
    await tx.query(`UPDATE survey_schedules SET state = 'done', outcome = 'erased' WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND state <> 'done'`, [tenantId, ids]);
  });
  customers.addExportSection('survey_responses', async (tenantId, ids) => {
    const { rows } = await pool.query(
      `SELECT id, survey_id, survey_version, kind, score, answers, open_text, status, channel, touchpoint, journey_stage, page_url, started_at, submitted_at
         FROM survey_responses WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY started_at, id`, [tenantId, ids]);
    return rows.map((r) => ({ ...r, started_at: new Date(r.started_at).toISOString(), submitted_at: r.submitted_at ? new Date(r.submitted_at).toISOString() : null }));
  });

  // --- triggers from other modules ---
  bus.subscribe('*', (msg) => {
    if (!msg.type.startsWith('event.')) return;
    const e = msg.payload as { id: string; type: string; occurredAt: Date | string; customerId: string };
    if (!e?.customerId) return;
    // The common case, an event type no trigger watches, stays synchronous: no promise per event.
    if (triggerCache.peek(msg.tenantId)?.watched.has(e.type) === false) return;
    return onEvent(msg.tenantId, { id: e.id, type: e.type, occurredAt: new Date(e.occurredAt), customerId: e.customerId });
  });
  bus.subscribe('conversation.resolved', async (msg) => {
    const c = msg.payload as { conversationId: string; customerId: string; channel: string; teamId?: string; requestCsat?: boolean };
    // The agent may say "no rating this time" (a spam chat, a complaint that would be insulted by one).
    if (c?.requestCsat === false) return;
    if (c?.conversationId && c.customerId) await onConversationResolved(msg.tenantId, c);
  });

  return {
    /** The module's clock, for the routes' default periods. */
    clock,
    settingsAreas: [settingsArea({ name: 'feedback', schema: FeedbackSettingsArea })],
    async createSurvey(tenantId: string, input: SurveyInput) {
      const id = await withTransaction(pool, (tx) => createSurvey(tx, tenantId, input));
      forget(tenantId);
      return id;
    },
    async updateSurvey(tenantId: string, id: string, patch: SurveyPatch) {
      const ok = await withTransaction(pool, (tx) => updateSurvey(tx, tenantId, id, patch));
      forget(tenantId, id);
      return ok;
    },
    getSurvey: (tenantId: string, id: string) => getSurvey(pool, tenantId, id),
    listSurveys: (tenantId: string, opts: { status?: string } = {}) => listSurveys(pool, tenantId, opts),
    listSurveyVersions: (tenantId: string, id: string) => listSurveyVersions(pool, tenantId, id),
    definitionOf,
    /** A survey as it was up to five seconds ago: for the hot submission path. */
    cachedSurvey,

    /** A response through the API (an app, an integration); the customer is resolved first. */
    async submitResponse(tenantId: string, input: Omit<SubmitInput, 'at'> & { at?: Date }) {
      const survey = await cachedSurvey(tenantId, input.surveyId);
      if (!survey) throw surveyNotFound();
      return submit(tenantId, survey, survey.current_version, { ...input, customerId: input.customerId ?? null, answersInvitation: !input.invitationId, at: input.at ?? clock.now() }, { checkCustomer: true });
    },

    openLink,
    pendingPartial,
    async submitByLink(token: string, body: { answers: Answers; isPartial: boolean; pageUrl?: string; language?: string }, now: Date = clock.now()) {
      const l = await openLink(token, now, { withProfile: false });
      if (l.invitation) {
        if (l.invitation.status === 'answered') throw alreadyAnswered();
        return submit(l.tenantId, l.survey, l.version, {
          surveyId: l.survey.id, answers: body.answers, isPartial: body.isPartial, customerId: l.invitation.customer_id, invitationId: l.invitation.id,
          channel: l.invitation.channel, touchpoint: l.invitation.touchpoint, journeyStage: l.invitation.journey_stage, trigger: l.invitation.trigger,
          conversationId: typeof l.invitation.context?.conversation_id === 'string' ? l.invitation.context.conversation_id : null,
          language: body.language ?? null, at: now,
        });
      }
      // The page button: customer-initiated, anonymous, with the page it was pressed on.
      return submit(l.tenantId, l.survey, l.version, {
        surveyId: l.survey.id, answers: body.answers, isPartial: body.isPartial, channel: 'web', touchpoint: l.survey.touchpoint, journeyStage: l.survey.journey_stage,
        trigger: 'button', language: body.language ?? null, pageUrl: body.pageUrl ?? null, at: now,
      });
    },
    async buttonToken(tenantId: string, surveyId: string) {
      return signLink(await linkKey(tenantId), { t: tenantId, i: surveyId, k: 'btn' });
    },
    invitationUrl,

    /**
     * Surveys waiting for a customer in the widget (issued for the widget, not answered, not expired),
     * as the pop-in shows them. The widget asks on every connection, so a survey triggered while the
     * visitor was away is shown on their next page.
     */
    async widgetSurveys(tenantId: string, q: { customerId?: string; invitationId?: string }, now: Date = clock.now()): Promise<WidgetSurvey[]> {
      if (!q.customerId && !q.invitationId) return [];
      const { rows } = await pool.query(
        `SELECT i.id, i.survey_id, i.survey_version, i.expires_at, s.kind FROM survey_invitations i JOIN surveys s ON s.tenant_id = i.tenant_id AND s.id = i.survey_id
          WHERE i.tenant_id = $1 AND ($2::text IS NULL OR i.customer_id = $2) AND ($3::text IS NULL OR i.id = $3)
            AND i.channel = 'widget' AND i.status IN ('issued', 'partial') AND i.expires_at > $4 AND s.status = 'active'
          ORDER BY i.created_at DESC LIMIT 3`,
        [tenantId, q.customerId ?? null, q.invitationId ?? null, now],
      );
      const key = rows.length ? await linkKey(tenantId) : '';
      const out: WidgetSurvey[] = [];
      for (const r of rows) {
        const token = signLink(key, { t: tenantId, i: r.id, k: 'inv', e: Math.floor(new Date(r.expires_at).getTime() / 1000) });
        out.push(presentInWidget(await definitionOf(tenantId, r.survey_id, r.survey_version), r.kind, r.id, token));
      }
      return out;
    },

    issue,
    processDue,
    onEvent,
    onConversationResolved,
    runPeriodic,
    async listInvitations(tenantId: string, q: { surveyId?: string; customerId?: string; limit: number }) {
      const { rows } = await pool.query(
        `SELECT id, survey_id, survey_version, customer_id, channel, touchpoint, journey_stage, trigger, status, expires_at, created_at FROM survey_invitations
          WHERE tenant_id = $1 AND ($2::text IS NULL OR survey_id = $2) AND ($3::text IS NULL OR customer_id = $3) ORDER BY created_at DESC, id DESC LIMIT $4`,
        [tenantId, q.surveyId ?? null, q.customerId ?? null, q.limit]);
      return rows.map((r) => ({ ...r, expires_at: new Date(r.expires_at).toISOString(), created_at: new Date(r.created_at).toISOString() }));
    },
    async listResponses(tenantId: string, q: { surveyId?: string; customerId?: string; status?: string; limit: number }) {
      const { rows } = await pool.query(
        `SELECT id, survey_id, survey_version, customer_id, invitation_id, kind, score, answers, open_text, status, channel, touchpoint, journey_stage, trigger, language, page_url, sentiment, topics, topic_sentiments, started_at, submitted_at
           FROM survey_responses WHERE tenant_id = $1 AND ($2::text IS NULL OR survey_id = $2) AND ($3::text IS NULL OR customer_id = $3) AND ($4::text IS NULL OR status = $4)
          ORDER BY started_at DESC, id DESC LIMIT $5`,
        [tenantId, q.surveyId ?? null, q.customerId ?? null, q.status ?? null, q.limit]);
      return rows.map((r) => ({ ...r, started_at: new Date(r.started_at).toISOString(), submitted_at: r.submitted_at ? new Date(r.submitted_at).toISOString() : null }));
    },
    async getResponse(tenantId: string, id: string) {
      const { rows } = await pool.query(
        `SELECT id, survey_id, survey_version, customer_id, invitation_id, kind, score, answers, open_text, status, channel, touchpoint, journey_stage, trigger, language, page_url, sentiment, topics, topic_sentiments, started_at, submitted_at
           FROM survey_responses WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
      const r = rows[0];
      return r ? { ...r, started_at: new Date(r.started_at).toISOString(), submitted_at: r.submitted_at ? new Date(r.submitted_at).toISOString() : null } : undefined;
    },

    /** A person's correction of a response's topics (console); the text module learns from it. */
    correctTopics: (tenantId: string, id: string, c: { add: string[]; remove: string[] }, by: string | null) => correctResponseTopics(pool, bus, tenantId, id, c, by),
    /** The text module plugs in here; until it does, open text stays raw and waits for re-processing. */
    setTextAnalyzer(fn: TextAnalyzer) { analyzer = fn; },
    /** After responses were written straight into the table (a migration, a bulk load). */
    rebuildRollups: (tenantId: string) => rebuildRollups(pool, tenantId),
    analyzeResponses,
    recordTextAnalysis,

    measureScores: (tenantId: string, q: MeasureQuery) => measureScores(pool, tenantId, q),
    scoreDistribution: (tenantId: string, q: MeasureQuery) => scoreDistribution(pool, tenantId, q),
    responseRates: (tenantId: string, q: { from: Date; to: Date }) => responseRates(pool, tenantId, q),
    topicsBySentiment: (tenantId: string, q: { from: Date; to: Date }) => topicsBySentiment(pool, tenantId, q),
    satisfiedButLeft: (tenantId: string, q: { days: number; now?: Date }) => satisfiedButLeft(pool, tenantId, { now: clock.now(), ...q }),

    async startJobs() {
      await jobs.define<{ tenantId?: string }>('feedback-due', async (d) => { await processDue(d.tenantId); }, { cron: '* * * * *' });
      await jobs.define<{ tenantId?: string }>('feedback-periodic', async (d) => { await runPeriodic(d.tenantId); }, { cron: '7 * * * *' });
      await jobs.define<{ tenantId?: string }>('feedback-reprocess-text', async (d) => {
        if (!analyzer) return;
        const tenants = d.tenantId ? [d.tenantId] : (await pool.query('SELECT DISTINCT tenant_id FROM survey_responses WHERE open_text IS NOT NULL AND text_processed_at IS NULL')).rows.map((r) => r.tenant_id as string);
        for (const t of tenants) while (await analyzeResponses(t) === 200);
      }, { cron: '*/10 * * * *' });
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
export type { Language };
