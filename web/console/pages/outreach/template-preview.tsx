// The saved template rendered for one customer, in each language it has.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, Problems, SelectField, TextField } from '../../../shared/ui.js';
import { useWord } from '../../../shared/words.js';
import type { Template } from './outreach-data.js';
import { previewTemplate } from '../../api/outreach.js';
import { LOCALES } from './template-form.js';

export function Preview({ template }: { template: Template }) {
  const { t } = useTranslation();
  const word = useWord();
  const [customerId, setCustomerId] = useState('');
  const [locale, setLocale] = useState('');
  const run = useMutation({ mutationFn: () => previewTemplate(template.id, { customer_id: customerId.trim(), locale: locale || undefined }) });
  const err = run.error instanceof ApiError ? run.error : undefined;
  return (
    <Card title={t('outreach.preview')}>
      <p className="muted">{t('outreach.previewExplain')}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <TextField
          label={t('outreach.customerId')}
          value={customerId}
          onChange={(e) => setCustomerId(e.target.value)}
          error={err?.fieldMessage('customer_id')}
        />
        <SelectField
          label={t('outreach.previewLocale')}
          value={locale}
          onChange={(e) => setLocale(e.target.value)}
          options={[{ value: '', label: t('outreach.auto') }, ...LOCALES.map((l) => ({ value: l, label: t(`outreach.locale.${l}`) }))]}
        />
        <Button type="submit" busy={run.isPending} disabled={!customerId.trim()}>
          {t('outreach.render')}
        </Button>
      </form>
      <Problems error={run.error} />
      {run.data && (
        <div className="preview-result" role="status">
          <p>
            {run.data.channel
              ? t('outreach.chosenChannel', {
                  channel: t(`channel.${run.data.channel}`, { defaultValue: run.data.channel }),
                  locale: run.data.locale,
                  timezone: run.data.timezone,
                })
              : t('outreach.noChannel')}
          </p>
          {run.data.skipped.length > 0 && (
            <ul className="plain muted" data-skipped>
              {run.data.skipped.map((x) => (
                <li key={x.channel}>
                  {t(`channel.${x.channel}`, { defaultValue: x.channel })}: {word('outreach.reason', x.why, true)}
                </li>
              ))}
            </ul>
          )}
          {Object.entries(run.data.rendered).map(([ch, r]) => (
            <dl key={ch} className="kv" data-channel={ch}>
              <dt>{t(`channel.${ch}`, { defaultValue: ch })}</dt>
              <dd>{r.channel === 'email' && r.subject && <strong>{r.subject}</strong>}</dd>
              {'text' in r && (
                <>
                  <dt>
                    <span className="visually-hidden">{t('outreach.body')}</span>
                  </dt>
                  <dd style={{ whiteSpace: 'pre-wrap' }}>{r.text}</dd>
                </>
              )}
            </dl>
          ))}
        </div>
      )}
    </Card>
  );
}
