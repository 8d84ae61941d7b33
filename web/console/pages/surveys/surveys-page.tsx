// Surveys: the list, the builder (question types, both languages, triggers, throttling), a preview in
// English and Chinese side by side, and the results (score trend, distribution, topics, responses).
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, PageHeader, QueryState } from '../../../shared/ui.js';
import { getSurvey, listSurveys } from '../../api/surveys.js';
import { SurveyBuilder } from './survey-builder.js';
import { type Survey, starter } from './survey-model.js';
import { SurveyResults } from './survey-results.js';

export default function SurveysPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('survey');
  const surveys = useQuery({ queryKey: ['surveys'], queryFn: () => listSurveys() });
  const survey = useQuery({ queryKey: ['survey', id], enabled: !!id && id !== 'new', queryFn: () => getSurvey(id!) });
  const [saved, setSaved] = useState<number | null>(null);
  const open = (v: string) => {
    setSaved(null);
    setParams(new URLSearchParams({ survey: v }), { replace: true });
  };
  const onSaved = (r: Survey) => {
    open(r.id);
    setSaved(r.current_version);
  };
  return (
    <>
      <PageHeader
        title={t('surveys.title')}
        subtitle={t('surveys.subtitle')}
        actions={
          <Button variant="primary" onClick={() => open('new')}>
            {t('surveys.new')}
          </Button>
        }
      />
      <Card title={t('surveys.list')}>
        <QueryState query={surveys} isEmpty={(d) => d.data.length === 0} empty={t('surveys.none')}>
          {(d) => (
            <ul className="plain survey-list">
              {d.data.map((s) => (
                <li key={s.id}>
                  <button type="button" className="queue" aria-current={s.id === id || undefined} onClick={() => open(s.id)}>
                    <strong>{s.name}</strong> <Badge>{t(`surveys.kind.${s.kind}`)}</Badge>{' '}
                    <Badge tone={s.status === 'active' ? 'good' : 'neutral'}>{t(`surveys.status.${s.status}`, { defaultValue: s.status })}</Badge>{' '}
                    <span className="muted">{t('surveys.version', { n: s.current_version })}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </Card>
      {saved !== null && (
        <p className="notice" role="status">
          {t('surveys.saved', { n: saved })}
        </p>
      )}
      {id === 'new' && <SurveyBuilder key="new" initial={starter('nps')} onSaved={onSaved} />}
      {id && id !== 'new' && (
        <QueryState query={survey}>
          {(s) => (
            <>
              <SurveyBuilder key={`${s.id}:${s.current_version}`} initial={s} onSaved={onSaved} />
              <SurveyResults survey={s} />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}
