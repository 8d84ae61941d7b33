// The survey builder: name, kind, channel, throttling, questions in both languages, triggers, and the
// preview beside it; saving makes a new version.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, Problems, SelectField, TextField } from '../../../shared/ui.js';
import { createSurvey, updateSurvey } from '../../api/surveys.js';
import {
  CHANNELS,
  type Definition,
  KINDS,
  type Kind,
  QTYPES,
  type QType,
  type Question,
  type Survey,
  type Trigger,
  localized,
  starter,
  textIn,
} from './survey-model.js';
import { SurveyPreview } from './survey-preview.js';
import { TriggerFields } from './trigger-fields.js';

export function SurveyBuilder({ initial, onSaved }: { initial: Survey; onSaved: (s: Survey) => void }) {
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
      return s.id ? updateSurvey(s.id, body) : createSurvey({ ...body, kind: s.kind });
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['surveys'] });
      void qc.invalidateQueries({ queryKey: ['survey', r.id] });
      onSaved(r);
    },
  });
  const setStatus = useMutation({
    mutationFn: (status: 'active' | 'paused') => updateSurvey(s.id, { status }),
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
              onChange={(e) => setS({ ...s, channel: e.target.value as Survey['channel'] })}
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
          <SurveyPreview key={lang} def={def} lang={lang} />
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
