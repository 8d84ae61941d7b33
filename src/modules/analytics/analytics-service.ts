// The analytics service: the refresh (on demand and by pg-boss, per tenant), the measures read from the
// roll-ups with their freshness (measures.ts lists them), the settings, and the weekly digest through an
// injected mail sender.
import type { ModuleContext } from '../../platform/context.js';
import { withTransaction, type Queryable } from '../../platform/db.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { tenants } from '../../platform/schema.js';
import { getTenantName } from '../../platform/tenancy.js';
import type { LoyaltyService } from '../loyalty/index.js';
import { refreshRollups, type CurrencyRates, type ModelReport, type Snapshot } from './refresh-rollups.js';
import { vacuumRollups } from './rollup-tables.js';
import { isRfmSegment, unknownSegment, type MeasureQuery, type MembersSql } from './filters.js';
import type { Measured, RefreshState } from './measured.js';
import { readSettings, saveSettings, type AnalyticsSettings } from './settings.js';
import { composeDigest, type SendMail } from './send-digest.js';
import { MEASURES } from './measures.js';
import { CHURN_MODEL_VERSION } from './churn-model.js';
import { readCustomerChurnRisk } from './read-customer-churn-risk.js';
import { analyticsRefreshes, analyticsSettings } from './schema.js';

const LastRefresh = rowOf(analyticsRefreshes, ['refreshed_at', 'as_of', 'mode', 'full_at', 'model', 'snapshot']);
const Previous = rowOf(analyticsRefreshes, ['as_of', 'full_at', 'watermarks', 'model']);
const Written = rowOf(analyticsRefreshes, ['refreshed_at', 'full_at']);

/** A full rebuild at least this often: it retrains the churn model, rescores everyone and regroups old periods by current dims. */
export const FULL_EVERY_MS = 24 * 3_600_000;

/**
 * One refresh of a tenant at a time, across every node: a second waits for the first to commit. Other
 * tenants' refreshes run beside it.
 */
