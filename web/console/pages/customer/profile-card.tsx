// The customer's names, locale and time zone, read or edited in place.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api.js';
import { Button, Card, ErrorNote, TextField } from '../../../shared/ui.js';
import { updateCustomer, type Customer } from '../../api/customers.js';
import type { PatchCustomer } from '../../../../src/modules/customers/contract.js';
import { useSaveCustomer } from './use-save-customer.js';

export function ProfileCard({ c }: { c: Customer }) {
  const { t } = useTranslation();
  const save = useSaveCustomer(c.id);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState(() => formOf(c));
  const m = useMutation({
    mutationFn: () => updateCustomer(c.id, Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || null])) as PatchCustomer),
    onSuccess: (d) => {
      save(d);
      setEditing(false);
    },
  });
  const err = m.error instanceof ApiError ? m.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  // Editing starts from the customer as saved, and Cancel drops what was typed (and the last refusal).
  const edit = (on: boolean) => {
    setForm(formOf(c));
    m.reset();
    setEditing(on);
  };
  return (
    <Card title={t('customer.profile')} actions={!editing && <Button onClick={() => edit(true)}>{t('common.edit')}</Button>}>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            m.mutate();
          }}
        >
          <TextField label={t('customer.givenName')} value={form.given_name} onChange={set('given_name')} error={err?.fieldMessage('given_name')} />
          <TextField label={t('customer.familyName')} value={form.family_name} onChange={set('family_name')} error={err?.fieldMessage('family_name')} />
          <TextField label={t('customer.displayName')} value={form.display_name} onChange={set('display_name')} error={err?.fieldMessage('display_name')} />
          <TextField label={t('customer.locale')} value={form.locale} onChange={set('locale')} error={err?.fieldMessage('locale')} placeholder="zh-CN" />
          <TextField
            label={t('customer.timezone')}
            value={form.timezone}
            onChange={set('timezone')}
            error={err?.fieldMessage('timezone')}
            placeholder="Asia/Shanghai"
          />
          {err && !err.fields.length && <ErrorNote error={err} />}
          <div className="row">
            <Button type="submit" variant="primary" busy={m.isPending}>
              {t('common.save')}
            </Button>
            <Button onClick={() => edit(false)}>{t('common.cancel')}</Button>
          </div>
        </form>
      ) : (
        <dl className="kv">
          <dt>{t('customer.givenName')}</dt>
          <dd>{c.given_name ?? '—'}</dd>
          <dt>{t('customer.familyName')}</dt>
          <dd>{c.family_name ?? '—'}</dd>
          <dt>{t('customer.displayName')}</dt>
          <dd>{c.display_name ?? '—'}</dd>
          <dt>{t('customer.locale')}</dt>
          <dd>{c.locale ?? '—'}</dd>
          <dt>{t('customer.timezone')}</dt>
          <dd>{c.timezone ?? '—'}</dd>
        </dl>
      )}
    </Card>
  );
}

/** The form's fields as the customer has them saved (an empty field for a missing value). */
function formOf(c: Customer) {
  return {
    given_name: c.given_name ?? '',
    family_name: c.family_name ?? '',
    display_name: c.display_name ?? '',
    locale: c.locale ?? '',
    timezone: c.timezone ?? '',
  };
}
