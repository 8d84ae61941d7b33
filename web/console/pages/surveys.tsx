// Surveys: the list, the builder (question types, both languages, triggers, throttling), a preview in
// English and Chinese side by side, and the results (score trend, distribution, topics, responses).
import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get, qs } from '../../shared/api.js';
import { Badge, Button, Card, Checkbox, Empty, ErrorNote, Loading, PageHeader, Problems, SelectField, TextField, formatDateTime } from '../../shared/ui.js';
import { TopicEditor } from '../topic-editor.js';

const Chart = lazy(() => import('./chart.js'));

type Localized = string | { en?: string; 'zh-CN'?: string };
type QType = 'nps' | 'csat' | 'ces' | 'rating' | 'single_choice' | 'multiple_choice' | 'text';
interface Question {
  key: string;
  type: QType;
  text: Localized;
  required?: boolean;
  scale?: { min: number; max: number };
  options?: { value: string; text: Localized }[];
}
interface Definition {
  title: Localized;
  default_language?: 'en' | 'zh-CN';
  questions: Question[];
}
type Trigger =
  | { type: 'event'; event_type: string; delay_minutes?: number; first_time_only?: boolean }
  | { type: 'abandonment'; start_event: string; complete_event: string; within_minutes: number }
  | { type: 'conversation_resolved'; delay_minutes?: number }
  | { type: 'periodic'; every_days: number; segment?: { is_core?: boolean } };
interface Survey {
  id: string;
  name: string;
  kind: Kind;
  status: string;
  current_version: number;
  throttle_days: number | null;
  channel: string;
  touchpoint: string | null;
  triggers: Trigger[];
  definition?: Definition;
}
type Kind = 'nps' | 'csat' | 'ces' | 'custom';

const KINDS: Kind[] = ['nps', 'csat', 'ces', 'custom'];
const QTYPES: QType[] = ['nps', 'csat', 'ces', 'rating', 'single_choice', 'multiple_choice', 'text'];
const TRIGGERS: Trigger['type'][] = ['event', 'abandonment', 'conversation_resolved', 'periodic'];
const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;
const CHANNELS = ['web', 'email', 'sms', 'wechat', 'webchat', 'widget', 'app_push'];

// The question each standard survey starts with, in both languages.
const STARTER: Record<Exclude<Kind, 'custom'>, { en: string; 'zh-CN': string }> = {
  nps: { en: 'How likely are you to recommend us to a friend or colleague?', 'zh-CN': '您有多大可能向朋友或同事推荐我们？' },
  csat: { en: 'How satisfied are you with our service?', 'zh-CN': '您对我们的服务满意吗？' },
  ces: { en: 'How easy was it to get what you needed?', 'zh-CN': '办成您要办的事有多容易？' },
};

const textIn = (l: Localized | undefined, lang: 'en' | 'zh-CN') => (typeof l === 'string' ? l : (l?.[lang] ?? l?.en ?? l?.['zh-CN'] ?? ''));
const localized = (en: string, zh: string): Localized => (en && zh ? { en, 'zh-CN': zh } : en || zh);

function starter(kind: Kind): Survey {
  const q: Question =
    kind === 'custom'
      ? { key: 'comment', type: 'text', text: { en: 'What could we do better?', 'zh-CN': '我们哪里可以做得更好？' } }
      : { key: kind, type: kind, text: STARTER[kind], required: true };
  return {
    id: '',
    name: '',
    kind,
    status: 'active',
    current_version: 0,
    throttle_days: 30,
    channel: 'web',
    touchpoint: null,
    triggers: [],
    definition: { title: { en: 'A quick question', 'zh-CN': '一个小问题' }, questions: [q] },
  };
}

