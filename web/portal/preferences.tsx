// How the customer wants to be contacted (channels in order, a contact window, a weekly cap, a
// language), and what they consent to, channel by channel and purpose by purpose.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ConsentBody } from '../../src/modules/portal/contract.js';
import { ApiError } from '../shared/api.js';
import { CHANNELS } from '../shared/channels.js';
import { usePreferencesForm } from '../shared/preferences-form.js';
import { LANGUAGES } from '../shared/i18n.js';
import { Button, Card, Checkbox, ErrorNote, TextField } from '../shared/ui.js';
import { recordConsent, setPreferences, useSetMe, type Channel, type Me, type Purpose } from './api.js';

// The channels a customer is offered consent for; transactional messages need none.
const CONSENT_CHANNELS = ['email', 'sms', 'wechat', 'app_push'] as const satisfies readonly Channel[];
const CONSENT_PURPOSES = ['marketing', 'service'] as const satisfies readonly Purpose[];

export function Preferences({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const f = usePreferencesForm(me.preferences);
  const save = useMutation({
    mutationFn: () => setPreferences(f.body()),
    onSuccess: setMe,
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  return (
    <Card title={t('portal.prefs.title')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <fieldset className="card" style={{ padding: 8 }}>
          <legend>{t('customer.channelsInOrder')}</legend>
          <div className="consent-grid">
            {CHANNELS.map((ch) => (
              <Checkbox
                key={ch}
                name={`channel-${ch}`}
                label={f.label(ch, t(`channel.${ch}`))}
                checked={f.channels.includes(ch)}
                onChange={() => f.toggle(ch)}
              />
            ))}
          </div>
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
          <TextField
            label={t('customer.maxPerWeek')}
            type="number"
            min={0}
            max={100}
            value={f.max}
            onChange={(e) => f.setMax(e.target.value)}
            error={err?.fieldMessage('max_messages_per_week')}
          />
        </div>
        <div className="field">
          <label htmlFor="pref-language">{t('customer.language')}</label>
          <select id="pref-language" value={f.language} onChange={(e) => f.setLanguage(e.target.value)}>
            <option value="">—</option>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        {save.isSuccess && (
          <p className="notice" role="status">
            {t('portal.prefs.saved')}
          </p>
        )}
        {err && !err.fields.length && <ErrorNote error={err} />}
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('common.save')}
        </Button>
      </form>
    </Card>
  );
}

export function Consent({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const qc = useQueryClient();
  const record = useMutation({
    mutationFn: (c: ConsentBody) => recordConsent(c),
    // The switch moves at once; a refusal puts it back from the server's answer.
    onMutate: (c) =>
      qc.setQueryData<Me>(
        ['portal-me'],
        (old) =>
          old && {
            ...old,
            consent: [...old.consent.filter((x) => x.channel !== c.channel || x.purpose !== c.purpose), { ...c, recorded_at: new Date().toISOString() }],
          },
      ),
    onSuccess: setMe,
    onError: () => void qc.invalidateQueries({ queryKey: ['portal-me'] }),
  });
  // The switch follows the click in the same render (a controlled checkbox waiting for the query
  // cache would snap back first); the server's answer, or a refusal's refetch, settles it.
  const [moving, setMoving] = useState<Record<string, boolean>>({});
  const isOn = (channel: string, purpose: string) =>
    moving[`${channel}:${purpose}`] ?? me.consent.some((c) => c.channel === channel && c.purpose === purpose && c.status === 'granted');
  return (
    <Card title={t('portal.consent.title')}>
      <p className="muted">{t('portal.consent.explain')}</p>
      <div className="consent-grid">
        {CONSENT_PURPOSES.flatMap((purpose) =>
          CONSENT_CHANNELS.map((channel) => (
            <Checkbox
              key={`${purpose}:${channel}`}
              name={`consent-${channel}-${purpose}`}
              label={t('portal.consent.toggle', { purpose: t(`purpose.${purpose}`), channel: t(`channel.${channel}`) })}
              checked={isOn(channel, purpose)}
              onChange={(e) => {
                const key = `${channel}:${purpose}`;
                const isChecked = e.target.checked;
                setMoving((m) => ({ ...m, [key]: isChecked }));
                record.mutate(
                  { channel, purpose, status: isChecked ? 'granted' : 'withdrawn' },
                  { onSettled: () => setMoving(({ [key]: _, ...rest }) => rest) },
                );
              }}
            />
          )),
        )}
      </div>
      <ErrorNote error={record.error} />
    </Card>
  );
}
