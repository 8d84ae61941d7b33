// Crisis alerts: volume, negative share and top terms, ongoing or ended.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listAlerts } from '../../api/listening.js';
import { Badge, Card, ErrorNote, Loading, formatDateTime } from '../../../shared/ui.js';
import { humanizeLabel, useWord } from '../../../shared/words.js';

export function Alerts() {
  const { t, i18n } = useTranslation();
  const alerts = useQuery({ queryKey: ['listening-alerts'], queryFn: () => listAlerts(), refetchInterval: 60_000 });
  const word = useWord();
  const pct = (x: number) => Math.round(x * 100);
  // An alert watches every mention, one angle or one topic.
  const scope = ({ kind, key }: { kind: string; key: string }) =>
    kind === 'all'
      ? t('listening.scope.all')
      : kind === 'angle'
        ? t('listening.scope.angle', { name: word('listening.angles', key, true) })
        : kind === 'topic'
          ? t('listening.scope.topic', { name: word('topic', key, true) })
          : `${humanizeLabel(kind)}: ${key}`;
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
              <strong data-scope={`${a.scope.kind}:${a.scope.key}`}>{scope(a.scope)}</strong>
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
