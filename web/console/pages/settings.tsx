// Settings: users, API keys (shown once), custom attributes, the website widget, and the inbox's
// channels, teams and agents, SLA policies and routing rules.
import { useState } from 'react';
import { NavLink, Route, Routes, useOutletContext } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get } from '../../shared/api.js';
import { ChannelsSettings, TeamsSettings, SlaSettings, RoutingSettings, type Channel } from './settings-inbox.js';
import { TenantPolicies } from './settings-tenant.js';
import { Badge, Button, Card, Checkbox, Empty, ErrorNote, Loading, PageHeader, SelectField, TextField, formatDateTime } from '../../shared/ui.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useOutletContext<{ isAdmin: boolean }>();
  const tabs = ['users', 'api-keys', 'attributes', 'widget', 'channels', 'teams', 'sla', 'routing', 'policies'] as const;
  return (
    <>
      <PageHeader title={t('nav.settings')} />
      <nav className="subnav" aria-label={t('nav.settings')}>
        {tabs.map((k) => (
          <NavLink key={k} to={`/settings/${k}`}>
            {t(`settings.tab.${k}`)}
          </NavLink>
        ))}
      </nav>
      {!isAdmin ? (
        <div className="alert" role="alert">
          {t('settings.adminOnly')}
        </div>
      ) : (
        <Routes>
          <Route index element={<Users />} />
          <Route path="users" element={<Users />} />
          <Route path="api-keys" element={<ApiKeys />} />
          <Route path="attributes" element={<Attributes />} />
          <Route path="widget" element={<Widget />} />
          <Route path="channels" element={<ChannelsSettings />} />
          <Route path="teams" element={<TeamsSettings />} />
          <Route path="sla" element={<SlaSettings />} />
          <Route path="routing" element={<RoutingSettings />} />
          <Route path="policies" element={<TenantPolicies />} />
        </Routes>
      )}
    </>
  );
}

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  created_at: string;
  disabled_at: string | null;
}

