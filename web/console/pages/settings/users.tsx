// The tenant's console users: added with a role and language, enabled or disabled.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role, UserList, UserPatch } from '../../../../src/platform/auth-contract.js';
import { api, ApiError, get } from '../../../shared/api.js';
import { everyOf } from '../../../shared/contract.js';
import { Badge, Button, Card, ErrorNote, QueryState, SelectField, TextField, formatDateTime } from '../../../shared/ui.js';

const ROLES = everyOf<Role>()(['admin', 'manager', 'agent']);

export function Users() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<UserList>('/v1/users') });
  const [form, setForm] = useState({ email: '', name: '', role: 'agent', password: '', locale: 'zh-CN' });
  const create = useMutation({
    mutationFn: () => api('POST', '/v1/users', form),
    onSuccess: () => {
      setForm({ ...form, email: '', name: '', password: '' });
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const update = useMutation({
    mutationFn: (u: { id: string } & Pick<UserPatch, 'is_disabled' | 'role'>) =>
      api('PATCH', `/v1/users/${u.id}`, { is_disabled: u.is_disabled, role: u.role }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const err = create.error instanceof ApiError ? create.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const roles = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <>
      <Card title={t('settings.users')}>
        <QueryState query={users}>
          {(d) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('settings.name')}</th>
                    <th>{t('auth.email')}</th>
                    <th>{t('settings.role')}</th>
                    <th>{t('settings.status')}</th>
                    <th>
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.data.map((u) => (
                    <tr key={u.id}>
                      <td>{u.name}</td>
                      <td>{u.email}</td>
                      <td>
                        <select
                          aria-label={t('settings.roleOf', { name: u.name })}
                          value={u.role}
                          onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}
                        >
                          {roles.map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        {u.disabled_at ? <Badge tone="bad">{t('settings.disabled')}</Badge> : <Badge tone="good">{t('settings.active')}</Badge>}{' '}
                        <span className="muted">{formatDateTime(u.created_at, i18n.language)}</span>
                      </td>
                      <td>
                        <Button variant="ghost" onClick={() => update.mutate({ id: u.id, is_disabled: !u.disabled_at })}>
                          {u.disabled_at ? t('settings.enable') : t('settings.disable')}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        <ErrorNote error={update.error} />
      </Card>
      <Card title={t('settings.addUser')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="row">
            <TextField label={t('settings.name')} value={form.name} onChange={set('name')} required error={err?.fieldMessage('name')} />
            <TextField label={t('auth.email')} type="email" value={form.email} onChange={set('email')} required error={err?.fieldMessage('email')} />
          </div>
          <div className="row">
            <SelectField label={t('settings.role')} value={form.role} onChange={set('role')} options={roles} />
            <SelectField
              label={t('common.language')}
              value={form.locale}
              onChange={set('locale')}
              options={[
                { value: 'zh-CN', label: '简体中文' },
                { value: 'en', label: 'English' },
              ]}
            />
            <TextField
              label={t('auth.password')}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
              required
              hint={t('settings.passwordHint')}
              error={err?.fieldMessage('password')}
            />
          </div>
          {err && !err.fields.length && <ErrorNote error={err} />}
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('common.add')}
          </Button>
        </form>
      </Card>
    </>
  );
}
