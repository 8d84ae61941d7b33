// The mention stream: filtered by sentiment, angle and topic, each mention with its reach and customer, a page at a time.
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ANGLES, listMentions } from '../../api/listening.js';
import { Badge, Button, Card, Empty, ErrorNote, Loading, SelectField, TextField, formatDateTime, formatNumber } from '../../../shared/ui.js';
import { useWord } from '../../../shared/words.js';

const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

const TONE = { negative: 'bad', neutral: 'neutral', positive: 'good' } as const;

export function Stream() {
  const { t, i18n } = useTranslation();
  const word = useWord();
  const [form, setForm] = useState({ sentiment: '', angle: '', topic: '' });
  const [applied, setApplied] = useState(form);
  const mentions = useInfiniteQuery({
    queryKey: ['mentions', applied],
    initialPageParam: '',
    queryFn: ({ pageParam }) => listMentions({ ...applied, before: pageParam, limit: 30 }),
    getNextPageParam: (p) => p.next_cursor ?? undefined,
  });
  const rows = mentions.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('listening.stream')}>
      <form
        className="row"
        aria-label={t('listening.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(form);
        }}
      >
        <SelectField
          label={t('listening.sentiment')}
          value={form.sentiment}
          onChange={(e) => setForm({ ...form, sentiment: e.target.value })}
          options={[{ value: '', label: t('listening.any') }, ...SENTIMENTS.map((s) => ({ value: s, label: t(`listening.sent.${s}`) }))]}
        />
        <SelectField
          label={t('listening.angle')}
          value={form.angle}
          onChange={(e) => setForm({ ...form, angle: e.target.value })}
          options={[{ value: '', label: t('listening.any') }, ...ANGLES.map((a) => ({ value: a, label: t(`listening.angles.${a}`) }))]}
        />
        <TextField label={t('listening.topic')} value={form.topic} onChange={(e) => setForm({ ...form, topic: e.target.value })} />
        <div className="field">
          <Button type="submit" variant="primary">
            {t('listening.apply')}
          </Button>
        </div>
      </form>
      <ErrorNote error={mentions.error} />
      {mentions.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>{t('listening.none')}</Empty>
      ) : (
        <ul className="plain mentions">
          {rows.map((m) => (
            <li key={m.id} className="mention" data-sentiment={m.sentiment}>
              <div className="conv-meta">
                <Badge tone={TONE[m.sentiment]}>{t(`listening.sent.${m.sentiment}`)}</Badge>
                <span className="muted" data-source={m.channel}>
                  {word('listening.source', m.channel, true)}
                  {m.author && ` · ${m.author}`}
                </span>
                {m.reach !== null && <span className="muted">{t('listening.reach', { n: formatNumber(m.reach, i18n.language) })}</span>}
                {m.angles.map((a) => (
                  <Badge key={a} tone="info">
                    {t(`listening.angles.${a}`, { defaultValue: a })}
                  </Badge>
                ))}
                {m.customer_id && <Badge>{t('listening.customer')}</Badge>}
              </div>
              <p className="mention-text">{m.text}</p>
              <div className="when">
                {formatDateTime(m.published_at, i18n.language)}
                {m.url && (
                  <>
                    {' '}
                    ·{' '}
                    <a href={m.url} target="_blank" rel="noreferrer noopener">
                      {t('listening.open')}
                    </a>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {mentions.hasNextPage && (
        <Button onClick={() => mentions.fetchNextPage()} busy={mentions.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
