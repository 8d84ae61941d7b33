// The sentiment trend and the share of voice, drawn from the mentions.
import { lazy, Suspense, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sentimentTrend, shareOfVoice } from '../../api/listening.js';
import { Card, Empty, ErrorNote, Loading, formatNumber } from '../../../shared/ui.js';

const Chart = lazy(() => import('../../components/chart.js'));

/** The company's own share of voice comes as "us"; a competitor's under its watched term. */
const voiceName = (name: string, us: string) => (name === 'us' ? us : name);

export function Charts() {
  const { t, i18n } = useTranslation();
  const trend = useQuery({ queryKey: ['sentiment-trend'], queryFn: () => sentimentTrend() });
  const sov = useQuery({ queryKey: ['share-of-voice'], queryFn: () => shareOfVoice() });
  const trendOption = useMemo(() => {
    // Every angle's mentions added up per day: one line per sentiment.
    const byDay = new Map<string, { mentions: number; positive: number; negative: number }>();
    for (const r of trend.data?.data ?? []) {
      const d = byDay.get(r.period.slice(0, 10)) ?? { mentions: 0, positive: 0, negative: 0 };
      d.mentions += r.mentions;
      d.positive += r.positive;
      d.negative += r.negative;
      byDay.set(r.period.slice(0, 10), d);
    }
    const days = [...byDay.keys()].sort();
    return {
      legend: { top: 0 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: t('listening.sent.positive'), data: days.map((d) => byDay.get(d)!.positive), color: '#1a7f37' },
        { type: 'line', name: t('listening.sent.negative'), data: days.map((d) => byDay.get(d)!.negative), color: '#b42318' },
        { type: 'line', name: t('listening.mentions'), data: days.map((d) => byDay.get(d)!.mentions), color: '#1f5fbf' },
      ],
    };
  }, [trend.data, t]);
  const sovOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          name: t('listening.sov'),
          data: (sov.data?.data ?? []).map((r) => ({ name: voiceName(r.name, t('listening.us')), value: r.mentions })),
        },
      ],
    }),
    [sov.data, t],
  );
  return (
    <Card title={t('listening.charts')}>
      <ErrorNote error={trend.error ?? sov.error} />
      <div className="grid">
        {trend.data?.data.length ? (
          <Suspense fallback={<Loading />}>
            <Chart option={trendOption} label={t('listening.trend')} />
          </Suspense>
        ) : (
          <Empty>{t('listening.noData')}</Empty>
        )}
        {sov.data?.data.length ? (
          <div>
            <Suspense fallback={<Loading />}>
              <Chart option={sovOption} label={t('listening.sov')} />
            </Suspense>
            <ul className="plain sov">
              {sov.data.data.map((r) => (
                <li key={r.name} data-name={r.name}>
                  {voiceName(r.name, t('listening.us'))}: {formatNumber(r.share, i18n.language, { style: 'percent', maximumFractionDigits: 1 })} (
                  {formatNumber(r.mentions, i18n.language)})
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <Empty>{t('listening.noData')}</Empty>
        )}
      </div>
    </Card>
  );
}
