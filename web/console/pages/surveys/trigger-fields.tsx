import { useTranslation } from 'react-i18next';
import { Button, Checkbox, SelectField, TextField } from '../../../shared/ui.js';
import { TRIGGERS, type Trigger } from './survey-model.js';

export function TriggerFields({ n, tr, onChange, onRemove }: { n: number; tr: Trigger; onChange: (t: Trigger) => void; onRemove: () => void }) {
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
