// The customer's consent: the current state per channel and purpose, a new record, the history.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Badge, Button, Card, Empty, ErrorNote, QueryState, SelectField, TextField, formatDateTime } from '../../../shared/ui.js';
import { getConsent, recordConsent, type Customer } from '../../api/customers.js';
import type { ConsentInput } from '../../../../src/modules/customers/contract.js';
import { CHANNELS, PURPOSES } from '../../../shared/channels.js';

export function Consent({ c }: { c: Customer }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const history = useQuery({ queryKey: ['consent', c.id], queryFn: () => getConsent(c.id) });
  const [form, setForm] = useState({ channel: 'email', purpose: 'marketing', status: 'granted', source: '' });
  const record = useMutation({
    mutationFn: () => recordConsent(c.id, { ...form, source: form.source || 'console' } as ConsentInput),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['consent', c.id] });
      void qc.invalidateQueries({ queryKey: ['customer', c.id] });
    },
  });
  const lng = i18n.language;
  return (
    <>
      <Card title={t('consent.current')}>
        {c.consent.length === 0 ? (
          <Empty>{t('consent.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('consent.channel')}</th>
                  <th>{t('consent.purpose')}</th>
                  <th>{t('consent.status')}</th>
                  <th>{t('consent.source')}</th>
                  <th>{t('consent.when')}</th>
                </tr>
              </thead>
              <tbody>
                {c.consent.map((r) => (
                  <tr key={`${r.channel}:${r.purpose}`}>
                    <td>{t(`channel.${r.channel}`)}</td>
                    <td>{t(`purpose.${r.purpose}`)}</td>
                    <td>
                      <Badge tone={r.status === 'granted' ? 'good' : 'bad'}>{t(`consent.${r.status}`)}</Badge>
                    </td>
                    <td>{r.source}</td>
                    <td>{formatDateTime(r.recorded_at, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            record.mutate();
          }}
        >
          <SelectField
            label={t('consent.channel')}
            value={form.channel}
            onChange={(e) => setForm({ ...form, channel: e.target.value })}
            options={CHANNELS.map((x) => ({ value: x, label: t(`channel.${x}`) }))}
          />
          <SelectField
            label={t('consent.purpose')}
            value={form.purpose}
            onChange={(e) => setForm({ ...form, purpose: e.target.value })}
            options={PURPOSES.map((x) => ({ value: x, label: t(`purpose.${x}`) }))}
          />
          <SelectField
            label={t('consent.status')}
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value })}
            options={[
              { value: 'granted', label: t('consent.granted') },
              { value: 'withdrawn', label: t('consent.withdrawn') },
            ]}
          />
          <TextField
            label={t('consent.source')}
            value={form.source}
            placeholder={t('consent.sourceHint')}
            onChange={(e) => setForm({ ...form, source: e.target.value })}
          />
          <div className="field">
            <Button type="submit" busy={record.isPending}>
              {t('consent.record')}
            </Button>
          </div>
        </form>
        <ErrorNote error={record.error} />
      </Card>
      <Card title={t('consent.history')}>
        <QueryState query={history} isEmpty={(d) => d.history.length === 0} empty={t('consent.none')}>
          {(d) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('consent.when')}</th>
                    <th>{t('consent.channel')}</th>
                    <th>{t('consent.purpose')}</th>
                    <th>{t('consent.status')}</th>
                    <th>{t('consent.source')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...d.history].reverse().map((r) => (
                    <tr key={r.id}>
                      <td>{formatDateTime(r.recorded_at, lng)}</td>
                      <td>{t(`channel.${r.channel}`)}</td>
                      <td>{t(`purpose.${r.purpose}`)}</td>
                      <td>{t(`consent.${r.status}`)}</td>
                      <td>{r.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </Card>
    </>
  );
}
