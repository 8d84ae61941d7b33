// NPS by month with its confidence band. ECharts is large: this file is its own chunk.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export interface TrendPoint { period: string; kind: string; score: number; ci_low: number; ci_high: number }

export default function NpsChart({ points }: { points: TrendPoint[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t, i18n } = useTranslation('analytics');
  useEffect(() => {
    if (!ref.current) return;
    const nps = points.filter((p) => p.kind === 'nps');
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg', locale: i18n.language.startsWith('zh') ? 'ZH' : 'EN' });
    // The band is drawn as a stack: the lower bound (invisible), then the width of the interval on top.
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 8, top: 16, bottom: 24 },
      xAxis: { type: 'category', data: nps.map((p) => p.period.slice(0, 7)) },
      yAxis: { type: 'value', min: -100, max: 100 },
      series: [
        { type: 'line', stack: 'ci', data: nps.map((p) => Math.max(-100, p.ci_low)), lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false } },
        { type: 'line', stack: 'ci', data: nps.map((p) => Math.min(100, p.ci_high) - Math.max(-100, p.ci_low)), lineStyle: { opacity: 0 }, areaStyle: { color: '#1f5fbf', opacity: 0.15 }, symbol: 'none', tooltip: { show: false } },
        { type: 'line', name: t('nps'), data: nps.map((p) => p.score), itemStyle: { color: '#1f5fbf' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.dispose(); };
  }, [points, t, i18n.language]);
  return <figure style={{ margin: 0 }}><div ref={ref} className="chart" role="img" aria-label={t('npsTrend')} /><figcaption className="muted">{t('npsTrend')}</figcaption></figure>;
}
