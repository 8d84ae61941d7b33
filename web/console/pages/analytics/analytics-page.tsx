// The managers' dashboard: the headline figures of every analytics measure for a date range and the
// segment, channel, touchpoint, tier and store filters, with the time of the roll-ups they come from, a
// refresh button and CSV links. A card whose measure cannot apply a filter says which.
import { lazy, Suspense, useMemo, useState } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getMeasure, measureCsvUrl, refreshAnalytics, type Answer, type ExperienceAnswer, type LoopAnswer, type ProgrammeAnswer } from '../../api/analytics.js';
import { Button, Card, ErrorNote, Loading, PageHeader, SelectField, TextField, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { en, zhCN } from './locales.js';

i18next.addResourceBundle('en', 'analytics', en, true, true);
i18next.addResourceBundle('zh-CN', 'analytics', zhCN, true, true);

const Chart = lazy(() => import('../../components/chart.js'));

type TrendPoint = ExperienceAnswer['trend'][number];
/** Every measure's answer; those the contract spells out with their own figures. */
type Answers = Record<(typeof MEASURES)[number], Answer> & { experience: ExperienceAnswer; loop: LoopAnswer; programme: ProgrammeAnswer };

/** NPS by month with its confidence interval, drawn as a band: the lower bound (invisible), then the width of the interval stacked on it. */
function npsTrendOption(trend: TrendPoint[], name: string) {
  // A period without a figure (no answers) has no band to draw.
  const nps = trend.filter((p): p is TrendPoint & { ci_low: number; ci_high: number } => p.kind === 'nps' && p.ci_low !== null && p.ci_high !== null);
  return {
    grid: { left: 40, right: 8, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: nps.map((p) => p.period.slice(0, 7)) },
    yAxis: { type: 'value', min: -100, max: 100 },
    series: [
      { type: 'line', stack: 'ci', data: nps.map((p) => Math.max(-100, p.ci_low)), lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false } },
      {
        type: 'line',
        stack: 'ci',
        data: nps.map((p) => Math.min(100, p.ci_high) - Math.max(-100, p.ci_low)),
        lineStyle: { opacity: 0 },
        areaStyle: { color: '#1f5fbf', opacity: 0.15 },
        symbol: 'none',
        tooltip: { show: false },
      },
      { type: 'line', name, data: nps.map((p) => p.score), itemStyle: { color: '#1f5fbf' } },
    ],
  };
}

type Filters = { from?: string; to?: string; segment?: string; channel?: string; touchpoint?: string; tier?: string; store?: string };
const SEGMENTS = ['champions', 'loyal', 'new', 'potential', 'at_risk', 'lost', 'unscored', 'prospect'] as const;
const DIM_FIELDS = ['channel', 'touchpoint', 'tier', 'store'] as const;
const MEASURES = [
  'customer-value',
  'experience',
  'operations',
  'loop',
  'programme',
  'reputation',
  'satisfied-but-left',
  'promoter-referrals',
  'churn-risk',
] as const;
const RANGED = new Set(['customer-value', 'experience', 'operations', 'loop', 'programme', 'reputation']);

function Figure({ id, label, value, raw, note }: { id?: string; label: string; value: string; raw?: unknown; note?: string }) {
  return (
    <div className="kpi" data-figure={id} data-value={raw === undefined || raw === null ? undefined : String(raw)}>
      <div className="muted">{label}</div>
      <div style={{ fontSize: '1.6rem', fontWeight: 600 }}>{value}</div>
      {note && <div className="muted">{note}</div>}
    </div>
  );
}