function Users() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ data: User[] }>('/v1/users') });
  const [form, setForm] = useState({ email: '', name: '', role: 'agent', password: '', locale: 'zh-CN' });
  const create = useMutation({
    mutationFn: () => api('POST', '/v1/users', form),
    onSuccess: () => {
      setForm({ ...form, email: '', name: '', password: '' });
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const update = useMutation({
    mutationFn: (u: { id: string; is_disabled?: boolean; role?: string }) => api('PATCH', `/v1/users/${u.id}`, { is_disabled: u.is_disabled, role: u.role }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const err = create.error instanceof ApiError ? create.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const roles = ['admin', 'manager', 'agent'].map((r) => ({ value: r, label: t(`roles.${r}`) }));
  return (
    <>
      <Card title={t('settings.users')}>
        {users.isPending ? (
          <Loading />
        ) : users.error ? (
          <ErrorNote error={users.error} />
        ) : (
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
                {users.data.data.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{u.email}</td>
                    <td>
                      <select
                        aria-label={t('settings.roleOf', { name: u.name })}
                        value={u.role}
                        onChange={(e) => update.mutate({ id: u.id, role: e.target.value })}
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

function ApiKeys() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () =>
      get<{ data: { id: string; name: string; scopes: string[]; created_at: string; last_used_at: string | null; revoked_at: string | null }[] }>(
        '/v1/api-keys',
      ),
  });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [token, setToken] = useState<string>();
  const create = useMutation({
    mutationFn: () => api<{ token: string }>('POST', '/v1/api-keys', { name, scopes }),
    onSuccess: (r) => {
      setToken(r.token);
      setName('');
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/v1/api-keys/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <>
      <Card title={t('settings.apiKeys')}>
        {keys.isPending ? (
          <Loading />
        ) : keys.error ? (
          <ErrorNote error={keys.error} />
        ) : keys.data.data.length === 0 ? (
          <Empty>{t('settings.noKeys')}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('settings.name')}</th>
                  <th>{t('settings.scopes')}</th>
                  <th>{t('settings.lastUsed')}</th>
                  <th>{t('settings.status')}</th>
                  <th>
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.data.map((k) => (
                  <tr key={k.id}>
                    <td>
                      {k.name}
                      <div className="mono muted">{k.id}</div>
                    </td>
                    <td>
                      {k.scopes.map((s) => (
                        <Badge key={s}>{s}</Badge>
                      ))}
                    </td>
                    <td>{formatDateTime(k.last_used_at, i18n.language)}</td>
                    <td>{k.revoked_at ? <Badge tone="bad">{t('settings.revoked')}</Badge> : <Badge tone="good">{t('settings.active')}</Badge>}</td>
                    <td>
                      {!k.revoked_at && (
                        <Button variant="ghost" onClick={() => revoke.mutate(k.id)}>
                          {t('settings.revoke')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={t('settings.newKey')}>
        {token && (
          <div className="notice" role="status">
            {t('settings.tokenOnce')} <code>{token}</code>
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <TextField label={t('settings.name')} value={name} onChange={(e) => setName(e.target.value)} required />
          <fieldset className="card" style={{ padding: 8 }}>
            <legend>{t('settings.scopes')}</legend>
            {['ingest', 'read', 'write', 'admin'].map((s) => (
              <Checkbox
                key={s}
                label={`${s} — ${t(`scope.${s}`)}`}
                checked={scopes.includes(s)}
                onChange={() => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s])}
              />
            ))}
          </fieldset>
          <ErrorNote error={create.error} />
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name || !scopes.length}>
            {t('settings.createKey')}
          </Button>
        </form>
      </Card>
    </>
  );
}

function Attributes() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const attrs = useQuery({
    queryKey: ['attributes'],
    queryFn: () => get<{ data: { key: string; type: string; label: string | null }[] }>('/v1/customer-attributes'),
  });
  const [form, setForm] = useState({ key: '', type: 'string', label: '' });
  const define = useMutation({
    mutationFn: () => api('PUT', `/v1/customer-attributes/${encodeURIComponent(form.key)}`, { type: form.type, label: form.label || null }),
    onSuccess: () => {
      setForm({ key: '', type: 'string', label: '' });
      void qc.invalidateQueries({ queryKey: ['attributes'] });
    },
  });
  const err = define.error instanceof ApiError ? define.error : undefined;
  return (
    <Card title={t('settings.attributes')}>
      {attrs.isPending ? (
        <Loading />
      ) : attrs.error ? (
        <ErrorNote error={attrs.error} />
      ) : attrs.data.data.length === 0 ? (
        <Empty>{t('settings.noAttributes')}</Empty>
      ) : (
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
              {attrs.data.data.map((a) => (
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

interface WidgetSettings {
  key: string | null;
  allowed_origins: string[];
}

function Widget() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['widget-settings'], queryFn: () => get<WidgetSettings>('/v1/widget/settings') });
  const feedback = useQuery({
    queryKey: ['widget-feedback'],
    queryFn: () =>
      get<{
        data: {
          id: string;
          text: string;
          page_url: string | null;
          rating: number | null;
          created_at: string;
          customer_id: string | null;
          email: string | null;
        }[];
      }>('/v1/widget/feedback?limit=50'),
  });
  const [origins, setOrigins] = useState<string>();
  const save = useMutation({
    mutationFn: (rotate: boolean) =>
      api<WidgetSettings>('PUT', '/v1/widget/settings', {
        allowed_origins: (origins ?? settings.data?.allowed_origins.join('\n') ?? '').split(/\s+/).filter(Boolean),
        rotate_key: rotate,
      }),
    onSuccess: (d) => {
      qc.setQueryData(['widget-settings'], d);
      setOrigins(undefined);
    },
  });
  const err = save.error instanceof ApiError ? save.error : undefined;
  // With a web chat channel the widget also offers live chat, through that channel's socket.
  const channels = useQuery({ queryKey: ['inbox-channels'], queryFn: () => get<{ data: Channel[] }>('/v1/inbox/channels') });
  const chat = channels.data?.data.find((c) => c.kind === 'webchat' && c.is_enabled)?.webhook_urls?.widget_chat;
  const snippet = settings.data?.key
    ? `<script src="${location.origin}/widget.js" data-key="${settings.data.key}"${chat ? ` data-chat="${chat}"` : ''} async></script>`
    : '';
  return (
    <>
      <Card title={t('settings.widget')}>
        {settings.isPending ? (
          <Loading />
        ) : settings.error ? (
          <ErrorNote error={settings.error} />
        ) : (
          <>
            <p className="muted">{t('settings.widgetExplain')}</p>
            {snippet ? (
              <pre className="card mono" style={{ whiteSpace: 'pre-wrap' }}>
                {snippet}
              </pre>
            ) : (
              <Empty>{t('settings.widgetNoKey')}</Empty>
            )}
            <div className="field">
              <label htmlFor="widget-origins">{t('settings.allowedOrigins')}</label>
              <textarea
                id="widget-origins"
                rows={3}
                value={origins ?? settings.data.allowed_origins.join('\n')}
                onChange={(e) => setOrigins(e.target.value)}
                placeholder="https://www.example.com"
              />
              <small className={err ? 'field-error' : 'field-hint'}>{err?.fields[0]?.message ?? t('settings.originsHint')}</small>
            </div>
            <div className="row">
              <Button variant="primary" busy={save.isPending} onClick={() => save.mutate(false)}>
                {settings.data.key ? t('common.save') : t('settings.widgetCreate')}
              </Button>
              {settings.data.key && <Button onClick={() => save.mutate(true)}>{t('settings.rotateKey')}</Button>}
            </div>
          </>
        )}
      </Card>
      <Card title={t('settings.widgetFeedback')}>
        {feedback.isPending ? (
          <Loading />
        ) : feedback.error ? (
          <ErrorNote error={feedback.error} />
        ) : feedback.data.data.length === 0 ? (
          <Empty>{t('settings.noFeedback')}</Empty>
        ) : (
          <ul className="plain timeline">
            {feedback.data.data.map((f) => (
              <li key={f.id}>
                <strong>{f.text}</strong>
                {f.rating !== null && (
                  <>
                    {' '}
                    <Badge>{f.rating}/5</Badge>
                  </>
                )}
                <div className="when">
                  {f.page_url} · {formatDateTime(f.created_at, i18n.language)}
                  {f.email && <> · {t('settings.feedbackEmail', { email: f.email })}</>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
