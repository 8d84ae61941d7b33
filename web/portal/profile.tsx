// The customer's profile: their name as they want it written, and the identities the company knows.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PatchMe } from '../../src/modules/portal/contract.js';
import { ApiError } from '../shared/api.js';
import { Badge, Button, Card, ErrorNote, TextField } from '../shared/ui.js';
import { updateMe, useSetMe, type Me } from './api.js';

export function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const setMe = useSetMe();
  const [form, setForm] = useState({ given_name: me.given_name ?? '', family_name: me.family_name ?? '', display_name: me.display_name ?? '' });
  const save = useMutation({
    mutationFn: () => updateMe(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || null])) as PatchMe),
    onSuccess: setMe,
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <>
      <Card title={t('portal.profile.title')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="row">
            <TextField
              label={t('customer.familyName')}
              value={form.family_name}
              onChange={set('family_name')}
              autoComplete="family-name"
              error={err?.fieldMessage('family_name')}
            />
            <TextField
              label={t('customer.givenName')}
              value={form.given_name}
              onChange={set('given_name')}
              autoComplete="given-name"
              error={err?.fieldMessage('given_name')}
            />
          </div>
          <TextField
            label={t('customer.displayName')}
            value={form.display_name}
            onChange={set('display_name')}
            autoComplete="nickname"
            error={err?.fieldMessage('display_name')}
          />
          {save.isSuccess && (
            <p className="notice" role="status">
              {t('portal.profile.saved')}
            </p>
          )}
          {err && !err.fields.length && <ErrorNote error={err} />}
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </form>
      </Card>
      <Card title={t('portal.profile.identities')}>
        <ul className="plain">
          {me.identities.map((i) => (
            <li key={`${i.kind}:${i.value}`}>
              <Badge>{t(`identity.${i.kind}`)}</Badge> {i.value}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