export async function lockTenantRefresh(tx: Queryable, tenantId: string) {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('analytics-refresh:' || $1))`, [tenantId]);
}

/**
 * The watermark of a tenant's last refresh, kept once as { "all": ... }: one serves every source table
 * (see refresh-rollups.ts). Rows written by earlier versions hold a copy per source table, all equal.
 */
function lastWatermark(watermarks: Record<string, string> | null | undefined): Date | null {
  const w = watermarks?.all ?? watermarks?.customer_events;
  return w ? new Date(w) : null;
}

/** A saved segment's members by its id, from the outreach door (src/app.ts); undefined when the tenant has no such segment. */
export type SegmentMembersOf = (tenantId: string, id: string) => Promise<MembersSql | undefined>;

export function createAnalyticsService(
  ctx: ModuleContext & { loyalty: Pick<LoyaltyService, 'liability' | 'currencyRates'> },
  deps: { send?: SendMail; segmentMembers?: SegmentMembersOf } = {},
) {
  const { db, log, loyalty } = ctx;
  const pool = db.pool;
  // The platform mailer (RAPPORT_SMTP_URL) unless the composition root gives another sender.
  let send: SendMail | undefined =
    deps.send ??
    (ctx.mailer.hasPlatformRelay
      ? async (m) => {
          await ctx.mailer.send({ to: m.to, subject: m.subject, text: m.text, headers: { 'X-Rapport-Digest': 'analytics-weekly' } });
        }
      : undefined);
  // The backends of the refreshes in progress (several tenants side by side, and a tenant's later ones
  // waiting for its lock), so a shutdown can cancel them all instead of waiting minutes.
  const refreshPids = new Set<number>();
  let isStopped = false;

  async function state(tenantId: string, from: Queryable = pool): Promise<RefreshState> {
    const r = await queryRow(from, LastRefresh, 'SELECT refreshed_at, as_of, mode, full_at, model, snapshot FROM analytics_refreshes WHERE tenant_id = $1', [
      tenantId,
    ]);
    // model and snapshot are the JSON objects refresh() writes.
    return r
      ? {
          refreshedAt: r.refreshed_at,
          asOf: r.as_of,
          mode: r.mode,
          fullAt: r.full_at,
          model: r.model as Record<string, unknown>,
          snapshot: r.snapshot as Record<string, unknown>,
        }
      : { refreshedAt: null, asOf: ctx.clock.now(), mode: null, fullAt: null, model: null, snapshot: null };
  }

  /**
   * Rebuilds the tenant's roll-ups as of `asOf`. mode 'incremental' refreshes only what changed since the
   * last refresh; it falls back to a full rebuild when there is no full rebuild to build on (first refresh,
   * roll-ups from an older version), when time went backwards, or when the last full rebuild is older
   * than FULL_EVERY_MS ('auto' is incremental under those same conditions).
   */
  async function refresh(tenantId: string, asOf = ctx.clock.now(), opts: { mode?: 'full' | 'incremental' | 'auto' } = {}) {
    const started = process.hrtime.bigint();
    const settings = await readSettings(pool, tenantId);
    // Read through the loyalty door before the transaction: the embedded database must not see the pool
    // used while a transaction is open on one of its clients.
    let liability: Snapshot['liability'] = null;
    try {
      liability = (await loyalty.liability(tenantId)) as Snapshot['liability'];
    } catch (err) {
      log.warn({ err: (err as Error).message, tenantId }, 'analytics refresh: loyalty liability unavailable');
    }
    // Revenue is summed in loyalty's base currency at the tenant's rates (GET/PATCH /v1/settings/loyalty).
    const currency: CurrencyRates = await loyalty.currencyRates(tenantId);
    if (isStopped) throw new Error('analytics is shutting down');
    const out = await withTransaction(pool, async (tx) => {
      const pid = (tx as unknown as { processID?: number }).processID;
      if (pid) refreshPids.add(pid);
      try {
        // A stop that came while this refresh waited for its connection finds no pid to cancel.
        if (isStopped) throw new Error('analytics is shutting down');
        await lockTenantRefresh(tx, tenantId);
        // Read under the lock, so a refresh that waited for another builds on what that one wrote (its
        // watermark, its full rebuild, the model it trained) rather than on what was there before it.
        const prev = await queryRow(tx, Previous, 'SELECT as_of, full_at, watermarks, model FROM analytics_refreshes WHERE tenant_id = $1', [tenantId]);
        // watermarks and model are the JSON objects refresh() writes.
        const watermark = lastWatermark(prev?.watermarks as Record<string, string> | undefined);
        const prevModel = prev?.model as ModelReport | undefined;
        // A churn model of another version cannot score today's features: a full rebuild retrains it.
        const canIncrement =
          !!prev?.full_at &&
          !!watermark &&
          asOf.getTime() >= prev.as_of.getTime() &&
          prevModel?.version === CHURN_MODEL_VERSION &&
          (opts.mode === 'incremental' || ctx.clock.now().getTime() - prev.full_at.getTime() < FULL_EVERY_MS);
        const isIncremental = opts.mode !== 'full' && canIncrement;
        const since = isIncremental ? { watermark: watermark!, asOf: prev!.as_of, model: prevModel! } : undefined;
        const r = await refreshRollups(tx, { tenantId, asOf, timezone: settings.timezone, liability, currency, since });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const [row] = await queryRows(
          tx,
          Written,
          `INSERT INTO analytics_refreshes (tenant_id, refreshed_at, as_of, seconds, mode, full_at, full_seconds, watermarks, model, snapshot)
           VALUES ($1, $8, $2, $3, $4, CASE WHEN $4 = 'full' THEN $8::timestamptz END, CASE WHEN $4 = 'full' THEN $3::float8 END, $5, $6, $7)
           ON CONFLICT (tenant_id) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at, as_of = EXCLUDED.as_of, seconds = EXCLUDED.seconds, mode = EXCLUDED.mode,
             full_at = coalesce(EXCLUDED.full_at, analytics_refreshes.full_at), full_seconds = coalesce(EXCLUDED.full_seconds, analytics_refreshes.full_seconds),
             watermarks = EXCLUDED.watermarks, model = EXCLUDED.model, snapshot = EXCLUDED.snapshot
           RETURNING refreshed_at, full_at`,
          [
            tenantId,
            asOf,
            seconds,
            r.mode,
            JSON.stringify({ all: r.watermark.toISOString() }),
            JSON.stringify(r.model),
            JSON.stringify(r.snapshot),
            ctx.clock.now(),
          ],
        );
        return {
          refreshed_at: row.refreshed_at.toISOString(),
          as_of: asOf.toISOString(),
          mode: r.mode,
          full_at: (row.full_at as Date).toISOString(),
          seconds: Math.round(seconds * 1000) / 1000,
          changed: r.changed,
          model: r.model as unknown as Record<string, unknown> & { status: string },
          step_ms: r.timings,
        };
      } finally {
        // Never leave a pid behind: the connection goes back to the pool and serves other queries.
        if (pid) refreshPids.delete(pid);
      }
    });
    if (out.mode === 'full') {
      const v0 = performance.now();
      await vacuumRollups(pool).catch((err) => log.warn({ err: (err as Error).message, tenantId }, 'analytics roll-ups not vacuumed after the rebuild'));
      out.step_ms = { ...out.step_ms, vacuum: Math.round(performance.now() - v0) };
      out.seconds = Math.round((Number(process.hrtime.bigint() - started) / 1e9) * 1000) / 1000;
    }
    log.info({ tenantId, mode: out.mode, seconds: out.seconds, changed: out.changed, steps: out.step_ms }, 'analytics roll-ups refreshed');
    return out;
  }

  /** The members of a saved segment named by `segment`; none for an RFM segment; 422 for anything else. */
  async function savedSegment(tenantId: string, segment: string | undefined): Promise<MembersSql | undefined> {
    if (segment === undefined || isRfmSegment(segment)) return undefined;
    const members = await deps.segmentMembers?.(tenantId, segment);
    if (!members) throw unknownSegment();
    return members;
  }

  const tenantName = async (tenantId: string) => (await getTenantName(pool, tenantId)) ?? tenantId;

  async function sendDigest(tenantId: string) {
    const settings = await readSettings(pool, tenantId);
    const digest = await composeDigest(pool, tenantId, await tenantName(tenantId), await state(tenantId), settings);
    const to = settings.digest_recipients;
    if (to.length && !send) throw new Error('no mail transport is configured for the analytics digest');
    if (to.length) await send!({ to, subject: digest.subject, text: digest.text });
    return { recipients: to.length, ...digest };
  }

  async function allTenants(): Promise<string[]> {
    const rows = await queryRows(pool, rowOf(tenants, ['tenant_id']), 'SELECT tenant_id FROM tenants ORDER BY tenant_id');
    return rows.map((r) => r.tenant_id);
  }

  return {
    refresh,
    state,
    async measure(name: string, tenantId: string, q: MeasureQuery): Promise<Measured> {
      // Dashboards and their CSV exports read the replica (db.read), the refresh state with them: the
      // figures and the time they are as of come from one copy, whatever its lag.
      const [s, settings, members] = await Promise.all([state(tenantId, db.read), readSettings(db.read, tenantId), savedSegment(tenantId, q.segment)]);
      return MEASURES[name].fn(db.read, tenantId, members ? { ...q, members } : q, s, settings);
    },
    /** One customer's churn risk as of the last refresh, with the features that move it most. */
    async customerChurnRisk(tenantId: string, customerId: string) {
      return readCustomerChurnRisk(pool, tenantId, customerId, await state(tenantId));
    },
    settings: (tenantId: string) => readSettings(pool, tenantId),
    saveSettings: (tenantId: string, s: AnalyticsSettings) => saveSettings(pool, tenantId, s),
    sendDigest,
    /** Cancels a running refresh (it rolls back; the previous roll-ups stay) so shutdown need not wait for it. */
    async stop() {
      isStopped = true;
      const pids = [...refreshPids];
      refreshPids.clear();
      if (pids.length) await pool.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) pid', [pids]).catch(() => undefined);
    },
    /** The mail transport of the digest; src/app.ts wires it as the loop module's. */
    setSender(fn: SendMail) {
      send = fn;
    },

    async startJobs() {
      await ctx.jobs.define<{ tenantId: string; mode?: 'full' | 'auto' }>('analytics-refresh', async ({ tenantId, mode }) => {
        await refresh(tenantId, ctx.clock.now(), { mode: mode ?? 'auto' });
      });
      // Every tenant's roll-ups are refreshed hourly, incrementally, one job per tenant so a big tenant
      // delays no other; nightly each is rebuilt whole (the safety net, and the churn model's retraining).
      await ctx.jobs.define(
        'analytics-refresh-all',
        async () => {
          for (const t of await allTenants()) await ctx.jobs.send('analytics-refresh', { tenantId: t }, { singletonKey: t });
        },
        { cron: '17 * * * *' },
      );
      await ctx.jobs.define(
        'analytics-rebuild-all',
        async () => {
          for (const t of await allTenants()) await ctx.jobs.send('analytics-refresh', { tenantId: t, mode: 'full' }, { singletonKey: `${t}:full` });
        },
        { cron: '43 2 * * *' },
      );
      await ctx.jobs.define<{ tenantId: string }>('analytics-digest', async ({ tenantId }) => {
        await refresh(tenantId);
        await sendDigest(tenantId);
      });
      await ctx.jobs.define(
        'analytics-weekly-digest',
        async () => {
          const rows = await queryRows(
            pool,
            rowOf(analyticsSettings, ['tenant_id']),
            `SELECT tenant_id FROM analytics_settings WHERE cardinality(digest_recipients) > 0`,
          );
          for (const r of rows) await ctx.jobs.send('analytics-digest', { tenantId: r.tenant_id }, { singletonKey: r.tenant_id });
        },
        { cron: '0 6 * * 1' },
      );
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
