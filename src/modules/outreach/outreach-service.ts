// The outreach service: templates, sends, the dispatcher, delivery reports, unsubscribe and
// preferences, segments, campaigns and journeys, wired with their context and the delivery seam.
import type { ModuleContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db.js';
import { createHash } from 'node:crypto';
import { newId } from '../../platform/ids.js';
import { getTenantName } from '../../platform/tenancy.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { settingsArea } from '../../platform/settings.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { createTemplate, ensureTemplate, getTemplate, listTemplates, updateTemplate, type TemplateInput } from './manage-templates.js';
import { chooseLocale, flattenVariables, missingVariables, renderChannel, RenderError, type Channel, type RenderedContent } from './render-template.js';
import { chooseChannel } from './choose-channel.js';
import { missingReason, planMessage, timeZoneOf, type SendRequest, type PlannedMessage } from './plan-message.js';
import { dispatchDue } from './dispatch-messages.js';
import { createOutreachHandler, customerVariables, OUTREACH_KIND, type VariablesProvider } from './deliver-message.js';
import { recordDeliveryStatus, type DeliveryReport } from './record-delivery-status.js';
import { createSecretBox, readSettings, updateSettings, SuppressionArea, type OutreachSettings, type SettingsInput } from './settings.js';
import { createSmtpEmailSender, createRecordingSender, type OutboundSender } from './senders.js';
import { urlDigest, type LinkPayload } from './sign-link.js';
import { readTrackingLink } from './track-email.js';
import { readLink, unsubscribeOneClick, preferencePage, savePreferences } from './unsubscribe.js';
import { lexiconSentiment, onCasesOpened, onResolved, onMessageReceived, onTierChanged, onFeedback, type SentimentOf } from './handle-signals.js';
import { perTenant } from '../../platform/bus.js';
import { SegmentRule, SegmentError, compileSegment } from './compile-segment.js';
import { planCampaign, countSegment, segmentMembersSql, campaignMessagePrefix } from './plan-campaign.js';
import { enrollFromMessage, exitFromMessage, claimDueEnrollments, advanceEnrollment, type JourneyInput } from './run-journeys.js';
import { DEFAULT_INVITATION_TEMPLATE, INVITATION_CHANNELS, defaultInvitationTemplateId } from './send-survey-invitations.js';
import { renderStatementsPdf, type StatementPage } from './statement-pdf.js';
import { customerNotFound, templateNotFound, renderFailed, segmentNotFound, invalidSegment, campaignNotFound, campaignNotDraft } from './errors.js';

const JOURNEY_TYPES_TTL_MS = 10_000;

/** Periodic loyalty statements: the loyalty module yields each customer's figures for the period. */
/** A saved segment's members as a subquery: appends its parameters to `params` (whose $1 is the tenant id) and returns the SQL. */
export type SegmentMembers = (params: unknown[]) => string;
export type LoyaltyStatementsProvider = (tenantId: string, period: { from: Date; to: Date }, opts?: { customerIds?: string[]; after?: string }) => AsyncIterable<StatementPage>;

export interface OutreachDeps extends ModuleContext {
  customers: CustomersService;
  events: EventsService;
  /** Channel adapters; email defaults to the tenant's SMTP server; src/app.ts gives SMS and WeChat the inbox's channels (recording senders otherwise). */
  senders?: Partial<Record<Channel, OutboundSender>>;
  loyaltyVariables?: VariablesProvider;
  loyaltyStatements?: LoyaltyStatementsProvider;
  sentimentOf?: SentimentOf;
}

/** A message id that is the same for the same seed: a retried run finds the message it planned. */
export const derivedMessageId = (seed: string) => `msg_${BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`).toString(36).padStart(25, '0')}`;

/** The statement period that ends at `at` when `at` falls on a period's first day (UTC), else null. */
export function statementPeriodEnding(at: Date, every: 'month' | 'quarter'): { from: Date; to: Date } | null {
  if (at.getUTCDate() !== 1) return null;
  const months = every === 'quarter' ? 3 : 1;
  if (at.getUTCMonth() % months !== 0) return null;
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { from: new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - months, 1)), to };
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function createOutreachService(deps: OutreachDeps) {
  const { db, bus, jobs, log, customers, events } = deps;
  const pool = db.pool;
  const now = () => deps.clock.now();
  const box = createSecretBox(deps.config);
  const settings = (tenantId: string): Promise<OutreachSettings> => readSettings(pool, tenantId, box);
  const email = createSmtpEmailSender(deps.mailer, async (tenantId) => (await settings(tenantId)).smtp);
  const senders: Partial<Record<Channel, OutboundSender>> = { email, sms: createRecordingSender('sms'), wechat: createRecordingSender('wechat'), whatsapp: createRecordingSender('whatsapp'), ...deps.senders };
  const loyaltyVariables: VariablesProvider = deps.loyaltyVariables ?? (async () => ({}));
  const loyaltyStatements: LoyaltyStatementsProvider = deps.loyaltyStatements ?? (async function* () { /* no loyalty programme wired: no statements */ });
  const sentimentOf = deps.sentimentOf ?? lexiconSentiment;
  // Outreach's messages leave through the platform outbox, which retries them; the handler renders and sends.
  deps.outbox.register(OUTREACH_KIND, createOutreachHandler({
    pool, customers, events, senders, settings, loyaltyVariables, log, clock: deps.clock,
    publicBaseUrl: `http://localhost:${deps.config.port}`,
  }));
  const dispatchDeps = { pool, customers, outbox: deps.outbox, settings, log, channels: Object.keys(senders) as Channel[] };

  // Merges move outreach rows to the survivor; erasure removes what identifies the person.
  customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    for (const t of ['outreach_messages', 'outreach_enrollments', 'outreach_suppressions', 'outreach_feedback_scores']) {
      await tx.query(`UPDATE ${t} SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3`, [tenantId, survivorId, mergedId]);
    }
    await tx.query(`DELETE FROM outreach_customer_tiers WHERE tenant_id = $1 AND customer_id = $2 AND EXISTS (SELECT 1 FROM outreach_customer_tiers WHERE tenant_id = $1 AND customer_id = $3)`, [tenantId, mergedId, survivorId]);
    await tx.query('UPDATE outreach_customer_tiers SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3', [tenantId, survivorId, mergedId]);
  });
  customers.onErase(async (tx, tenantId, ids) => {
    // The operator's reason and the provider's reports may name the customer; what was sent when, and
    // its status, stay for the frequency caps and the delivery figures.
    await tx.query(`UPDATE outreach_message_events e SET details = '{}' FROM outreach_messages m
                     WHERE e.tenant_id = $1 AND m.tenant_id = $1 AND m.id = e.message_id AND m.customer_id = ANY($2::text[]) AND e.details <> '{}'`, [tenantId, ids]);
    await tx.query(`UPDATE outreach_messages SET to_address = NULL, subject = NULL, variables = '{}', reason = 'erased',
                      status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END, status_reason = CASE WHEN status = 'queued' THEN 'customer erased' ELSE status_reason END
                     WHERE tenant_id = $1 AND customer_id = ANY($2::text[])`, [tenantId, ids]);
    // A provider's refusal often names the address ("550 <a@b> unknown user"): the outbox forgets it too.
    const { rows: sent } = await tx.query('SELECT id FROM outreach_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    await deps.outbox.forget(tx, tenantId, sent.map((r) => r.id as string));
    await tx.query(`UPDATE outreach_messages SET last_error = NULL WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) AND last_error IS NOT NULL`, [tenantId, ids]);
    await tx.query('DELETE FROM outreach_enrollments WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
    await tx.query('DELETE FROM outreach_suppressions WHERE tenant_id = $1 AND customer_id = ANY($2::text[])', [tenantId, ids]);
  });
  customers.addExportSection('outreach_messages', async (tenantId, ids) => {
    const { rows } = await pool.query(
      `SELECT id, channel, purpose, status, reason, status_reason, template_id, campaign_id, journey_id, to_address, subject, scheduled_at, sent_at, delivered_at, opened_at, clicked_at
         FROM outreach_messages WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY scheduled_at, id`, [tenantId, ids]);
    return rows.map((r) => ({ ...r, scheduled_at: iso(r.scheduled_at), sent_at: iso(r.sent_at), delivered_at: iso(r.delivered_at), opened_at: iso(r.opened_at), clicked_at: iso(r.clicked_at) }));
  });

  // Signals from modules built in parallel (loop, inbox, loyalty, feedback): see the brief's contracts.
  // Which case types suppress marketing is read for every case opened: kept for ten seconds, dropped at
  // once on this node when the settings change.
  const suppressTypes = createTenantCache<string[]>({ ttlMs: 10_000, load: async (tenantId) => (await settings(tenantId)).suppressCaseTypes });
  bus.subscribeBatch('case.opened', (msgs) => perTenant(msgs, async (tenantId, list) => onCasesOpened(pool, tenantId, list, await suppressTypes.get(tenantId))));
  bus.subscribe('case.resolved', (msg) => onResolved(pool, msg, 'case', now()));
  bus.subscribe('conversation.resolved', (msg) => onResolved(pool, msg, 'conversation', now()));
  bus.subscribe('message.received', (msg) => onMessageReceived(pool, msg, sentimentOf));
  bus.subscribe('loyalty.tier.changed', (msg) => onTierChanged(pool, msg, now()));
  bus.subscribeBatch('feedback.response.submitted', (msgs) => perTenant(msgs, (tenantId, list) => onFeedback(pool, tenantId, list, now())));
  bus.subscribe('feedback.invitation.created', async (msg) => {
    const p = msg.payload as { invitationId: string; surveyId: string; customerId: string; channel: string; url: string; trigger: string; expiresAt: string };
    if (!INVITATION_CHANNELS.includes(p.channel as Channel)) return;
    const s = await settings(msg.tenantId);
    const templateId = s.surveyTemplateId ?? (await ensureTemplate(pool, msg.tenantId, defaultInvitationTemplateId(msg.tenantId), DEFAULT_INVITATION_TEMPLATE)).id;
    await send(msg.tenantId, {
      id: derivedMessageId(`invitation|${msg.tenantId}|${p.invitationId}`), customerId: p.customerId, templateId, channel: p.channel as Channel,
      reason: `survey invitation (${p.trigger})`, variables: { survey_url: p.url, survey_expires_at: new Date(p.expiresAt), survey_id: p.surveyId },
    }).catch((err) => log.warn({ err: (err as Error).message, invitation: p.invitationId }, 'survey invitation not sent'));
  });
  // Journeys: any bus message may trigger or end one; outreach's own timeline items never do. Every
  // ingested event is a bus message, so which types a tenant's journeys start or end on is cached: a
  // message no journey names costs no query. Changes made on this node apply at once; on other nodes
  // within JOURNEY_TYPES_TTL_MS.
  const journeyTypes = createTenantCache<{ triggers: Set<string>; exits: Set<string> }>({
    ttlMs: JOURNEY_TYPES_TTL_MS,
    async load(tenantId) {
      const { rows } = await pool.query('SELECT trigger, exit_on, is_active FROM outreach_journeys WHERE tenant_id = $1', [tenantId]);
      const types = { triggers: new Set<string>(), exits: new Set<string>() };
      for (const r of rows) {
        if (r.is_active) types.triggers.add(r.trigger);
        for (const e of r.exit_on ?? []) types.exits.add(e);
      }
      return types;
    },
  });
  bus.subscribe('*', (msg) => {
    if (msg.type.startsWith('outreach.') || msg.type === 'customer.changed') return;
    const types = journeyTypes.peek(msg.tenantId);
    // The common case, a message no journey names, stays synchronous: no promise per ingested event.
    if (types && !types.exits.has(msg.type) && !types.triggers.has(msg.type)) return;
    return (async () => {
      const t = types ?? await journeyTypes.get(msg.tenantId);
      if (t.exits.has(msg.type)) await exitFromMessage(pool, msg);
      if (t.triggers.has(msg.type)) await enrollFromMessage(pool, msg, now());
    })();
  });

  async function resolveCustomer(tenantId: string, id: string): Promise<string> {
    const found = await customers.findCustomerId(tenantId, id);
    if (!found || found.status !== 'active') throw customerNotFound();
    return found.id;
  }

  async function send(tenantId: string, req: SendRequest, at: Date = now()): Promise<PlannedMessage> {
    const s = await settings(tenantId);
    if (!(await getTemplate(pool, tenantId, req.templateId))) throw templateNotFound();
    const customerId = await resolveCustomer(tenantId, req.customerId);
    const planned = await withTransaction(pool, (tx) => planMessage(tx, { customers, settings: s, now: at }, tenantId, { ...req, customerId }));
    // Due now (urgent, or inside the window): ask a worker to dispatch without waiting for the minute tick.
    if (planned.status === 'queued' && new Date(planned.scheduledAt).getTime() <= at.getTime()) {
      await jobs.send('outreach-dispatch', { tenantId }).catch((err) => log.warn({ err: (err as Error).message }, 'could not queue dispatch'));
    }
    return planned;
  }

  async function dispatch(tenantId?: string, at: Date = now()) {
    const tenants = tenantId ? [tenantId] : (await pool.query(`SELECT DISTINCT tenant_id FROM outreach_messages WHERE status = 'queued' AND scheduled_at <= $1`, [at])).rows.map((r) => r.tenant_id as string);
    const out: Record<string, number> = {};
    for (const t of tenants) for (const [k, v] of Object.entries(await dispatchDue(dispatchDeps, t, at))) out[k] = (out[k] ?? 0) + v;
    return out;
  }

  async function runJourneys(tenantId: string | null = null, at: Date = now()) {
    let planned = 0;
    for (;;) {
      const due = await claimDueEnrollments(pool, at, tenantId);
      if (!due.length) return planned;
      for (const e of due) {
        const step = e.steps[e.step];
        try {
          await send(e.tenantId, { customerId: e.customerId, templateId: step.template_id, reason: `journey: ${e.journeyName} (step ${e.step + 1} of ${e.steps.length})`, variables: e.variables, isUrgent: step.is_urgent, journeyId: e.journeyId, enrollmentId: e.id }, at);
          await advanceEnrollment(pool, e, at);
          planned++;
        } catch (err) {
          await advanceEnrollment(pool, e, at, (err as Error).message.slice(0, 200));
        }
      }
    }
  }

  function parseRules(raw: unknown) {
    const r = SegmentRule.safeParse(raw);
    if (!r.success) throw invalidSegment('The segment rules are not valid', r.error.issues.map((i) => ({ field: ['rules', ...i.path].join('.'), message: i.message })));
    return r.data;
  }
  async function countRules(tenantId: string, rules: unknown, at: Date = now()) {
    try { return await countSegment(pool, tenantId, parseRules(rules), at); } catch (err) {
      if (err instanceof SegmentError) throw invalidSegment(err.message, [{ field: err.field, message: err.message }]);
      throw err;
    }
  }

  const service = {
    settings,
    settingsAreas: [settingsArea({
      name: 'outreach', schema: SuppressionArea,
      read: async (tenantId) => ({ suppress_case_types: (await settings(tenantId)).suppressCaseTypes }),
      write: async (tenantId, v) => { await updateSettings(pool, tenantId, { suppress_case_types: v.suppress_case_types }, box); },
      onChange: (tenantId) => suppressTypes.forget(tenantId),
    })],
    async updateSettings(tenantId: string, input: SettingsInput) {
      if (input.statements && !(await getTemplate(pool, tenantId, input.statements.template_id))) {
        throw templateNotFound('No such template', [{ field: 'statements.template_id', message: 'no such template' }]);
      }
      if (input.survey_template_id && !(await getTemplate(pool, tenantId, input.survey_template_id))) {
        throw templateNotFound('No such template', [{ field: 'survey_template_id', message: 'no such template' }]);
      }
      const s = await updateSettings(pool, tenantId, input, box);
      suppressTypes.forget(tenantId);
      return s;
    },
    senders,

    createTemplate: (tenantId: string, input: TemplateInput) => createTemplate(pool, tenantId, input),
    updateTemplate: (tenantId: string, id: string, input: TemplateInput) => updateTemplate(pool, tenantId, id, input),
    getTemplate: (tenantId: string, id: string) => getTemplate(pool, tenantId, id),
    listTemplates: (tenantId: string) => listTemplates(pool, tenantId),

    /** Renders a template for one customer on every channel it has, and says which channel a send would take. */
    async previewTemplate(tenantId: string, templateId: string, customerRef: string, opts: { variables?: Record<string, unknown>; locale?: string } = {}) {
      const template = await getTemplate(pool, tenantId, templateId);
      if (!template) throw templateNotFound();
      const customerId = await resolveCustomer(tenantId, customerRef);
      const profile = (await customers.readContactProfiles(tenantId, [customerId])).get(customerId)!;
      const s = await settings(tenantId);
      const locale = chooseLocale(Object.keys(template.content), [opts.locale, profile.language, profile.locale], template.defaultLocale);
      const vars = flattenVariables({ customer: customerVariables(profile), loyalty: await loyaltyVariables(tenantId, customerId), ...(opts.variables ?? {}) });
      const tz = timeZoneOf(profile, s);
      const rendered: Partial<Record<Channel, RenderedContent>> = {};
      try {
        for (const ch of template.channels) rendered[ch] = renderChannel(template.content[locale], ch, locale, tz, vars);
      } catch (err) {
        if (err instanceof RenderError) throw renderFailed(err.message, [{ field: `variables.${err.variable}`, message: err.message }]);
        throw err;
      }
      const choice = chooseChannel(profile, template.purpose, template.channels);
      return { template_id: template.id, customer_id: customerId, locale, timezone: tz, channel: choice.channel, skipped: choice.skipped, rendered };
    },

    send,
    dispatch,
    recordDeliveryStatus: (tenantId: string, r: DeliveryReport) => recordDeliveryStatus({ pool, customers, events }, tenantId, r, now()),

    async getMessage(tenantId: string, id: string) {
      const { rows: [m] } = await pool.query('SELECT * FROM outreach_messages WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!m) return undefined;
      const { rows: history } = await pool.query('SELECT status, at, details FROM outreach_message_events WHERE tenant_id = $1 AND message_id = $2 ORDER BY at, id', [tenantId, id]);
      return { ...messageOut(m), history: history.map((h) => ({ status: h.status, at: iso(h.at)!, details: h.details })) };
    },
    async listMessages(tenantId: string, q: { customerId?: string; campaignId?: string; limit: number }) {
      const { rows } = await pool.query(
        `SELECT * FROM outreach_messages WHERE tenant_id = $1 AND ($2::text IS NULL OR customer_id = $2)
            AND ($3::text IS NULL OR (campaign_id = $3 AND id >= $5 AND id < $5 || '~'))
          ORDER BY created_at DESC, id DESC LIMIT $4`, [tenantId, q.customerId ?? null, q.campaignId ?? null, q.limit, q.campaignId ? campaignMessagePrefix(q.campaignId) : '']);
      return rows.map(messageOut);
    },

    readLink: (token: string) => readLink(pool, token),
    /** An open (no url) or a click on `url` from a tracked email; false when the token does not hold. */
    async recordTracked(token: string, url?: string) {
      const link = await readTrackingLink(pool, token, url);
      if (!link) return false;
      const r = await recordDeliveryStatus({ pool, customers, events }, link.t, {
        message_id: link.m, status: url === undefined ? 'opened' : 'clicked',
        // The first open, and the first click on each link, are recorded; repeats change nothing.
        event_id: url === undefined ? 'opened' : `clicked:${urlDigest(url)}`, ...(url === undefined ? {} : { details: { url: url.slice(0, 2000) } }),
      }, now());
      return !!r;
    },
    unsubscribeOneClick: (link: LinkPayload) => unsubscribeOneClick(customers, link),
    preferencePage: (link: LinkPayload, token: string, opts?: { isSaved?: boolean }) => preferencePage(customers, link, token, opts),
    savePreferences: (link: LinkPayload, form: URLSearchParams) => savePreferences(customers, link, form),

    async createSegment(tenantId: string, input: { name: string; rules: unknown }) {
      const rules = parseRules(input.rules);
      await countRules(tenantId, rules); // compiles, so a bad rule is refused now
      const id = newId('seg');
      await pool.query('INSERT INTO outreach_segments (tenant_id, id, name, rules) VALUES ($1,$2,$3,$4)', [tenantId, id, input.name, JSON.stringify(rules)]);
      return id;
    },
    async getSegment(tenantId: string, id: string) {
      const { rows: [r] } = await pool.query('SELECT id, name, rules, created_at FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      return r ? { id: r.id, name: r.name, rules: r.rules, created_at: iso(r.created_at)! } : undefined;
    },
    async listSegments(tenantId: string) {
      const { rows } = await pool.query('SELECT id, name, rules, created_at FROM outreach_segments WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1000', [tenantId]);
      return rows.map((r) => ({ id: r.id, name: r.name, rules: r.rules, created_at: iso(r.created_at)! }));
    },
    countRules,
    async countSegment(tenantId: string, id: string) {
      const { rows: [r] } = await pool.query('SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r) throw segmentNotFound();
      return countRules(tenantId, r.rules);
    },

    /**
     * The members of the tenant's saved segment `id` now, as a subquery builder for analytics (see
     * segmentMembersSql), or undefined when the tenant has no such segment.
     */
    async segmentMembers(tenantId: string, id: string): Promise<SegmentMembers | undefined> {
      const { rows: [r] } = await pool.query('SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r) return undefined;
      const rules = parseRules(r.rules);
      const at = now();
      // Compiled once here so a rule that cannot compile is refused as the segment's fault, not a 500 mid-measure.
      try { compileSegment(rules, at); } catch (err) {
        if (err instanceof SegmentError) throw invalidSegment(err.message, [{ field: err.field, message: err.message }]);
        throw err;
      }
      return (params) => segmentMembersSql(rules, at, params);
    },

    async createCampaign(tenantId: string, input: { name: string; segment_id: string; template_id: string }) {
      if (!(await getTemplate(pool, tenantId, input.template_id))) throw templateNotFound();
      const { rows } = await pool.query('SELECT 1 FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, input.segment_id]);
      if (!rows.length) throw segmentNotFound();
      const id = newId('cmp');
      await pool.query('INSERT INTO outreach_campaigns (tenant_id, id, name, segment_id, template_id) VALUES ($1,$2,$3,$4,$5)', [tenantId, id, input.name, input.segment_id, input.template_id]);
      return id;
    },
    /** A campaign with its messages counted by status now (the plan's figures are kept in stats). */
    async getCampaign(tenantId: string, id: string) {
      const { rows: [r] } = await pool.query('SELECT * FROM outreach_campaigns WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r) return undefined;
      const { rows: counts } = await pool.query(
        `SELECT status, count(*)::int AS n FROM outreach_messages WHERE tenant_id = $1 AND campaign_id = $2 AND id >= $3 AND id < $3 || '~' GROUP BY status`,
        [tenantId, id, campaignMessagePrefix(id)]);
      return { ...campaignOut(r), delivery: Object.fromEntries(counts.map((c) => [c.status as string, c.n as number])) as Record<string, number> };
    },
    async listCampaigns(tenantId: string) {
      const { rows } = await pool.query('SELECT * FROM outreach_campaigns WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT 1000', [tenantId]);
      return rows.map(campaignOut);
    },
    /** Plans every message of the campaign in set-based SQL; the dispatcher then sends them, throttled. */
    async planCampaign(tenantId: string, id: string, at: Date = now()) {
      const claimed = await pool.query(`UPDATE outreach_campaigns SET status = 'planning' WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING *`, [tenantId, id]);
      const c = claimed.rows[0];
      if (!c) {
        if (!(await pool.query('SELECT 1 FROM outreach_campaigns WHERE tenant_id = $1 AND id = $2', [tenantId, id])).rows.length) throw campaignNotFound();
        throw campaignNotDraft();
      }
      try {
        const [template, seg, s] = await Promise.all([getTemplate(pool, tenantId, c.template_id), pool.query('SELECT rules FROM outreach_segments WHERE tenant_id = $1 AND id = $2', [tenantId, c.segment_id]), settings(tenantId)]);
        const stats = await planCampaign(pool, tenantId, {
          campaignId: id, templateId: template!.id, purpose: template!.purpose, templateChannels: template!.channels,
          rules: parseRules(seg.rows[0].rules), reason: `campaign: ${c.name}`,
          // A campaign passes no variables of its own: a template that requires some cannot be filled for anyone.
          skipReason: ((m) => (m.length ? missingReason(m) : null))(missingVariables(template!.variables, {})),
        }, s, at);
        await pool.query(`UPDATE outreach_campaigns SET status = 'planned', planned_at = $3, stats = $4 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, at, JSON.stringify(stats)]);
        return { ...campaignOut({ ...c, status: 'planned', planned_at: at, stats }) };
      } catch (err) {
        await pool.query(`UPDATE outreach_campaigns SET status = 'draft' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
        throw err;
      }
    },

    async createJourney(tenantId: string, input: JourneyInput) {
      for (const [i, step] of input.steps.entries()) {
        if (!(await getTemplate(pool, tenantId, step.template_id))) throw templateNotFound('No such template', [{ field: `steps[${i}].template_id`, message: 'no such template' }]);
      }
      const id = newId('jrn');
      await pool.query('INSERT INTO outreach_journeys (tenant_id, id, name, trigger, steps, exit_on, is_active) VALUES ($1,$2,$3,$4,$5,$6,$7)',
        [tenantId, id, input.name, input.trigger, JSON.stringify(input.steps), input.exit_on, input.is_active]);
      journeyTypes.forget(tenantId);
      return id;
    },
    async getJourney(tenantId: string, id: string) {
      const { rows: [r] } = await pool.query(
        `SELECT j.*, (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*) n FROM outreach_enrollments WHERE tenant_id = j.tenant_id AND journey_id = j.id GROUP BY status) s) AS enrollments
           FROM outreach_journeys j WHERE j.tenant_id = $1 AND j.id = $2`, [tenantId, id]);
      return r ? journeyOut(r) : undefined;
    },
    async listJourneys(tenantId: string) {
      const { rows } = await pool.query('SELECT *, NULL AS enrollments FROM outreach_journeys WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 1000', [tenantId]);
      return rows.map(journeyOut);
    },
    async setJourneyActive(tenantId: string, id: string, isActive: boolean) {
      const r = await pool.query('UPDATE outreach_journeys SET is_active = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, isActive]);
      journeyTypes.forget(tenantId);
      return r.rowCount === 1;
    },
    runJourneys,

    /**
     * Plans each member's loyalty statement for [from, to) through the statement template. A member
     * gets one statement per template and period however often this runs (the message id is derived
     * from them), so a retried or overlapping run plans nothing twice.
     */
    async sendLoyaltyStatements(tenantId: string, templateId: string, period: { from: Date; to: Date }, at: Date = now()) {
      const out = { planned: 0, already: 0, failed: 0 };
      if (!(await getTemplate(pool, tenantId, templateId))) throw templateNotFound();
      const days = `${period.from.toISOString().slice(0, 10)}..${period.to.toISOString().slice(0, 10)}`;
      for await (const s of loyaltyStatements(tenantId, period)) {
        const id = derivedMessageId(`statement|${tenantId}|${templateId}|${s.customer_id}|${s.from}|${s.to}`);
        try {
          const m = await send(tenantId, { id, customerId: s.customer_id, templateId, reason: `loyalty statement ${days}`, variables: { statement: s } }, at);
          if (m.isReplay) out.already++; else out.planned++;
        } catch (err) {
          out.failed++;
          log.warn({ err: (err as Error).message, customer: s.customer_id }, 'statement not planned');
        }
      }
      return out;
    },

    async queueStatements(tenantId: string, templateId: string, period: { from: Date; to: Date }) {
      if (!(await getTemplate(pool, tenantId, templateId))) throw templateNotFound('No such template', [{ field: 'template_id', message: 'no such template' }]);
      await jobs.send('outreach-statements', { tenantId, templateId, from: period.from.toISOString(), to: period.to.toISOString() });
    },

    /** Post-ready statements: one A4 page per member, `limit` members per file from the `after` cursor. */
    async statementsPdf(tenantId: string, period: { from: Date; to: Date }, opts: { customerIds?: string[]; after?: string; limit: number }) {
      const statements: StatementPage[] = [];
      for await (const s of loyaltyStatements(tenantId, period, { customerIds: opts.customerIds, after: opts.after })) {
        statements.push(s);
        if (statements.length >= opts.limit) break;
      }
      const [s, profiles, company] = await Promise.all([
        settings(tenantId), customers.readContactProfiles(tenantId, statements.map((x) => x.customer_id)), getTenantName(pool, tenantId),
      ]);
      const doc = renderStatementsPdf(statements, profiles, { company: company ?? '', defaultLocale: s.defaultLocale, timeZone: s.defaultTimezone });
      return { ...doc, next: statements.length >= opts.limit ? statements[statements.length - 1].customer_id : null };
    },

    /** The periodic run: on the first day of a period, every tenant with a statement schedule (or the one named) gets last period's statements. */
    async runScheduledStatements(at: Date = now(), tenantId?: string) {
      const { rows } = await pool.query(`SELECT tenant_id, statements FROM outreach_settings WHERE statements IS NOT NULL AND ($1::text IS NULL OR tenant_id = $1)`, [tenantId ?? null]);
      let planned = 0;
      for (const r of rows) {
        const period = statementPeriodEnding(at, r.statements.every);
        if (!period) continue;
        planned += (await service.sendLoyaltyStatements(r.tenant_id, r.statements.template_id, period, at).catch((err) => {
          log.warn({ err: (err as Error).message, tenant: r.tenant_id }, 'scheduled statements failed');
          return { planned: 0 };
        })).planned;
      }
      return planned;
    },

    async startJobs() {
      await jobs.define<{ tenantId?: string }>('outreach-dispatch', async (data) => { await dispatch(data.tenantId); }, { cron: '* * * * *' });
      await jobs.define('outreach-journeys', async () => { await runJourneys(); }, { cron: '* * * * *' });
      await jobs.define<{ tenantId: string; templateId: string; from: string; to: string }>('outreach-statements', async (d) => {
        const r = await service.sendLoyaltyStatements(d.tenantId, d.templateId, { from: new Date(d.from), to: new Date(d.to) });
        log.info({ tenant: d.tenantId, ...r }, 'loyalty statements planned');
      });
      await jobs.define('outreach-statements-schedule', async () => { await service.runScheduledStatements(); }, { cron: '0 2 1 * *' });
    },
  };
  return service;
}

function messageOut(m: Record<string, unknown>) {
  return {
    id: m.id as string, customer_id: m.customer_id as string, template_id: m.template_id as string, purpose: m.purpose as string,
    channel: (m.channel as string | null) ?? null, status: m.status as string, reason: m.reason as string, status_reason: (m.status_reason as string | null) ?? null,
    is_urgent: m.is_urgent as boolean, campaign_id: (m.campaign_id as string | null) ?? null, journey_id: (m.journey_id as string | null) ?? null,
    scheduled_at: iso(m.scheduled_at)!, attempts: m.attempts as number, provider_message_id: (m.provider_message_id as string | null) ?? null,
    sent_at: iso(m.sent_at), delivered_at: iso(m.delivered_at), opened_at: iso(m.opened_at), clicked_at: iso(m.clicked_at), created_at: iso(m.created_at)!,
  };
}
function campaignOut(c: Record<string, unknown>) {
  return { id: c.id as string, name: c.name as string, segment_id: c.segment_id as string, template_id: c.template_id as string, status: c.status as string, planned_at: iso(c.planned_at), stats: c.stats as Record<string, unknown>, created_at: iso(c.created_at)! };
}
function journeyOut(j: Record<string, unknown>) {
  return { id: j.id as string, name: j.name as string, trigger: j.trigger as string, steps: j.steps as unknown[], exit_on: j.exit_on as string[], is_active: j.is_active as boolean, enrollments: (j.enrollments as Record<string, number> | null) ?? {}, created_at: iso(j.created_at)! };
}

export type OutreachService = ReturnType<typeof createOutreachService>;
