// The customer attributes the tenant defines: key, type and label.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, ErrorNote, QueryState, SelectField, TextField } from '../../../shared/ui.js';
import { defineAttribute, listAttributes } from '../../api/customers.js';

export function Attributes() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const attrs = useQuery({
    queryKey: ['attributes'],
    queryFn: () => listAttributes(),
  });
  const [form, setForm] = useState({ key: '', type: 'string', label: '' });
  const define = useMutation({
    mutationFn: () => defineAttribute(form.key, { type: form.type, label: form.label || null }),
    onSuccess: () => {
      setForm({ key: '', type: 'string', label: '' });
      void qc.invalidateQueries({ queryKey: ['attributes'] });
    },
  });
  const err = define.error instanceof ApiError ? define.error : undefined;
  return (
    <Card title={t('settings.attributes')}>
      <QueryState query={attrs} isEmpty={(d) => d.data.length === 0} empty={t('settings.noAttributes')}>
        {(d) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('settings.key')}</th>
                  <th>{t('settings.type')}</th>
                  <th>{t('settings.label')}</th>
                </tr>
              </thead>
              <tbody>
                {d.data.map((a) => (
                  <tr key={a.key}>
                    <td className="mono">{a.key}</td>
                    <td>{a.type}</td>
                    <td>{a.label ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          define.mutate();
        }}
      >
        <TextField
          label={t('settings.key')}
          value={form.key}
          onChange={(e) => setForm({ ...form, key: e.target.value })}
          placeholder="membership_level"
          error={err?.fieldMessage('key')}
        />
        <SelectField
          label={t('settings.type')}
          value={form.type}
          onChange={(e) => setForm({ ...form, type: e.target.value })}
          options={['string', 'number', 'boolean', 'date', 'datetime'].map((x) => ({ value: x, label: x }))}
        />
        <TextField label={t('settings.label')} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} />
        <div className="field">
          <Button type="submit" busy={define.isPending} disabled={!form.key}>
            {t('settings.define')}
          </Button>
        </div>
      </form>
      {err && !err.fields.length && <ErrorNote error={err} />}
    </Card>
  );
}
