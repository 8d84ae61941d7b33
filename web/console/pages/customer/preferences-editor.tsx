// How the customer wants to be contacted: channels in order, a contact window, a weekly cap, a language.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Checkbox, TextField } from '../../../shared/ui.js';
import { setPreferences, type Channel, type Customer } from '../../api/customers.js';
import { CHANNELS } from '../../../shared/channels.js';
import { useSaveCustomer } from './use-save-customer.js';

export function PreferencesEditor({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const save = useSaveCustomer(c.id);
  const p = c.preferences;
  const [channels, setChannels] = useState<string[]>(p?.channels ?? []);
  const [window, setWindow] = useState({ start: p?.contact_window?.start ?? '', end: p?.contact_window?.end ?? '' });
  const [max, setMax] = useState(p?.max_messages_per_week?.toString() ?? '');
  const [language, setLanguage] = useState(p?.language ?? '');
  const [saved, setSaved] = useState(false);
  const m = useMutation({
    mutationFn: () =>
      setPreferences(c.id, {
        channels: channels as Channel[],
        contact_window: window.start && window.end ? { start: window.start, end: window.end, days: p?.contact_window?.days ?? [1, 2, 3, 4, 5, 6, 7] } : null,
        max_messages_per_week: max === '' ? null : Number(max),
        language: language || null,
      }),
    onSuccess: (d) => {
      save(d);
      setSaved(true);
    },
  });
  const err = m.error instanceof ApiError ? m.error : undefined;
  const toggle = (ch: string) => setChannels(channels.includes(ch) ? channels.filter((x) => x !== ch) : [...channels, ch]);
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
            <Checkbox
              key={ch}
              label={`${t(`channel.${ch}`)}${channels.includes(ch) ? ` (${channels.indexOf(ch) + 1})` : ''}`}
              checked={channels.includes(ch)}
              onChange={() => toggle(ch)}
            />
          ))}
        </fieldset>
        <div className="row">
          <TextField
            label={t('customer.windowStart')}
            type="time"
            value={window.start}
            onChange={(e) => setWindow({ ...window, start: e.target.value })}
            error={err?.fieldMessage('start')}
          />
          <TextField
            label={t('customer.windowEnd')}
            type="time"
            value={window.end}
            onChange={(e) => setWindow({ ...window, end: e.target.value })}
            error={err?.fieldMessage('end')}
          />
        </div>
        <div className="row">
          <TextField
            label={t('customer.maxPerWeek')}
            type="number"
            min={0}
            max={100}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            error={err?.fieldMessage('max_messages_per_week')}
          />
          <TextField
            label={t('customer.language')}
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
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