export default function AnalyticsPage() {
  const { t, i18n } = useTranslation('analytics');
  const pct = (x: unknown) => (typeof x === 'number' ? formatNumber(x, i18n.language, { style: 'percent', maximumFractionDigits: 1 }) : '–');
  const num = (x: unknown) => (typeof x === 'number' ? formatNumber(x, i18n.language) : '–');
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const set = (k: keyof Filters, v: string) => setFilters({ ...filters, [k]: v.trim() || undefined });
  // The range goes to the measures over time only; the dimension filters to every measure.
  const paramsOf = (m: string) => {
    const { from, to, ...dims } = filters;
    return RANGED.has(m) ? { from, to, ...dims } : dims;
  };
  const results = useQuery({
    queryKey: ['analytics', filters],
    queryFn: async () => Object.fromEntries(await Promise.all(MEASURES.map(async (m) => [m, await getMeasure(m, paramsOf(m))] as const))) as Answers,
  });
  const refresh = useMutation({ mutationFn: () => refreshAnalytics(), onSuccess: () => qc.invalidateQueries({ queryKey: ['analytics'] }) });
  const d = results.data;
  const exp = d?.experience;
  const total = (kind: string) => exp?.totals.find((x) => x.kind === kind);
  const npsTrend = useMemo(() => npsTrendOption(exp?.trend ?? [], t('nps')), [exp, t]);
  const csv = (m: string) => measureCsvUrl(m, paramsOf(m));
  const skipped = (...ms: (typeof MEASURES)[number][]) => {
    const names = [...new Set(ms.flatMap((m) => Object.keys(d?.[m].filters_not_applied ?? {})))];
    return names.length ? (
      <p className="muted" data-not-filtered={names.join(',')}>
        {t('notFiltered', { filters: names.map((n) => t(n === 'range' ? 'range' : n)).join(', ') })}
      </p>
    ) : null;
  };
  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={
          d?.['customer-value'].refreshed_at
            ? [
                t('refreshedAt', { at: formatDateTime(d['customer-value'].refreshed_at, i18n.language) }),
                d['customer-value'].rebuilt_at ? t('rebuiltAt', { at: formatDateTime(d['customer-value'].rebuilt_at as string, i18n.language) }) : null,
              ]
                .filter(Boolean)
                .join(' · ')
            : t('subtitle')
        }
        actions={
          <Button variant="primary" busy={refresh.isPending} onClick={() => refresh.mutate()}>
            {t('refresh')}
          </Button>
        }
      />
      <div style={{ display: 'flex', gap: 'var(--space)', marginBottom: 'var(--space)' }}>
        <TextField label={t('from')} type="date" value={filters.from ?? ''} onChange={(e) => set('from', e.target.value)} />
        <TextField label={t('to')} type="date" value={filters.to ?? ''} onChange={(e) => set('to', e.target.value)} />
        <SelectField
          label={t('segment')}
          value={filters.segment ?? ''}
          onChange={(e) => set('segment', e.target.value)}
          options={[{ value: '', label: t('all') }, ...SEGMENTS.map((x) => ({ value: x, label: t(`seg_${x}`) }))]}
        />
        {DIM_FIELDS.map((k) => (
          <DimField key={k} label={t(k)} value={filters[k]} onCommit={(v) => set(k, v)} />
        ))}
      </div>
      {refresh.error && <ErrorNote error={refresh.error} />}
      {results.isPending && <Loading />}
      {results.error && <ErrorNote error={results.error} />}
      {d && !d['customer-value'].refreshed_at && <p className="muted">{t('neverRefreshed')}</p>}
      {d && (
        <div className="grid">
          <Card title={t('value')} actions={<a href={csv('customer-value')}>{t('exportCsv')}</a>}>
            <Figure label={t('activeCustomers')} value={num(d['customer-value'].active_customers)} />
            <Figure label={t('annualPurchase')} value={num(d['customer-value'].average_annual_purchase)} />
            <Figure label={t('repeatRate')} value={pct(d['customer-value'].repeat_purchase_rate)} />
            <Figure label={t('coreShare')} value={pct(d['customer-value'].core_revenue_share)} />
            {skipped('customer-value')}
          </Card>
          <Card title={t('experience')} actions={<a href={csv('experience')}>{t('exportCsv')}</a>}>
            {(['nps', 'csat', 'ces'] as const).map((k) => {
              const x = total(k);
              return (
                <Figure
                  key={k}
                  id={k}
                  label={t(k)}
                  value={num(x?.score)}
                  raw={x?.score}
                  note={x?.ci_low != null ? t('interval', { low: x.ci_low, high: x.ci_high }) : undefined}
                />
              );
            })}
            {skipped('experience')}
          </Card>
          <Card title={t('operations')} actions={<a href={csv('operations')}>{t('exportCsv')}</a>}>
            <Figure label={t('firstResponse')} value={num(d.operations.first_response_minutes)} />
            <Figure label={t('slaAttainment')} value={pct(d.operations.first_response_sla)} />
            <Figure label={t('backlog')} value={num(d.operations.backlog)} />
            <Figure label={t('loopClosure')} value={pct(d.loop.loop_closure_rate)} />
            <Figure label={t('costPerComplaint')} value={num(d.loop.cost_per_complaint)} />
            {skipped('operations', 'loop')}
          </Card>
          <Card title={t('loyalty')}>
            <Figure label={t('satisfiedButLeft')} value={num(d['satisfied-but-left'].count)} />
            <Figure label={t('promotersReferred')} value={pct(d['promoter-referrals'].share)} />
            <Figure label={t('churnAuc')} value={num((d['churn-risk'].model as { auc?: number } | null)?.auc)} />
            <Figure label={t('churnBrier')} value={num((d['churn-risk'].model as { brier?: number } | null)?.brier)} />
            {skipped('satisfied-but-left', 'promoter-referrals', 'churn-risk')}
          </Card>
          <Card title={t('programme')} actions={<a href={csv('programme')}>{t('exportCsv')}</a>}>
            <Figure label={t('members')} value={num(d.programme.members)} />
            <Figure label={t('activeMembers')} value={num(d.programme.active_members)} />
            <Figure label={t('redemptionRate')} value={pct(d.programme.redemption_rate)} />
            <Figure label={t('breakageRate')} value={pct(d.programme.breakage_rate)} />
            {skipped('programme')}
          </Card>
          <Card title={t('reputation')} actions={<a href={csv('reputation')}>{t('exportCsv')}</a>}>
            <Figure label={t('mentions')} value={num(d.reputation.mentions)} />
            <Figure label={t('negativeShare')} value={pct(d.reputation.negative_share)} />
            <Figure label={t('shareOfVoice')} value={pct(d.reputation.own_share_of_voice)} />
            {skipped('reputation')}
          </Card>
          {exp && exp.trend.length > 0 && (
            <Card title={t('npsTrend')}>
              <Suspense fallback={<Loading />}>
                <Chart option={npsTrend} label={t('npsTrend')} />
              </Suspense>
            </Card>
          )}
        </div>
      )}
    </>
  );
}

/** A text filter applied when the field is left or Enter pressed, not at every keystroke (each change refetches every measure). */
function DimField({ label, value, onCommit }: { label: string; value?: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value ?? '');
  return (
    <TextField
      label={label}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onCommit(text)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onCommit(text);
      }}
    />
  );
}
