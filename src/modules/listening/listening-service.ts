// The listening service: sources, watch-list, mentions, crisis checks and the console's figures.
import type { ModuleContext } from '../../platform/context.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { createTenantListeningCache } from './load-tenant-listening.js';
import { ingestMentions, type MentionInput } from './ingest-mentions.js';
import { checkCrisis } from './check-crisis.js';
import { ALERT_KIND, createAlertHandler } from './deliver-alert.js';
import { FeedError, fetchFeedMentions } from './poll-rss.js';
import { createTextBox, loadSecretKey } from '../../platform/secret-box.js';
import { newWebhookSecret, verifyWebhook } from '../../platform/sign-webhook.js';
import { EgressError } from '../../platform/egress.js';
import { feedUnreachable, sourceNotAllowed, sourceNotFound, sourceNotPollable, watchTermExists, watchTermNotFound } from './errors.js';
import type { Angle } from './watch-list.js';
import { shareOfVoice, sentimentTrend } from './report-mentions.js';
import { correctMentionTopics } from './correct-mention-topics.js';
import type { TenantTopicModel } from '../text/index.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { listeningSettings, listeningSources, mentions, watchTerms } from './schema.js';
import { listAlerts } from './read-alerts.js';
import { subscribeListening } from './subscriptions.js';

const Source = rowOf(listeningSources, '*');
const Term = rowOf(watchTerms, ['id', 'angle', 'term', 'aliases', 'created_at']);

export interface SourceInput {
  kind: 'rss' | 'webhook' | 'import';
  name: string;
  url?: string;
  poll_minutes?: number;
}

function sourceView(r: typeof Source.row) {
  return {
    id: r.id,
    // The table's check (listening_sources_kind) holds it to these.
    kind: r.kind as SourceInput['kind'],
    name: r.name,
    url: r.url,
    poll_minutes: r.poll_minutes,
    last_polled_at: r.last_polled_at?.toISOString() ?? null,
    last_error: r.last_error,
    created_at: r.created_at.toISOString(),
  };
}

