// The customer's overview tab: profile, value scores, churn risk, activity, identities, attributes, preferences.
import { lazy, Suspense, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Card, Empty, Loading, formatDateTime, formatMoney, formatNumber } from '../../../shared/ui.js';
import { getTimeline, listAttributes, type Customer, type TimelineItem } from '../../api/customers.js';
import { ChurnRiskCard } from './churn-risk-card.js';
import { IdentitiesCard } from './identities-card.js';
import { PreferencesEditor } from './preferences-editor.js';
import { ProfileCard } from './profile-card.js';

const Chart = lazy(() => import('../../components/chart.js'));

/** "2026-10" to "2027-01": every month from the first to the last, so a quiet month shows as a gap. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number);
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push(month);
    if (month >= last) break;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

/** Bars of how many timeline items (events, and what the modules add: cases, tier changes…) fall in each month. */
export function activityOption(items: TimelineItem[], name: string) {
  const counts = new Map<string, number>();
  for (const e of items) {
    const m = e.occurred_at.slice(0, 7);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const seen = [...counts.keys()].sort();
  const months = seen.length ? monthsBetween(seen[0], seen[seen.length - 1]) : [];
  return {
    grid: { left: 32, right: 8, top: 16, bottom: 24 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name, data: months.map((m) => counts.get(m) ?? 0), itemStyle: { color: '#1f5fbf' } }],
  };
}

export function Overview({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const attrs = useQuery({ queryKey: ['attributes'], queryFn: () => listAttributes() });
  const recent = useQuery({ queryKey: ['timeline-recent', c.id], queryFn: () => getTimeline(c.id, { limit: 200 }) });
  const label = (k: string) => attrs.data?.data.find((a) => a.key === k)?.label ?? k;
  // The bars count the timeline, which holds more than the ingested events counted above it.
  const activity = useMemo(() => activityOption(recent.data?.data ?? [], t('customer.tab.timeline')), [recent.data, t]);
  const score = (n: number | null) => (n === null ? '—' : `${n}/5`);
  return (
    <div className="grid">
      <ProfileCard c={c} />
      <Card title={t('customer.value')}>
        <dl className="kv">
          <dt>{t('customer.recency')}</dt>
          <dd>{score(c.value.recency_score)}</dd>
          <dt>{t('customer.frequency')}</dt>
          <dd>{score(c.value.frequency_score)}</dd>
          <dt>{t('customer.monetary')}</dt>
          <dd>{score(c.value.monetary_score)}</dd>
          <dt>{t('customer.clv')}</dt>
          <dd>{formatNumber(c.value.clv, lng, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</dd>
          <dt>{t('customer.coreCustomer')}</dt>
          <dd>{c.value.is_core ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('customer.computedAt')}</dt>
          <dd>{formatDateTime(c.value.computed_at, lng)}</dd>
        </dl>
      </Card>
      <ChurnRiskCard customerId={c.id} />
      <Card title={t('customer.activity')}>
        <dl className="kv">
          <dt>{t('customer.firstSeen')}</dt>
          <dd>{formatDateTime(c.activity.first_seen_at, lng)}</dd>
          <dt>{t('customer.lastSeen')}</dt>
          <dd>{formatDateTime(c.activity.last_seen_at, lng)}</dd>
          <dt>{t('customer.events')}</dt>
          <dd>{c.activity.event_count}</dd>
          <dt>{t('customers.orders')}</dt>
          <dd>{c.activity.order_count}</dd>
          <dt>{t('customer.spend')}</dt>
          <dd>
            {Object.entries(c.activity.spend)
              .map(([cur, n]) => formatMoney(n, cur, lng))
              .join(' · ') || '—'}
          </dd>
        </dl>
        {recent.data && recent.data.data.length > 0 && (
          <Suspense fallback={<Loading />}>
            <Chart option={activity} label={t('customer.activityChart')} />
          </Suspense>
        )}
      </Card>
      <IdentitiesCard c={c} />
      <Card title={t('customer.attributes')}>
        {Object.keys(c.attributes).length === 0 ? (
          <Empty>{t('customer.noAttributes')}</Empty>
        ) : (
          <dl className="kv">
            {Object.entries(c.attributes).map(([k, v]) => (
              <AttributeRow key={k} name={label(k)} value={v} />
            ))}
          </dl>
        )}
      </Card>
      <PreferencesEditor c={c} />
    </div>
  );
}

function AttributeRow({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
    </>
  );
}
