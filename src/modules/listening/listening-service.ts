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

export interface SourceInput {
  kind: 'rss' | 'webhook' | 'import';
  name: string;
  url?: string;
  poll_minutes?: number;
}

function sourceView(r: Record<string, any>) {
  return {
    id: r.id,
    kind: r.kind,
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
    const { rows } = await pool.query('SELECT * FROM listening_sources WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    if (!rows[0]) throw sourceNotFound();
    return rows[0];
  }

  const service = {
    /** A person's correction of a mention's topics (console); the text module learns from it. */
    correctTopics: (tenantId: string, id: string, c: { add: string[]; remove: string[] }, by: string | null) =>
      correctMentionTopics(pool, ctx.bus, tenantId, id, c, by),
    async createSource(tenantId: string, input: SourceInput) {
      const id = newId('src');
      // A connector webhook gets its own signing secret, shown once.
      const secret = input.kind === 'webhook' ? newWebhookSecret() : undefined;
      const { rows } = await pool.query(
        'INSERT INTO listening_sources (tenant_id, id, kind, name, url, poll_minutes, secret_enc) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *',
        [tenantId, id, input.kind, input.name, input.url ?? null, input.kind === 'rss' ? (input.poll_minutes ?? 15) : null, secret ? box.seal(secret) : null],
      );
      return { ...sourceView(rows[0]), ...(secret ? { secret } : {}) };
    },
    async listSources(tenantId: string) {
      const { rows } = await pool.query('SELECT * FROM listening_sources WHERE tenant_id = $1 ORDER BY id', [tenantId]);
      return rows.map(sourceView);
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
      const { rows } = await pool.query("SELECT tenant_id, id, name, secret_enc FROM listening_sources WHERE id = $1 AND kind = 'webhook'", [sourceId]);
      const src = rows[0];
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
      const r = await pool.query(
        'INSERT INTO listening_watch_terms (tenant_id, id, angle, term, aliases) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING id, angle, term, aliases, created_at',
        [tenantId, id, input.angle, input.term.trim(), JSON.stringify(input.aliases ?? [])],
      );
      if (!r.rowCount) throw watchTermExists();
      tenants.invalidate(tenantId);
      const row = r.rows[0];
      return { id: row.id, angle: row.angle, term: row.term, aliases: row.aliases, created_at: row.created_at.toISOString() };
    },
    async listWatchTerms(tenantId: string) {
      const { rows } = await pool.query('SELECT id, angle, term, aliases, created_at FROM listening_watch_terms WHERE tenant_id = $1 ORDER BY angle, term', [
        tenantId,
      ]);
      return rows.map((r) => ({ id: r.id, angle: r.angle, term: r.term, aliases: r.aliases, created_at: r.created_at.toISOString() }));
    },
    async deleteWatchTerm(tenantId: string, id: string) {
      const r = await pool.query('DELETE FROM listening_watch_terms WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (!r.rowCount) throw watchTermNotFound();
      tenants.invalidate(tenantId);
    },

    async getSettings(tenantId: string) {
      const s = (await pool.query('SELECT * FROM listening_settings WHERE tenant_id = $1', [tenantId])).rows[0];
      return {
        alert_webhook_url: s?.alert_webhook_url ?? null,
        has_alert_webhook_secret: !!s?.alert_webhook_secret_enc,
        alert_email: s?.alert_email ?? null,
        min_volume: s?.min_volume ?? 20,
        user_words: s?.user_words ?? [],
        topics: s?.topics ?? [],
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
      const existing = (await pool.query('SELECT alert_webhook_secret_enc FROM listening_settings WHERE tenant_id = $1', [tenantId])).rows[0]
        ?.alert_webhook_secret_enc as string | undefined;
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
    async listAlerts(tenantId: string, limit = 50) {
      const { rows } = await pool.query('SELECT * FROM listening_alerts WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2', [tenantId, limit]);
      return rows.map((r) => ({
        id: r.id,
        scope: { kind: r.scope_kind, key: r.scope_key },
        started_at: r.started_at.toISOString(),
        last_hour_at: r.last_hour_at.toISOString(),
        ended_at: r.ended_at?.toISOString() ?? null,
        volume: r.volume,
        baseline: r.baseline,
        negative_share: r.negative_share,
        baseline_negative_share: r.baseline_negative_share,
        p_value: r.p_value,
        top_terms: r.top_terms,
        examples: r.examples,
        delivery: r.delivery,
      }));
    },
    /** The module's clock, for the routes' default periods. */
    clock: ctx.clock,
    shareOfVoice: (tenantId: string, from: Date, to: Date) => shareOfVoice(pool, tenantId, from, to),
    sentimentTrend: (tenantId: string, from: Date, to: Date, bucket: 'day' | 'week') => sentimentTrend(pool, tenantId, from, to, bucket),

    async startJobs() {
      // Every few minutes: RSS sources whose poll interval has passed. Hourly: crisis checks.
      await ctx.jobs.define(
        'listening-poll-sources',
        async () => {
          const { rows } = await pool.query(
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
          const { rows } = await pool.query(`SELECT DISTINCT tenant_id FROM listening_mentions WHERE published_at > $1::timestamptz - interval '2 hours'`, [
            ctx.clock.now(),
          ]);
          for (const r of rows) await service.checkCrisis(r.tenant_id).catch((err) => ctx.log.error({ err: (err as Error).message }, 'crisis check failed'));
        },
        { cron: '2 * * * *' },
      );
    },
  };

  // Merges move mentions to the survivor; erasure removes the author's personal data and text.
  ctx.customers.onMerge(async (tx, tenantId, survivorId, mergedId) => {
    await tx.query('UPDATE listening_mentions SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2', [tenantId, mergedId, survivorId]);
  });
  ctx.customers.onErase(async (tx, tenantId, ids) => {
    const { rows } = await tx.query(
      `UPDATE listening_mentions SET customer_id = NULL, author = NULL, author_handle = NULL, text = '[erased]', url = NULL, media = NULL
                     WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) RETURNING id`,
      [tenantId, ids],
    );
    // Crisis alerts quote a few mentions (text and link) as examples: the customer's leave them.
    if (rows.length) {
      await tx.query(
        `UPDATE listening_alerts a SET examples = coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(a.examples) e WHERE NOT (e->>'id' = ANY($2::text[]))), '[]'::jsonb)
          WHERE a.tenant_id = $1 AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.examples) e WHERE e->>'id' = ANY($2::text[]))`,
        [tenantId, rows.map((r) => r.id as string)],
      );
    }
  });
  ctx.customers.addExportSection('mentions', async (tenantId, ids) => {
    const { rows } = await pool.query(
      'SELECT id, channel, url, author, author_handle, text, published_at, sentiment, angles FROM listening_mentions WHERE tenant_id = $1 AND customer_id = ANY($2::text[]) ORDER BY published_at',
      [tenantId, ids],
    );
    return rows;
  });
  void randomToken;
  return service;
}

export type ListeningService = ReturnType<typeof createListeningService>;
