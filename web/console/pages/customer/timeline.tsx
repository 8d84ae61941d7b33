// The customer's timeline: events newest first, filtered by type, source and dates, a page at a time.
import { useState } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, Loading, TextField, formatDateTime } from '../../../shared/ui.js';
import { getTimeline } from '../../api/customers.js';

export function Timeline({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState({ types: '', sources: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const toIso = (d: string, end: boolean) => (d ? new Date(`${d}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);
  const items = useInfiniteQuery({
    queryKey: ['timeline', customerId, applied],
    // Changing a filter keeps the current items on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      getTimeline(customerId, {
        limit: 50,
        cursor: pageParam,
        types: applied.types || undefined,
        sources: applied.sources || undefined,
        from: toIso(applied.from, false),
        to: toIso(applied.to, true),
      }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = items.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('customer.tab.timeline')}>
      <form
        className="row"
        aria-label={t('timeline.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <TextField
          label={t('timeline.types')}
          name="types"
          value={filters.types}
          placeholder="purchase,page_view"
          onChange={(e) => setFilters({ ...filters, types: e.target.value })}
        />
        <TextField
          label={t('timeline.sources')}
          name="sources"
          value={filters.sources}
          placeholder="api,import"
          onChange={(e) => setFilters({ ...filters, sources: e.target.value })}
        />
        <TextField label={t('timeline.from')} type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        <TextField label={t('timeline.to')} type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        <div className="field">
          <Button type="submit" variant="primary">
            {t('timeline.apply')}
          </Button>
        </div>
      </form>
      <ErrorNote error={items.error} />
      {items.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t('timeline.none')}</Empty>
      ) : (
        <ol className="plain timeline" aria-label={t('customer.tab.timeline')}>
          {rows.map((e) => (
            <li key={e.id} data-type={e.type}>
              <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong> <Badge>{e.source}</Badge>
              <div className="when">
                <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, i18n.language)}</time>
              </div>
              <EventSummary properties={e.properties} />
            </li>
          ))}
        </ol>
      )}
      {items.hasNextPage && (
        <Button onClick={() => items.fetchNextPage()} busy={items.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}

function EventSummary({ properties }: { properties: Record<string, unknown> }) {
  const entries = Object.entries(properties)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .slice(0, 6);
  if (!entries.length) return null;
  return <div className="muted">{entries.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</div>;
}
