// Listening: the mention stream with filters, the watch-list editor, crisis alerts, and the sentiment
// trend and share of voice charts.
import { lazy, Suspense, useMemo, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api.js';
import { ANGLES, addWatchTerm, listAlerts, listMentions, listWatchTerms, removeWatchTerm, sentimentTrend, shareOfVoice } from '../api/listening.js';
import { Badge, Button, Card, Empty, ErrorNote, Loading, PageHeader, SelectField, TextField, formatDateTime, formatNumber } from '../../shared/ui.js';

const Chart = lazy(() => import('../components/chart.js'));

const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
const TONE = { negative: 'bad', neutral: 'neutral', positive: 'good' } as const;

export default function ListeningPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('listening.title')} subtitle={t('listening.subtitle')} />
      <Alerts />
      <Charts />
      <div className="listening-grid">
        <Stream />
        <WatchList />
      </div>
    </>
  );
}

function Stream() {
  const { t, i18n } = useTranslation();
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
                <span className="muted">
                  {m.channel}
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

function WatchList() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const terms = useQuery({ queryKey: ['watch-terms'], queryFn: () => listWatchTerms() });
  const [f, setF] = useState({ angle: 'brand', term: '', aliases: '' });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['watch-terms'] });
  const add = useMutation({
    mutationFn: () =>
      addWatchTerm({
        angle: f.angle,
        term: f.term,
        aliases: f.aliases
          .split(/[,，]/)
          .map((x) => x.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      setF({ ...f, term: '', aliases: '' });
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => removeWatchTerm(id), onSuccess: refresh });
  const err = add.error instanceof ApiError ? add.error : undefined;
  return (
    <Card title={t('listening.watchlist')}>
      <p className="muted">{t('listening.watchExplain')}</p>
      {terms.isPending ? (
        <Loading />
      ) : terms.error ? (
        <ErrorNote error={terms.error} />
      ) : terms.data.data.length === 0 ? (
        <Empty>{t('listening.noTerms')}</Empty>
      ) : (
        <ul className="plain watch-terms">
          {terms.data.data.map((x) => (
            <li key={x.id} data-term={x.term}>
              <Badge tone="info">{t(`listening.angles.${x.angle}`, { defaultValue: x.angle })}</Badge> <strong>{x.term}</strong>
              {x.aliases.length > 0 && <span className="muted"> ({x.aliases.join(', ')})</span>}{' '}
              <Button variant="ghost" onClick={() => remove.mutate(x.id)}>
                {t('listening.removeTerm', { term: x.term })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <SelectField
          label={t('listening.angle')}
          value={f.angle}
          onChange={(e) => setF({ ...f, angle: e.target.value })}
          options={ANGLES.map((a) => ({ value: a, label: t(`listening.angles.${a}`) }))}
        />
        <p className="muted angle-definition" data-angle={f.angle}>
          {t(`listening.angleDefs.${f.angle}`)}
        </p>
        <TextField label={t('listening.term')} value={f.term} onChange={(e) => setF({ ...f, term: e.target.value })} error={err?.fieldMessage('term')} />
        <TextField label={t('listening.aliases')} value={f.aliases} onChange={(e) => setF({ ...f, aliases: e.target.value })} />
        {err && !err.fields.length && <ErrorNote error={err} />}
        <Button type="submit" busy={add.isPending} disabled={!f.term.trim()}>
          {t('listening.addTerm')}
        </Button>
      </form>
      <details className="angle-glossary">
        <summary>{t('listening.anglesExplained')}</summary>
        <dl>
          {ANGLES.map((a) => (
            <div key={a} data-angle={a}>
              <dt>{t(`listening.angles.${a}`)}</dt>
              <dd>{t(`listening.angleDefs.${a}`)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </Card>
  );
}

function Alerts() {
  const { t, i18n } = useTranslation();
  const alerts = useQuery({ queryKey: ['listening-alerts'], queryFn: () => listAlerts(), refetchInterval: 60_000 });
  const pct = (x: number) => Math.round(x * 100);
  return (
    <Card title={t('listening.alerts')}>
      {alerts.isPending ? (
        <Loading />
      ) : alerts.error ? (
        <ErrorNote error={alerts.error} />
      ) : alerts.data.data.length === 0 ? (
        <p className="muted">{t('listening.noAlerts')}</p>
      ) : (
        <ul className="plain">
          {alerts.data.data.map((a) => (
            <li key={a.id} className={`alert-item ${a.ended_at ? '' : 'alert'}`} role={a.ended_at ? undefined : 'alert'}>
              <Badge tone={a.ended_at ? 'neutral' : 'bad'}>{a.ended_at ? t('listening.ended') : t('listening.ongoing')}</Badge>{' '}
              <strong>
                {a.scope.kind}: {a.scope.key}
              </strong>
              <div>
                {t('listening.volume', { volume: a.volume, baseline: Math.round(a.baseline) })} ·{' '}
                {t('listening.negativeShare', { share: pct(a.negative_share), usual: pct(a.baseline_negative_share) })}
              </div>
              {a.top_terms?.length ? (
                <div className="muted">
                  {t('listening.topTerms')}: {a.top_terms.map((x) => x.term).join(', ')}
                </div>
              ) : null}
              <div className="when">
                {formatDateTime(a.started_at, i18n.language)}
                {a.ended_at && ` – ${formatDateTime(a.ended_at, i18n.language)}`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Charts() {
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
        { type: 'pie', radius: ['35%', '65%'], name: t('listening.sov'), data: (sov.data?.data ?? []).map((r) => ({ name: r.name, value: r.mentions })) },
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
                  {r.name}: {formatNumber(r.share, i18n.language, { style: 'percent', maximumFractionDigits: 1 })} ({r.mentions})
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