export default function SurveysPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('survey');
  const surveys = useQuery({ queryKey: ['surveys'], queryFn: () => get<{ data: Survey[] }>('/v1/surveys') });
  const survey = useQuery({ queryKey: ['survey', id], enabled: !!id && id !== 'new', queryFn: () => get<Survey>(`/v1/surveys/${id}`) });
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
        {surveys.isPending ? (
          <Loading />
        ) : surveys.error ? (
          <ErrorNote error={surveys.error} />
        ) : surveys.data.data.length === 0 ? (
          <Empty>{t('surveys.none')}</Empty>
        ) : (
          <ul className="plain survey-list">
            {surveys.data.data.map((s) => (
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
      </Card>
      {saved !== null && (
        <p className="notice" role="status">
          {t('surveys.saved', { n: saved })}
        </p>
      )}
      {id === 'new' && <Builder key="new" initial={starter('nps')} onSaved={onSaved} />}
      {id &&
        id !== 'new' &&
        (survey.isPending ? (
          <Loading />
        ) : survey.error ? (
          <ErrorNote error={survey.error} />
        ) : (
          <>
            <Builder key={`${survey.data.id}:${survey.data.current_version}`} initial={survey.data} onSaved={onSaved} />
            <Results survey={survey.data} />
          </>
        ))}
    </>
  );
}

function Builder({ initial, onSaved }: { initial: Survey; onSaved: (s: Survey) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [s, setS] = useState<Survey>(initial);
  const def = s.definition ?? starter(s.kind).definition!;
  const setDef = (d: Partial<Definition>) => setS({ ...s, definition: { ...def, ...d } });
  const setQ = (i: number, q: Partial<Question>) => setDef({ questions: def.questions.map((x, j) => (j === i ? { ...x, ...q } : x)) });
  const setTrig = (i: number, tr: Trigger) => setS({ ...s, triggers: s.triggers.map((x, j) => (j === i ? tr : x)) });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: s.name,
        throttle_days: s.throttle_days,
        channel: s.channel,
        touchpoint: s.touchpoint || null,
        triggers: s.triggers,
        definition: def,
      };
      return s.id ? api<Survey>('PATCH', `/v1/surveys/${s.id}`, body) : api<Survey>('POST', '/v1/surveys', { ...body, kind: s.kind });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      void qc.invalidateQueries({ queryKey: ['survey', r.id] });
      onSaved(r);
    },
  });
  const setStatus = useMutation({
    mutationFn: (status: string) => api<Survey>('PATCH', `/v1/surveys/${s.id}`, { status }),
    onSuccess: (r) => {
      setS({ ...s, status: r.status });
      void qc.invalidateQueries({ queryKey: ['surveys'] });
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  return (
    <div className="survey-builder">
      <Card
        title={t('surveys.builder')}
        actions={
          s.id ? (
            <Button onClick={() => setStatus.mutate(s.status === 'active' ? 'paused' : 'active')}>
              {s.status === 'active' ? t('surveys.pause') : t('surveys.activate')}
            </Button>
          ) : undefined
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="row">
            <TextField label={t('surveys.name')} value={s.name} onChange={(e) => setS({ ...s, name: e.target.value })} error={err?.fieldMessage('name')} />
            <SelectField
              label={t('surveys.surveyKind')}
              value={s.kind}
              disabled={!!s.id}
              onChange={(e) => {
                const k = e.target.value as Kind;
                setS({ ...starter(k), name: s.name });
              }}
              options={KINDS.map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))}
            />
          </div>
          <div className="row">
            <TextField
              label={t('surveys.titleEn')}
              value={textIn(def.title, 'en')}
              onChange={(e) => setDef({ title: localized(e.target.value, textIn(def.title, 'zh-CN')) })}
            />
            <TextField
              label={t('surveys.titleZh')}
              value={textIn(def.title, 'zh-CN')}
              onChange={(e) => setDef({ title: localized(textIn(def.title, 'en'), e.target.value) })}
            />
          </div>
          <h3>{t('surveys.questions')}</h3>
          {def.questions.map((q, i) => (
            <fieldset key={i} className="question">
              <legend>{t('surveys.question', { n: i + 1 })}</legend>
              <div className="row">
                <TextField label={t('surveys.key')} value={q.key} onChange={(e) => setQ(i, { key: e.target.value })} />
                <SelectField
                  label={t('surveys.type')}
                  value={q.type}
                  onChange={(e) => {
                    const type = e.target.value as QType;
                    setQ(i, {
                      type,
                      options: type.endsWith('choice') ? (q.options ?? [{ value: 'yes', text: { en: 'Yes', 'zh-CN': '是' } }]) : undefined,
                      scale: type === 'rating' ? { min: 1, max: 5 } : undefined,
                    });
                  }}
                  options={QTYPES.map((x) => ({ value: x, label: t(`surveys.qtype.${x}`) }))}
                />
              </div>
              <TextField
                label={t('surveys.textEn')}
                value={textIn(q.text, 'en')}
                onChange={(e) => setQ(i, { text: localized(e.target.value, textIn(q.text, 'zh-CN')) })}
              />
              <TextField
                label={t('surveys.textZh')}
                value={textIn(q.text, 'zh-CN')}
                onChange={(e) => setQ(i, { text: localized(textIn(q.text, 'en'), e.target.value) })}
              />
              {q.type === 'rating' && (
                <div className="row">
                  <TextField
                    type="number"
                    label={t('surveys.scaleMin')}
                    value={q.scale?.min ?? 1}
                    onChange={(e) => setQ(i, { scale: { min: Number(e.target.value), max: q.scale?.max ?? 5 } })}
                  />
                  <TextField
                    type="number"
                    label={t('surveys.scaleMax')}
                    value={q.scale?.max ?? 5}
                    onChange={(e) => setQ(i, { scale: { min: q.scale?.min ?? 1, max: Number(e.target.value) } })}
                  />
                </div>
              )}
              {q.type.endsWith('choice') && <OptionsField q={q} onChange={(options) => setQ(i, { options })} />}
              <div className="row">
                <Checkbox label={t('surveys.required')} checked={!!q.required} onChange={(e) => setQ(i, { required: e.target.checked })} />
                {def.questions.length > 1 && (
                  <Button variant="ghost" onClick={() => setDef({ questions: def.questions.filter((_, j) => j !== i) })}>
                    {t('surveys.removeQuestion', { n: i + 1 })}
                  </Button>
                )}
              </div>
            </fieldset>
          ))}
          <Button
            onClick={() => setDef({ questions: [...def.questions, { key: `q${def.questions.length + 1}`, type: 'text', text: { en: '', 'zh-CN': '' } }] })}
          >
            {t('surveys.addQuestion')}
          </Button>

          <h3>{t('surveys.triggers')}</h3>
          {s.triggers.length === 0 && <p className="muted">{t('surveys.noTriggers')}</p>}
          {s.triggers.map((tr, i) => (
            <TriggerFields
              key={i}
              n={i + 1}
              tr={tr}
              onChange={(x) => setTrig(i, x)}
              onRemove={() => setS({ ...s, triggers: s.triggers.filter((_, j) => j !== i) })}
            />
          ))}
          <Button onClick={() => setS({ ...s, triggers: [...s.triggers, { type: 'event', event_type: 'purchase', delay_minutes: 0 }] })}>
            {t('surveys.addTrigger')}
          </Button>

          <h3>{t('surveys.throttling')}</h3>
          <div className="row">
            <TextField
              type="number"
              min={0}
              label={t('surveys.throttleDays')}
              hint={t('surveys.throttleHint')}
              value={s.throttle_days ?? ''}
              onChange={(e) => setS({ ...s, throttle_days: e.target.value === '' ? null : Number(e.target.value) })}
            />
            <SelectField
              label={t('surveys.channel')}
              value={s.channel}
              onChange={(e) => setS({ ...s, channel: e.target.value })}
              options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) }))}
            />
            <TextField label={t('surveys.touchpoint')} value={s.touchpoint ?? ''} onChange={(e) => setS({ ...s, touchpoint: e.target.value })} />
          </div>
          <Problems error={err} />
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!s.name.trim()}>
            {t('surveys.save')}
          </Button>
        </form>
      </Card>
      <div className="grid">
        {(['en', 'zh-CN'] as const).map((lang) => (
          <Preview key={lang} def={def} lang={lang} />
        ))}
      </div>
    </div>
  );
}

