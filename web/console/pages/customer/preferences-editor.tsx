// How the customer wants to be contacted: channels in order, a contact window, a weekly cap, a language.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, TextField } from '../../../shared/ui.js';
import { setPreferences, type Customer } from '../../api/customers.js';
import { CHANNELS } from '../../../shared/channels.js';
import { usePreferencesForm } from '../../../shared/preferences-form.js';
import { useSaveCustomer } from './use-save-customer.js';

export function PreferencesEditor({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const save = useSaveCustomer(c.id);
  const f = usePreferencesForm(c.preferences);
  const [saved, setSaved] = useState(false);
  const m = useMutation({
    mutationFn: () => setPreferences(c.id, f.body()),
    onSuccess: (d) => {
      save(d);
      setSaved(true);
    },
  });
  const err = m.error instanceof ApiError ? m.error : undefined;
  return (
    <Card title={t('customer.preferences')}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setSaved(false);
          m.mutate();
        }}
      >
        <fieldset className="card" style={{ padding: 8 }}>
          <legend>{t('customer.channelsInOrder')}</legend>
          {CHANNELS.map((ch) => (
            <Checkbox key={ch} label={f.label(ch, t(`channel.${ch}`))} checked={f.channels.includes(ch)} onChange={() => f.toggle(ch)} />
          ))}
        </fieldset>
        <div className="row">
          <TextField
            label={t('customer.windowStart')}
            type="time"
            value={f.window.start}
            onChange={(e) => f.setWindow({ ...f.window, start: e.target.value })}
            error={err?.fieldMessage('start')}
          />
          <TextField
            label={t('customer.windowEnd')}
            type="time"
            value={f.window.end}
            onChange={(e) => f.setWindow({ ...f.window, end: e.target.value })}
            error={err?.fieldMessage('end')}
          />
        </div>
        <div className="row">
          <TextField
            label={t('customer.maxPerWeek')}
            type="number"
            min={0}
            max={100}
            value={f.max}
            onChange={(e) => f.setMax(e.target.value)}
            error={err?.fieldMessage('max_messages_per_week')}
          />
          <TextField
            label={t('customer.language')}
            value={f.language}
            onChange={(e) => f.setLanguage(e.target.value)}
            placeholder="zh-CN"
            error={err?.fieldMessage('language')}
          />
        </div>
        {saved && (
          <p className="notice" role="status">
            {t('common.saved')}
          </p>
        )}
        <Button type="submit" variant="primary" busy={m.isPending}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}
