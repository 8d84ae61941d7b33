// The hourly crisis check of one tenant: for the whole tenant, each watch-list angle and each topic,
// the last complete hour is assessed against five weeks of hourly history (crisis-stats.ts). A new
// crisis opens one alert and delivers it; while it lasts the open alert is only updated; the first
// calm hour closes it. The partial unique index on open alerts makes this safe under concurrent runs.
import type pg from 'pg';
import { newId } from '../../platform/ids.js';
import { computedRow, queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import type { Logger } from 'pino';
import { summarizeTexts } from '../text/index.js';
import { assessHour, DEFAULT_THRESHOLDS, type HourCount, type CrisisVerdict } from './crisis-stats.js';
import { deliverAlert } from './deliver-alert.js';
import type { Mailer } from '../../platform/mailer.js';
import type { Outbox } from '../../platform/outbox.js';
import { crisisAlerts, listeningSettings, mentions } from './schema.js';

const HOUR = 3_600_000;
// h is a bigint, which db.ts's parser gives as a number.
const HourCounts = computedRow<{ kind: string; key: string; h: number; total: number; negative: number }>(['kind', 'key', 'h', 'total', 'negative']);
const OpenAlert = rowOf(crisisAlerts, ['id', 'scope_kind', 'scope_key']);
const Post = rowOf(mentions, ['id', 'url', 'text', 'sentiment', 'reach']);
const HISTORY_HOURS = 168 * 5;

export interface CrisisAlert {
  id: string;
  scope: { kind: 'all' | 'angle' | 'topic'; key: string };
  hour: string;
  verdict: CrisisVerdict;
  topTerms: { term: string; weight: number }[];
  examples: { id: string; url: string | null; text: string; sentiment: string }[];
}

type Scope = { kind: 'all' | 'angle' | 'topic'; key: string };

export async function checkCrisis(
  pool: pg.Pool,
  tenantId: string,
  opts: { now: Date; log?: Logger; outbox?: Outbox; minVolume?: number; mailer?: Mailer },
): Promise<{ opened: CrisisAlert[]; continuing: number; closed: number }> {
  const hourEnd = Math.floor(opts.now.getTime() / HOUR) * HOUR;
  const hourStart = hourEnd - HOUR;
  const from = hourStart - HISTORY_HOURS * HOUR;
  // Hourly counts per scope in one pass: the tenant, each angle, each topic.
  const rows = await queryRows(
    pool,
    HourCounts,
    `WITH m AS (
       SELECT floor(extract(epoch FROM published_at) / 3600)::bigint AS h, sentiment = 'negative' AS neg, angles, topics
         FROM listening_mentions WHERE tenant_id = $1 AND published_at >= $2 AND published_at < $3)
     SELECT 'all' AS kind, 'all' AS key, h, count(*)::int AS total, count(*) FILTER (WHERE neg)::int AS negative FROM m GROUP BY h
     UNION ALL
     SELECT 'angle', a, h, count(*)::int, count(*) FILTER (WHERE neg)::int FROM m, jsonb_array_elements_text(angles) a GROUP BY a, h
     UNION ALL
     SELECT 'topic', t->>'topic', h, count(*)::int, count(*) FILTER (WHERE neg)::int FROM m, jsonb_array_elements(topics) t GROUP BY t->>'topic', h`,
    [tenantId, new Date(from), new Date(hourEnd)],
  );
  const series = new Map<string, Map<number, HourCount>>();
  for (const r of rows) {
    const k = `${r.kind}\u0000${r.key}`;
    if (!series.has(k)) series.set(k, new Map());
    series.get(k)!.set(r.h, { total: r.total, negative: r.negative });
  }
  const settings = await queryRow(pool, rowOf(listeningSettings, ['min_volume']), 'SELECT min_volume FROM listening_settings WHERE tenant_id = $1', [tenantId]);
  const thresholds = { ...DEFAULT_THRESHOLDS, minVolume: opts.minVolume ?? settings?.min_volume ?? DEFAULT_THRESHOLDS.minVolume };
  const open = new Map<string, { id: string }>(
    (await queryRows(pool, OpenAlert, 'SELECT id, scope_kind, scope_key FROM listening_alerts WHERE tenant_id = $1 AND ended_at IS NULL', [tenantId])).map(
      (r) => [`${r.scope_kind}\u0000${r.scope_key}`, { id: r.id }],
    ),
  );
  const currentHour = hourStart / HOUR;
  const opened: CrisisAlert[] = [];
  let continuing = 0,
    closed = 0;
  const keys = new Set([...series.keys(), ...open.keys()]);
  for (const k of keys) {
    const [kind, key] = k.split('\u0000') as [Scope['kind'], string];
    const byHour = series.get(k) ?? new Map<number, HourCount>();
    const history: HourCount[] = [];
    for (let h = currentHour - HISTORY_HOURS; h < currentHour; h++) history.push(byHour.get(h) ?? { total: 0, negative: 0 });
    const verdict = assessHour(history, byHour.get(currentHour) ?? { total: 0, negative: 0 }, thresholds);
    const existing = open.get(k);
    if (existing) {
      if (verdict.isCrisis) {
        continuing++;
        await pool.query('UPDATE listening_alerts SET last_hour_at = $3, volume = greatest(volume, $4) WHERE tenant_id = $1 AND id = $2', [
          tenantId,
          existing.id,
          new Date(hourStart),
          verdict.volume,
        ]);
      } else {
        closed++;
        await pool.query('UPDATE listening_alerts SET ended_at = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, existing.id, new Date(hourEnd)]);
      }
      continue;
    }
    if (!verdict.isCrisis) continue;
    const scope: Scope = { kind, key };
    const filter = kind === 'all' ? '' : kind === 'angle' ? 'AND angles ? $4' : `AND topics @> jsonb_build_array(jsonb_build_object('topic', $4::text))`;
    const posts = await queryRows(
      pool,
      Post,
      `SELECT id, url, text, sentiment, reach FROM listening_mentions WHERE tenant_id = $1 AND published_at >= $2 AND published_at < $3 ${filter}
        ORDER BY (sentiment = 'negative') DESC, reach DESC NULLS LAST, id LIMIT 500`,
      kind === 'all' ? [tenantId, new Date(hourStart), new Date(hourEnd)] : [tenantId, new Date(hourStart), new Date(hourEnd), key],
    );
    const negatives = posts.filter((p) => p.sentiment === 'negative');
    const summary = summarizeTexts(
      negatives.map((p) => p.text),
      { top: 10, examples: 3 },
    );
    const examples = summary.examples
      .map((t) => negatives.find((p) => p.text === t)!)
      .map((p) => ({ id: p.id, url: p.url, text: p.text.slice(0, 500), sentiment: p.sentiment }));
    const alert: CrisisAlert = {
      id: newId('alr'),
      scope,
      hour: new Date(hourStart).toISOString(),
      verdict,
      topTerms: summary.keywords.map((x) => ({ term: x.term, weight: x.weight })),
      examples,
    };
    const ins = await pool.query(
      `INSERT INTO listening_alerts (tenant_id, id, scope_kind, scope_key, started_at, last_hour_at, volume, baseline, negative_share, baseline_negative_share, p_value, top_terms, examples)
       VALUES ($1,$2,$3,$4,$5,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING`,
      [
        tenantId,
        alert.id,
        kind,
        key,
        new Date(hourStart),
        verdict.volume,
        verdict.baseline,
        verdict.negativeShare,
        verdict.baselineNegativeShare,
        verdict.pValue,
        JSON.stringify(alert.topTerms),
        JSON.stringify(examples),
      ],
    );
    if (!ins.rowCount) {
      continuing++;
      continue;
    } // another worker opened it first
    await deliverAlert(pool, tenantId, alert, { outbox: opts.outbox, log: opts.log, mailer: opts.mailer });
    opened.push(alert);
  }
  return { opened, continuing, closed };
}