function OptionsField({ q, onChange }: { q: Question; onChange: (o: Question['options']) => void }) {
  const { t } = useTranslation();
  const [raw, setRaw] = useState(() => (q.options ?? []).map((o) => `${o.value} | ${textIn(o.text, 'en')} | ${textIn(o.text, 'zh-CN')}`).join('\n'));
  return (
    <div className="field">
      <label htmlFor={`opts-${q.key}`}>{t('surveys.options')}</label>
      <textarea
        id={`opts-${q.key}`}
        rows={3}
        value={raw}
        onChange={(e) => {
          setRaw(e.target.value);
          onChange(
            e.target.value
              .split('\n')
              .map((l) => l.split('|').map((x) => x.trim()))
              .filter((p) => p[0])
              .map(([value, en = '', zh = '']) => ({ value, text: localized(en || value, zh) })),
          );
        }}
      />
    </div>
  );
}

function TriggerFields({ n, tr, onChange, onRemove }: { n: number; tr: Trigger; onChange: (t: Trigger) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const num = (v: string) => (v === '' ? 0 : Number(v));
  const blank: Record<Trigger['type'], Trigger> = {
    event: { type: 'event', event_type: 'purchase', delay_minutes: 0 },
    abandonment: { type: 'abandonment', start_event: 'application_started', complete_event: 'application_completed', within_minutes: 60 },
    conversation_resolved: { type: 'conversation_resolved', delay_minutes: 0 },
    periodic: { type: 'periodic', every_days: 90, segment: {} },
  };
  return (
    <fieldset className="question">
      <legend>{t(`surveys.trigger.${tr.type}`)}</legend>
      <div className="row">
        <SelectField
          label={t('surveys.type')}
          value={tr.type}
          onChange={(e) => onChange(blank[e.target.value as Trigger['type']])}
          options={TRIGGERS.map((x) => ({ value: x, label: t(`surveys.trigger.${x}`) }))}
        />
        {tr.type === 'event' && (
          <>
            <TextField label={t('surveys.eventType')} value={tr.event_type} onChange={(e) => onChange({ ...tr, event_type: e.target.value })} />
            <TextField
              type="number"
              min={0}
              label={t('surveys.delay')}
              value={tr.delay_minutes ?? 0}
              onChange={(e) => onChange({ ...tr, delay_minutes: num(e.target.value) })}
            />
            <Checkbox
              label={t('surveys.firstTimeOnly')}
              checked={!!tr.first_time_only}
              onChange={(e) => onChange({ ...tr, first_time_only: e.target.checked })}
            />
          </>
        )}
        {tr.type === 'abandonment' && (
          <>
            <TextField label={t('surveys.startEvent')} value={tr.start_event} onChange={(e) => onChange({ ...tr, start_event: e.target.value })} />
            <TextField label={t('surveys.completeEvent')} value={tr.complete_event} onChange={(e) => onChange({ ...tr, complete_event: e.target.value })} />
            <TextField
              type="number"
              min={1}
              label={t('surveys.within')}
              value={tr.within_minutes}
              onChange={(e) => onChange({ ...tr, within_minutes: num(e.target.value) })}
            />
          </>
        )}
        {tr.type === 'conversation_resolved' && (
          <TextField
            type="number"
            min={0}
            label={t('surveys.delay')}
            hint={t('surveys.resolvedHint')}
            value={tr.delay_minutes ?? 0}
            onChange={(e) => onChange({ ...tr, delay_minutes: num(e.target.value) })}
          />
        )}
        {tr.type === 'periodic' && (
          <>
            <TextField
              type="number"
              min={1}
              label={t('surveys.everyDays')}
              value={tr.every_days}
              onChange={(e) => onChange({ ...tr, every_days: num(e.target.value) })}
            />
            <Checkbox
              label={t('surveys.coreOnly')}
              checked={!!tr.segment?.is_core}
              onChange={(e) => onChange({ ...tr, segment: e.target.checked ? { is_core: true } : {} })}
            />
          </>
        )}
        <div className="field">
          <Button variant="ghost" onClick={onRemove}>
            {t('surveys.removeTrigger', { n })}
          </Button>
        </div>
      </div>
    </fieldset>
  );
}

/** The survey as a customer would see it, in one language (the hosted page renders the same definition). */
function Preview({ def, lang }: { def: Definition; lang: 'en' | 'zh-CN' }) {
  const { t } = useTranslation();
  const name = lang === 'en' ? 'English' : '简体中文';
  return (
    <Card title={t('surveys.previewIn', { lang: name })} className="survey-preview">
      <div lang={lang} data-preview={lang}>
        <h3>{textIn(def.title, lang)}</h3>
        {def.questions.map((q) => {
          const [min, max] = q.type === 'rating' ? [q.scale?.min ?? 1, q.scale?.max ?? 5] : q.type in SCALES ? SCALES[q.type as keyof typeof SCALES] : [0, -1];
          return (
            <div key={q.key} className="field">
              <p className="preview-q">
                {textIn(q.text, lang)}
                {q.required && ' *'}
              </p>
              {max >= min && (
                <div className="scale" aria-hidden="true">
                  {Array.from({ length: max - min + 1 }, (_, k) => (
                    <span key={k} className="scale-pt">
                      {min + k}
                    </span>
                  ))}
                </div>
              )}
              {q.options && (
                <ul className="plain">
                  {q.options.map((o) => (
                    <li key={o.value}>
                      {q.type === 'single_choice' ? '◯' : '☐'} {textIn(o.text, lang)}
                    </li>
                  ))}
                </ul>
              )}
              {q.type === 'text' && <div className="preview-text" />}
            </div>
          );
        })}
      </div>
    </Card>
  );
}

interface ScoreRow {
  group: string;
  bucket: string | null;
  count: number;
  score: number;
  ci_low: number;
  ci_high: number;
}

/** A topic's badge says how the customer spoke of it: blamed, praised, or only named. */
const TOPIC_TONE: Record<string, 'bad' | 'good'> = { negative: 'bad', positive: 'good' };

function Results({ survey }: { survey: Survey }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const kind =
    survey.kind === 'custom' ? (survey.definition?.questions.find((q) => q.type in SCALES)?.type as 'nps' | 'csat' | 'ces' | undefined) : survey.kind;
  const q = { kind, survey_id: survey.id };
  const overall = useQuery({
    queryKey: ['measures', survey.id, 'none'],
    enabled: !!kind,
    queryFn: () => get<{ data: ScoreRow[] }>(`/v1/feedback/measures${qs(q)}`),
  });
  const weekly = useQuery({
    queryKey: ['measures', survey.id, 'week'],
    enabled: !!kind,
    queryFn: () => get<{ data: ScoreRow[] }>(`/v1/feedback/measures${qs({ ...q, bucket: 'week' })}`),
  });
  const dist = useQuery({
    queryKey: ['distribution', survey.id],
    enabled: !!kind,
    queryFn: () => get<{ data: { score: number; count: number }[] }>(`/v1/feedback/distribution${qs(q)}`),
  });
  const topics = useQuery({
    queryKey: ['feedback-topics'],
    queryFn: () => get<{ data: { topic: string; detractors: number; promoters: number; negative: number; positive: number }[] }>('/v1/feedback/topics'),
  });
  const responses = useQuery({
    queryKey: ['responses', survey.id],
    queryFn: () =>
      get<{
        data: {
          id: string;
          score: number | null;
          open_text: string | null;
          language: string | null;
          submitted_at: string | null;
          topics: string[];
          topic_sentiments: Record<string, string>;
        }[];
      }>(`/v1/survey-responses${qs({ survey_id: survey.id, limit: 10 })}`),
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
                    <td>{r.topic}</td>
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
                    {x}
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
