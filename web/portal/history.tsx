// Everything between the customer and the company, newest first, with the company's replies.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, Loading, formatDateTime } from '../shared/ui.js';
import { getTimeline } from './api.js';

export function History() {
  const { t, i18n } = useTranslation();
  const items = useInfiniteQuery({
    queryKey: ['portal-history'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => getTimeline(pageParam),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = items.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('portal.history.title')}>
      <ErrorNote error={items.error} />
      {items.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t('portal.history.none')}</Empty>
      ) : (
        <ol className="plain timeline">
          {rows.map((e) => (
            <li key={e.id}>
              <strong>{t(`eventType.${e.type}`, { defaultValue: e.type })}</strong>
              <div className="when">
                <time dateTime={e.occurred_at}>{formatDateTime(e.occurred_at, i18n.language)}</time>
              </div>
              {typeof e.properties.text === 'string' && <p style={{ margin: '4px 0' }}>{e.properties.text}</p>}
              {typeof e.properties.reply === 'string' && (
                <p style={{ margin: '4px 0' }}>
                  <Badge tone="info">{t('portal.history.reply')}</Badge> {e.properties.reply}
                </p>
              )}
              {typeof e.properties.amount === 'number' && (
                <p className="muted" style={{ margin: 0 }}>
                  {e.properties.amount} {String(e.properties.currency ?? '')}
                </p>
              )}
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
