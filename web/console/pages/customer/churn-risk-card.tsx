// "Why at risk" on the customer's profile: the churn risk from the last analytics refresh, the three
// features that move it most (their labels come with the answer, in both languages), and the model's
// held-out AUC and Brier score so the figure is read with its quality.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { getChurnRisk } from '../../api/analytics.js';
import { Badge, Card, Empty, ErrorNote, Loading, formatDateTime, formatNumber } from '../../../shared/ui.js';

const en = {
  title: 'Churn risk',
  whyAtRisk: 'Why at risk',
  raises: 'raises the risk',
  lowers: 'lowers the risk',
  noRisk: 'No churn risk yet: the model needs a refresh with enough history, and the customer a purchase.',
  gone: 'Already lapsed (no purchase for 90 days)',
  model: 'Model v{{version}}, held-out AUC {{auc}}, Brier {{brier}}',
  asOf: 'As of {{at}}',
  value: 'value {{value}}',
};
const zhCN: typeof en = {
  title: '流失风险',
  whyAtRisk: '风险原因',
  raises: '提高风险',
  lowers: '降低风险',
  noRisk: '暂无流失风险：模型需要在历史足够时刷新，且客户需有购买记录。',
  gone: '已流失（90 天无购买）',
  model: '模型 v{{version}}，留出集 AUC {{auc}}，Brier {{brier}}',
  asOf: '截至 {{at}}',
  value: '取值 {{value}}',
};

/** This card's strings in the console's language, filled like i18next's {{name}} placeholders. */
function useStrings() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const strings = lng.startsWith('zh') ? zhCN : en;
  const t = (key: keyof typeof en, vars: Record<string, string | number> = {}) =>
    strings[key].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
  return { t, lng };
}

export function ChurnRiskCard({ customerId }: { customerId: string }) {
  const { t, lng } = useStrings();
  // No row for the customer (never refreshed, or nothing on record then) answers 404: shown as no risk yet.
  const q = useQuery({
    queryKey: ['churn-risk', customerId],
    queryFn: () =>
      getChurnRisk(customerId).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
  });
  if (q.isPending)
    return (
      <Card title={t('title')}>
        <Loading />
      </Card>
    );
  if (q.error)
    return (
      <Card title={t('title')}>
        <ErrorNote error={q.error} />
      </Card>
    );
  const r = q.data;
  if (!r || r.churn_risk === null)
    return (
      <Card title={t('title')}>
        <Empty>{t('noRisk')}</Empty>
      </Card>
    );
  const pct = formatNumber(r.churn_risk * 100, lng, { maximumFractionDigits: 0 });
  const tone = r.churn_risk >= 0.5 ? 'bad' : r.churn_risk >= 0.25 ? 'warn' : 'good';
  const fmt = (x: number | null) => (x === null ? '—' : formatNumber(x, lng, { maximumFractionDigits: 3 }));
  return (
    <Card title={t('title')} actions={<Badge tone={tone}>{pct} %</Badge>}>
      {r.has_left && (
        <p>
          <Badge tone="neutral">{t('gone')}</Badge>
        </p>
      )}
      <h3>{t('whyAtRisk')}</h3>
      <ul className="why-at-risk" aria-label={t('whyAtRisk')}>
        {r.top_features.map((f) => (
          <li key={f.feature}>
            <span aria-hidden="true">{f.direction === 'raises' ? '▲' : '▼'}</span> <strong>{lng.startsWith('zh') ? f.label['zh-CN'] : f.label.en}</strong> —{' '}
            {t(f.direction)} ({t('value', { value: fmt(f.value) })})
          </li>
        ))}
      </ul>
      <p className="muted">
        {t('model', { version: r.model.version ?? '—', auc: fmt(r.model.auc), brier: fmt(r.model.brier) })}
        {r.refreshed_at && <> · {t('asOf', { at: formatDateTime(r.as_of, lng) })}</>}
      </p>
    </Card>
  );
}
