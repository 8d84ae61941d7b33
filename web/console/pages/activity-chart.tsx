// Monthly activity from the most recent timeline items. ECharts is large, so this file (and the
// parts of ECharts it imports) is its own chunk, loaded only when a chart is on screen.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { TimelineItem } from './customer.js';

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export default function ActivityChart({ items }: { items: TimelineItem[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t, i18n } = useTranslation();
  useEffect(() => {
    if (!ref.current) return;
    const counts = new Map<string, number>();
    for (const e of items) {
      const m = e.occurred_at.slice(0, 7);
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    const months = [...counts.keys()].sort();
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg', locale: i18n.language.startsWith('zh') ? 'ZH' : 'EN' });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 32, right: 8, top: 16, bottom: 24 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('customer.events'), data: months.map((m) => counts.get(m)), itemStyle: { color: '#1f5fbf' } }],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.dispose(); };
  }, [items, t, i18n.language]);
  return <figure style={{ margin: 0 }}><div ref={ref} className="chart" role="img" aria-label={t('customer.activityChart')} /><figcaption className="muted">{t('customer.activityChart')}</figcaption></figure>;
}
