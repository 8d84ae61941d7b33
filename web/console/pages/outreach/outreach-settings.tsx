// Outreach settings: the contact window outside which marketing and service messages wait, the
// frequency caps per purpose across channels, loyalty statements, the survey invitation template and
// email tracking. SMTP and per-channel throttles are left as they are (this form never sends them).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, ErrorNote, Loading, Problems, SelectField, TextField } from '../../../shared/ui.js';
import { PURPOSES, useTemplates, type Purpose } from './outreach-data.js';
import { getSettings, putSettings, type OutreachSettingsOut as Settings } from '../../api/outreach.js';

type CapRule = Settings['caps'][Purpose];
const settingsKey = ['outreach-settings'];
// ISO weekdays (1 = Monday), named in the reader's language from a week that began on a Monday.
const DAYS = [1, 2, 3, 4, 5, 6, 7];
const dayName = (d: number, lng: string) => new Intl.DateTimeFormat(lng, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, d));

export function OutreachSettingsTab() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => getSettings() });
  if (settings.isPending) return <Loading />;
  if (settings.error) return <ErrorNote error={settings.error} />;
  return <SettingsForm initial={settings.data} />;
}

function SettingsForm({ initial }: { initial: Settings }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const templates = useTemplates();
  const [s, setS] = useState<Settings>(initial);
  const setWindow = (w: Partial<Settings['default_window']>) => setS({ ...s, default_window: { ...s.default_window, ...w } });
  const setCap = (p: Purpose, c: Partial<CapRule>) => setS({ ...s, caps: { ...s.caps, [p]: { ...s.caps[p], ...c } } });
  const save = useMutation({
    mutationFn: () =>
      putSettings({
        default_window: s.default_window,
        default_timezone: s.default_timezone,
        default_locale: s.default_locale,
        caps: s.caps,
        statements: s.statements,
        survey_template_id: s.survey_template_id,
        track_email: s.track_email,
      }),
    onSuccess: (r) => {
      qc.setQueryData(settingsKey, r);
      setS(r);
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const limit = (v: string) => (v === '' ? null : Number(v));
  const templateOptions = (templates.data?.data ?? []).map((x) => ({ value: x.id, label: x.name }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Card title={t('outreach.quietHours')}>
        <div className="row">
          <TextField
            type="time"
            label={t('outreach.windowStart')}
            value={s.default_window.start}
            onChange={(e) => setWindow({ start: e.target.value })}
            error={err?.fieldMessage('default_window.start')}
          />
          <TextField
            type="time"
            label={t('outreach.windowEnd')}
            value={s.default_window.end}
            onChange={(e) => setWindow({ end: e.target.value })}
            error={err?.fieldMessage('default_window.end')}
          />
          <TextField
            label={t('outreach.timezone')}
            hint={t('outreach.timezoneHint')}
            value={s.default_timezone}
            onChange={(e) => setS({ ...s, default_timezone: e.target.value })}
            error={err?.fieldMessage('default_timezone')}
          />
          <TextField
            label={t('outreach.messageLocale')}
            value={s.default_locale}
            onChange={(e) => setS({ ...s, default_locale: e.target.value })}
            error={err?.fieldMessage('default_locale')}
          />
        </div>
        <fieldset className="question row-inline">
          <legend>{t('outreach.days')}</legend>
          {DAYS.map((d) => (
            <Checkbox
              key={d}
              label={dayName(d, i18n.language)}
              checked={s.default_window.days.includes(d)}
              onChange={(e) =>
                setWindow({ days: e.target.checked ? [...s.default_window.days, d].sort((a, b) => a - b) : s.default_window.days.filter((x) => x !== d) })
              }
            />
          ))}
        </fieldset>
        {err?.fieldMessage('default_window.days') && <small className="field-error">{err.fieldMessage('default_window.days')}</small>}
      </Card>
      <Card title={t('outreach.caps')}>
        {PURPOSES.map((p) => (
          <fieldset key={p} className="question row" data-purpose={p}>
            <legend>{t(`purpose.${p}`)}</legend>
            <TextField
              type="number"
              min={0}
              label={t('outreach.perDay')}
              placeholder={t('outreach.noLimit')}
              value={s.caps[p].per_day ?? ''}
              onChange={(e) => setCap(p, { per_day: limit(e.target.value) })}
              error={err?.fieldMessage(`caps.${p}.per_day`)}
            />
            <TextField
              type="number"
              min={0}
              label={t('outreach.perWeek')}
              placeholder={t('outreach.noLimit')}
              value={s.caps[p].per_week ?? ''}
              onChange={(e) => setCap(p, { per_week: limit(e.target.value) })}
              error={err?.fieldMessage(`caps.${p}.per_week`)}
            />
            <SelectField
              label={t('outreach.overCap')}
              value={s.caps[p].over_cap}
              onChange={(e) => setCap(p, { over_cap: e.target.value as CapRule['over_cap'] })}
              options={(['defer', 'drop'] as const).map((m) => ({ value: m, label: t(`outreach.overCapMode.${m}`) }))}
            />
          </fieldset>
        ))}
      </Card>
      <Card title={t('outreach.statements')}>
        <div className="row">
          <SelectField
            label={t('outreach.statementsTemplate')}
            value={s.statements?.template_id ?? ''}
            error={err?.fieldMessage('statements.template_id')}
            onChange={(e) => setS({ ...s, statements: e.target.value ? { template_id: e.target.value, every: s.statements?.every ?? 'month' } : null })}
            options={[{ value: '', label: t('outreach.noStatements') }, ...templateOptions]}
          />
          <SelectField
            label={t('outreach.every')}
            value={s.statements?.every ?? 'month'}
            disabled={!s.statements}
            onChange={(e) => s.statements && setS({ ...s, statements: { ...s.statements, every: e.target.value as 'month' | 'quarter' } })}
            options={(['month', 'quarter'] as const).map((m) => ({ value: m, label: t(`outreach.period.${m}`) }))}
          />
        </div>
      </Card>
      <Card title={t('outreach.invitationsAndTracking')}>
        <div className="row">
          <SelectField
            label={t('outreach.surveyTemplate')}
            value={s.survey_template_id ?? ''}
            error={err?.fieldMessage('survey_template_id')}
            onChange={(e) => setS({ ...s, survey_template_id: e.target.value || null })}
            options={[{ value: '', label: t('outreach.rapportSurveyTemplate') }, ...templateOptions]}
          />
        </div>
        <Checkbox label={t('outreach.trackEmail')} checked={s.track_email} onChange={(e) => setS({ ...s, track_email: e.target.checked })} />
      </Card>
      <Problems error={save.error} />
      <Button type="submit" variant="primary" busy={save.isPending}>
        {t('outreach.saveSettings')}
      </Button>
      {save.isSuccess && (
        <p className="notice" role="status">
          {t('outreach.settingsSaved')}
        </p>
      )}
    </form>
  );
}
