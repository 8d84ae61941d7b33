// The managers' dashboard: the headline figures of every analytics measure for a date range, with the
// time of the roll-ups they come from, a refresh button and CSV links.
import { lazy, Suspense, useState } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, qs } from '../../../shared/api.js';
import { Button, Card, ErrorNote, Loading, PageHeader, TextField, formatDateTime } from '../../../shared/ui.js';
import { en, zhCN } from './locales.js';
import type { TrendPoint } from './nps-chart.js';

i18next.addResourceBundle('en', 'analytics', en, true, true);
i18next.addResourceBundle('zh-CN', 'analytics', zhCN, true, true);

const NpsChart = lazy(() => import('./nps-chart.js'));

type Figures = Record<string, unknown> & { refreshed_at: string | null };
const MEASURES = ['customer-value', 'experience', 'operations', 'loop', 'programme', 'reputation', 'satisfied-but-left', 'promoter-referrals', 'churn-risk'] as const;
const RANGED = new Set(['customer-value', 'experience', 'operations', 'loop', 'programme', 'reputation']);

const pct = (x: unknown) => (typeof x === 'number' ? `${Math.round(x * 1000) / 10}%` : '–');
const num = (x: unknown) => (typeof x === 'number' ? x.toLocaleString() : '–');

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return <div className="kpi"><div className="muted">{label}</div><div style={{ fontSize: '1.6rem', fontWeight: 600 }}>{value}</div>{note && <div className="muted">{note}</div>}</div>;
}

export default function AnalyticsPage() {
  const { t, i18n } = useTranslation('analytics');
  const qc = useQueryClient();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const results = useQuery({
    queryKey: ['analytics', range],
    queryFn: async () => Object.fromEntries(await Promise.all(MEASURES.map(async (m) => [m, await get<Figures>(`/v1/analytics/${m}${RANGED.has(m) ? qs(range) : ''}`)] as const))) as Record<(typeof MEASURES)[number], Figures>,
  });
  const refresh = useMutation({ mutationFn: () => api('POST', '/v1/analytics/refresh'), onSuccess: () => qc.invalidateQueries({ queryKey: ['analytics'] }) });
  const d = results.data;
  const exp = d?.experience as undefined | { totals: { kind: string; score: number | null; ci_low: number | null; ci_high: number | null }[]; trend: TrendPoint[] };
  const total = (kind: string) => exp?.totals.find((x) => x.kind === kind);
  const csv = (m: string) => `/v1/analytics/${m}${qs({ ...(RANGED.has(m) ? range : {}), format: 'csv' })}`;
  return (
    <>
      <PageHeader title={t('title')} subtitle={d?.['customer-value'].refreshed_at ? t('refreshedAt', { at: formatDateTime(d['customer-value'].refreshed_at, i18n.language) }) : t('subtitle')}
        actions={<Button variant="primary" busy={refresh.isPending} onClick={() => refresh.mutate()}>{t('refresh')}</Button>} />
      <div style={{ display: 'flex', gap: 'var(--space)', marginBottom: 'var(--space)' }}>
        <TextField label={t('from')} type="date" value={range.from ?? ''} onChange={(e) => setRange({ ...range, from: e.target.value || undefined })} />
        <TextField label={t('to')} type="date" value={range.to ?? ''} onChange={(e) => setRange({ ...range, to: e.target.value || undefined })} />
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
          </Card>
          <Card title={t('experience')} actions={<a href={csv('experience')}>{t('exportCsv')}</a>}>
            {(['nps', 'csat', 'ces'] as const).map((k) => {
              const x = total(k);
              return <Figure key={k} label={t(k)} value={num(x?.score)} note={x?.ci_low != null ? t('interval', { low: x.ci_low, high: x.ci_high }) : undefined} />;
            })}
          </Card>
          <Card title={t('operations')} actions={<a href={csv('operations')}>{t('exportCsv')}</a>}>
            <Figure label={t('firstResponse')} value={num(d.operations.first_response_minutes)} />
            <Figure label={t('slaAttainment')} value={pct(d.operations.first_response_sla)} />
            <Figure label={t('backlog')} value={num(d.operations.backlog)} />
            <Figure label={t('loopClosure')} value={pct(d.loop.loop_closure_rate)} />
            <Figure label={t('costPerComplaint')} value={num(d.loop.cost_per_complaint)} />
          </Card>
          <Card title={t('loyalty')}>
            <Figure label={t('satisfiedButLeft')} value={num(d['satisfied-but-left'].count)} />
            <Figure label={t('promotersReferred')} value={pct(d['promoter-referrals'].share)} />
            <Figure label={t('churnAuc')} value={num((d['churn-risk'].model as { auc?: number } | null)?.auc)} />
          </Card>
          <Card title={t('programme')} actions={<a href={csv('programme')}>{t('exportCsv')}</a>}>
            <Figure label={t('members')} value={num(d.programme.members)} />
            <Figure label={t('activeMembers')} value={num(d.programme.active_members)} />
            <Figure label={t('redemptionRate')} value={pct(d.programme.redemption_rate)} />
            <Figure label={t('breakageRate')} value={pct(d.programme.breakage_rate)} />
          </Card>
          <Card title={t('reputation')} actions={<a href={csv('reputation')}>{t('exportCsv')}</a>}>
            <Figure label={t('mentions')} value={num(d.reputation.mentions)} />
            <Figure label={t('negativeShare')} value={pct(d.reputation.negative_share)} />
            <Figure label={t('shareOfVoice')} value={pct(d.reputation.own_share_of_voice)} />
          </Card>
          {exp && exp.trend.length > 0 && <Card title={t('npsTrend')}><Suspense fallback={<Loading />}><NpsChart points={exp.trend} /></Suspense></Card>}
        </div>
      )}
    </>
  );
}