export function createListeningService(
  ctx: ModuleContext & { customers: CustomersService; events: EventsService; topicModelOf?: (tenantId: string) => Promise<TenantTopicModel | undefined> },
) {
  const pool = ctx.db.pool;
  const tenants = createTenantListeningCache(pool, ctx.topicModelOf);
  const box = createTextBox(loadSecretKey(ctx.config.secretKey, ctx.config.dataDir));
  const deps = { db: ctx.db, bus: ctx.bus, customers: ctx.customers, events: ctx.events };
  ctx.outbox.register(ALERT_KIND, createAlertHandler({ pool, egress: ctx.egress, clock: ctx.clock, openSecret: box.open, log: ctx.log }));

  async function getSourceRow(tenantId: string, id: string) {
    const src = await queryRow(pool, Source, 'SELECT * FROM listening_sources WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    if (!src) throw sourceNotFound();
    return src;
  }

  const service = {
    /** A person's correction of a mention's topics (console); the text module learns from it. */
    correctTopics: (tenantId: string, id: string, c: { add: string[]; remove: string[] }, by: string | null) =>
      correctMentionTopics(pool, ctx.bus, tenantId, id, c, by),
    async createSource(tenantId: string, input: SourceInput) {
      const id = newId('src');
      // A connector webhook gets its own signing secret, shown once.
      const secret = input.kind === 'webhook' ? newWebhookSecret() : undefined;
      const [row] = await queryRows(
        pool,
        Source,
        'INSERT INTO listening_sources (tenant_id, id, kind, name, url, poll_minutes, secret_enc) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *',
        [tenantId, id, input.kind, input.name, input.url ?? null, input.kind === 'rss' ? (input.poll_minutes ?? 15) : null, secret ? box.seal(secret) : null],
      );
      return { ...sourceView(row), ...(secret ? { secret } : {}) };
    },
    async listSources(tenantId: string) {
      return (await queryRows(pool, Source, 'SELECT * FROM listening_sources WHERE tenant_id = $1 ORDER BY id', [tenantId])).map(sourceView);
    },
    async getSource(tenantId: string, id: string) {
      return sourceView(await getSourceRow(tenantId, id));
    },
    async deleteSource(tenantId: string, id: string) {
      const r = await pool.query('DELETE FROM listening_sources WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r.rowCount) throw sourceNotFound();
    },
    async pollSource(tenantId: string, id: string, xml?: string) {
      const src = await getSourceRow(tenantId, id);
      if (src.kind !== 'rss' || !src.url) throw sourceNotPollable();
      let items: MentionInput[];
      try {
        items = await fetchFeedMentions(ctx.egress, src.url, ctx.clock.now(), xml);
      } catch (err) {
        if (!(err instanceof EgressError || err instanceof FeedError)) throw err;
        // Both say why in our words only, never the address a name resolved to nor what answered.
        await pool.query('UPDATE listening_sources SET last_polled_at = $4, last_error = $3 WHERE tenant_id = $1 AND id = $2', [
          tenantId,
          id,
          err.message,
          ctx.clock.now(),
        ]);
        throw err instanceof EgressError ? sourceNotAllowed(err.message) : feedUnreachable(err.message);
      }
      try {
        const polledAt = ctx.clock.now();
        const r = await service.ingest(tenantId, items, { id, name: src.name });
        await pool.query('UPDATE listening_sources SET last_polled_at = $3, last_error = NULL WHERE tenant_id = $1 AND id = $2', [tenantId, id, polledAt]);
        return r;
      } catch (err) {
        await pool.query('UPDATE listening_sources SET last_polled_at = $4, last_error = $3 WHERE tenant_id = $1 AND id = $2', [
          tenantId,
          id,
          (err as Error).message.slice(0, 500),
          ctx.clock.now(),
        ]);
        throw err;
      }
    },
    /** Verifies a connector's Standard Webhooks signature before anything is stored. */
    async receiveWebhook(sourceId: string, headers: Record<string, string | string[] | undefined>, rawBody: string) {
      // The source id is the tenant's entry point here, as an API key is elsewhere: looked up alone.
      const src = await queryRow(
        pool,
        rowOf(listeningSources, ['tenant_id', 'id', 'name', 'secret_enc']),
        "SELECT tenant_id, id, name, secret_enc FROM listening_sources WHERE id = $1 AND kind = 'webhook'",
        [sourceId],
      );
      if (!src?.secret_enc) return { ok: false as const };
      if (!verifyWebhook(box.open(src.secret_enc), headers, rawBody, ctx.clock.now()).ok) return { ok: false as const };
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const items =
        body && typeof body === 'object' && Array.isArray((body as { mentions?: unknown }).mentions) ? (body as { mentions: unknown[] }).mentions : [body];
      return { ok: true as const, result: await service.ingest(src.tenant_id, items, { id: src.id, name: src.name }) };
    },
    async ingest(tenantId: string, items: unknown[], source: { id?: string; name: string }) {
      return ingestMentions(deps, tenantId, await tenants.get(tenantId), items, source);
    },
    async importMentions(tenantId: string, items: MentionInput[] | unknown[]) {
      return service.ingest(tenantId, items, { name: 'import' });
    },

    async addWatchTerm(tenantId: string, input: { angle: Angle; term: string; aliases?: string[] }) {
      const id = newId('wt');
      const row = await queryRow(
        pool,
        Term,
        'INSERT INTO listening_watch_terms (tenant_id, id, angle, term, aliases) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING id, angle, term, aliases, created_at',
        [tenantId, id, input.angle, input.term.trim(), JSON.stringify(input.aliases ?? [])],
      );
      if (!row) throw watchTermExists();
      tenants.invalidate(tenantId);
      return { id: row.id, angle: row.angle, term: row.term, aliases: row.aliases, created_at: row.created_at.toISOString() };
    },
    async listWatchTerms(tenantId: string) {
      const rows = await queryRows(
        pool,
        Term,
        'SELECT id, angle, term, aliases, created_at FROM listening_watch_terms WHERE tenant_id = $1 ORDER BY angle, term',
        [tenantId],
      );
      return rows.map((r) => ({ id: r.id, angle: r.angle, term: r.term, aliases: r.aliases, created_at: r.created_at.toISOString() }));
    },
    async deleteWatchTerm(tenantId: string, id: string) {
      const r = await pool.query('DELETE FROM listening_watch_terms WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r.rowCount) throw watchTermNotFound();
      tenants.invalidate(tenantId);
    },

    async getSettings(tenantId: string) {
      const s = await queryRow(pool, rowOf(listeningSettings, '*'), 'SELECT * FROM listening_settings WHERE tenant_id = $1', [tenantId]);
      return {
        alert_webhook_url: s?.alert_webhook_url ?? null,
        has_alert_webhook_secret: !!s?.alert_webhook_secret_enc,
        alert_email: s?.alert_email ?? null,
        min_volume: s?.min_volume ?? 20,
        user_words: s?.user_words ?? [],
        // The topic definitions the settings route validated when it stored them.
        topics: (s?.topics ?? []) as unknown[],
      };
    },
    async updateSettings(
      tenantId: string,
      p: {
        alert_webhook_url?: string | null;
        alert_email?: string | null;
        min_volume?: number;
        user_words?: string[];
        topics?: unknown[];
        rotate_webhook_secret?: boolean;
      },
    ) {
      const cur = await service.getSettings(tenantId);
      const existing = (
        await queryRow(
          pool,
          rowOf(listeningSettings, ['alert_webhook_secret_enc']),
          'SELECT alert_webhook_secret_enc FROM listening_settings WHERE tenant_id = $1',
          [tenantId],
        )
      )?.alert_webhook_secret_enc;
      // A webhook URL needs a secret: one is made when the first URL is set, or on request.
      const url = p.alert_webhook_url === undefined ? cur.alert_webhook_url : p.alert_webhook_url;
      const newSecret = url && (!existing || p.rotate_webhook_secret) ? newWebhookSecret() : undefined;
      await pool.query(
        `INSERT INTO listening_settings (tenant_id, alert_webhook_url, alert_webhook_secret_enc, alert_email, min_volume, user_words, topics, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7, now())
         ON CONFLICT (tenant_id) DO UPDATE SET alert_webhook_url = $2, alert_webhook_secret_enc = $3, alert_email = $4, min_volume = $5, user_words = $6, topics = $7, updated_at = now()`,
        [
          tenantId,
          url,
          newSecret ? box.seal(newSecret) : (existing ?? null),
          p.alert_email === undefined ? cur.alert_email : p.alert_email,
          p.min_volume ?? cur.min_volume,
          JSON.stringify(p.user_words ?? cur.user_words),
          JSON.stringify(p.topics ?? cur.topics),
        ],
      );
      tenants.invalidate(tenantId);
      return { ...(await service.getSettings(tenantId)), ...(newSecret ? { alert_webhook_secret: newSecret } : {}) };
    },

    checkCrisis: (tenantId: string, opts: Partial<Parameters<typeof checkCrisis>[2]> = {}) =>
      checkCrisis(pool, tenantId, { now: ctx.clock.now(), log: ctx.log, mailer: ctx.mailer, outbox: ctx.outbox, ...opts }),
    listAlerts: (tenantId: string, limit = 50) => listAlerts(pool, tenantId, limit),
    /** The module's clock, for the routes' default periods. */
    clock: ctx.clock,
    shareOfVoice: (tenantId: string, from: Date, to: Date) => shareOfVoice(pool, tenantId, from, to),
    sentimentTrend: (tenantId: string, from: Date, to: Date, bucket: 'day' | 'week') => sentimentTrend(pool, tenantId, from, to, bucket),

    async startJobs() {
      // Every few minutes: RSS sources whose poll interval has passed. Hourly: crisis checks.
      await ctx.jobs.define(
        'listening-poll-sources',
        async () => {
          const rows = await queryRows(
            pool,
            rowOf(listeningSources, ['tenant_id', 'id']),
            `SELECT tenant_id, id FROM listening_sources WHERE kind = 'rss' AND url IS NOT NULL
             AND (last_polled_at IS NULL OR last_polled_at < $1::timestamptz - make_interval(mins => poll_minutes)) LIMIT 100`,
            [ctx.clock.now()],
          );
          for (const r of rows)
            await service.pollSource(r.tenant_id, r.id).catch((err) => ctx.log.warn({ err: (err as Error).message, source: r.id }, 'feed poll failed'));
        },
        { cron: '*/5 * * * *' },
      );
      await ctx.jobs.define(
        'listening-check-crisis',
        async () => {
          const rows = await queryRows(
            pool,
            rowOf(mentions, ['tenant_id']),
            `SELECT DISTINCT tenant_id FROM listening_mentions WHERE published_at > $1::timestamptz - interval '2 hours'`,
            [ctx.clock.now()],
          );
          for (const r of rows) await service.checkCrisis(r.tenant_id).catch((err) => ctx.log.error({ err: (err as Error).message }, 'crisis check failed'));
        },
        { cron: '2 * * * *' },
      );
    },
  };

  subscribeListening(pool, ctx.customers);
  void randomToken;
  return service;
}

export type ListeningService = ReturnType<typeof createListeningService>;
