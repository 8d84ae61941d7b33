// A survey's results: the score with its interval, the weekly trend, the distribution, topics and the latest responses.
import { lazy, Suspense, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Card, Empty, Loading, formatDateTime } from '../../../shared/ui.js';
import { useWord } from '../../../shared/words.js';
import { listResponses, measureScores, scoreDistribution, topicsBySentiment } from '../../api/surveys.js';
import { TopicEditor } from '../../topic-editor.js';
import { SCALES, type Survey } from './survey-model.js';

const Chart = lazy(() => import('../../components/chart.js'));

/** A topic's badge says how the customer spoke of it: blamed, praised, or only named. */
const TOPIC_TONE: Record<string, 'bad' | 'good'> = { negative: 'bad', positive: 'good' };

export function SurveyResults({ survey }: { survey: Survey }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const word = useWord();
  const kind =
    survey.kind === 'custom' ? (survey.definition?.questions.find((q) => q.type in SCALES)?.type as 'nps' | 'csat' | 'ces' | undefined) : survey.kind;
  const q = { kind, survey_id: survey.id };
  const overall = useQuery({
    queryKey: ['measures', survey.id, 'none'],
    enabled: !!kind,
    queryFn: () => measureScores(q),
  });
  const weekly = useQuery({
    queryKey: ['measures', survey.id, 'week'],
    enabled: !!kind,
    queryFn: () => measureScores({ ...q, bucket: 'week' }),
  });
  const dist = useQuery({
    queryKey: ['distribution', survey.id],
    enabled: !!kind,
    queryFn: () => scoreDistribution(q),
  });
  const topics = useQuery({
    queryKey: ['feedback-topics'],
    queryFn: () => topicsBySentiment(),
  });
  const responses = useQuery({
    queryKey: ['responses', survey.id],
    queryFn: () => listResponses({ survey_id: survey.id, limit: 10 }),
  });
  const K = kind?.toUpperCase() ?? '';
  const trendOption = useMemo(() => {
    const rows = weekly.data?.data ?? [];
    return {
      xAxis: { type: 'category', data: rows.map((r) => r.bucket?.slice(0, 10)) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', name: K, data: rows.map((r) => r.score), smooth: true }],
    };
  }, [weekly.data, K]);
  const distOption = useMemo(() => {
    const rows = dist.data?.data ?? [];
    return {
      xAxis: { type: 'category', data: rows.map((r) => String(r.score)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('surveys.count'), data: rows.map((r) => r.count) }],
    };
  }, [dist.data, t]);
  const o = overall.data?.data[0];
  return (
    <Card title={t('surveys.results')} className="survey-results">
      {!o ? (
        <Empty>{t('surveys.noResults')}</Empty>
      ) : (
        <>
          <div className="stat-row">
            <div className="stat">
              <div className="stat-label">{t('surveys.measureOf', { kind: K })}</div>
              <div className="stat-value" data-score={o.score}>
                {o.score}
              </div>
              <div className="muted">{t('surveys.interval', { low: o.ci_low, high: o.ci_high })}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t('surveys.responses')}</div>
              <div className="stat-value">{o.count}</div>
            </div>
          </div>
          <div className="grid">
            <Suspense fallback={<Loading />}>
              <Chart option={trendOption} label={t('surveys.trend', { kind: K })} />
            </Suspense>
            <Suspense fallback={<Loading />}>
              <Chart option={distOption} label={t('surveys.distribution')} />
            </Suspense>
          </div>
        </>
      )}
      {(topics.data?.data.length ?? 0) > 0 && (
        <>
          <h3>{t('surveys.topics')}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('surveys.topic')}</th>
                  <th>{t('surveys.detractors')}</th>
                  <th>{t('surveys.promoters')}</th>
                  <th>{t('surveys.blamed')}</th>
                  <th>{t('surveys.praised')}</th>
                </tr>
              </thead>
              <tbody>
                {topics.data!.data.map((r) => (
                  <tr key={r.topic}>
                    <td data-topic={r.topic}>{word('topic', r.topic, true)}</td>
                    <td>{r.detractors}</td>
                    <td>{r.promoters}</td>
                    <td>{r.negative}</td>
                    <td>{r.positive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {(responses.data?.data.length ?? 0) > 0 && (
        <>
          <h3>{t('surveys.recent')}</h3>
          <ul className="plain timeline">
            {responses.data!.data.map((r) => (
              <li key={r.id}>
                <strong>{r.score ?? '—'}</strong> {r.open_text && <span>· {r.open_text}</span>}{' '}
                {r.topics.map((x) => (
                  <Badge key={x} tone={TOPIC_TONE[r.topic_sentiments[x]] ?? 'neutral'}>
                    {word('topic', x, true)}
                  </Badge>
                ))}
                <div className="when">{formatDateTime(r.submitted_at, i18n.language)}</div>
                {r.open_text && (
                  <TopicEditor
                    key={r.topics.join()}
                    topics={r.topics}
                    url={`/v1/survey-responses/${r.id}/topics`}
                    onSaved={() => {
                      void qc.invalidateQueries({ queryKey: ['responses', survey.id] });
                      void qc.invalidateQueries({ queryKey: ['feedback-topics'] });
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
