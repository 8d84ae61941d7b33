// One chart element for every console screen: an ECharts option rendered as SVG. ECharts is large, so
// this file is its own chunk, loaded only by screens that draw a chart.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export default function Chart({ option, label, height = 240 }: { option: Record<string, unknown>; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const { i18n } = useTranslation();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg', locale: i18n.language.startsWith('zh') ? 'ZH' : 'EN' });
    chart.setOption({
      // The chart's own description is its label: ECharts' generated one read a gap in a series as "NaN".
      aria: { enabled: true, label: { description: label } },
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 12, top: 28, bottom: 28 },
      color: ['#1f5fbf', '#b42318', '#1a7f37', '#9a6700', '#6f42c1', '#0b62a4'],
      ...option,
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [option, label, i18n.language]);
  return (
    <figure style={{ margin: 0 }}>
      <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />
      <figcaption className="muted">{label}</figcaption>
    </figure>
  );
}
